import { readFile, writeFile } from 'node:fs/promises'
// fflate is the chosen deflate and zip library: pure JavaScript at a pinned version, so the
// bytes do not change with the Node release.
import { Zip, ZipDeflate } from 'fflate'
import type { ArchiveEntry } from '../artifacts.js'
import { sortedUniqueByName } from '../../util/sort.js'

/** As for .tar.gz: level 9 buys ~0.1% on Go binaries for about twice the time. */
const ZIP_LEVEL = 6
/** "Version made by" host 3 = Unix: unzip then reads the mode from the external attributes. */
const HOST_UNIX = 3
const S_IFREG = 0o100000
/**
 * fflate takes the DOS time from a Date's local-time fields, which depend on TZ and can't express
 * a UTC time that falls in a local DST gap. We hand it this placeholder (a valid DOS year in every
 * zone) and write the UTC fields ourselves in setDosTimes.
 */
const PLACEHOLDER_MTIME = Date.UTC(2000, 0, 1)
/** The range a DOS date can hold; times outside it are clamped, as Python's zipfile does. */
const DOS_MIN = Date.UTC(1980, 0, 1) / 1000
const DOS_MAX = Date.UTC(2107, 11, 31, 23, 59, 58) / 1000

/**
 * Writes a reproducible .zip: files at the root in byte order of their names, deflated, Unix
 * modes in the external attributes, every DOS time = mtimeSeconds in UTC, and no extra fields
 * (so no extended-timestamp "UT" field). Entries are read one at a time; the compressed archive
 * is held in memory until its times are set, then written in one go (no partial file on failure).
 */
export async function writeZip(
  entries: ArchiveEntry[],
  destination: string,
  mtimeSeconds: number
): Promise<void> {
  const chunks: Uint8Array[] = []
  let failure: Error | null = null
  // fflate's streaming Zip rather than zipSync: zipSync takes an object, and JavaScript puts
  // integer-like keys ("1", "10") before the others, whatever order we insert them in.
  const zip = new Zip((error, chunk) => {
    if (error) failure = error
    else chunks.push(chunk)
  })
  for (const entry of sortedUniqueByName(entries, 'archive entry')) {
    const file = new ZipDeflate(entry.name, { level: ZIP_LEVEL })
    file.mtime = PLACEHOLDER_MTIME
    file.os = HOST_UNIX
    file.attrs = ((S_IFREG | entry.mode) << 16) >>> 0
    zip.add(file)
    // The whole file in one final push: deflate block boundaries then depend on content only.
    file.push(await readFile(entry.source), true)
    if (failure) throw failure
  }
  zip.end()
  if (failure) throw failure
  const bytes = Buffer.concat(chunks)
  setDosTimes(bytes, dosDateTime(mtimeSeconds))
  await writeFile(destination, bytes)
}

/** MS-DOS date and time fields of a Unix time, read in UTC, 2-second resolution. */
export function dosDateTime(mtimeSeconds: number): { date: number; time: number } {
  const t = new Date(Math.min(Math.max(mtimeSeconds, DOS_MIN), DOS_MAX) * 1000)
  return {
    date: ((t.getUTCFullYear() - 1980) << 9) | ((t.getUTCMonth() + 1) << 5) | t.getUTCDate(),
    time: (t.getUTCHours() << 11) | (t.getUTCMinutes() << 5) | (t.getUTCSeconds() >> 1)
  }
}

/**
 * Overwrites the time and date of every central directory record and the local header it points
 * to (APPNOTE 4.3.7 and 4.3.12). The archive has no comment, so the end record is the last 22 bytes.
 */
function setDosTimes(zip: Buffer, { date, time }: { date: number; time: number }): void {
  const end = zip.length - 22
  expectSignature(zip, end, 0x06054b50)
  const count = zip.readUInt16LE(end + 10)
  let central = zip.readUInt32LE(end + 16)
  for (let i = 0; i < count; i++) {
    expectSignature(zip, central, 0x02014b50)
    zip.writeUInt16LE(time, central + 12)
    zip.writeUInt16LE(date, central + 14)
    const local = zip.readUInt32LE(central + 42)
    expectSignature(zip, local, 0x04034b50)
    zip.writeUInt16LE(time, local + 10)
    zip.writeUInt16LE(date, local + 12)
    const variable =
      zip.readUInt16LE(central + 28) +
      zip.readUInt16LE(central + 30) +
      zip.readUInt16LE(central + 32)
    central += 46 + variable
  }
}

function expectSignature(zip: Buffer, offset: number, signature: number): void {
  if (zip.readUInt32LE(offset) !== signature) {
    throw new Error(`unexpected zip layout from fflate at byte ${offset}`)
  }
}
