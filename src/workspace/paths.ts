// Paths that inputs name (working-directory, go-version-file, dockerfile, go.mod) are resolved
// here: inside the workspace only, symlinks followed, and of the kind the input needs. Files are
// read through readSmallFile, which never blocks on a FIFO and never reads a large file; error
// messages quote a file's content only through excerpt().
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  type Stats,
  statSync
} from 'node:fs'
import path from 'node:path'
import { InputError } from '../errors.js'

export type PathKind = 'file' | 'dir'

export interface ResolveOptions {
  workspace: string
  /** Where a relative path is looked up; with several, in order, the first where it exists. */
  base: string | readonly string[]
  /** The path as the input gives it (relative or absolute). */
  given: string
  /** The input's name: every error is an InputError of it. */
  input: string
  kind: PathKind
}

/** The most readSmallFile reads by default: version files and go.mod are far smaller. */
export const SMALL_FILE_MAX_BYTES = 64 * 1024

const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g
// Control characters, and the format characters that reorder or hide text (bidi overrides and
// isolates, zero-width characters), so an excerpt shows what is there.
const HIDDEN = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u

/**
 * A short, one-line excerpt of text for an error message: line breaks become ⏎, other control
 * characters �, and anything past max characters is cut with ….
 */
export function excerpt(text: string, max = 40): string {
  const chars = Array.from(text.replace(LINE_BREAKS, '⏎')).map(c => (HIDDEN.test(c) ? '�' : c))
  if (chars.length <= max) return chars.join('')
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`
}

/** What a non-regular file is, for messages: "a FIFO", "a directory". */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSymbolicLink()) return 'a symlink'
  return 'not a regular file'
}

/** Whether p is root or lies under it (both absolute). */
function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** The real path of candidate, or undefined when nothing is there. */
function realOrMissing(candidate: string, input: string, shown: string): string | undefined {
  try {
    return realpathSync(candidate)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      let link: Stats | undefined
      try {
        link = lstatSync(candidate)
      } catch {
        return undefined
      }
      if (link.isSymbolicLink())
        throw new InputError(input, `"${shown}" is a symlink to something that does not exist`)
      return undefined
    }
    if (code === 'ELOOP') throw new InputError(input, `"${shown}" is a loop of symlinks`)
    if (code === 'EACCES' || code === 'EPERM')
      throw new InputError(input, `"${shown}" cannot be reached (permission denied)`)
    throw error
  }
}

/**
 * Like resolveInWorkspace, but undefined when the path does not exist at any base. Anything else
 * wrong (outside the workspace, the wrong kind, a broken symlink) is an InputError.
 */
export function lookupInWorkspace(opts: ResolveOptions): string | undefined {
  return locate(opts).found
}

/**
 * The absolute path of an input's file or directory, symlinks resolved, which must lie inside the
 * workspace (the workspace itself is fine for a directory). A relative path is looked up from
 * base. A file must be a regular file: a directory, FIFO, socket or device is refused by name,
 * without being opened. The result is expressed under the workspace path as given, so that a
 * workspace reached through a symlink keeps its prefix.
 */
export function resolveInWorkspace(opts: ResolveOptions): string {
  const { found, lookedFor } = locate(opts)
  if (found) return found
  throw new InputError(
    opts.input,
    `"${excerpt(opts.given, 120)}" does not exist (looked for ${lookedFor.join(', then ')})`
  )
}

function locate(opts: ResolveOptions): { found?: string; lookedFor: string[] } {
  const { input, kind } = opts
  const shown = excerpt(opts.given, 120)
  // Node refuses such a path with a TypeError; it is the input that is wrong.
  if (opts.given.includes('\0'))
    throw new InputError(input, `"${shown}" holds a NUL character, which no path can`)
  const workspace = path.resolve(opts.workspace)
  let realWorkspace: string
  try {
    realWorkspace = realpathSync(workspace)
  } catch {
    realWorkspace = workspace
  }
  const bases = typeof opts.base === 'string' ? [opts.base] : opts.base
  const candidates = path.isAbsolute(opts.given)
    ? [path.resolve(opts.given)]
    : [...new Set(bases.map(b => path.resolve(b, opts.given)))]
  const lookedFor: string[] = []
  for (const candidate of candidates) {
    // Lexically outside: refused without touching it, so nothing about it (not even whether it
    // exists) reaches the message.
    if (!isInside(candidate, workspace) && !isInside(candidate, realWorkspace))
      throw new InputError(
        input,
        `"${shown}" is outside the workspace (${workspace}); give a path inside it`
      )
    lookedFor.push(path.relative(workspace, candidate) || '.')
    const real = realOrMissing(candidate, input, shown)
    if (real === undefined) continue
    if (!isInside(real, realWorkspace))
      throw new InputError(
        input,
        `"${shown}" leads out of the workspace through a symlink (to ${real}); give a path inside ${workspace}`
      )
    const rel = path.relative(realWorkspace, real)
    const where = rel !== opts.given && rel !== '' ? ` (${rel})` : ''
    // stat, not open: a FIFO would block an open until a writer comes.
    const stats = statSync(real)
    if (kind === 'file') {
      if (stats.isDirectory())
        throw new InputError(input, `"${shown}" is a directory, not a file${where}`)
      if (!stats.isFile())
        throw new InputError(
          input,
          `"${shown}" is not a regular file (${describeKind(stats)})${where}`
        )
    } else if (!stats.isDirectory()) {
      throw new InputError(
        input,
        stats.isFile()
          ? `"${shown}" is a file, not a directory${where}`
          : `"${shown}" is not a directory (${describeKind(stats)})${where}`
      )
    }
    return { found: path.join(workspace, rel), lookedFor }
  }
  return { lookedFor }
}

function formatSize(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`
}

/**
 * Reads a small text file: refused (never read) when it is larger than maxBytes or not a regular
 * file. Opened non-blocking, so a FIFO put in its place cannot hang the run. name is how messages
 * call the file (for example its path relative to the workspace).
 */
export function readSmallFile(
  file: string,
  input: string,
  maxBytes = SMALL_FILE_MAX_BYTES,
  name: string = file
): string {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)
  let fd: number
  try {
    fd = openSync(file, flags)
  } catch (error) {
    const code = errorCode(error)
    if (code === 'ENOENT') throw new InputError(input, `${name} does not exist`)
    if (code === 'ELOOP') throw new InputError(input, `${name} is a symlink; give the file itself`)
    if (code === 'EISDIR') throw new InputError(input, `${name} is a directory, not a file`)
    if (code === 'EACCES' || code === 'EPERM')
      throw new InputError(input, `${name} cannot be read (permission denied)`)
    throw new InputError(input, `${name} cannot be read (${code ?? String(error)})`)
  }
  try {
    const stats = fstatSync(fd)
    if (stats.isDirectory()) throw new InputError(input, `${name} is a directory, not a file`)
    if (!stats.isFile())
      throw new InputError(input, `${name} is not a regular file (${describeKind(stats)})`)
    const tooLarge = (size: string): InputError =>
      new InputError(
        input,
        `${name} is ${size}; a file read here is at most ${formatSize(maxBytes)}, so it is not read`
      )
    if (stats.size > maxBytes) throw tooLarge(`${stats.size} bytes`)
    // One byte more than allowed, to notice a file that grew since fstat.
    const buffer = Buffer.alloc(maxBytes + 1)
    let length = 0
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null)
      if (n === 0) break
      length += n
      if (length > maxBytes) throw tooLarge(`larger than ${formatSize(maxBytes)}`)
    }
    return buffer.subarray(0, length).toString('utf8')
  } finally {
    closeSync(fd)
  }
}
