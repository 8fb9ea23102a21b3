import { describe, expect, test } from '@jest/globals'
import type { Finding, PackageTestResult } from '../../src/checks/finding.js'
import type { ChecksOutcome } from '../../src/checks/run-checks.js'
import { checksSummary } from '../../src/report/checks-summary.js'
import { Report } from '../../src/report/summary.js'

function failing(i: number): Finding {
  return {
    tool: 'test',
    kind: 'fail',
    severity: 'error',
    package: `example.com/big/p${i % 50}`,
    test: `TestCase${i}`,
    file: `p${i % 50}/case_test.go`,
    line: 10 + i,
    message: `case ${i}: got something else entirely ${'x'.repeat(200)}`
  }
}

function pkg(i: number, outcome: PackageTestResult['outcome']): PackageTestResult {
  return {
    package: `example.com/big/p${i}`,
    outcome,
    passed: 10,
    failed: outcome === 'fail' ? 1 : 0,
    skipped: 0,
    elapsedSeconds: 0.5,
    coverage: 71.25
  }
}

const MIB = 1024 * 1024

describe('checksSummary', () => {
  test('lists failing packages first, then the rest by name, with coverage', () => {
    const outcome: ChecksOutcome = {
      results: [
        {
          tool: 'test',
          severity: 'error',
          ok: false,
          durationMs: 1500,
          findings: [],
          command: 'go test ./...'
        }
      ],
      packages: [pkg(2, 'pass'), pkg(1, 'pass'), pkg(3, 'fail')],
      configurations: []
    }
    const rows = checksSummary(outcome, {}, MIB)
      .split('\n')
      .filter(l => l.startsWith('| `example.com'))
    expect(rows.map(r => r.split('|')[1]?.trim())).toEqual([
      '`example.com/big/p3`',
      '`example.com/big/p1`',
      '`example.com/big/p2`'
    ])
    expect(rows[0]).toContain('| 71.3% |')
  })

  test('links findings to their line when it knows the repository', () => {
    const md = checksSummary(
      {
        results: [
          {
            tool: 'test',
            severity: 'error',
            ok: false,
            durationMs: 1,
            findings: [failing(1)],
            command: 'go test'
          }
        ],
        packages: [],
        configurations: []
      },
      { blobBase: 'https://github.com/o/r/blob/abc' },
      MIB
    )
    expect(md).toContain(
      '[p1/case_test.go:11](https://github.com/o/r/blob/abc/p1/case_test.go#L11)'
    )
    expect(md).toContain('**TestCase1 failed**')
  })

  test('a huge suite stays under GitHub’s 1 MiB summary limit and says what it left out', () => {
    const findings = Array.from({ length: 20_000 }, (_, i) => failing(i))
    const packages = Array.from({ length: 5_000 }, (_, i) => pkg(i, i % 7 === 0 ? 'fail' : 'pass'))
    const report = new Report()
    report.record({ name: 'Checks', outcome: 'failure', durationMs: 1, detail: 'test ❌' })
    report.section(budget =>
      checksSummary(
        {
          results: [
            {
              tool: 'test',
              severity: 'error',
              ok: false,
              durationMs: 1,
              findings,
              command: 'go test'
            }
          ],
          packages,
          configurations: []
        },
        {},
        budget
      )
    )
    const markdown = report.toMarkdown()
    expect(Buffer.byteLength(markdown)).toBeLessThan(MIB)
    expect(markdown).toMatch(/…and \d+ more findings/)
    expect(markdown).toMatch(/…and \d+ more packages/)
    // What is shown is the most useful part: the first failures in order.
    expect(markdown).toContain('case 0:')
  })
})
