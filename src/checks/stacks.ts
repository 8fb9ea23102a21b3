import { type ParseContext, repoRelative } from './paths.js'

/** One call in a goroutine stack: the function line, then the file:line line under it. */
export interface Frame {
  func: string
  file: string
  line: number
}

// "\t/abs/first.go:12 +0x1d" in a panic, "      /abs/counter.go:14 +0x8e" in a race report;
// a frame inlined into its caller has no +0x offset.
const FRAME_POSITION = /^\s+(\S.*?\.go):(\d+)(?: \+0x[0-9a-f]+)?$/

/** The frames in lines, each with the function named on the line above its position. */
export function stackFrames(lines: readonly string[]): Frame[] {
  const frames: Frame[] = []
  lines.forEach((text, i) => {
    const m = FRAME_POSITION.exec(text)
    if (m && i > 0) {
      const func = (lines[i - 1] as string).trim().replace(/^created by /, '')
      frames.push({ func, file: m[1] as string, line: Number(m[2]) })
    }
  })
  return frames
}

/** The first frame in the repository's code, with its repository-relative path. */
export function firstRepoFrame(
  frames: readonly Frame[],
  ctx: ParseContext
): (Frame & { repoFile: string }) | undefined {
  for (const frame of frames) {
    const repoFile = repoRelative(frame.file, ctx)
    if (repoFile) return { ...frame, repoFile }
  }
  return undefined
}

export interface PanicReport {
  /** Index of the `panic:` line; everything from there on is the crash. */
  start: number
  /** `panic: …` with the lines that continue it (a re-panic, a multi-line value). */
  message: string
  /** The panicking goroutine's frames first, then the other goroutines'. */
  frames: Frame[]
}

/** The panic (or fatal error, such as concurrent map writes) that ended a test binary, if any. */
export function findPanic(lines: readonly string[]): PanicReport | undefined {
  const start = lines.findIndex(l => /^(panic|fatal error): /.test(l))
  if (start < 0) return undefined
  const rest = lines.slice(start)
  const stackStart = rest.findIndex(l => /^goroutine \d+ \[/.test(l))
  const head = stackStart < 0 ? rest : rest.slice(0, stackStart)
  const message = head
    .filter(l => l.trim())
    .join('\n')
    .trim()
  return { start, message, frames: stackStart < 0 ? [] : stackFrames(rest.slice(stackStart)) }
}

export interface RaceAccess {
  /** "read", "previous write", "atomic write"… */
  kind: string
  /** "goroutine 9", "main goroutine". */
  by: string
  frames: Frame[]
}

export interface RaceReport {
  /** Lines start..end (inclusive) are the report, between its ===== rules. */
  start: number
  end: number
  /** The two conflicting accesses, in the order the race detector printed them. */
  accesses: RaceAccess[]
  /** All frames of the report, accesses first, then where the goroutines were created. */
  frames: Frame[]
}

const RULE = '=================='

/** The `WARNING: DATA RACE` reports in lines. */
export function findRaces(lines: readonly string[]): RaceReport[] {
  const reports: RaceReport[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== 'WARNING: DATA RACE') continue
    const start = lines[i - 1] === RULE ? i - 1 : i
    let end = lines.indexOf(RULE, i + 1)
    if (end < 0) end = lines.length - 1
    const block = lines.slice(i + 1, end + 1)
    reports.push({ start, end, accesses: raceAccesses(block), frames: stackFrames(block) })
    i = end
  }
  return reports
}

// "Read at 0x00c000096198 by goroutine 9:", "Previous write at 0x… by main goroutine:"
const ACCESS = /^(\S.*?) at 0x[0-9a-f]+ by (.+):$/

function raceAccesses(block: readonly string[]): RaceAccess[] {
  const accesses: RaceAccess[] = []
  let section: string[] = []
  let current: { kind: string; by: string } | undefined
  const close = (): void => {
    if (current) accesses.push({ ...current, frames: stackFrames(section) })
  }
  for (const line of block) {
    if (/^\S/.test(line)) {
      close()
      const m = ACCESS.exec(line)
      current = m ? { kind: (m[1] as string).toLowerCase(), by: m[2] as string } : undefined
      section = [line]
    } else {
      section.push(line)
    }
  }
  close()
  return accesses
}
