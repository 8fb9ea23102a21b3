import { describe, expect, test } from '@jest/globals'
import { parseVetJson } from '../../src/checks/parse-vet.js'
import { captured, moduleRoot, REPO } from '../helpers/captured-checks.js'

// Real output of `go vet -json ./...` (Go 1.26), captured by testdata/unit/checks/capture.sh.
// Go 1.26 prints the JSON on stdout and exits 0 even with findings; a compile error goes to
// stderr as text and makes it exit 1.
/** stdout then stderr of a capture, with the module placed at /repo/testdata/checks/<module>. */
function capturedVet(module: string): { output: string; ctx: { repoRoot: string; cwd: string } } {
  const root = moduleRoot(module)
  const read = (stream: string): string =>
    captured(`${module}.vet.${stream}`, root, { optional: true })
  return { output: read('stdout') + read('stderr'), ctx: { repoRoot: REPO, cwd: root } }
}

describe('parseVetJson on real output', () => {
  test('a clean module prints {} per package and gives no findings', () => {
    const { output, ctx } = capturedVet('clean')
    expect(output).toBe('{}\n{}\n')
    expect(parseVetJson(output, ctx)).toEqual([])
  })

  test('a copylocks diagnostic, placed in the repository', () => {
    const { output, ctx } = capturedVet('vet')
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/checks/vet',
        code: 'copylocks',
        file: 'testdata/checks/vet/tally.go',
        line: 21,
        column: 14,
        message: 'Count passes lock by value: example.com/checks/vet.Tally contains sync.Mutex'
      }
    ])
  })

  test('a test file that does not compile: "vet: ./x_test.go:6:19: …" under # pkg and # [pkg]', () => {
    const { output, ctx } = capturedVet('broken-test')
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
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

describe('parseVetJson edge cases', () => {
  const ctx = { repoRoot: '/repo', cwd: '/repo/sub/mod' }

  test('several packages, stderr compile errors after stdout objects, a multi-line compile error', () => {
    // Shaped like a real Go 1.26 run over three packages, one of which does not compile.
    const output = [
      '{',
      '\t"example.com/vm/b": {',
      '\t\t"unreachable": [',
      '\t\t\t{',
      '\t\t\t\t"posn": "/repo/sub/mod/b/b.go:11:2",',
      '\t\t\t\t"end": "/repo/sub/mod/b/b.go:11:11",',
      '\t\t\t\t"message": "unreachable code",',
      '\t\t\t\t"suggested_fixes": [{ "message": "Remove", "edits": [] }]',
      '\t\t\t}',
      '\t\t]',
      '\t}',
      '}',
      '{',
      '\t"example.com/vm/a": {',
      '\t\t"printf": [',
      '\t\t\t{ "posn": "/repo/sub/mod/a/a.go:5:32", "message": "fmt.Printf format %d has arg s of wrong type string" }',
      '\t\t]',
      '\t}',
      '}',
      'go: downloading example.com/dep v1.0.0',
      '# example.com/vm/c',
      'vet: c/c.go:3:23: cannot use x (variable of type int) as string value in return statement',
      '\thave int',
      '\twant string',
      ''
    ].join('\n')
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/vm/b',
        code: 'unreachable',
        file: 'sub/mod/b/b.go',
        line: 11,
        column: 2,
        message: 'unreachable code'
      },
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/vm/a',
        code: 'printf',
        file: 'sub/mod/a/a.go',
        line: 5,
        column: 32,
        message: 'fmt.Printf format %d has arg s of wrong type string'
      },
      {
        tool: 'vet',
        kind: 'build',
        severity: 'error',
        package: 'example.com/vm/c',
        file: 'sub/mod/c/c.go',
        line: 3,
        column: 23,
        message:
          'cannot use x (variable of type int) as string value in return statement\nhave int\nwant string'
      }
    ])
  })

  test('the older stderr form, with a # pkg header before each object', () => {
    const output =
      '# example.com/a\n{}\n# example.com/b\n{\n\t"example.com/b": {\n\t\t"tests": [\n\t\t\t{\n\t\t\t\t"posn": "/repo/b/b_test.go:9:1",\n\t\t\t\t"message": "TestX has malformed name"\n\t\t\t}\n\t\t]\n\t}\n}\n'
    expect(parseVetJson(output, { repoRoot: '/repo', cwd: '/repo' })).toStrictEqual([
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/b',
        code: 'tests',
        file: 'b/b_test.go',
        line: 9,
        column: 1,
        message: 'TestX has malformed name'
      }
    ])
  })

  test('a diagnostic outside the repository is kept, without a file', () => {
    const output = JSON.stringify({
      'example.com/gen': {
        printf: [{ posn: '/root/.cache/go-build/ab/cgo.go:4:2', message: 'bad verb' }]
      }
    })
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/gen',
        code: 'printf',
        message: '/root/.cache/go-build/ab/cgo.go:4:2: bad verb'
      }
    ])
  })

  test('an analyzer that failed', () => {
    const output = JSON.stringify({ 'example.com/a': { buildtag: { error: 'cannot read a.go' } } })
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/a',
        code: 'buildtag',
        message: 'buildtag failed: cannot read a.go'
      }
    ])
  })

  test('a setup error without a header (a missing module) is a build finding', () => {
    const output =
      'a/a.go:3:8: no required module provides package example.com/sf/missing; to add it:\n\tgo get example.com/sf/missing\n'
    expect(parseVetJson(output, ctx)).toStrictEqual([
      {
        tool: 'vet',
        kind: 'build',
        severity: 'error',
        file: 'sub/mod/a/a.go',
        line: 3,
        column: 8,
        message:
          'no required module provides package example.com/sf/missing; to add it:\ngo get example.com/sf/missing'
      }
    ])
  })
})
