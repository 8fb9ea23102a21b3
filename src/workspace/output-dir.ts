// The action owns its output folder: output-dir must be a folder of its own inside the workspace
// that git does not track. Before writing, the action records what it will write there
// (OWNERSHIP_FILE); the next run removes exactly those paths and refuses a folder holding anything
// else, so it never deletes a user's files nor ships a stale archive beside a new checksums file.
import { constants } from 'node:fs'
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rm,
  rmdir,
  stat
} from 'node:fs/promises'
import path from 'node:path'
import { ActionError, InputError } from '../errors.js'
import { execCapture } from '../util/exec.js'

/** Hidden on purpose: upload-artifact skips hidden files, so a leg's record never reaches publish. */
export const OWNERSHIP_FILE = '.go-package-action-files.json'
/** Where the record is written before it is renamed over OWNERSHIP_FILE; also the action's own. */
const TEMP_FILE = `${OWNERSHIP_FILE}.tmp`
const SCHEMA = 1
const MAX_RECORD_BYTES = 1024 * 1024
/** How many names an error message shows. */
const SHOWN = 3

export interface OutputDir {
  /** Absolute path with symlinks of existing ancestors resolved (the folder may not exist yet). */
  dir: string
  /** As the user wrote the input, for messages. */
  given: string
  /** Paths relative to dir recorded by an earlier run (files or folders), validated. */
  previous: string[]
  /** Top-level entries present now that the caller said to keep (see keep below). */
  kept: string[]
}

/**
 * Where output-dir really is and what an earlier run left there. Reads only (fs stat/readdir/read
 * and `git ls-files`); never writes. Throws InputError('output-dir', …).
 *
 * keep: top-level names the caller accepts without owning them (mode: publish keeps the legs'
 * downloaded files). A kept name is never removed, even when a record lists it or a path under it.
 */
export async function inspectOutputDir(opts: {
  given: string
  resolved: string
  workspace: string
  keep?: (name: string) => boolean
}): Promise<OutputDir> {
  const { given, keep } = opts
  const fail = (detail: string): InputError =>
    new InputError('output-dir', `"${show(given)}" ${detail}`)

  const workspace = await realpath(opts.workspace)
  const found = await resolveExisting(path.resolve(opts.resolved), fail)
  const { dir } = found
  const rel = path.relative(workspace, dir)
  if (rel === '')
    throw fail(
      'is the workspace itself; the action needs a folder of its own (such as dist), ' +
        'since it removes what it wrote there on the next run'
    )
  if (isOutside(rel))
    throw fail(
      `resolves to ${showPath(dir)}, outside the workspace ${showPath(workspace)}: ` +
        'choose a folder inside it, such as dist'
    )
  if (found.notFolder)
    throw fail(
      `resolves to ${showPath(dir)}, but ${showPath(found.notFolder)} is not a folder: ` +
        'choose a folder, such as dist'
    )

  await refuseTracked(workspace, rel, fail)
  if (!found.exists) return { dir, given, previous: [], kept: [] }

  const kept: string[] = []
  const recorded = await readRecord(dir, fail)
  const previous = recorded.filter(p => !keep?.(firstSegment(p)))
  const owned = new Set(previous.map(firstSegment))
  const foreign: string[] = []
  for (const name of (await readdir(dir)).sort(byBytes)) {
    if (name === OWNERSHIP_FILE || name === TEMP_FILE) continue
    if (keep?.(name)) kept.push(name)
    else if (!owned.has(name)) foreign.push(name)
  }
  if (foreign.length > 0) {
    const more = foreign.length > SHOWN ? ` (and ${foreign.length - SHOWN} more)` : ''
    throw fail(
      `holds files the action did not write: ${foreign
        .slice(0, SHOWN)
        .map(n => show(n))
        .join(', ')}${more}. ` +
        `Remove them or choose another folder: the action only removes what it recorded in ${OWNERSHIP_FILE}`
    )
  }
  return { dir, given, previous, kept }
}

