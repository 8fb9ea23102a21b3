import { describe, expect, test } from '@jest/globals'
import { parseStaticcheckJson } from '../../src/checks/parse-staticcheck.js'
import { captured, moduleRoot, REPO } from '../helpers/captured-checks.js'

// Real output of `staticcheck -f json ./...` (staticcheck 2026.2.2), captured by
// testdata/unit/checks/capture.sh: stdout only, exit 1 with any problem, 0 and nothing when clean.
function capturedStaticcheck(module: string): {
  output: string
  ctx: { repoRoot: string; cwd: string }
} {
  const root = moduleRoot(module)
  const output = captured(`${module}.staticcheck.stdout`, root, { optional: true })
  return { output, ctx: { repoRoot: REPO, cwd: root } }
}

describe('parseStaticcheckJson on real output', () => {
  test('a clean module prints nothing', () => {
    const { output, ctx } = capturedStaticcheck('clean')
    expect(output).toBe('')
    expect(parseStaticcheckJson(output, ctx)).toEqual([])
  })

  test('SA4006, placed in the repository', () => {
    const { output, ctx } = capturedStaticcheck('staticcheck')
    expect(parseStaticcheckJson(output, ctx)).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'staticcheck',
        severity: 'error',
        code: 'SA4006',
        file: 'testdata/checks/staticcheck/sum.go',
        line: 6,
        column: 2,
        message: 'this value of total is never used'
      }
    ])
  })

  test('a test file that does not compile: code "compile", no location, the compiler output as message', () => {
    const { output, ctx } = capturedStaticcheck('broken-test')
    expect(JSON.parse(output).location).toEqual({ file: '', line: 0, column: 0 })
    expect(parseStaticcheckJson(output, ctx)).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'build',
        severity: 'error',
        package: 'example.com/checks/broken-test',
        file: 'testdata/checks/broken-test/shape_test.go',
        line: 6,
        column: 19,
        message: 'undefined: undefinedWant'
      }
    ])
  })
})

describe('parseStaticcheckJson edge cases', () => {
  const ctx = { repoRoot: '/repo', cwd: '/repo' }
  const problem = (p: object): string => JSON.stringify({ severity: 'error', ...p })

  test('ignored problems are left out, warnings stay warnings, other lines are skipped', () => {
    const output = [
      problem({
        code: 'SA1019',
        severity: 'ignored',
        location: { file: '/repo/a.go', line: 1, column: 1 },
        message: 'old'
      }),
      problem({
        code: 'ST1005',
        severity: 'warning',
        location: { file: '/repo/a.go', line: 2, column: 9 },
        message: 'error strings should not be capitalized'
      }),
      'not json',
      ''
    ].join('\n')
    expect(parseStaticcheckJson(output, ctx)).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'staticcheck',
        severity: 'warning',
        code: 'ST1005',
        file: 'a.go',
        line: 2,
        column: 9,
        message: 'error strings should not be capitalized'
      }
    ])
  })

  test('a problem outside the repository is kept without a file', () => {
    const output = problem({
      code: 'SA5009',
      location: {
        file: '/home/runner/go/pkg/mod/example.com/dep@v1.0.0/d.go',
        line: 5,
        column: 31
      },
      message: 'Printf format %d has arg #1 of wrong type string'
    })
    expect(parseStaticcheckJson(output, ctx)).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'staticcheck',
        severity: 'error',
        code: 'SA5009',
        message:
          '/home/runner/go/pkg/mod/example.com/dep@v1.0.0/d.go:5:31: Printf format %d has arg #1 of wrong type string'
      }
    ])
  })

  test('a compile problem without a position is one build finding with the whole text', () => {
    const output = problem({
      code: 'compile',
      location: { file: '', line: 0, column: 0 },
      message: 'could not load export data: no export data for "example.com/x"'
    })
    expect(parseStaticcheckJson(output, ctx)).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'build',
        severity: 'error',
        message: 'could not load export data: no export data for "example.com/x"'
      }
    ])
  })

  test('a compile problem in a package of its own, relative to where staticcheck ran', () => {
    const output = problem({
      code: 'compile',
      location: { file: '', line: 0, column: 0 },
      message: '# example.com/vm/c\nc/c.go:3:23: undefined: undefinedThing'
    })
    expect(parseStaticcheckJson(output, { repoRoot: '/repo', cwd: '/repo/mod' })).toStrictEqual([
      {
        tool: 'staticcheck',
        kind: 'build',
        severity: 'error',
        package: 'example.com/vm/c',
        file: 'mod/c/c.go',
        line: 3,
        column: 23,
        message: 'undefined: undefinedThing'
      }
    ])
  })
})
