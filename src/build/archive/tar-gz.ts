import { type FileHandle, open, readFile, rm } from 'node:fs/promises'
// tar-stream is the chosen tar writer (ustar headers, PAX only for names ustar cannot hold).
import tar, { type Pack } from 'tar-stream'
import type { ArchiveEntry } from '../artifacts.js'
import { deterministicGzip, GZIP_BLOCK } from '../../util/gzip.js'
import { sortedUniqueByName } from '../../util/sort.js'

/**
 * Writes a reproducible .tar.gz: files at the archive root in byte order of their names, owner
 * 0:0 with empty owner names, the given modes, every mtime = mtimeSeconds, and a gzip header
 * with mtime 0, no file name and OS 255. One entry is read into memory at a time.
 */
export async function writeTarGz(
  entries: ArchiveEntry[],
  destination: string,
  mtimeSeconds: number
): Promise<void> {
  if (!Number.isSafeInteger(mtimeSeconds) || mtimeSeconds < 0) {
    throw new Error(`archive mtime must be whole seconds since 1970, got ${mtimeSeconds}`)
  }
  const sorted = sortedUniqueByName(entries, 'archive entry')
  const pack = tar.pack()
  // Either side destroys the pack when it fails, so the other side stops too (with a follow-on
  // error: report the first). Destroy without an error: a streamx 'error' event that nobody
  // listens to yet would crash the process. Once both have settled, the file is closed.
  const failures: unknown[] = []
  const settle = (work: Promise<void>): Promise<void> =>
    work.catch((error: unknown) => {
      failures.push(error)
    })
  await Promise.all([
    settle(packEntries(pack, sorted, new Date(mtimeSeconds * 1000))),
    settle(gzipTo(pack, destination))
  ])
  if (failures.length > 0) {
    await rm(destination, { force: true })
    throw failures[0]
  }
}

async function packEntries(pack: Pack, entries: ArchiveEntry[], mtime: Date): Promise<void> {
  try {
    for (const entry of entries) {
      const content = await readFile(entry.source)
      const header = {
        name: entry.name,
        type: 'file' as const,
        size: content.length,
        mode: entry.mode,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        mtime
      }
      // The callback fires once the consumer has taken the entry's bytes: backpressure.
      await new Promise<void>((resolve, reject) =>
        pack.entry(header, content, error => (error ? reject(error) : resolve()))
      )
    }
    pack.finalize()
  } catch (error) {
    pack.destroy()
    throw error
  }
}

async function gzipTo(tarBytes: Pack, destination: string): Promise<void> {
  try {
    const file = await open(destination, 'w')
    try {
      await gzip(tarBytes as AsyncIterable<Uint8Array>, file)
    } finally {
      await file.close()
    }
  } catch (error) {
    tarBytes.destroy()
    throw error
  }
}

/** streamx types a Pack's chunks as unknown; tar-stream pushes Buffers. */
async function gzip(input: AsyncIterable<Uint8Array>, file: FileHandle): Promise<void> {
  const output: Uint8Array[] = []
  const compressor = deterministicGzip(chunk => output.push(chunk))
  const flush = async (): Promise<void> => {
    for (const chunk of output.splice(0)) await file.write(chunk)
  }
  let block = new Uint8Array(GZIP_BLOCK)
  let filled = 0
  for await (const data of input) {
    for (let offset = 0; offset < data.length;) {
      const n = Math.min(GZIP_BLOCK - filled, data.length - offset)
      block.set(data.subarray(offset, offset + n), filled)
      filled += n
      offset += n
      if (filled === GZIP_BLOCK) {
        compressor.push(block, false)
        block = new Uint8Array(GZIP_BLOCK)
        filled = 0
        await flush()
      }
    }
  }
  compressor.push(block.subarray(0, filled), true)
  await flush()
}
