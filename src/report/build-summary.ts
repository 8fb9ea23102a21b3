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
    '| Target | Binaries | Archive | Size | SHA-256 |',
    '| --- | --- | --- | --- | --- |'
  ]
  for (const t of result.targets) {
    const binaries = t.binaries.map(b => `\`${b.name}\` (${size(b.size)})`).join('<br>')
    lines.push(
      `| ${t.target.spec} | ${binaries} | \`${t.archive.name}\` | ${size(t.archive.size)} | \`${t.archive.sha256}\` |`
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
