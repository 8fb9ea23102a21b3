import type { CheckResult, ChecksOutcome } from '../checks/run-checks.js'
import type { Finding, PackageTestResult } from '../checks/finding.js'
import type { AnalysisConfig } from '../checks/configurations.js'
import { displayVersion, type VulnEntry } from '../checks/vulncheck/parse.js'
import type { BinaryScan } from '../checks/vulncheck/run.js'
import { distinctFindings, findingMessage, findingTitle, rankFindings } from './annotations.js'
import { escapeCell, limitedRows } from './markdown.js'
import path from 'node:path'

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

function checkRow(c: CheckResult): string {
  const result = !c.ok ? '❌ fail' : c.findings.length > 0 ? '⚠️ warn' : '✅ pass'
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
  const text = findingMessage(f)
  const message = text.length > 2000 ? `${text.slice(0, 2000)}…` : text
  const title = f.url ? `[${escapeCell(findingTitle(f))}](${f.url})` : escapeCell(findingTitle(f))
  return `| ${icon} | ${where(f, links)} | **${title}**: ${escapeCell(message)} |`
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
  lines.push(...configurationsTable(outcome))
  lines.push(...vulnerabilityLines(outcome))

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

/** Each analysed configuration, the platforms it stands for, and what each analysis took on it. */
function configurationsTable(outcome: ChecksOutcome): string[] {
  const analyses = outcome.results.filter(r => r.perConfig && r.perConfig.length > 0)
  if (outcome.configurations.length === 0 || analyses.length === 0) return []
  const lines = [
    '',
    `### Analysed configurations (${outcome.configurations.length})`,
    '',
    `| Platforms | Tags | cgo | ${analyses.map(a => a.tool).join(' | ')} |`,
    `| --- | --- | --- | ${analyses.map(() => '---').join(' | ')} |`
  ]
  for (const c of outcome.configurations) lines.push(configRow(c, analyses))
  return lines
}

function configRow(c: AnalysisConfig, analyses: CheckResult[]): string {
  const times = analyses.map(a => {
    const t = a.perConfig?.find(p => p.id === c.id)
    return t ? seconds(t.durationMs) : ''
  })
  const platforms = c.platforms.map(p => `\`${p}\``).join(', ')
  return `| ${platforms} | ${escapeCell(c.tags.join(',')) || ''} | ${c.cgo ? 'on' : 'off'} | ${times.join(' | ')} |`
}

/** The module as people name it: the standard library, or module@version. */
function vulnModule(v: VulnEntry): string {
  const version = displayVersion(v.module, v.foundVersion)
  if (v.module === 'stdlib') return `the standard library${version ? ` ${version}` : ''}`
  return `\`${escapeCell(version ? `${v.module}@${version}` : v.module)}\``
}

function vulnFixed(v: VulnEntry): string | undefined {
  return displayVersion(v.module, v.fixedVersion)
}

function vulnRow(v: VulnEntry, called: boolean): string {
  const fixedIn = vulnFixed(v)
  const fixed = fixedIn ? `fixed in ${fixedIn}` : 'no fixed version'
  return `| [${v.id}](${v.url}) | ${vulnModule(v)} | ${fixed} | ${called ? '❗ called' : 'not called'} | ${escapeCell(v.summary)} |`
}

/** Known vulnerabilities in the module's dependencies: the called ones fail (or warn); the others are listed. */
function vulnerabilityLines(outcome: ChecksOutcome): string[] {
  const vulns = outcome.vulns
  if (!vulns || (vulns.reachable.length === 0 && vulns.unreachable.length === 0)) return []
  return [
    '',
    `### Known vulnerabilities (${vulns.reachable.length} called, ${vulns.unreachable.length} not called)`,
    '',
    '| OSV | Module | Fixed | In this code | Summary |',
    '| --- | --- | --- | --- | --- |',
    ...vulns.reachable.map(v => vulnRow(v, true)),
    ...vulns.unreachable.map(v => vulnRow(v, false))
  ]
}

/** govulncheck -mode binary over what ships: each binary, the Go that built it, what it holds. */
export function binaryScanSummary(scans: readonly BinaryScan[], budget: number): string {
  const lines = [
    '### Known vulnerabilities in the binaries',
    '',
    '| Binary | Target | Go | Vulnerabilities |',
    '| --- | --- | --- | --- |'
  ]
  const rows = scans.map(s => {
    const vulns =
      s.vulns.length === 0
        ? 'none known'
        : s.vulns
            .map(v => {
              const fixed = vulnFixed(v) ? `, fixed in ${vulnFixed(v)}` : ''
              // Reached: a vulnerable function is in the binary's symbol table.
              const reached = v.reached ? '' : ' (its vulnerable code is not in the binary)'
              return `[${v.id}](${v.url}) in ${vulnModule(v)}${fixed}${reached}`
            })
            .join('<br>')
    return `| \`${escapeCell(path.basename(s.path))}\` | ${s.target} | ${s.goVersion ?? ''} | ${vulns} |`
  })
  lines.push(...limitedRows(rows, budget - Buffer.byteLength(lines.join('\n')), 'binaries'))
  const problems = scans.flatMap(s =>
    s.problem ? [`- ${s.target}: ${escapeCell(s.problem)}`] : []
  )
  if (problems.length > 0) lines.push('', ...problems)
  return lines.join('\n') + '\n'
}
