import type { CheckResult, ChecksOutcome } from '../checks/run-checks.js'
import type { Finding, PackageTestResult } from '../checks/finding.js'
import { distinctFindings, findingTitle, rankFindings } from './annotations.js'
import { escapeCell, limitedRows } from './markdown.js'

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

function checkRow(c: CheckResult): string {
  const result = c.ok ? '✅ pass' : '❌ fail'
  const findings = c.findings.length === 0 ? '' : `${c.findings.length}`
  return `| ${c.tool} | ${result} | ${seconds(c.durationMs)} | ${findings} | \`${escapeCell(c.command)}\`${c.note ? `<br>${escapeCell(c.note)}` : ''} |`
}

function packageRow(p: PackageTestResult): string {
  const result = { pass: '✅ pass', fail: '❌ fail', skip: '⏭️ skip' }[p.outcome]
  const coverage = p.coverage === undefined ? '' : `${p.coverage.toFixed(1)}%`
  return `| \`${escapeCell(p.package)}\` | ${result} | ${p.passed} | ${p.failed} | ${p.skipped} | ${p.elapsedSeconds.toFixed(2)} s | ${coverage} |`
}

export interface SourceLinks {
  /** https://github.com/<owner>/<repo>/blob/<sha>, to link findings to their line. */
  blobBase?: string
}

function where(f: Finding, links: SourceLinks): string {
  if (!f.file) return f.package ? `\`${escapeCell(f.package)}\`` : ''
  const place = `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`
  return links.blobBase
    ? `[${escapeCell(place)}](${links.blobBase}/${f.file}${f.line ? `#L${f.line}` : ''})`
    : `\`${escapeCell(place)}\``
}

function findingRow(f: Finding, links: SourceLinks): string {
  const icon = f.severity === 'error' ? '❌' : '⚠️'
  // One finding must not eat the summary: long stacks are cut, the log has them whole.
  const message = f.message.length > 2000 ? `${f.message.slice(0, 2000)}…` : f.message
  return `| ${icon} | ${where(f, links)} | **${escapeCell(findingTitle(f))}**: ${escapeCell(message)} |`
}

/** Markdown for the checks: each check, each package's tests (failures first), every finding. */
export function checksSummary(outcome: ChecksOutcome, links: SourceLinks, budget: number): string {
  const lines = [
    '### Checks',
    '',
    '| Check | Result | Time | Findings | Command |',
    '| --- | --- | --- | --- | --- |'
  ]
  lines.push(...outcome.results.map(checkRow))

  if (outcome.packages.length > 0) {
    const order = { fail: 0, pass: 1, skip: 2 }
    const packages = [...outcome.packages].sort(
      (a, b) => order[a.outcome] - order[b.outcome] || a.package.localeCompare(b.package)
    )
    lines.push(
      '',
      '### Tests',
      '',
      '| Package | Result | Passed | Failed | Skipped | Time | Coverage |',
      '| --- | --- | --- | --- | --- | --- | --- |'
    )
    lines.push(...limitedRows(packages.map(packageRow), budget / 4, 'packages'))
  }

  const findings = rankFindings(distinctFindings(outcome.results.flatMap(r => r.findings)))
  if (findings.length > 0) {
    lines.push(
      '',
      `### Findings (${findings.length})`,
      '',
      '| | Where | What |',
      '| --- | --- | --- |'
    )
    const used = Buffer.byteLength(lines.join('\n'))
    lines.push(
      ...limitedRows(
        findings.map(f => findingRow(f, links)),
        budget - used,
        'findings'
      )
    )
  }
  return lines.join('\n') + '\n'
}