/**
 * Removes exactly out.previous (never following symlinks, only inside out.dir, then the folders
 * those removals left empty, up to dir), creates dir, and writes the record listing `planned`
 * (relative paths this run will write, files or folders) atomically, before anything else is
 * written. Refuses (ActionError naming the path) a planned path that is absolute, holds '..', is
 * the action's own record, collides with a kept entry, or has an existing component that is a
 * symlink (or a file where a folder must be). Planned paths are checked before anything is removed,
 * except for symlinks, which are looked for after the removals (a recorded link is removed first).
 */
export async function claimOutputDir(out: OutputDir, planned: readonly string[]): Promise<void> {
  const { dir, given } = out
  const kept = new Set(out.kept)
  const paths = [...new Set(planned.map(p => plannedPath(p)))].sort(byBytes)
  for (const p of paths) {
    const top = firstSegment(p)
    if (top === OWNERSHIP_FILE || top === TEMP_FILE)
      throw new ActionError(
        `output-dir: "${show(p)}" is the action's own record; it cannot be written`
      )
    if (kept.has(top))
      throw new InputError(
        'output-dir',
        `the action would write "${show(p)}" in "${show(given)}", over ${show(top)}, which it keeps ` +
          'and did not write: remove it, or choose another folder'
      )
  }

  await refuseMoved(out)
  const removed: string[] = []
  // Shortest first: a recorded folder goes before the paths recorded inside it.
  for (const p of [...out.previous].sort(byBytes)) {
    if (!validEntry(p) || kept.has(firstSegment(p))) continue
    if (await removeRecorded(dir, p)) removed.push(p)
  }
  await removeEmptyParents(dir, removed, kept)

  await mkdir(dir, { recursive: true })
  await refuseMoved(out)
  for (const p of paths) await refuseLinked(out, p)
  await writeRecord(dir, paths)
}

/** The nearest existing ancestor, realpath'ed, with the missing rest appended. */
async function resolveExisting(
  resolved: string,
  fail: (detail: string) => InputError
): Promise<{ dir: string; exists: boolean; notFolder?: string }> {
  const rest: string[] = []
  let current = resolved
  for (;;) {
    try {
      const real = await realpath(current)
      const dir = path.join(real, ...rest)
      const info = await stat(real)
      if (info.isDirectory()) return { dir, exists: rest.length === 0 }
      return { dir, exists: rest.length === 0, notFolder: real }
    } catch (error) {
      const code = errorCode(error)
      if (code === 'ELOOP')
        throw fail(`resolves through a loop of symbolic links at ${showPath(current)}`)
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
      if (code === 'ENOENT' && (await lstatOrUndefined(current))?.isSymbolicLink())
        throw fail(
          `resolves through ${showPath(current)}, a symbolic link to nothing: remove it or choose another folder`
        )
    }
    const parent = path.dirname(current)
    if (parent === current)
      throw fail(`resolves to ${showPath(resolved)}, which has no existing folder`)
    rest.unshift(path.basename(current))
    current = parent
  }
}

/** Refuses a folder holding files git tracks; no git, or no repository, means no check. */
async function refuseTracked(
  workspace: string,
  rel: string,
  fail: (detail: string) => InputError
): Promise<void> {
  let inside
  try {
    inside = await execCapture('git', ['rev-parse', '--is-inside-work-tree'], { cwd: workspace })
  } catch {
    return // No git on PATH.
  }
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') return
  // Literal: an output-dir such as "d*" is a name, not a pattern.
  const listed = await execCapture('git', ['--literal-pathspecs', 'ls-files', '-z', '--', rel], {
    cwd: workspace
  })
  if (listed.code !== 0)
    throw fail(`could not be checked for files git tracks: ${show(listed.stderr.trim(), 300)}`)
  const files = listed.stdout.split('\0').filter(f => f !== '')
  if (files.length === 0) return
  const names = files.slice(0, SHOWN).map(f => show(f))
  const list =
    files.length > SHOWN ? `${names.join(', ')}, …, ${files.length} in all` : names.join(', ')
  throw fail(
    `holds files git tracks (${list}); the action removes and rewrites its folder, ` +
      'so choose one that git does not track, such as dist'
  )
}

