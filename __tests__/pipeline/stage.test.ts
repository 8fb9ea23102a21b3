// The loop every mode runs: stages in order, skips recorded with their reasons, a failure stops the
// stages after it, outputs and summary sections set, even by the stage that failed.
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { type Results, runStages, type Stage, stage } from '../../src/pipeline/stage.js'
import type { Plan } from '../../src/plan/plan.js'
import { Report } from '../../src/report/summary.js'
import { captureStdout } from '../helpers/stdout.js'

const PLAN = { mode: 'all' } as unknown as Plan

let dir: string
let commands: string[]
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gpa-stages-'))
  process.env.GITHUB_OUTPUT = path.join(dir, 'output')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  commands = []
  captureStdout(text => text.startsWith('::') || text.includes('skipped ('), commands)
})
afterEach(() => {
  jest.restoreAllMocks()
  delete process.env.GITHUB_OUTPUT
  rmSync(dir, { recursive: true, force: true })
})

/** name=value pairs written to GITHUB_OUTPUT (the runner's heredoc format). */
function outputs(): Record<string, string> {
  const text = readFileSync(path.join(dir, 'output'), 'utf8')
  const found: Record<string, string> = {}
  for (const m of text.matchAll(/^(.+?)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm))
    found[m[1] as string] = m[3] as string
  return found
}

function fake(name: string, ran: string[], over: Partial<Stage<string>> = {}): Stage {
  return stage<string>({
    name,
    key: name.toLowerCase(),
    skip: () => undefined,
    async run(_plan, results) {
      ran.push(`${name} saw ${Object.keys(results).join(',') || 'nothing'}`)
      return { value: `${name} value`, detail: `${name} done` }
    },
    outputs: value => ({ [`${name.toLowerCase()}-out`]: value }),
    summary: value => () => `section of ${value}`,
    ...over
  })
}

describe('runStages', () => {
  test('runs in order, each seeing the results before it; sets outputs and sections', async () => {
    const ran: string[] = []
    const report = new Report()
    const results = await runStages([fake('A', ran), fake('B', ran)], PLAN, report)
    expect(ran).toEqual(['A saw nothing', 'B saw a'])
    expect(results).toEqual({ a: 'A value', b: 'B value' } satisfies Results)
    expect(report.stages.map(s => [s.name, s.outcome, s.detail])).toEqual([
      ['A', 'success', 'A done'],
      ['B', 'success', 'B done']
    ])
    expect(outputs()).toEqual({ 'a-out': 'A value', 'b-out': 'B value' })
    expect(report.toMarkdown()).toContain('section of B value')
  })

  test('a skipped stage is recorded with its reason, sets its skip outputs, and may notice', async () => {
    const ran: string[] = []
    const report = new Report()
    await runStages(
      [
        fake('A', ran, {
          skip: () => ({ why: 'no targets', notice: 'Build skipped: no targets.' }),
          skippedOutputs: { 'a-out': 'none' }
        }),
        fake('B', ran, { skip: (_p, results) => (results.a ? undefined : 'A did not run') })
      ],
      PLAN,
      report
    )
    expect(ran).toEqual([])
    expect(report.stages.map(s => [s.name, s.outcome, s.detail])).toEqual([
      ['A', 'skipped', 'no targets'],
      ['B', 'skipped', 'A did not run']
    ])
    expect(outputs()).toEqual({ 'a-out': 'none' })
    expect(commands.join('')).toContain('::notice::Build skipped: no targets.')
  })

  test('a failing stage stops the later ones, after recording its outputs and section', async () => {
    const ran: string[] = []
    const report = new Report()
    const failing = fake('Checks', ran, {
      async run() {
        ran.push('Checks ran')
        return { value: 'findings', detail: 'vet ❌ 2', failure: new ActionError('Checks failed') }
      }
    })
    await expect(
      runStages([fake('A', ran), failing, fake('Build', ran)], PLAN, report)
    ).rejects.toThrow('Checks failed')
    expect(ran).toEqual(['A saw nothing', 'Checks ran'])
    expect(report.stages.map(s => [s.name, s.outcome])).toEqual([
      ['A', 'success'],
      ['Checks', 'failure']
    ])
    expect(outputs()).toEqual({ 'a-out': 'A value', 'checks-out': 'findings' })
    // The summary still shows what failed.
    expect(report.toMarkdown()).toContain('section of findings')
  })

  test('a stage that throws is recorded as failed with the message, and nothing after it runs', async () => {
    const ran: string[] = []
    const report = new Report()
    const throwing = fake('Image', ran, {
      async run() {
        throw new ActionError('registry said no')
      }
    })
    await expect(runStages([throwing, fake('Release', ran)], PLAN, report)).rejects.toThrow(
      'registry said no'
    )
    expect(ran).toEqual([])
    expect(report.stages).toEqual([
      expect.objectContaining({ name: 'Image', outcome: 'failure', detail: 'registry said no' })
    ])
  })
})
