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
  /**
   * Set for go test's output. go test runs a subset of vet (printf, stringintconv, tests, …) on
   * each package that compiles, before testing it, and prints vet's findings as the compiler
   * prints errors: under `# pkg`, then `# [pkg]` when vet ran on a test variant. Those findings
   * are of kind vet, not build.
   */
  goTest?: boolean
}

/**
 * The messages of the analyzers go test runs (cmd/go's defaultVetFlags), which the compiler never
 * prints. Under a plain `# pkg` header, as for a package without tests, only the message tells
 * vet's findings from compile errors.
 */
const GO_TEST_VET: ReadonlyArray<readonly [code: string, message: RegExp]> = [
  [
    'printf',
    /^non-constant format string in call to |^missing \.\.\. in args forwarded to |^\S+ (?:format %\S* |call (?:has arguments but no formatting directives|needs \d+ args? but has|has possible Printf formatting directive)|arg list ends with redundant newline|arg .+ (?:is a func value, not called|causes recursive call)|does not (?:support error-wrapping directive|take io\.Writer))/
  ],
  ['stringintconv', /^conversion from .+ yields a string of one rune, not a string of digits$/],
  ['nilfunc', /^comparison of function .+ [=!]= nil is always (?:true|false)$/],
  ['bools', /^(?:redundant|suspect) (?:or|and): /],
  ['atomic', /^direct assignment to atomic value$/],
  ['errorsas', /^second argument to errors\.As /],
  ['ifaceassert', /^impossible type assertion: no type can implement both /],
  [
    'slog',
    /^\S+ arg ".*" should (?:probably )?be a string or a slog\.Attr|^call to \S+ (?:missing a final value|has a missing or misplaced value)$/
  ],
  [
    'tests',
    /^\S+ (?:should be niladic|should return nothing|should not have type params|refers to unknown (?:identifier|field or method): |has malformed (?:example suffix|name): )|^(?:wrong number of values|mismatched types?) in call to \(\*testing\.F\)\.Add|^fuzzing arguments can only have the following types: /
  ],
  [
    'buildtag',
    /^(?:malformed \/\/go:build line|misplaced (?:\/\/go:build|\+build) comment|unexpected extra \/\/go:build line|possible malformed \+build comment|invalid (?:double negative|non-alphanumeric) in build constraint|\+build lines do not match \/\/go:build condition|invalid go version .* in build constraint)/
  ],
  ['directive', /^\/\/go:debug directive only valid |^invalid space .* in .* directive$/]
]

/** The analyzer go test's vet names by this message, if any. */
export function goTestVetAnalyzer(message: string): string | undefined {
  return GO_TEST_VET.find(([, pattern]) => pattern.test(message))?.[0]
}

// `# [pkg]`: the go command's second header when the tool it ran (vet, in go test) was given a
// test variant. Compile errors come under one header, `# pkg [pkg.test]`.
const VET_HEADER = /^#\s*\[[^\]\s]+\]\s*$/
// A C compiler's message (cgo runs under the same two headers): ./a.go:4:2: error: …
const C_COMPILER = /^(?:fatal error|error|warning|note): /

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
 * With `goTest`, what go test's vet said is of kind vet (code: the analyzer, when known).
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
  let vetSection = false
  let last: Finding | undefined
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim() === 'too many errors' || PROGRESS.test(line)) continue
    if (line.startsWith('#')) {
      pkg = packageOfBuildId(line) || pkg
      vetSection = VET_HEADER.test(line)
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
    if (opts.goTest) {
      const analyzer = goTestVetAnalyzer(where.message)
      if (analyzer) last = { ...last, kind: 'vet', code: analyzer }
      else if (vetSection && !C_COMPILER.test(where.message)) last = { ...last, kind: 'vet' }
    }
    findings.push(last)
  }
  return findings
}
