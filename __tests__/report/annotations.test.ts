import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import type { Finding } from '../../src/checks/finding.js'
import {
  annotateFindings,
  distinctFindings,
  findingTitle,
  rankFindings
} from '../../src/report/annotations.js'

const base = { tool: 'test', severity: 'error' } as const

describe('rankFindings', () => {
  test('does-not-compile first, then panics, races, failures, vet, staticcheck; warnings last', () => {
    const findings: Finding[] = [
      { ...base, tool: 'staticcheck', kind: 'staticcheck', message: 'sa' },
      { ...base, tool: 'vet', kind: 'vet', message: 'vet' },
      { ...base, kind: 'fail', message: 'fail' },
      { ...base, tool: 'staticcheck', kind: 'staticcheck', severity: 'warning', message: 'warn' },
      { ...base, kind: 'race', message: 'race' },
      { ...base, kind: 'panic', message: 'panic' },
      { ...base, kind: 'build', message: 'build' }
    ]
    expect(rankFindings(findings).map(f => f.message)).toEqual([
      'build',
      'panic',
      'race',
      'fail',
      'vet',
      'sa',
      'warn'
    ])
  })

  test('within a kind, findings with a place come first, in file and line order', () => {
    const findings: Finding[] = [
      { ...base, kind: 'fail', message: 'no place' },
      { ...base, kind: 'fail', file: 'b.go', line: 1, message: 'b1' },
      { ...base, kind: 'fail', file: 'a.go', line: 9, message: 'a9' },
      { ...base, kind: 'fail', file: 'a.go', line: 2, message: 'a2' }
    ]
    expect(rankFindings(findings).map(f => f.message)).toEqual(['a2', 'a9', 'b1', 'no place'])
  })
})

describe('findingTitle', () => {
  test("go test's own vet is titled as vet, not as code that does not compile", () => {
    const at = {
      file: 'a_test.go',
      line: 9,
      message: 'fmt.Printf format %d has arg x of wrong type string'
    }
    expect(findingTitle({ ...base, kind: 'vet', code: 'printf', ...at })).toBe(
      'go vet (printf, run by go test)'
    )
    expect(findingTitle({ ...base, kind: 'vet', ...at })).toBe('go vet (run by go test)')
    expect(findingTitle({ ...base, tool: 'vet', kind: 'vet', code: 'printf', ...at })).toBe(
      'go vet (printf)'
    )
    expect(findingTitle({ ...base, kind: 'build', ...at })).toBe('does not compile')
  })
})

describe('distinctFindings', () => {
  test('one compile error reported by three tools is one finding; other kinds are kept', () => {
    const compile = {
      kind: 'build',
      severity: 'error',
      file: 'x_test.go',
      line: 6,
      column: 19,
      message: 'undefined: y'
    } as const
    const findings: Finding[] = [
      { ...compile, tool: 'vet' },
      { ...compile, tool: 'staticcheck' },
      { ...compile, tool: 'test' },
      { ...base, kind: 'fail', file: 'x_test.go', line: 6, message: 'same place, other kind' },
      { ...base, kind: 'fail', file: 'x_test.go', line: 6, message: 'same place, other kind' }
    ]
    expect(distinctFindings(findings)).toHaveLength(3)
  })

  test('a vet finding reported by go vet and again by the vet go test runs is one finding', () => {
    const printf = {
      kind: 'vet',
      severity: 'error',
      code: 'printf',
      file: 'p/p.go',
      line: 7,
      column: 2,
      message: 'fmt.Printf format %d has arg s of wrong type string'
    } as const
    const kept = distinctFindings([
      { ...printf, tool: 'vet' },
      { ...printf, tool: 'test' },
      { ...printf, tool: 'test', line: 8 }
    ])
    expect(kept.map(f => [f.tool, f.line])).toEqual([
      ['vet', 7],
      ['test', 8]
    ])
  })
})

describe('annotateFindings', () => {
  let out: string[]
  beforeEach(() => {
    out = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      out.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })

  test('caps errors at nine (the step failure takes the tenth) and warnings at ten, then says how many more', () => {
    const errors: Finding[] = Array.from({ length: 12 }, (_, i) => ({
      ...base,
      kind: 'fail',
      file: 'a_test.go',
      line: i + 1,
      message: `e${i}`
    }))
    const warnings: Finding[] = Array.from({ length: 11 }, (_, i) => ({
      ...base,
      tool: 'staticcheck',
      kind: 'staticcheck',
      severity: 'warning',
      file: 'a.go',
      line: i + 1,
      message: `w${i}`
    }))
    expect(annotateFindings([...warnings, ...errors])).toEqual({ shown: 19, hidden: 4 })
    const lines = out.join('').split('\n')
    expect(lines.filter(l => l.startsWith('::error '))).toHaveLength(9)
    expect(lines.filter(l => l.startsWith('::warning '))).toHaveLength(10)
    expect(lines.find(l => l.startsWith('::error '))).toBe(
      '::error title=test failed,file=a_test.go,line=1::e0'
    )
    expect(lines).toContainEqual(
      expect.stringMatching(/^::notice::4 more findings are not annotated/)
    )
  })

  test('a finding without a file is annotated without a place', () => {
    annotateFindings([{ ...base, kind: 'fail', test: 'TestX', message: 'exit status 2' }])
    expect(out.join('')).toContain('::error title=TestX failed::exit status 2')
  })
})
