import * as core from '@actions/core'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import type { ChecksConfig, Severity } from '../config.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture, type ExecResult } from '../util/exec.js'
import { commandLimitMs, formatDuration } from '../util/limits.js'
import { mapBounded } from '../util/pool.js'
import { type AnalysisConfig, analysisParallelism, configEnv, tagsFlag } from './configurations.js'
import type { CheckTool, Finding, PackageTestResult } from './finding.js'
import type { GolangciConfigFile } from './golangci/config-file.js'
import type { GolangciLint } from './golangci/install.js'
import { runGolangciLint } from './golangci/run.js'
import { listPackageDirs } from './packages.js'
import { parseStaticcheckJson } from './parse-staticcheck.js'
import { parseTestJson } from './parse-test.js'
import { parseVetJson } from './parse-vet.js'
import type { ParseContext } from './paths.js'
import { detectRaceSupport } from './race.js'
import type { Staticcheck } from './staticcheck-install.js'
import type { Govulncheck } from './vulncheck/install.js'
import type { VulnEntry } from './vulncheck/parse.js'
import { vulncheckSource } from './vulncheck/run.js'

/** How long one configuration took, for the summary. */
export interface ConfigTiming {
  id: string
  platforms: string[]
  durationMs: number
}

export interface CheckResult {
  tool: CheckTool
  /** False when a finding fails the checks (a check run with warn never does). */
  ok: boolean
  /** error: findings fail the checks; warning: they are reported only. */
  severity: Exclude<Severity, 'off'>
  durationMs: number
  findings: Finding[]
  /** The command as run, for the summary. */
  command: string
  /** Something the user should know about how it ran (race off, and why). */
  note?: string
  /** Per analysed configuration, for vet, the linters and govulncheck. */
  perConfig?: ConfigTiming[]
}

/** What govulncheck found, for the summary: reachable ones are findings as well. */
export interface VulnReport {
  reachable: VulnEntry[]
  /** Imported or required, but the vulnerable code is not called. */
  unreachable: VulnEntry[]
}

export interface ChecksOutcome {
  results: CheckResult[]
  packages: PackageTestResult[]
  configurations: AnalysisConfig[]
  vulns?: VulnReport
  /** govulncheck and its database, for the scan of the built binaries. */
  vulncheck?: { tool: Govulncheck; db: string }
}

/** What the checks run: the plan's decisions and the tools installed for them. */
export interface ChecksInput {
  config: ChecksConfig
  severities: {
    vet: Severity
    staticcheck: Severity
    test: Severity
    vulncheck: Severity
  }
  go: GoToolchain
  workDir: string
  repoRoot: string
  /** For the runner's own tests: the build's tags. */
  buildTags: readonly string[]
  tempDir: string
  configurations: readonly AnalysisConfig[]
  staticcheck?: Staticcheck
  golangci?: { tool: GolangciLint; config: GolangciConfigFile }
  vulncheck?: { tool: Govulncheck; db: string }
}

/** A tool that failed without saying why in its JSON still gets a finding: its own last words. */
function unexplainedFailure(tool: CheckTool, result: ExecResult, config?: AnalysisConfig): Finding {
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  const how =
    result.timedOutMs !== undefined
      ? `did not finish within ${formatDuration(result.timedOutMs)} and was stopped`
      : `exited with ${result.code}`
  return {
    tool,
    kind: 'build',
    severity: 'error',
    message: `${tool}${config ? ` (${config.platforms.join(', ')})` : ''} ${how}: ${tail}`
  }
}

const severityOf = (s: Severity): Exclude<Severity, 'off'> =>
  s === 'warning' ? 'warning' : 'error'

/** An analysis' result: it fails when one of its findings is an error. */
function analysisResult(
  tool: CheckTool,
  severity: Severity,
  started: number,
  findings: Finding[],
  more: Pick<CheckResult, 'command' | 'note' | 'perConfig'>
): CheckResult {
  return {
    tool,
    severity: severityOf(severity),
    ok: !findings.some(f => f.severity === 'error'),
    durationMs: Date.now() - started,
    findings,
    ...more
  }
}

/** Findings of a check run with warn become warnings; those of a failing check stay as they are. */
function withSeverity(findings: Finding[], severity: Severity): Finding[] {
  return severity === 'warning' ? findings.map(f => ({ ...f, severity: 'warning' })) : findings
}

/** A finding's identity across configurations: the same place and the same words. */
function findingKey(f: Finding): string {
  return [f.tool, f.kind, f.code, f.file, f.line, f.column, f.message].join('\0')
}

/**
 * One finding per place and message across configurations, each naming the platforms that raised
 * it when not all of them did (the first platform of each configuration stands for it).
 */
export function mergeAcrossConfigs(
  perConfig: ReadonlyArray<{ config: AnalysisConfig; findings: Finding[] }>
): Finding[] {
  const merged = new Map<string, { finding: Finding; platforms: string[] }>()
  for (const { config, findings } of perConfig) {
    for (const f of findings) {
      const key = findingKey(f)
      const seen = merged.get(key)
      if (seen) {
        if (!seen.platforms.includes(config.platforms[0] as string))
          seen.platforms.push(...config.platforms)
      } else merged.set(key, { finding: f, platforms: [...config.platforms] })
    }
  }
  const all = perConfig.flatMap(p => p.config.platforms)
  return [...merged.values()].map(({ finding, platforms }) =>
    perConfig.length > 1 && platforms.length < all.length ? { ...finding, platforms } : finding
  )
}

