// golangci-lint v2.15.0, built from the module proxy with the machine's Go, over the modules in
// testdata/golangci: real runs, one per analysis configuration.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AnalysisConfig } from '../../../src/checks/configurations.js'
import { findGolangciConfig } from '../../../src/checks/golangci/config-file.js'
import type { GolangciLint } from '../../../src/checks/golangci/install.js'
import { runGolangciLint } from '../../../src/checks/golangci/run.js'
import type { GoToolchain } from '../../../src/toolchain/setup-go.js'
import { golangciGo, sharedGolangciLint } from '../../helpers/golangci.js'
import { analysisConfig } from '../../helpers/fixtures.js'
import { REPO_ROOT } from '../../helpers/run-action.js'

const TESTDATA = path.join(REPO_ROOT, 'testdata', 'golangci')

const LINUX = analysisConfig('linux', 'amd64')
const WINDOWS = analysisConfig('windows', 'amd64')

let tool: GolangciLint
let go: GoToolchain
let tmp: string

beforeAll(async () => {
  tool = await sharedGolangciLint()
  go = await golangciGo()
  tmp = mkdtempSync(path.join(os.tmpdir(), 'golangci-run-'))
  // A cold build of golangci-lint (by whichever test file gets there first) takes minutes.
}, 20 * 60_000)
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function lint(
  module: string,
  configs: AnalysisConfig[],
  extra: { severity?: 'error' | 'warning'; config?: string | null; workDir?: string } = {}
): ReturnType<typeof runGolangciLint> {
  const workDir = extra.workDir ?? path.join(TESTDATA, module)
  const config =
    extra.config === null
      ? undefined
      : extra.config
        ? { file: extra.config, name: path.basename(extra.config), version: 2 as const }
        : findGolangciConfig(workDir, REPO_ROOT)
  return runGolangciLint({
    tool,
    go,
    workDir,
    tempDir: tmp,
    config,
    configs,
    ctx: { repoRoot: REPO_ROOT, cwd: workDir },
    severity: extra.severity ?? 'error'
  })
}

