import type { CheckTool, Finding } from './finding.js'
import { type ParseContext, place } from './paths.js'

// ./x_test.go:6:19: undefined: y, relative to the go command's directory; go vet adds "vet: ".
const POSITION = /^(?:vet: )?(\S.*?\.go):(\d+)(?::(\d+))?: (.*)$/

export interface CompilerOutputOptions {
  /** The package, until a `# pkg` header names one. */
  package?: string
  /**
   * Set when go test built with -cover: the compiler (and go test's vet) then sees instrumented
   * copies of the non-test files, whose lines are right but whose columns are not.
   */
  coverInstrumented?: boolean
}

/**
 * The package a header or build ID names: `# pkg`, `pkg [pkg.test]` (a test variant) or
 * `[pkg]` (the test variant, as go vet prints its second header).
 */
export function packageOfBuildId(id: string): string {
  const text = id.replace(/^#\s*/, '').trim()
  const bracketed = /^\[([^\]\s]+)\]/.exec(text)
  return bracketed ? (bracketed[1] as string) : (text.split(/\s+/)[0] ?? '')
}

function position(
  m: RegExpExecArray,
  opts: CompilerOutputOptions
): { file: string; line: number; column?: number } {
  const file = m[1] as string
  // Under -cover only _test.go files reach the compiler as written.
  const columnKnown = m[3] && (!opts.coverInstrumented || file.endsWith('_test.go'))
  return { file, line: Number(m[2]), column: columnKnown ? Number(m[3]) : undefined }
}

// Progress the go command prints while it fetches modules, which is not a problem.
const PROGRESS = /^go: (downloading|extracting|finding) /

/**
 * Findings of kind build from compiler output: `# pkg` headers, `file:line:col: message` lines and
 * indented lines that continue the message before them. A line without a position is a finding of
 * its own under a `# pkg` header or with vet's "vet: " prefix; elsewhere it is other chatter.
 */
export function parseCompilerOutput(
  text: string,
  tool: CheckTool,
  ctx: ParseContext,
  opts: CompilerOutputOptions = {}
): Finding[] {
  const findings: Finding[] = []
  let pkg = opts.package
  let underHeader = false
  let last: Finding | undefined
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim() === 'too many errors' || PROGRESS.test(line)) continue
    if (line.startsWith('#')) {
      pkg = packageOfBuildId(line) || pkg
      underHeader = true
      last = undefined
      continue
    }
    if (last && /^\s/.test(line)) {
      last.message += '\n' + line.trim()
      continue
    }
    const m = POSITION.exec(line)
    if (!m && !underHeader && !line.startsWith('vet: ')) {
      last = undefined
      continue
    }
    const where = m
      ? place(position(m, opts), m[4] as string, ctx)
      : { message: line.replace(/^vet: /, '').trim() }
    last = { tool, kind: 'build', severity: 'error', ...(pkg ? { package: pkg } : {}), ...where }
    findings.push(last)
  }
  return findings
}
