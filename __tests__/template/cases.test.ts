import { beforeAll, describe, expect, it } from '@jest/globals'
import { renderTemplate, TemplateError } from '../../src/template/index.js'
import { type GoTemplateCase, type GoTemplateResult, renderWithGo } from '../helpers/go-template.js'
import { CASES, GO_DATA, RELEASE_DATA, type TemplateCase } from './cases.js'

const DEFAULT_NOW = '2026-01-02T03:04:05.678Z'

function dataOf(c: TemplateCase): unknown {
  if (c.data === undefined || c.data === 'release') return RELEASE_DATA
  if (c.data === 'go') return GO_DATA
  return c.data
}

function renderOurs(c: TemplateCase): { ok: true; output: string } | { ok: false; error: Error } {
  try {
    const output = renderTemplate(c.template, dataOf(c), {
      now: new Date(c.now ?? DEFAULT_NOW),
      env: c.env,
      missingKey: c.missingKey
    })
    return { ok: true, output }
  } catch (e) {
    return { ok: false, error: e as Error }
  }
}

describe('template cases, against Go text/template', () => {
  let go: GoTemplateResult[]
  beforeAll(async () => {
    const cases: GoTemplateCase[] = CASES.map(c => ({
      template: c.template,
      data: dataOf(c),
      env: c.env,
      now: c.now ?? DEFAULT_NOW,
      missingKey: c.missingKey
    }))
    go = await renderWithGo(cases)
  }, 120_000)

  it('has at least 60 cases, each named once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
    expect(new Set(CASES.map(c => c.name)).size).toBe(CASES.length)
  })

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const theirs = go[i] as GoTemplateResult
    const ours = renderOurs(c)
    if (c.fails) {
      expect({ go: theirs.ok, goOutput: theirs.output }).toEqual({ go: false, goOutput: '' })
      if (ours.ok) throw new Error(`rendered ${JSON.stringify(ours.output)}; Go: ${theirs.error}`)
      expect(ours.error).toBeInstanceOf(TemplateError)
      return
    }
    if (!ours.ok) throw new Error(`${ours.error.message}\nGo: ${JSON.stringify(theirs)}`)
    expect({ ok: theirs.ok, error: theirs.error }).toEqual({ ok: true, error: undefined })
    expect(ours.output).toBe(theirs.output)
    if (c.want !== undefined) expect(ours.output).toBe(c.want)
  })
})
