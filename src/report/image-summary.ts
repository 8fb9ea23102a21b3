import type { ImageResult } from '../image/stage.js'
import { platformKey } from '../image/base.js'
import { size } from './markdown.js'

/** Digest, where the image went, its base, and each platform's manifest and download size. */
export function imageSummary(result: ImageResult): string {
  const kind = result.platforms.length > 1 ? 'image index' : 'image manifest'
  const lines = [`### Image \`${result.name}\``, '', `Digest \`${result.digest}\` (${kind}).`, '']
  if (result.pushed) {
    lines.push(`Pushed (${result.why}) as ${result.tags.map(t => `\`${t}\``).join(', ')}.`)
  } else {
    lines.push(
      `Not pushed (${result.why}): written as an OCI layout to \`${result.layoutDir}\`, ` +
        `tagged ${result.tags.map(t => `\`${t}\``).join(', ')}.`
    )
  }
  if (result.base?.digest)
    lines.push('', `Base \`${result.base.name}\` at \`${result.base.digest}\`.`)
  else if (result.base) lines.push('', `Base \`${result.base.name}\`: the binary alone.`)
  else lines.push('', `Built from the Dockerfile with Docker's ${result.builder} builder.`)
  lines.push('', '| Platform | Manifest | Download size |', '| --- | --- | --- |')
  for (const p of result.platforms) {
    lines.push(`| ${platformKey(p.platform)} | \`${p.digest}\` | ${size(p.imageSize)} |`)
  }
  if (result.blobs) {
    const b = result.blobs
    lines.push(
      '',
      `Blobs: ${b.uploaded} uploaded, ${b.exists} already in the registry, ${b.mounted} mounted, ${b.copied} copied from the base.`
    )
  }
  return lines.join('\n') + '\n'
}
