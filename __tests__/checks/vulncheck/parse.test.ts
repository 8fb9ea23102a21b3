// parseGovulncheckJson on streams shaped as govulncheck v1.9.0 writes them (indented objects, one
// after the other), for what the real runs in run.test.ts do not show: deep traces through
// dependencies, call sites outside the module, the same call site twice, text inside strings.
import { describe, expect, test } from '@jest/globals'
import {
  displayVersion,
  parseGovulncheckJson,
  splitJsonStream
} from '../../../src/checks/vulncheck/parse.js'

const REPO = '/work/repo'
const MODULE_DIR = '/work/repo/svc'
const ctx = { repoRoot: REPO, cwd: MODULE_DIR }
const moduleDirs = { 'example.com/svc': MODULE_DIR }

/** Messages as govulncheck prints them: JSON.MarshalIndent with two spaces, one after another. */
function stream(...messages: unknown[]): string {
  return messages.map(m => JSON.stringify(m, null, 2)).join('\n')
}

const osv = {
  osv: {
    schema_version: '1.3.1',
    id: 'GO-2024-0001',
    aliases: ['CVE-2024-1', 'GHSA-xxxx'],
    summary: 'Crash {in "parser"}',
    details: 'long text'
  }
}

function frame(
  module: string,
  fn: string,
  pos?: [string, number, number],
  extra: Record<string, string> = {}
): Record<string, unknown> {
  return {
    module,
    package: extra.package ?? module,
    function: fn,
    ...extra,
    ...(pos ? { position: { filename: pos[0], offset: 1, line: pos[1], column: pos[2] } } : {})
  }
}

describe('splitJsonStream', () => {
  test('indented objects, braces and quotes inside strings, junk between', () => {
    const text = `warning: something\n{\n  "a": "}{\\"",\n  "b": {"c": 1}\n}\nnot json {"d": 2}{ broken\n`
    expect(splitJsonStream(text)).toEqual([{ a: '}{"', b: { c: 1 } }, { d: 2 }])
  })
})

