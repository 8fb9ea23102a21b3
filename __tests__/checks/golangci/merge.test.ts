// How the runs of several configurations become one list (run.test.ts shows it on real runs).
import { describe, expect, it } from '@jest/globals'
import type { AnalysisConfig } from '../../../src/checks/configurations.js'
import type { Finding } from '../../../src/checks/finding.js'
import { mergeGolangciRuns } from '../../../src/checks/golangci/run.js'

function config(id: string, platforms: string[]): AnalysisConfig {
  const [goos = '', goarch = ''] = (platforms[0] ?? '').split('/')
  return { id, platforms, goos, goarch, tags: [], cgo: false, env: {} }
}

const LINUX = config('linux-amd64', ['linux/amd64', 'linux/arm64'])
const DARWIN = config('darwin-arm64', ['darwin/arm64'])
const WINDOWS = config('windows-amd64', ['windows/amd64'])

function lint(code: string, line: number, message = `${code} at ${line}`): Finding {
  return {
    tool: 'golangci-lint',
    kind: 'lint',
    severity: 'error',
    code,
    file: 'a.go',
    line,
    column: 1,
    message
  }
}

describe('mergeGolangciRuns', () => {
  it('keeps one finding per place and message, with the platforms that raised it', () => {
    const merged = mergeGolangciRuns([
      { analysis: LINUX, findings: [lint('errcheck', 1), lint('govet', 2)], complete: true },
      { analysis: DARWIN, findings: [lint('errcheck', 1)], complete: true },
      { analysis: WINDOWS, findings: [lint('errcheck', 1), lint('govet', 3)], complete: true }
    ])
    expect(merged).toEqual([
      lint('errcheck', 1),
      { ...lint('govet', 2), platforms: ['linux/amd64'] },
      { ...lint('govet', 3), platforms: ['windows/amd64'] }
    ])
  })

  it('tells findings apart by linter, column and message', () => {
    const merged = mergeGolangciRuns([
      {
        analysis: LINUX,
        findings: [lint('a', 1, 'm'), lint('b', 1, 'm'), { ...lint('a', 1, 'm'), column: 2 }],
        complete: true
      }
    ])
    expect(merged).toHaveLength(3)
  })

  it('keeps unused code only when every configuration reports it', () => {
    const merged = mergeGolangciRuns([
      { analysis: LINUX, findings: [lint('unused', 1), lint('unused', 2)], complete: true },
      { analysis: WINDOWS, findings: [lint('unused', 2)], complete: true }
    ])
    expect(merged).toEqual([lint('unused', 2)])
  })

  it('does not let a run that failed or did not compile veto unused code', () => {
    const failed: Finding = {
      tool: 'golangci-lint',
      kind: 'build',
      severity: 'error',
      message: 'golangci-lint (windows-amd64) exited with 3: Error: x'
    }
    const merged = mergeGolangciRuns([
      { analysis: LINUX, findings: [lint('unused', 1)], complete: true },
      { analysis: WINDOWS, findings: [failed], complete: false }
    ])
    expect(merged).toEqual([lint('unused', 1), { ...failed, platforms: ['windows/amd64'] }])
  })
})
