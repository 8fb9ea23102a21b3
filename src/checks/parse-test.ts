import { parseCompilerOutput, packageOfBuildId } from './compile-errors.js'
import type { Finding, PackageTestResult } from './finding.js'
import { type ParseContext, type Place, place } from './paths.js'
import { findPanic, findRaces, firstRepoFrame, type Frame, type RaceReport } from './stacks.js'

export interface TestParseContext extends ParseContext {
  /**
   * Set when go test ran with -cover: build errors in non-test files then carry the columns of
   * the instrumented copy the compiler saw (a.go:5:183 for a.go:5:32), so they are left out.
   */
  coverInstrumented?: boolean
}

/** One line of `go test -json` (test2json), plus the build events of Go 1.24+. */
interface TestEvent {
  Action: string
  Package?: string
  Test?: string
  Output?: string
  Elapsed?: number
  ImportPath?: string
  FailedBuild?: string
}

type Outcome = 'pass' | 'fail' | 'skip'

interface TestRecord {
  name: string
  output: string[]
  outcome?: Outcome
}

interface PackageRecord {
  name: string
  tests: Map<string, TestRecord>
  /** Tests in the order they failed. */
  failed: TestRecord[]
  output: string[]
  outcome?: Outcome
  elapsed: number
  failedBuild: boolean
}

interface Stream {
  packages: Map<string, PackageRecord>
  /** What the compiler said for each build that failed, in the order they failed. */
  failedBuilds: Array<{ id: string; output: string[] }>
  /** Lines that are not events: releases before 1.24 printed build errors as plain text. */
  text: string[]
}

function parseEvent(line: string): TestEvent | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const e = JSON.parse(line) as TestEvent
    return typeof e.Action === 'string' ? e : undefined
  } catch {
    return undefined
  }
}

function readStream(output: string): Stream {
  const stream: Stream = { packages: new Map(), failedBuilds: [], text: [] }
  const builds = new Map<string, string[]>()
  for (const line of output.split(/\r?\n/)) {
    const e = parseEvent(line.trim())
    if (!e) {
      stream.text.push(line)
    } else if (e.Action === 'build-output' || e.Action === 'build-fail') {
      const id = e.ImportPath ?? ''
      const said = builds.get(id) ?? []
      builds.set(id, said)
      if (e.Output) said.push(e.Output)
      if (e.Action === 'build-fail') stream.failedBuilds.push({ id, output: said })
    } else if (e.Package) {
      recordEvent(stream.packages, e.Package, e)
    }
  }
  return stream
}

function recordEvent(packages: Map<string, PackageRecord>, name: string, e: TestEvent): void {
  let pkg = packages.get(name)
  if (!pkg) {
    pkg = { name, tests: new Map(), failed: [], output: [], elapsed: 0, failedBuild: false }
    packages.set(name, pkg)
  }
  const ended = e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip'
  if (!e.Test) {
    if (e.Action === 'output' && e.Output) pkg.output.push(e.Output)
    if (ended) {
      pkg.outcome = e.Action as Outcome
      pkg.elapsed = e.Elapsed ?? 0
      pkg.failedBuild = e.FailedBuild !== undefined
    }
    return
  }
  let test = pkg.tests.get(e.Test)
  if (!test) {
    test = { name: e.Test, output: [] }
    pkg.tests.set(e.Test, test)
  }
  if (e.Action === 'output' && e.Output) test.output.push(e.Output)
  if (ended) {
    test.outcome = e.Action as Outcome
    if (test.outcome === 'fail') pkg.failed.push(test)
  }
}

/** Output chunks as lines; test2json may split a long line over several events. */
function lines(chunks: readonly string[]): string[] {
  const all = chunks.join('').split('\n')
  if (all[all.length - 1] === '') all.pop()
  return all
}

// "    calc_test.go:7: Add(2, 2) = 0, want 4": t.Error, t.Fatal and t.Log name only the file.
const TEST_MESSAGE = /^(\s*)([^\s:/\\][^:/\\]*\.go):(\d+): (.*)$/
// testing's own line in a racy test; the race finding says more.
const RACE_DETECTED = 'race detected during execution of test'

interface TestMessage {
  file: string
  line: number
  message: string
}

/** The file:line messages of a test, each with the deeper-indented lines that continue it. */
function testMessages(output: readonly string[]): TestMessage[] {
  const messages: TestMessage[] = []
  for (let i = 0; i < output.length; i++) {
    const m = TEST_MESSAGE.exec(output[i] as string)
    if (!m) continue
    const indent = (m[1] as string).length
    const text = [m[4] as string]
    // testing indents continuation lines four spaces deeper than the file:line line.
    while (i + 1 < output.length) {
      const next = output[i + 1] as string
      const depth = next.length - next.trimStart().length
      if (next.trim() && depth <= indent) break
      text.push(next.slice(Math.min(depth, indent + 4)))
      i++
    }
    messages.push({ file: m[2] as string, line: Number(m[3]), message: text.join('\n').trimEnd() })
  }
  return messages
}

/** Places a finding at the first frame inside the repository, or nowhere. */
function framePlace(
  frames: readonly Frame[],
  message: string,
  ctx: ParseContext
): Place & { message: string } {
  const frame = firstRepoFrame(frames, ctx)
  return frame ? { file: frame.repoFile, line: frame.line, message } : { message }
}