/** The paths an earlier run recorded, invalid entries dropped; [] without a record. */
async function readRecord(dir: string, fail: (detail: string) => InputError): Promise<string[]> {
  const file = path.join(dir, OWNERSHIP_FILE)
  const bad = (why: string): InputError =>
    fail(
      `holds ${showPath(file)}, which ${why}, so the action cannot tell what it wrote there: ` +
        'remove that file (and the files it should list) and run again'
    )
  let handle: FileHandle
  try {
    // O_NOFOLLOW: a symlink fails (ELOOP) rather than being read through; O_NONBLOCK: a FIFO
    // does not hang the open (it is refused below).
    handle = await open(
      file,
      constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)
    )
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT') return []
    if (code === 'ELOOP') throw bad('is a symbolic link')
    if (code === 'EISDIR') throw bad('is a folder')
    throw error
  }
  let text: string
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw bad('is a folder')
    if (!info.isFile()) throw bad('is not a regular file')
    if (info.size > MAX_RECORD_BYTES) throw bad('is larger than 1 MiB')
    const buffer = Buffer.alloc(MAX_RECORD_BYTES + 1)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    if (bytesRead > MAX_RECORD_BYTES) throw bad('is larger than 1 MiB')
    text = buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch {
    throw bad('is not JSON')
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    throw bad('is not a JSON object')
  const { schema, paths } = record as { schema?: unknown; paths?: unknown }
  if (schema !== SCHEMA) throw bad(`does not have "schema": ${SCHEMA}`)
  if (!Array.isArray(paths) || !paths.every(p => typeof p === 'string'))
    throw bad('does not have "paths" as a list of strings')
  return [...new Set((paths as string[]).filter(validEntry))].sort(byBytes)
}

/**
 * A recorded path the action may remove: relative, '/'-separated, every segment a plain name
 * (no '', '.', '..'), no backslash or NUL, and not the record itself. Anything else is dropped.
 */
function validEntry(p: string): boolean {
  if (p === '' || p.includes('\0') || p.includes('\\')) return false
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return false
  const segments = p.split('/')
  if (segments.some(s => s === '' || s === '.' || s === '..')) return false
  const top = segments[0]
  return top !== OWNERSHIP_FILE && top !== TEMP_FILE
}

/** A planned path in the record's form (Windows separators accepted), or an ActionError. */
function plannedPath(raw: string): string {
  const p = path.sep === '\\' ? raw.replaceAll('\\', '/') : raw
  const refuse = (why: string): ActionError =>
    new ActionError(`output-dir: the action cannot write "${show(raw)}": the path ${why}`)
  if (p.includes('\0')) throw refuse('holds a NUL character')
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || path.isAbsolute(raw)) throw refuse('is absolute')
  if (p.includes('\\')) throw refuse('holds a backslash')
  const segments = p.split('/').filter(s => s !== '' && s !== '.')
  if (segments.includes('..')) throw refuse("holds '..'")
  if (segments.length === 0) throw refuse('names output-dir itself')
  return segments.join('/')
}

/** Removes dir/p unless a folder on the way is missing or is not a real folder (a symlink). */
async function removeRecorded(dir: string, p: string): Promise<boolean> {
  const segments = p.split('/')
  let current = dir
  for (const segment of segments.slice(0, -1)) {
    current = path.join(current, segment)
    const info = await lstatOrUndefined(current)
    if (!info?.isDirectory()) return false // Missing, a file, or a link: never followed.
  }
  const target = path.join(dir, ...segments)
  if (!(await lstatOrUndefined(target))) return false
  // rm removes a symlink itself, and the links inside a folder, never what they point to.
  await rm(target, { recursive: true, force: true })
  return true
}

