import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { sha256File } from '../util/hash.js'

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter(e => e.isFile())
    .map(e => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
}

/**
 * Go's module hash "h1:" (golang.org/x/mod/sumdb/dirhash Hash1) of an unpacked module:
 * sha256 over the sorted lines "<sha256 hex>  <prefix>/<file>\n".
 */
export async function hash1(root: string, prefix: string): Promise<string> {
  // Go sorts by UTF-8 bytes, which is not JavaScript's UTF-16 order beyond the BMP.
  const names = (await listFiles(root))
    .map(f => `${prefix}/${f}`)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const summary = createHash('sha256')
  for (const name of names) {
    const digest = await sha256File(path.join(root, name.slice(prefix.length + 1)))
    summary.update(`${digest}  ${name}\n`)
  }
  return `h1:${summary.digest('base64')}`
}
