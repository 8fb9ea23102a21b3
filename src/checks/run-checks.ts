import * as core from '@actions/core'
import type { ChecksConfig } from '../config.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture, type ExecResult } from '../util/exec.js'
import type { CheckTool, Finding, PackageTestResult } from './finding.js'
import { listPackageDirs } from './packages.js'
import { parseStaticcheckJson } from './parse-staticcheck.js'
import { parseTestJson } from './parse-test.js'
import { parseVetJson } from './parse-vet.js'
import type { ParseContext } from './paths.js'
import { detectRaceSupport } from './race.js'
import type { Staticcheck } from './staticcheck-install.js'

export interface CheckResult {
  tool: CheckTool
  ok: boolean
  durationMs: number
  findings: Finding[]
  /** The command as run, for the summary. */
  command: string
  /** Something the user should know about how it ran (race off, and why). */
  note?: string
}

export interface ChecksOutcome {
  results: CheckResult[]
  packages: PackageTestResult[]
}

export interface ChecksInput {
  config: ChecksConfig
  go: GoToolchain
  workDir: string
  repoRoot: string
  buildTags: readonly string[]
  staticcheck?: Staticcheck
}

function tagsFlag(tags: readonly string[]): string[] {
  return tags.length > 0 ? [`-tags=${tags.join(',')}`] : []
}

/** A tool that failed without saying why in its JSON still gets a finding: its own last words. */
function unexplainedFailure(tool: CheckTool, result: ExecResult): Finding {
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  return {
    tool,
    kind: 'build',
    severity: 'error',
    message: `${tool} exited with ${result.code}: ${tail}`
  }
}

async function timed(
  tool: CheckTool,
  command: string[],
  body: () => Promise<Omit<CheckResult, 'tool' | 'durationMs' | 'command'>>
): Promise<CheckResult> {
  const started = Date.now()
  const result = await body()
  return { tool, command: command.join(' '), durationMs: Date.now() - started, ...result }
}

async function runVet(input: ChecksInput, ctx: ParseContext): Promise<CheckResult> {
  const args = ['vet', '-json', ...tagsFlag(input.buildTags), './...']
  return timed('vet', ['go', ...args], async () => {
    const result = await execCapture(input.go.goBinary, args, { cwd: input.workDir })
    // go vet -json writes its report to stderr.
    const findings = parseVetJson(`${result.stderr}\n${result.stdout}`, ctx)
    if (result.code !== 0 && findings.length === 0) findings.push(unexplainedFailure('vet', result))
    return { ok: findings.length === 0, findings }
  })
}

async function runStaticcheck(
  input: ChecksInput,
  staticcheck: Staticcheck,
  ctx: ParseContext
): Promise<CheckResult> {
  const args = [
    '-f',
    'json',
    ...(input.buildTags.length ? ['-tags', input.buildTags.join(',')] : []),
    './...'
  ]
  return timed('staticcheck', ['staticcheck', ...args], async () => {
    const result = await execCapture(staticcheck.binary, args, {
      cwd: input.workDir,
      env: {
        ...(process.env as Record<string, string>),
        STATICCHECK_CACHE: staticcheck.analysisCache
      }
    })
    const findings = parseStaticcheckJson(result.stdout, ctx)
    if (result.code !== 0 && findings.length === 0)
      findings.push(unexplainedFailure('staticcheck', result))
    return { ok: !findings.some(f => f.severity === 'error'), findings }
  })
}

async function runTests(
  input: ChecksInput,
  ctx: ParseContext
): Promise<{ check: CheckResult; packages: PackageTestResult[] }> {
  let race = false
  let note: string | undefined
  if (input.config.race) {
    const support = await detectRaceSupport(input.go, input.workDir)
    race = support.enabled
    if (!support.enabled) {
      note = `-race is off: ${support.reason}`
      core.warning(`race: tests run without -race because ${support.reason}.`)
    }
  }
  const args = [
    'test',
    '-json',
    '-cover',
    ...(race ? ['-race'] : []),
    ...tagsFlag(input.buildTags),
    ...input.config.testArgs,
    './...'
  ]
  let packages: PackageTestResult[] = []
  const check = await timed('test', ['go', ...args.filter(a => a !== '-json')], async () => {
    const result = await execCapture(input.go.goBinary, args, { cwd: input.workDir })
    // -cover compiles instrumented copies of the sources, whose columns do not match the files.
    const parsed = parseTestJson(result.stdout, { ...ctx, coverInstrumented: true })
    packages = parsed.packages
    const findings = parsed.findings
    if (result.code !== 0 && findings.length === 0)
      findings.push(unexplainedFailure('test', result))
    return { ok: result.code === 0 && findings.length === 0, findings, note }
  })
  return { check, packages }
}

/**
 * Runs every enabled check to the end, so one run shows every problem: vet and staticcheck side by
 * side (they mostly wait on the type checker of different processes), then the tests.
 */
export async function runChecks(input: ChecksInput): Promise<ChecksOutcome> {
  const ctx: ParseContext = {
    repoRoot: input.repoRoot,
    cwd: input.workDir,
    packageDirs: await listPackageDirs(input.go, input.workDir)
  }
  const analyses: Array<Promise<CheckResult>> = []
  if (input.config.vet) analyses.push(runVet(input, ctx))
  if (input.config.staticcheck && input.staticcheck)
    analyses.push(runStaticcheck(input, input.staticcheck, ctx))
  const results = await Promise.all(analyses)
  let packages: PackageTestResult[] = []
  if (input.config.test) {
    const tests = await runTests(input, ctx)
    results.push(tests.check)
    packages = tests.packages
  }
  return { results, packages }
}
