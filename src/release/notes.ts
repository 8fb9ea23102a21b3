// The release body: GitHub's generated notes, then what was shipped: every file with its sha256,
// and the image by digest with its pull command. GitHub refuses bodies over 125,000 characters.
import type { AssetFile } from './assets.js'

export const BODY_LIMIT = 125_000

export interface ShippedImage {
  /** registry/repository */
  name: string
  digest: string
  tags: string[]
}

function artifactsSection(files: readonly { name: string; sha256: string }[]): string[] {
  if (files.length === 0) return []
  const lines = ['## Artifacts', '', '| File | SHA-256 |', '| --- | --- |']
  // By name, so that every job of a tag writes the same table for the same assets.
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const f of sorted) lines.push(`| \`${f.name}\` | \`${f.sha256}\` |`)
  lines.push('')
  return lines
}

/**
 * The body with its Artifacts section listing these files: the assets the release holds in the
 * end, which several jobs releasing one tag may each have added to.
 */
export function withArtifacts(
  body: string,
  files: readonly { name: string; sha256: string }[]
): string {
  const section = artifactsSection(files).join('\n')
  const start = body.indexOf('## Artifacts\n')
  if (start < 0) return section ? `${body.trimEnd()}\n\n${section}` : body
  const next = body.indexOf('\n## ', start + 1)
  const rest = next < 0 ? '' : body.slice(next + 1)
  return `${body.slice(0, start)}${section}${rest ? `\n${rest}` : ''}`
}

export function releaseBody(
  generated: string,
  files: readonly AssetFile[],
  image: ShippedImage | undefined
): string {
  const shipped = artifactsSection(files)
  if (image) {
    const tag = image.tags[0]
    shipped.push('## Image', '', `\`${image.name}@${image.digest}\``, '', '```sh')
    shipped.push(`docker pull ${image.name}${tag ? `:${tag}` : `@${image.digest}`}`, '```', '')
  }
  const tail = shipped.join('\n')
  const notes = generated.trim()
  const room = BODY_LIMIT - tail.length - 2
  if (room <= 0) return tail.slice(0, BODY_LIMIT)
  const head =
    notes.length <= room ? notes : `${notes.slice(0, room - 40).trimEnd()}\n\n…(notes shortened)`
  return head ? `${head}\n\n${tail}` : tail
}