async function timedConfigs<T>(
  configs: readonly AnalysisConfig[],
  run: (config: AnalysisConfig) => Promise<T>
): Promise<{ values: Array<{ config: AnalysisConfig; value: T }>; timings: ConfigTiming[] }> {
  const timings: ConfigTiming[] = []
  const values = await mapBounded(configs, analysisParallelism(), async config => {
    const started = Date.now()
    const value = await run(config)
    timings.push({ id: config.id, platforms: config.platforms, durationMs: Date.now() - started })
    return { config, value }
  })
  // In the order of the configurations, not of their finishing.
  timings.sort(
    (a, b) => configs.findIndex(c => c.id === a.id) - configs.findIndex(c => c.id === b.id)
  )
  return { values, timings }
}

function commandFor(
  name: string,
  args: readonly string[],
  configs: readonly AnalysisConfig[]
): string {
  const times = configs.length > 1 ? ` (× ${configs.length} configurations)` : ''
  return `${name} ${args.join(' ')}${times}`
}

async function runVet(input: ChecksInput, ctx: ParseContext): Promise<CheckResult> {
  const started = Date.now()
  const args = (config: AnalysisConfig): string[] => [
    'vet',
    '-json',
    ...tagsFlag(config.tags),
    './...'
  ]
  const { values, timings } = await timedConfigs(input.configurations, async config => {
    const result = await execCapture(input.go.goBinary, args(config), {
      cwd: input.workDir,
      env: configEnv(config.env),
      timeoutMs: commandLimitMs()
    })
    // go vet -json writes its report to stderr (Go 1.26: stdout).
    const findings = parseVetJson(`${result.stderr}\n${result.stdout}`, ctx)
    if (result.code !== 0 && findings.length === 0)
      findings.push(unexplainedFailure('vet', result, config))
    return findings
  })
  const findings = withSeverity(
    mergeAcrossConfigs(values.map(v => ({ config: v.config, findings: v.value }))),
    input.severities.vet
  )
  return analysisResult('vet', input.severities.vet, started, findings, {
    command: commandFor(
      'go',
      args(input.configurations[0] as AnalysisConfig),
      input.configurations
    ),
    perConfig: timings
  })
}

/**
 * staticcheck per configuration in its binary format, then `staticcheck -merge` as staticcheck
 * documents for several build configurations: an identifier is unused only if it is unused in
 * every one. Each configuration's results alone say which platforms raised a merged finding.
 */
