import type { BuildResult } from '../build/stage.js'
import type { BuildVersion } from '../plan/version.js'
import { size } from './markdown.js'

/** Each target with its binaries, its archive's size and sha256, and the checksums file. */
export function buildSummary(result: BuildResult, version: BuildVersion): string {
  const lines = [
    `### Build ${version.version}`,
    '',
    `Commit \`${version.shortCommit}\`, built as of ${version.date} (SOURCE_DATE_EPOCH ${version.timestamp}).`,
    '',
    '| Target | Binaries | Archive or package | Size | SHA-256 |',
    '| --- | --- | --- | --- | --- |'
  ]
  for (const t of result.targets) {
    const binaries = t.binaries.map(b => `\`${b.name}\` (${size(b.size)})`).join('<br>')
    const shipped = [
      ...t.archives,
      ...result.packages.filter(
        p => p.os === t.target.os && p.arch === t.target.arch && p.variant === t.target.variant
      )
    ]
    if (shipped.length === 0) lines.push(`| ${t.target.spec} | ${binaries} | | | |`)
    shipped.forEach((a, i) =>
      lines.push(
        `| ${i === 0 ? t.target.spec : ''} | ${i === 0 ? binaries : ''} | \`${a.name}\` | ${size(a.size)} | \`${a.sha256}\` |`
      )
    )
  }
  lines.push(
    '',
    result.checksums
      ? `Checksums: \`${result.checksums.name}\``
      : 'No checksums file: a matrix leg; the publish job writes one for all legs.'
  )
  return lines.join('\n') + '\n'
}
