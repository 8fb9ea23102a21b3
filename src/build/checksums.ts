import { byNameBytes } from '../util/sort.js'

/**
 * The checksums file GoReleaser publishes: "<sha256 hex>  <name>\n" per file (two spaces: text
 * mode in sha256sum's format), sorted by the names' bytes, so `sha256sum -c` can check it.
 */
export function checksumsFile(files: Array<{ name: string; sha256: string }>): string {
  const sorted = [...files].sort(byNameBytes)
  return sorted
    .map(({ name, sha256 }) => {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${name}: not a sha256 hex digest`)
      // sha256sum escapes such names with a leading backslash; ours never need it, so refuse them.
      if (/[\\\n\r]/.test(name))
        throw new Error(`${JSON.stringify(name)}: unusable in a checksums file`)
      return `${sha256}  ${name}\n`
    })
    .join('')
}
