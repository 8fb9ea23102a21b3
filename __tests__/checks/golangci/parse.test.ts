// The JSON below is what golangci-lint v2.15.0 wrote (--output.json.path, --path-mode=abs), cut
// to the fields read; run.test.ts gets the same from real runs.
import { describe, expect, it } from '@jest/globals'
import { golangciFailure, parseGolangciJson } from '../../../src/checks/golangci/parse.js'
import type { ParseContext } from '../../../src/checks/paths.js'

const ctx: ParseContext = { repoRoot: '/repo', cwd: '/repo/mod' }

function report(issues: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Issues: issues, Report: { Linters: [{ Name: 'errcheck' }], ...extra } })
}

describe('parseGolangciJson', () => {
  it('places issues relative to the repository root, with the linter as code', () => {
    const text = report([
      {
        FromLinter: 'errcheck',
        Text: 'Error return value of `os.Remove` is not checked',
        Severity: '',
        SourceLines: ['\tos.Remove("x")'],
        Pos: { Filename: '/repo/mod/main.go', Offset: 63, Line: 9, Column: 11 }
      },
      {
        FromLinter: 'revive',
        Text: 'exported: exported function X should have comment',
        Severity: 'warning',
        Pos: { Filename: '/repo/mod/pkg/x.go', Line: 3, Column: 0 }
      }
    ])
    expect(parseGolangciJson(text, ctx, 'error')).toEqual({
      parsed: true,
      findings: [
        {
          tool: 'golangci-lint',
          kind: 'lint',
          severity: 'error',
          code: 'errcheck',
          file: 'mod/main.go',
          line: 9,
          column: 11,
          message: 'Error return value of `os.Remove` is not checked'
        },
        {
          tool: 'golangci-lint',
          kind: 'lint',
          severity: 'error',
          code: 'revive',
          file: 'mod/pkg/x.go',
          line: 3,
          message: 'exported: exported function X should have comment'
        }
      ]
    })
  })

  it('keeps the place in the message of a file outside the repository', () => {
    const text = report([
      {
        FromLinter: 'govet',
        Text: 'something',
        Pos: { Filename: '/root/go/pkg/mod/x@v1/x.go', Line: 2, Column: 3 }
      }
    ])
    expect(parseGolangciJson(text, ctx, 'warning').findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'lint',
        severity: 'warning',
        code: 'govet',
        message: '/root/go/pkg/mod/x@v1/x.go:2:3: something'
      }
    ])
  })

  it('turns the go command’s output in a typecheck issue into build findings', () => {
    const text = report([
      {
        FromLinter: 'typecheck',
        Text: ': # example.com/broken/sub\nsub/b.go:3:26: cannot use 2 (untyped int constant) as string value in return statement\n./c.go:1:1: other',
        Pos: { Filename: '/repo/mod/sub/b.go', Line: 1, Column: 0 }
      }
    ])
    expect(parseGolangciJson(text, ctx, 'warning').findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'build',
        severity: 'error',
        package: 'example.com/broken/sub',
        file: 'mod/sub/b.go',
        line: 3,
        column: 26,
        message: 'cannot use 2 (untyped int constant) as string value in return statement'
      },
      {
        tool: 'golangci-lint',
        kind: 'build',
        severity: 'error',
        package: 'example.com/broken/sub',
        file: 'mod/c.go',
        line: 1,
        column: 1,
        message: 'other'
      }
    ])
  })

  it('places a type error golangci-lint positioned itself', () => {
    const text = report([
      {
        FromLinter: 'typecheck',
        Text: 'undefined: y',
        Pos: { Filename: '/repo/mod/a.go', Line: 4, Column: 9 }
      }
    ])
    expect(parseGolangciJson(text, ctx, 'error').findings).toEqual([
      {
        tool: 'golangci-lint',
        kind: 'build',
        severity: 'error',
        file: 'mod/a.go',
        line: 4,
        column: 9,
        message: 'undefined: y'
      }
    ])
  })

  it('reads an empty report as no findings, and a report error as one', () => {
    expect(parseGolangciJson(report([]), ctx, 'error')).toEqual({ parsed: true, findings: [] })
    expect(
      parseGolangciJson(report([], { Error: 'context deadline exceeded' }), ctx, 'error')
    ).toEqual({
      parsed: true,
      findings: [
        {
          tool: 'golangci-lint',
          kind: 'build',
          severity: 'error',
          message: 'context deadline exceeded'
        }
      ]
    })
  })

  it('says when there is no report', () => {
    for (const text of ['', 'level=error msg="x"', '{"Issues": null}', '{"Issues": ['])
      expect(parseGolangciJson(text, ctx, 'error')).toEqual({ parsed: false, findings: [] })
  })
})

describe('golangciFailure', () => {
  it('keeps golangci-lint’s last words, saying its error once', () => {
    const stderr =
      'Error: can\'t load config: unsupported version of the configuration: ""\n' +
      'Usage:\n  golangci-lint run [flags]\n' +
      'The command is terminated due to an error: can\'t load config: unsupported version of the configuration: ""\n'
    const finding = golangciFailure({ code: 3, stdout: '', stderr }, 'linux-amd64, .golangci.yml')
    expect(finding).toEqual({
      tool: 'golangci-lint',
      kind: 'build',
      severity: 'error',
      message:
        'golangci-lint (linux-amd64, .golangci.yml) exited with 3: Error: can\'t load config: unsupported version of the configuration: ""'
    })
  })

  it('keeps the last lines when golangci-lint names no error', () => {
    const stderr = 'one\ntwo\nthree\nfour\nfive\nsix\n'
    expect(golangciFailure({ code: 2, stdout: '', stderr }, 'x').message).toBe(
      'golangci-lint (x) exited with 2: two\nthree\nfour\nfive\nsix'
    )
  })

  it('says when it was stopped or said nothing', () => {
    expect(
      golangciFailure({ code: 124, stdout: '', stderr: '', timedOutMs: 1000 }, 'x').message
    ).toBe('golangci-lint (x) was stopped (time limit) without a report')
  })
})