/** The folders inside dir that the removals left empty, deepest first; kept folders stay. */
async function removeEmptyParents(
  dir: string,
  removed: readonly string[],
  kept: ReadonlySet<string>
): Promise<void> {
  const parents = new Set<string>()
  for (const p of removed) {
    const segments = p.split('/')
    for (let n = segments.length - 1; n >= 1; n--) parents.add(segments.slice(0, n).join('/'))
  }
  const deepestFirst = [...parents].sort((a, b) => b.split('/').length - a.split('/').length)
  for (const parent of deepestFirst) {
    if (kept.has(parent)) continue
    const folder = path.join(dir, ...parent.split('/'))
    if (!(await lstatOrUndefined(folder))?.isDirectory()) continue
    await rmdir(folder).catch(() => undefined) // Not empty: it holds something else.
  }
}

/** Refuses a planned path with an existing component that is a symlink, or a file on the way. */
async function refuseLinked(out: OutputDir, p: string): Promise<void> {
  const segments = p.split('/')
  let current = out.dir
  for (const [i, segment] of segments.entries()) {
    current = path.join(current, segment)
    const info = await lstatOrUndefined(current)
    if (!info) return
    const at = segments.slice(0, i + 1).join('/')
    if (info.isSymbolicLink())
      throw new InputError(
        'output-dir',
        `the action would write "${show(p)}" in "${show(out.given)}", but ${show(at)} there is a ` +
          'symbolic link, and the action does not write through links: remove it and run again'
      )
    if (i < segments.length - 1 && !info.isDirectory())
      throw new InputError(
        'output-dir',
        `the action would write "${show(p)}" in "${show(out.given)}", but ${show(at)} there is ` +
          'not a folder: remove it and run again'
      )
  }
}

/** Refuses a dir that now resolves elsewhere than inspectOutputDir found (replaced by a link). */
async function refuseMoved(out: OutputDir): Promise<void> {
  let real: string
  try {
    real = await realpath(out.dir)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return
    throw error
  }
  if (real !== out.dir)
    throw new InputError(
      'output-dir',
      `"${show(out.given)}" was ${showPath(out.dir)} when checked and now resolves to ` +
        `${showPath(real)}; run again`
    )
}

/** The record, written to a new temp file (never through a link) and renamed over the old one. */
async function writeRecord(dir: string, paths: readonly string[]): Promise<void> {
  const body = `${JSON.stringify({ schema: SCHEMA, paths }, null, 2)}\n`
  if (Buffer.byteLength(body) > MAX_RECORD_BYTES)
    throw new ActionError(
      `output-dir: the action would write ${paths.length} paths, too many to record in ${OWNERSHIP_FILE}`
    )
  const temp = path.join(dir, TEMP_FILE)
  await rm(temp, { force: true }) // A crashed run's; a symlink is removed, not followed.
  const handle = await open(temp, 'wx', 0o644) // O_EXCL: never through a link.
  try {
    await handle.writeFile(body)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, path.join(dir, OWNERSHIP_FILE))
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)
}

function firstSegment(p: string): string {
  return p.split('/')[0] ?? p
}

async function lstatOrUndefined(file: string) {
  try {
    return await lstat(file)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** Byte order, as Go and sort(1) with LC_ALL=C: stable messages and records on every machine. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** A name for a message: control and bidi characters replaced, at most `max` characters. */
function show(text: string, max = 80): string {
  const chars = Array.from(text, c => {
    const code = c.codePointAt(0) ?? 0
    const control = code < 0x20 || (code >= 0x7f && code < 0xa0)
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
    return control || bidi || code === 0x2028 || code === 0x2029 ? '?' : c
  })
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('')
}

function showPath(file: string): string {
  return show(file, 200)
}