/** "read by goroutine 9 in racy.Twice.func1 (counter.go:14)" for each access. */
function raceMessage(race: RaceReport, ctx: ParseContext): string {
  const accesses = race.accesses.map(a => {
    const frame = firstRepoFrame(a.frames, ctx) ?? a.frames[0]
    if (!frame) return `${a.kind} by ${a.by}`
    const func = frame.func.replace(/\(.*\)$/, '').replace(/^.*\//, '')
    const file = 'repoFile' in frame ? frame.repoFile : frame.file
    return `${a.kind} by ${a.by} in ${func} (${file}:${frame.line})`
  })
  return `data race: ${accesses.join('; ') || 'see the test output'}`
}

function isRaceDetected(f: Finding): boolean {
  return f.kind === 'fail' && f.message.endsWith(RACE_DETECTED)
}

interface Attribution {
  package: string
  test?: string
}

/** Data races, file:line messages and a panic in one test's output, or in a package's own. */
function outputFindings(out: string[], who: Attribution, ctx: ParseContext): Finding[] {
  const base = { tool: 'test', severity: 'error', ...who } as const
  const races = findRaces(out)
  const panic = findPanic(out)
  const findings: Finding[] = races.map(r => ({
    ...base,
    kind: 'race',
    ...framePlace(r.frames, raceMessage(r, ctx), ctx)
  }))
  const inRace = (i: number): boolean => races.some(r => i >= r.start && i <= r.end)
  const before = out.filter((_, i) => !inRace(i) && (!panic || i < panic.start))
  const dir = ctx.packageDirs?.[who.package]
  for (const m of who.test ? testMessages(before) : []) {
    // testing.go:NNN lines come from the testing package, not from the package's own files.
    const where =
      dir && m.file !== 'testing.go'
        ? place({ file: m.file, line: m.line }, m.message, { ...ctx, cwd: dir })
        : { message: `${m.file}:${m.line}: ${m.message}` }
    findings.push({ ...base, kind: 'fail', ...where })
  }
  if (panic)
    findings.push({ ...base, kind: 'panic', ...framePlace(panic.frames, panic.message, ctx) })
  return findings
}

function packageFindings(pkg: PackageRecord, ctx: ParseContext): Finding[] {
  const findings = outputFindings(lines(pkg.output), { package: pkg.name }, ctx)
  const perTest = pkg.failed.map(test => ({
    test,
    found: outputFindings(lines(test.output), { package: pkg.name, test: test.name }, ctx)
  }))
  // testing blames a race on the test that was running; the report may sit in another's output.
  const raced = [...findings, ...perTest.flatMap(t => t.found)].some(f => f.kind === 'race')
  for (const { test, found } of perTest) {
    const own = raced ? found.filter(f => !isRaceDetected(f)) : found
    const subtestFailed = pkg.failed.some(t => t.name.startsWith(test.name + '/'))
    // A test with nothing to show still needs a finding, unless its subtests or a race explain it.
    if (found.length === 0 && !subtestFailed)
      own.push({
        tool: 'test',
        kind: 'fail',
        severity: 'error',
        package: pkg.name,
        test: test.name,
        message: `${test.name} failed`
      })
    findings.push(...own)
  }
  return findings
}

/** What a failed package printed when nothing else explains it (an os.Exit, a failing TestMain). */
function unexplainedFailure(pkg: PackageRecord): Finding {
  const said = lines(pkg.output).filter(l => l.trim() && !/^(FAIL|ok|PASS)\b|^coverage: /.test(l))
  const message = [`${pkg.name} failed`, ...said.slice(-20)].join('\n')
  return { tool: 'test', kind: 'fail', severity: 'error', package: pkg.name, message }
}

function summarize(pkg: PackageRecord): PackageTestResult {
  const tests = [...pkg.tests.values()]
  const count = (o: Outcome): number => tests.filter(t => t.outcome === o).length
  const coverage = lines(pkg.output)
    .map(l => /coverage: (\d+(?:\.\d+)?)% of statements/.exec(l)?.[1])
    .filter(c => c !== undefined)
    .pop()
  return {
    package: pkg.name,
    // A package whose stream was cut off before its end event did not pass.
    outcome: pkg.outcome ?? 'fail',
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    elapsedSeconds: pkg.elapsed,
    ...(coverage !== undefined ? { coverage: Number(coverage) } : {})
  }
}

/**
 * Findings and a per-package table (sorted by package) from `go test -json`, stdout and stderr
 * together. Counts include subtests: every test event with a Test name counts, as in gotestsum.
 * A failing test gives one finding per t.Error/t.Fatal line (a failing test's t.Log lines look the
 * same and count too), one per data race, one for a panic, else one naming the test; a parent
 * that failed only because a subtest did gives none of its own. A package that does not compile
 * gives findings of kind build; one that go test's own vet failed gives findings of kind vet.
 */
export function parseTestJson(
  output: string,
  ctx: TestParseContext
): { findings: Finding[]; packages: PackageTestResult[] } {
  const stream = readStream(output)
  // go test runs part of vet before the tests; its findings come out like compile errors.
  const compiler = { coverInstrumented: ctx.coverInstrumented, goTest: true }
  const findings = stream.failedBuilds.flatMap(b =>
    parseCompilerOutput(b.output.join(''), 'test', ctx, {
      ...compiler,
      package: packageOfBuildId(b.id)
    })
  )
  findings.push(...parseCompilerOutput(stream.text.join('\n'), 'test', ctx, compiler))
  const built = new Set(findings.map(f => f.package))
  const packages = [...stream.packages.values()].sort((a, b) => a.name.localeCompare(b.name))
  for (const pkg of packages) {
    const own = packageFindings(pkg, ctx)
    findings.push(...own)
    // A build failure is explained by the compiler's findings, which may name a dependency.
    const explained = own.length > 0 || built.has(pkg.name) || (pkg.failedBuild && built.size > 0)
    if (pkg.outcome !== 'pass' && pkg.outcome !== 'skip' && !explained)
      findings.push(unexplainedFailure(pkg))
  }
  return { findings, packages: packages.map(summarize) }
}