describe('runGolangciLint', () => {
  it('reports an unchecked error at its line, with the linter as code', async () => {
    const result = await lint('errcheck', [LINUX])
    process.stderr.write(`golangci-lint, errcheck module, linux-amd64: ${result.durationMs} ms\n`)
    expect(result.findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'lint',
        severity: 'error',
        code: 'errcheck',
        file: 'testdata/golangci/errcheck/main.go',
        line: 9,
        column: 11,
        message: 'Error return value of `os.Remove` is not checked'
      },
      {
        tool: 'golangci-lint',
        kind: 'lint',
        severity: 'error',
        code: 'govet',
        file: 'testdata/golangci/errcheck/main.go',
        line: 10,
        column: 14,
        message: 'printf: fmt.Printf format %d has arg "not a number" of wrong type string'
      }
    ])
    expect(result.perConfig).toEqual([{ id: 'linux-amd64', durationMs: expect.any(Number) }])
    expect(result.command).toBe(
      'golangci-lint run --config testdata/golangci/errcheck/.golangci.yml --max-issues-per-linter=0 --max-same-issues=0 ./...'
    )
  })

  it('gives lint findings the run’s severity', async () => {
    const result = await lint('errcheck', [LINUX], { severity: 'warning' })
    expect(result.findings.map(f => f.severity)).toEqual(['warning', 'warning'])
  })

  it('passes each configuration’s build tags', async () => {
    const result = await lint('errcheck', [analysisConfig('linux', 'amd64', ['special'])])
    expect(result.findings.map(f => `${f.file}:${f.line} ${f.code}`).sort()).toEqual([
      'testdata/golangci/errcheck/main.go:10 govet',
      'testdata/golangci/errcheck/main.go:9 errcheck',
      'testdata/golangci/errcheck/tagged.go:8 errcheck'
    ])
    expect(result.command).toContain('--build-tags=special')
  })

  it('runs configurations side by side and says which platforms raised a finding', async () => {
    const result = await lint('errcheck', [LINUX, WINDOWS])
    expect(result.perConfig.map(p => p.id)).toEqual(['linux-amd64', 'windows-amd64'])
    expect(result.findings.map(f => [f.file, f.line, f.code, f.platforms])).toEqual([
      ['testdata/golangci/errcheck/main.go', 9, 'errcheck', undefined],
      ['testdata/golangci/errcheck/main.go', 10, 'govet', undefined],
      ['testdata/golangci/errcheck/remove_windows.go', 6, 'errcheck', ['windows/amd64']]
    ])
  })

  it('keeps unused code only when every configuration finds it unused', async () => {
    const both = await lint('unused', [LINUX, WINDOWS])
    expect(both.findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'lint',
        severity: 'error',
        code: 'unused',
        file: 'testdata/golangci/unused/shape.go',
        line: 13,
        column: 6,
        message: 'func neverCalled is unused'
      }
    ])
    // On linux alone the field that only the windows file reads is unused too.
    const linux = await lint('unused', [LINUX])
    expect(linux.findings.map(f => [f.line, f.message])).toEqual([
      [7, 'field color is unused'],
      [13, 'func neverCalled is unused']
    ])
  })

  it('turns code that does not compile into build findings at the compiler’s place', async () => {
    const result = await lint('broken', [LINUX])
    expect(result.findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'build',
        severity: 'error',
        package: 'example.com/broken/sub',
        file: 'testdata/golangci/broken/sub/sub.go',
        line: 4,
        column: 29,
        message: 'cannot use 2 (untyped int constant) as string value in return statement'
      }
    ])
  })

  it('makes a configuration golangci-lint refuses one finding with its own words', async () => {
    const bad = path.join(tmp, 'bad.yml')
    writeFileSync(bad, 'version: "2"\nlinters:\n  enable: [nosuchlinter]\n')
    const result = await lint('errcheck', [LINUX], { config: bad })
    expect(result.findings).toHaveLength(1)
    const [failure] = result.findings
    expect(failure).toMatchObject({ tool: 'golangci-lint', kind: 'build', severity: 'error' })
    expect(failure?.message).toMatch(
      /^golangci-lint \(linux-amd64, bad\.yml\) exited with 3: Error: unknown linters: 'nosuchlinter'/
    )
    // Said once, not twice.
    expect(failure?.message.split('unknown linters').length).toBe(2)
  })

  it('writes no report the configuration names into the module, and takes none of its output', async () => {
    const module = path.join(tmp, 'outputs')
    const { cpSync } = await import('node:fs')
    cpSync(path.join(TESTDATA, 'errcheck'), module, { recursive: true })
    writeFileSync(
      path.join(module, '.golangci.yml'),
      'version: "2"\nlinters:\n  default: none\n  enable: [errcheck]\n' +
        'output:\n  formats:\n    text:\n      path: stdout\n    sarif:\n      path: out.sarif\n' +
        'issues:\n  max-issues-per-linter: 1\n'
    )
    const result = await runGolangciLint({
      tool,
      go,
      workDir: module,
      tempDir: tmp,
      config: { file: path.join(module, '.golangci.yml'), name: '.golangci.yml', version: 2 },
      configs: [analysisConfig('linux', 'amd64', ['special'])],
      ctx: { repoRoot: tmp, cwd: module },
      severity: 'error'
    })
    // Both errcheck findings, although the file asks for one per linter.
    expect(result.findings.map(f => `${f.file}:${f.line}`)).toEqual([
      'outputs/main.go:9',
      'outputs/tagged.go:8'
    ])
    expect(existsSync(path.join(module, 'out.sarif'))).toBe(false)
    expect(readdirSync(module).sort()).toEqual(
      ['.golangci.yml', 'go.mod', 'main.go', 'remove_windows.go', 'tagged.go'].sort()
    )
  })

  it('runs with golangci-lint’s defaults (--no-config) when there is no file', async () => {
    const result = await lint('errcheck', [LINUX], { config: null })
    expect(result.command).toBe(
      'golangci-lint run --no-config --max-issues-per-linter=0 --max-same-issues=0 ./...'
    )
    expect(result.findings.map(f => f.code)).toEqual(expect.arrayContaining(['errcheck', 'govet']))
  })
})
