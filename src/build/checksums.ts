import { byNameBytes } from '../util/sort.js'

/**
 * The checksums file GoReleaser publishes: "<sha256 hex>  <name>\n" per file (two spaces: text
 * mode in sha256sum's format), sorted by the names' bytes, so `sha256sum -c` can check it.
 */
export function checksumsFile(files: Array<{ name: string; sha256: string }>): string {
  const sorted = [...files].sort(byNameBytes)
  return sorted
    .map(({ name, sha256 }) => {
      if (!/^(?:[0-9a-f]{64}|[0-9a-f]{128})$/.test(sha256))
        throw new Error(`${name}: not a sha256 or sha512 hex digest`)
      // sha256sum escapes such names with a leading backslash; ours never need it, so refuse them.
      if (/[\\\n\r]/.test(name))
        throw new Error(`${JSON.stringify(name)}: unusable in a checksums file`)
      return `${sha256}  ${name}\n`
    })
    .join('')
}

/** The entries of a checksums file; undefined when a line is not `<sha256>  <name>`. */
export function parseChecksums(text: string): Array<{ name: string; sha256: string }> | undefined {
  const entries: Array<{ name: string; sha256: string }> = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    const m = /^([0-9a-f]{64}|[0-9a-f]{128}) [ *](.+)$/.exec(line)
    if (!m) return undefined
    entries.push({ sha256: m[1] as string, name: m[2] as string })
  }
  return entries
}

/**
 * Two checksums files as one (several jobs releasing parts of one version): undefined when they
 * disagree about a file, which means two different builds of the same version.
 */
export function mergeChecksums(a: string, b: string): string | undefined {
  const left = parseChecksums(a)
  const right = parseChecksums(b)
  if (!left || !right) return undefined
  const merged = new Map(left.map(e => [e.name, e.sha256]))
  for (const e of right) {
    const known = merged.get(e.name)
    if (known !== undefined && known !== e.sha256) return undefined
    merged.set(e.name, e.sha256)
  }
  return checksumsFile([...merged].map(([name, sha256]) => ({ name, sha256 })))
}
