import path from 'node:path'

/** Where the Go tools ran, so the paths they print can be placed in the repository. */
export interface ParseContext {
  /** The repository root (GITHUB_WORKSPACE), absolute: annotations are relative to it. */
  repoRoot: string
  /** The directory the go command ran in, absolute: compilers print paths relative to it. */
  cwd: string
  /**
   * Import path → absolute package directory, from `go list -json`. t.Errorf lines name only the
   * file (x_test.go:34), which is relative to the directory of the test's package.
   */
  packageDirs?: Record<string, string>
}

/** A place in the code, as far as it is known inside the repository. */
export interface Place {
  file?: string
  line?: number
  column?: number
}

// A Windows runner gives C:\a\repo; Go then prints backslash paths too.
function pathApi(repoRoot: string): path.PlatformPath {
  return /^[A-Za-z]:[\\/]|^\\\\/.test(repoRoot) ? path.win32 : path.posix
}

/**
 * The path of file relative to the repository root, with forward slashes; file is absolute or
 * relative to cwd (./x.go, pkg/x.go). Undefined for files outside the repository (GOROOT, the
 * module cache), which GitHub cannot annotate.
 */
export function repoRelative(
  file: string,
  opts: { repoRoot: string; cwd: string }
): string | undefined {
  if (!file) return undefined
  const api = pathApi(opts.repoRoot)
  const rel = api.relative(opts.repoRoot, api.resolve(opts.cwd, file))
  if (!rel || rel === '..' || rel.startsWith('..' + api.sep) || api.isAbsolute(rel))
    return undefined
  return rel.split(api.sep).join('/')
}

/**
 * Places a finding at file:line:column when the file is in the repository. Otherwise the finding
 * keeps no place, and its message keeps the location as printed, so the summary still says where.
 */
export function place(
  location: { file: string; line?: number; column?: number },
  message: string,
  ctx: ParseContext
): Place & { message: string } {
  const file = repoRelative(location.file, ctx)
  if (file) {
    const found: Place & { message: string } = { file, message }
    if (location.line !== undefined) found.line = location.line
    if (location.column !== undefined) found.column = location.column
    return found
  }
  const where = [location.file, location.line, location.column].filter(p => p !== undefined)
  return { message: location.file ? `${where.join(':')}: ${message}` : message }
}

/** Splits `file:line[:column]` as go vet prints it in posn, allowing C:\ in the file. */
export function splitPosition(
  posn: string
): { file: string; line: number; column?: number } | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(posn)
  if (!m) return undefined
  return { file: m[1] as string, line: Number(m[2]), column: m[3] ? Number(m[3]) : undefined }
}
