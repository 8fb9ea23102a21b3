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

export function releaseBody(
  generated: string,
  files: readonly AssetFile[],
  image: ShippedImage | undefined
): string {
  const shipped: string[] = []
  if (files.length > 0) {
    shipped.push('## Artifacts', '', '| File | SHA-256 |', '| --- | --- |')
    for (const f of files) shipped.push(`| \`${f.name}\` | \`${f.sha256}\` |`)
    shipped.push('')
  }
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