describe('parseGovulncheckJson', () => {
  test('a deep trace is placed at the frame of the module nearest the vulnerable symbol', () => {
    const out = stream(
      {
        config: {
          protocol_version: 'v1.0.0',
          go_version: 'go1.26.8',
          db_last_modified: '2026-01-01T00:00:00Z'
        }
      },
      osv,
      {
        finding: {
          osv: 'GO-2024-0001',
          fixed_version: 'v0.5.0',
          trace: [{ module: 'example.com/lib', version: 'v0.4.0' }]
        }
      },
      {
        finding: {
          osv: 'GO-2024-0001',
          fixed_version: 'v0.5.0',
          trace: [
            frame('example.com/lib', 'Parse', ['parse.go', 10, 6], {
              version: 'v0.4.0',
              package: 'example.com/lib/parse'
            }),
            frame('example.com/mid', 'Load', ['load.go', 20, 9], { version: 'v1.0.0' }),
            frame('example.com/svc', 'ServeHTTP', ['internal/http/handler.go', 30, 14], {
              package: 'example.com/svc/internal/http',
              receiver: '*Handler'
            }),
            frame('example.com/svc', 'main', ['main.go', 5, 2])
          ]
        }
      }
    )
    const report = parseGovulncheckJson(out, { ctx, moduleDirs, severity: 'warning' })
    expect(report.findings).toEqual([
      {
        tool: 'vulncheck',
        kind: 'vuln',
        severity: 'warning',
        package: 'example.com/svc/internal/http',
        code: 'GO-2024-0001',
        url: 'https://pkg.go.dev/vuln/GO-2024-0001',
        file: 'svc/internal/http/handler.go',
        line: 30,
        column: 14,
        message:
          'GO-2024-0001: http.Handler.ServeHTTP calls parse.Parse, vulnerable in example.com/lib v0.4.0 ' +
          '(fixed in v0.5.0): Crash {in "parser"}'
      }
    ])
    expect(report.reachable).toEqual([
      {
        id: 'GO-2024-0001',
        aliases: ['CVE-2024-1', 'GHSA-xxxx'],
        summary: 'Crash {in "parser"}',
        module: 'example.com/lib',
        foundVersion: 'v0.4.0',
        fixedVersion: 'v0.5.0',
        url: 'https://pkg.go.dev/vuln/GO-2024-0001',
        level: 'symbol',
        symbols: ['parse.Parse']
      }
    ])
    expect(report.unreachable).toEqual([])
    expect(report.goVersion).toBe('go1.26.8')
    expect(report.dbLastModified).toBe('2026-01-01T00:00:00Z')
  })

  test('without moduleDirs, the unversioned frame is the module in ctx.cwd', () => {
    const out = stream(osv, {
      finding: {
        osv: 'GO-2024-0001',
        trace: [
          frame('example.com/lib', 'Parse', ['parse.go', 10, 6], { version: 'v0.4.0' }),
          frame('example.com/svc', 'main', ['cmd/svc/main.go', 7, 3])
        ]
      }
    })
    const [finding] = parseGovulncheckJson(out, { ctx }).findings
    expect(finding).toMatchObject({
      severity: 'error',
      file: 'svc/cmd/svc/main.go',
      line: 7,
      message: expect.stringContaining('(no fixed version)')
    })
  })

  test('a module outside the repository: no place, the message keeps where', () => {
    const out = stream(osv, {
      finding: {
        osv: 'GO-2024-0001',
        trace: [
          frame('example.com/lib', 'Parse', ['parse.go', 10, 6], { version: 'v0.4.0' }),
          frame('example.com/svc', 'main', ['main.go', 7, 3])
        ]
      }
    })
    const [finding] = parseGovulncheckJson(out, {
      ctx,
      moduleDirs: { 'example.com/svc': '/elsewhere/svc' }
    }).findings
    expect(finding?.file).toBeUndefined()
    expect(finding?.message).toMatch(
      /^\/elsewhere\/svc\/main\.go:7:3: GO-2024-0001: svc\.main calls lib\.Parse/
    )
  })

  test('two vulnerable symbols reached through one call site: one finding', () => {
    const site = frame('example.com/svc', 'main', ['main.go', 7, 3])
    const out = stream(
      osv,
      {
        finding: {
          osv: 'GO-2024-0001',
          trace: [frame('example.com/lib', 'Parse', undefined, { version: 'v0.4.0' }), site]
        }
      },
      {
        finding: {
          osv: 'GO-2024-0001',
          trace: [
            frame('example.com/lib', 'MustParse', undefined, { version: 'v0.4.0' }),
            frame('example.com/lib', 'Parse', ['p.go', 3, 3], { version: 'v0.4.0' }),
            site
          ]
        }
      }
    )
    const report = parseGovulncheckJson(out, { ctx, moduleDirs })
    expect(report.findings).toHaveLength(1)
    expect(report.reachable[0]?.symbols).toEqual(['lib.MustParse', 'lib.Parse'])
  })

  test('module and package levels only: unreachable, with no findings', () => {
    const out = stream(
      osv,
      { finding: { osv: 'GO-2024-0001', trace: [{ module: 'stdlib', version: 'v1.26.8' }] } },
      {
        finding: {
          osv: 'GO-2024-0001',
          trace: [{ module: 'stdlib', version: 'v1.26.8', package: 'net/http' }]
        }
      },
      { finding: { osv: 'GO-2024-0002', trace: [{ module: 'toolchain', version: 'v1.26.8' }] } }
    )
    const report = parseGovulncheckJson(out, { ctx, moduleDirs })
    expect(report.findings).toEqual([])
    expect(report.unreachable.map(e => [e.id, e.module, e.level, e.summary])).toEqual([
      ['GO-2024-0001', 'stdlib', 'package', 'Crash {in "parser"}'],
      ['GO-2024-0002', 'toolchain', 'module', '']
    ])
  })

  test('versions of the standard library as Go names them', () => {
    expect(displayVersion('stdlib', 'v1.26.8')).toBe('go1.26.8')
    expect(displayVersion('toolchain', 'v1.99.0')).toBe('go1.99.0')
    expect(displayVersion('example.com/m', 'v1.2.3')).toBe('v1.2.3')
    expect(displayVersion('stdlib', undefined)).toBeUndefined()
  })
})
