// The plan as people read it: one group in the log, one table in the job summary.
import path from 'node:path'
import { escapeCell } from '../report/markdown.js'
import type { Plan } from './plan.js'

/** Rows of "what this run will do": a decision and its value, in pipeline order. */
export function planRows(plan: Plan): Array<[string, string]> {
  const { version, build, image, release, caches, checks, output } = plan
  const rows: Array<[string, string]> = [['Mode', plan.mode]]
  const at = `${version.shortCommit || 'no commit'}, ${version.date}`
  rows.push(['Version', `${version.version}${version.tag ? ` (tag ${version.tag})` : ''} at ${at}`])
  if (plan.go) rows.push(['Go', `${plan.go.version} (${plan.go.origin})`])
  rows.push([
    'Caches',
    caches.kind === 'off' ? `off: ${caches.why}` : caches.entries.map(e => e.name).join(', ')
  ])
  const warnOnly = (s: string): string => (s === 'warning' ? ' (warn)' : '')
  const lint =
    checks.lint === 'golangci-lint' && checks.golangci
      ? `golangci-lint ${checks.golangci.version} with ${checks.golangci.config.name}`
      : `staticcheck ${checks.staticcheckVersion ?? ''}`.trim()
  const ran = [
    checks.vet !== 'off' && `vet${warnOnly(checks.vet)}`,
    checks.staticcheck !== 'off' && `${lint}${warnOnly(checks.staticcheck)}`,
    checks.vulncheck !== 'off' &&
      `govulncheck ${checks.govulncheckVersion ?? ''} (${checks.vulnDb ?? ''})${warnOnly(checks.vulncheck)}`,
    checks.test !== 'off' && `test${warnOnly(checks.test)}`
  ].filter(Boolean)
  if (plan.mode !== 'publish') {
    rows.push(['Checks', ran.length > 0 ? ran.join(', ') : 'none'])
    if (checks.configurations.length > 0)
      rows.push([
        'Analysed for',
        `${checks.configurations.map(c => c.platforms.join(' + ')).join('; ')} (from ${checks.configurationsFrom})`
      ])
  }
  if (build.kind === 'build') {
    const seen = new Map<string, string>()
    for (const b of build.binaries) seen.set(b.build, `${b.binary} (${b.pkg.importPath})`)
    rows.push([
      'Build',
      `${[...seen.values()].join(', ')} for ${build.targets.map(t => t.spec).join(' ')}`
    ])
    const formats = [...new Set(build.archives.map(a => a.format))].join(', ')
    const packages = build.packages.length
      ? `; ${build.packages.length} packages (${[...new Set(build.packages.map(p => p.format))].join(', ')})`
      : ''
    const source = plan.config.ship.source
    const n = build.archives.length
    rows.push([
      'Ship',
      `${n} ${n === 1 ? 'archive' : 'archives'} (${formats || 'none'})${packages}, from ${source === 'inputs' ? 'the inputs' : source}`
    ])
  } else if (plan.legs) {
    rows.push([
      'Legs',
      `${plan.legs.files.length} archives from ${plan.legs.manifests.length} legs`
    ])
  } else rows.push(['Build', `skipped: ${build.why}`])
  const where = path.relative(plan.ctx.workspace, output.dir.dir) || '.'
  const earlier = output.dir.previous.length
  rows.push([
    'Output',
    `${where}: ${output.planned.length} ${output.planned.length === 1 ? 'path' : 'paths'} to write` +
      (earlier > 0 ? `, after removing the ${earlier} an earlier run recorded` : '')
  ])
  if (image.kind === 'skip') rows.push(['Image', `skipped: ${image.why}`])
  else {
    const where = {
      registry: `pushed as ${image.tags.map(t => `${image.name}:${t}`).join(', ')}`,
      layout: `an OCI layout in output-dir/image (tags ${image.tags.join(', ')})`,
      'leg-layouts': 'a layout per platform for the publish job'
    }[image.destination]
    const binary = image.binary ? `/app = ${image.binary}, ` : ''
    rows.push(['Image', `${binary}${image.platforms.join(' ')}: ${where} (${image.why})`])
  }
  if (release.kind === 'skip') rows.push(['Release', `none: ${release.why}`])
  else {
    const kind = release.kind === 'dry-run' ? 'a dry run into output-dir/release' : 'on GitHub'
    rows.push(['Release', `${release.tag}${release.prerelease ? ' (prerelease)' : ''}, ${kind}`])
  }
  return rows
}

export function planText(plan: Plan): string {
  const rows = planRows(plan)
  const width = Math.max(...rows.map(([k]) => k.length))
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')
}

export function planMarkdown(plan: Plan): string {
  const lines = ['### What this run will do', '', '| | |', '| --- | --- |']
  for (const [k, v] of planRows(plan)) lines.push(`| ${k} | ${escapeCell(v)} |`)
  return lines.join('\n') + '\n'
}