async function runStaticcheck(
  input: ChecksInput,
  staticcheck: Staticcheck,
  ctx: ParseContext
): Promise<CheckResult> {
  const started = Date.now()
  const checks = input.config.staticcheckChecks ? ['-checks', input.config.staticcheckChecks] : []
  const args = (config: AnalysisConfig): string[] => [
    '-f',
    'binary',
    ...checks,
    ...(config.tags.length ? ['-tags', config.tags.join(',')] : []),
    './...'
  ]
  const env = (config?: AnalysisConfig): Record<string, string> =>
    configEnv(config?.env ?? {}, { STATICCHECK_CACHE: staticcheck.analysisCache })
  const dir = await mkdtemp(path.join(input.tempDir, 'staticcheck-'))
  try {
    const { values, timings } = await timedConfigs(input.configurations, async config => {
      const file = path.join(dir, `${config.id}.bin`)
      const result = await execCapture(staticcheck.binary, args(config), {
        cwd: input.workDir,
        env: env(config),
        timeoutMs: commandLimitMs(),
        stdoutFile: file
      })
      return result.code === 0
        ? { file }
        : { failure: unexplainedFailure('staticcheck', result, config) }
    })
    const failures = values.flatMap(v => (v.value.failure ? [v.value.failure] : []))
    const usable = values.flatMap(v =>
      v.value.file ? [{ config: v.config, file: v.value.file }] : []
    )
    const merge = async (files: string[]): Promise<Finding[]> => {
      const result = await execCapture(staticcheck.binary, ['-merge', '-f', 'json', ...files], {
        cwd: input.workDir,
        env: env(),
        timeoutMs: commandLimitMs()
      })
      const found = parseStaticcheckJson(result.stdout, ctx)
      if (result.code !== 0 && found.length === 0)
        found.push(unexplainedFailure('staticcheck', result))
      return found
    }
    let findings: Finding[] = []
    if (usable.length > 0) {
      const merged = await merge(usable.map(u => u.file))
      // Which configurations raised each merged finding: their results one by one.
      const single =
        usable.length > 1
          ? await mapBounded(usable, analysisParallelism(), async u => ({
              config: u.config,
              keys: new Set((await merge([u.file])).map(findingKey))
            }))
          : []
      const all = input.configurations.flatMap(c => c.platforms)
      findings = merged.map(f => {
        const platforms = single
          .filter(s => s.keys.has(findingKey(f)))
          .flatMap(s => s.config.platforms)
        return platforms.length > 0 && platforms.length < all.length ? { ...f, platforms } : f
      })
    }
    findings = withSeverity([...failures, ...findings], input.severities.staticcheck)
    return analysisResult('staticcheck', input.severities.staticcheck, started, findings, {
      command:
        commandFor(
          'staticcheck',
          args(input.configurations[0] as AnalysisConfig),
          input.configurations
        ) + (input.configurations.length > 1 ? ', then staticcheck -merge' : ''),
      perConfig: timings
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function runLint(
  input: ChecksInput,
  golangci: NonNullable<ChecksInput['golangci']>,
  ctx: ParseContext
): Promise<CheckResult> {
  const severity = severityOf(input.severities.staticcheck)
  const result = await runGolangciLint({
    tool: golangci.tool,
    go: input.go,
    workDir: input.workDir,
    config: golangci.config,
    configs: input.configurations,
    ctx,
    severity,
    tempDir: input.tempDir
  })
  const timings = result.perConfig.map(p => ({
    id: p.id,
    platforms: input.configurations.find(c => c.id === p.id)?.platforms ?? [],
    durationMs: p.durationMs
  }))
  return {
    // With warn, golangci-lint's own failures (code that does not compile, a bad run) warn too,
    // as staticcheck's do: the build, which compiles every target, is where they fail.
    ...analysisResult('golangci-lint', severity, 0, withSeverity(result.findings, severity), {
      command: result.command,
      note: `with ${golangci.config.name}`,
      perConfig: timings
    }),
    durationMs: result.durationMs
  }
}

async function runVulncheck(
  input: ChecksInput,
  vulncheck: NonNullable<ChecksInput['vulncheck']>,
  ctx: ParseContext
): Promise<{ check: CheckResult; report: VulnReport }> {
  const severity = severityOf(input.severities.vulncheck)
  const result = await vulncheckSource({
    tool: vulncheck.tool,
    go: input.go,
    workDir: input.workDir,
    db: vulncheck.db,
    configs: input.configurations,
    ctx,
    severity
  })
  // A database that stopped answering, or govulncheck failing on it, is a warning, never a failure.
  for (const problem of result.problems) core.warning(`vulncheck: ${problem}`)
  return {
    check: {
      ...analysisResult('vulncheck', severity, 0, result.findings, {
        command: result.command,
        note: result.problems.length > 0 ? result.problems.join('; ') : undefined
      }),
      durationMs: result.durationMs
    },
    report: { reachable: result.reachable, unreachable: result.unreachable }
  }
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
  const started = Date.now()
  const result = await execCapture(input.go.goBinary, args, { cwd: input.workDir })
  // -cover compiles instrumented copies of the sources, whose columns do not match the files.
  const parsed = parseTestJson(result.stdout, { ...ctx, coverInstrumented: true })
  const findings = parsed.findings
  if (result.code !== 0 && findings.length === 0) findings.push(unexplainedFailure('test', result))
  const severity = severityOf(input.severities.test)
  const reported = withSeverity(findings, input.severities.test)
  return {
    check: {
      tool: 'test',
      severity,
      ok: severity === 'warning' || (result.code === 0 && findings.length === 0),
      durationMs: Date.now() - started,
      findings: reported,
      command: ['go', ...args.filter(a => a !== '-json')].join(' '),
      note
    },
    packages: parsed.packages
  }
}

/**
 * Runs every enabled check to the end, so one run shows every problem: the analyses (vet, the
 * linter, govulncheck) side by side, each over its configurations as the cores allow, then the
 * tests on the runner's own platform.
 */
export async function runChecks(input: ChecksInput): Promise<ChecksOutcome> {
  const ctx: ParseContext = {
    repoRoot: input.repoRoot,
    cwd: input.workDir,
    packageDirs: await listPackageDirs(input.go, input.workDir)
  }
  const { severities } = input
  let vulns: VulnReport | undefined
  const analyses: Array<Promise<CheckResult>> = []
  if (input.configurations.length > 0) {
    if (severities.vet !== 'off') analyses.push(runVet(input, ctx))
    if (severities.staticcheck !== 'off' && input.golangci)
      analyses.push(runLint(input, input.golangci, ctx))
    else if (severities.staticcheck !== 'off' && input.staticcheck)
      analyses.push(runStaticcheck(input, input.staticcheck, ctx))
    if (severities.vulncheck !== 'off' && input.vulncheck)
      analyses.push(
        runVulncheck(input, input.vulncheck, ctx).then(r => {
          vulns = r.report
          return r.check
        })
      )
  }
  const results = await Promise.all(analyses)
  let packages: PackageTestResult[] = []
  if (severities.test !== 'off') {
    const tests = await runTests(input, ctx)
    results.push(tests.check)
    packages = tests.packages
  }
  return {
    results,
    packages,
    configurations: [...input.configurations],
    vulns,
    vulncheck: severities.vulncheck !== 'off' ? input.vulncheck : undefined
  }
}
