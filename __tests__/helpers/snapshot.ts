// Before/after pictures of folders, to prove that a run created, changed and deleted nothing.
//
// Usage:
//   const before = await snapshot([workspace, home, { path: '/etc', namesOnly: true }])
//   ... run the action ...
//   expect(diffSnapshots(before, await snapshot([...same roots...]))).toEqual([])
//
// A recursive root records every entry below it (the root included) by lstat: type, size, mode,
// mtime in nanoseconds and a symlink's target. Symlinks are never followed, so a link to / costs
// nothing. A names-only root records the names directly in it (and their type), for folders other
// processes touch all the time (a directory's size and mtime there mean nothing).
import type { BigIntStats } from 'node:fs'
import { lstat, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'

export interface SnapshotRoot {
  path: string
  /** Only the names directly in the folder, with their types; default: everything below it. */
  namesOnly?: boolean
  /** Names directly in the root to leave out (other processes' temp folders, say). */
  ignore?: (name: string) => boolean
}

export interface Entry {
  type: 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'absent'
  /** Absent for names-only entries. */
  size?: bigint
  mode?: string
  mtimeNs?: bigint
  /** A symlink's target, as stored. */
  target?: string
  /** A folder that could not be listed. */
  error?: string
}

/** Absolute path → what was there. */
export type Snapshot = Map<string, Entry>

function typeOf(st: BigIntStats): Entry['type'] {
  if (st.isSymbolicLink()) return 'symlink'
  if (st.isDirectory()) return 'dir'
  if (st.isFile()) return 'file'
  if (st.isFIFO()) return 'fifo'
  if (st.isSocket()) return 'socket'
  if (st.isCharacterDevice()) return 'char-device'
  return 'block-device'
}

async function entryOf(file: string): Promise<Entry> {
  const st = await lstat(file, { bigint: true })
  const type = typeOf(st)
  const entry: Entry = {
    type,
    size: st.size,
    mode: (Number(st.mode) & 0o7777).toString(8).padStart(4, '0'),
    mtimeNs: st.mtimeNs
  }
  if (type === 'symlink') entry.target = await readlink(file)
  return entry
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

async function walk(
  dir: string,
  into: Snapshot,
  ignore?: (name: string) => boolean
): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    const found = into.get(dir)
    if (found) found.error = (error as NodeJS.ErrnoException).code ?? String(error)
    return
  }
  for (const name of names.sort()) {
    if (ignore?.(name)) continue
    const file = path.join(dir, name)
    let entry: Entry
    try {
      entry = await entryOf(file)
    } catch (error) {
      if (isMissing(error)) continue // gone between readdir and lstat
      throw error
    }
    into.set(file, entry)
    if (entry.type === 'dir') await walk(file, into)
  }
}

async function names(root: SnapshotRoot, into: Snapshot): Promise<void> {
  let dirents
  try {
    dirents = await readdir(root.path, { withFileTypes: true })
  } catch (error) {
    if (!isMissing(error)) throw error
    into.set(root.path, { type: 'absent' })
    return
  }
  for (const d of dirents) {
    if (root.ignore?.(d.name)) continue
    const type: Entry['type'] = d.isSymbolicLink()
      ? 'symlink'
      : d.isDirectory()
        ? 'dir'
        : d.isFile()
          ? 'file'
          : d.isFIFO()
            ? 'fifo'
            : d.isSocket()
              ? 'socket'
              : d.isCharacterDevice()
                ? 'char-device'
                : 'block-device'
    into.set(path.join(root.path, d.name), { type })
  }
}

/** Records every root; a root that does not exist is recorded as absent. */
export async function snapshot(dirs: ReadonlyArray<string | SnapshotRoot>): Promise<Snapshot> {
  const result: Snapshot = new Map()
  for (const given of dirs) {
    const root: SnapshotRoot = typeof given === 'string' ? { path: given } : given
    const rootPath = path.resolve(root.path)
    if (root.namesOnly) {
      await names({ ...root, path: rootPath }, result)
      continue
    }
    let entry: Entry
    try {
      entry = await entryOf(rootPath)
    } catch (error) {
      if (!isMissing(error)) throw error
      result.set(rootPath, { type: 'absent' })
      continue
    }
    result.set(rootPath, entry)
    if (entry.type === 'dir') await walk(rootPath, result, root.ignore)
  }
  return result
}

function describeEntry(e: Entry): string {
  const parts: string[] = [e.type]
  if (e.type === 'file' && e.size !== undefined) parts.push(`${e.size} bytes`)
  if (e.mode !== undefined) parts.push(`mode ${e.mode}`)
  if (e.target !== undefined) parts.push(`-> ${JSON.stringify(e.target)}`)
  if (e.error !== undefined) parts.push(`unreadable: ${e.error}`)
  return parts.join(', ')
}

function isoNs(ns: bigint): string {
  const ms = ns / 1_000_000n
  const rest = (ns % 1_000_000_000n).toString().padStart(9, '0')
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${rest}Z`
}

/** What differs between two snapshots of the same roots, one line per path, sorted by path. */
export function diffSnapshots(a: Snapshot, b: Snapshot): string[] {
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort()
  const out: string[] = []
  for (const p of paths) {
    const before = a.get(p)
    const after = b.get(p)
    if (before && (!after || (after.type === 'absent' && before.type !== 'absent'))) {
      out.push(`deleted: ${p} (was ${describeEntry(before)})`)
      continue
    }
    if (after && (!before || (before.type === 'absent' && after.type !== 'absent'))) {
      out.push(`created: ${p} (${describeEntry(after)})`)
      continue
    }
    if (!before || !after) continue
    const changes: string[] = []
    if (before.type !== after.type) changes.push(`type ${before.type} → ${after.type}`)
    if (before.size !== after.size) changes.push(`size ${before.size} → ${after.size}`)
    if (before.mode !== after.mode) changes.push(`mode ${before.mode} → ${after.mode}`)
    if (before.target !== after.target)
      changes.push(`target ${JSON.stringify(before.target)} → ${JSON.stringify(after.target)}`)
    if (
      before.mtimeNs !== after.mtimeNs &&
      before.mtimeNs !== undefined &&
      after.mtimeNs !== undefined
    )
      changes.push(`mtime ${isoNs(before.mtimeNs)} → ${isoNs(after.mtimeNs)}`)
    if (before.error !== after.error)
      changes.push(`listing ${before.error ?? 'ok'} → ${after.error ?? 'ok'}`)
    if (changes.length > 0) out.push(`changed: ${p} (${before.type}): ${changes.join(', ')}`)
  }
  return out
}
