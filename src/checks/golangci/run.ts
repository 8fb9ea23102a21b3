// golangci-lint over every analysis configuration, side by side, merged into one list.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { GoToolchain } from '../../toolchain/setup-go.js'
import { execCapture } from '../../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../../util/limits.js'
import { mapBounded } from '../../util/pool.js'
import type { AnalysisConfig } from '../configurations.js'
import type { Finding } from '../finding.js'
import type { ParseContext } from '../paths.js'
import type { GolangciConfigFile } from './config-file.js'
import type { GolangciLint } from './install.js'
import { golangciFailure, parseGolangciJson } from './parse.js'

export interface GolangciRunOptions {
  tool: GolangciLint
  go: GoToolchain
  /** The module's directory: golangci-lint runs ./... there. */
  workDir: string
  /** From findGolangciConfig; undefined runs golangci-lint with --no-config (its defaults). */
  config: GolangciConfigFile | undefined
  configs: readonly AnalysisConfig[]
  ctx: ParseContext
  severity: 'error' | 'warning'
  /** The action's temp folder (RUNNER_TEMP): the JSON report is written there, then removed. */
  tempDir: string
}

export interface GolangciRunResult {
  findings: Finding[]
  /** Wall time of all runs together. */
  durationMs: number
  /** The command as run (for the first configuration), for the summary. */
  command: string
  perConfig: Array<{ id: string; durationMs: number }>
}

/** The linter whose findings count only when every configuration reports them. */
const UNUSED = 'unused'

// Every report format the configuration may name is switched off (an empty path), so that
// several runs do not write over one file, nor anything land in the repository; the JSON report
// goes to a file of ours. --fix=false: a configuration with issues.fix must not change the code
// that is about to be built.
const OTHER_FORMATS = [
  'text',
  'tab',
  'html',
  'checkstyle',
  'code-climate',
  'junit-xml',
  'teamcity',
  'sarif'
]

/** The arguments of `golangci-lint run`, without the report's destination. */
export function golangciArgs(
  config: GolangciConfigFile | undefined,
  analysis: AnalysisConfig
): string[] {
  return [
    'run',
    ...(config ? ['--config', config.file] : ['--no-config']),
    ...(analysis.tags.length > 0 ? [`--build-tags=${analysis.tags.join(',')}`] : []),
    '--max-issues-per-linter=0',
    '--max-same-issues=0',
    '--path-mode=abs',
    '--show-stats=false',
    '--fix=false',
    // Runs for the configurations go side by side; without this each waits 5 s for the others'
    // lock in the temp folder and then fails. The cache (GOLANGCI_LINT_CACHE) is the go command's
    // cache, safe for several processes at once.
    '--allow-parallel-runners',
    ...OTHER_FORMATS.map(f => `--output.${f}.path=`),
    './...'
  ]
}

function shownCommand(
  config: GolangciConfigFile | undefined,
  analysis: AnalysisConfig | undefined
): string {
  const parts = ['golangci-lint', 'run', ...(config ? ['--config', config.name] : ['--no-config'])]
  if (analysis && analysis.tags.length > 0) parts.push(`--build-tags=${analysis.tags.join(',')}`)
  parts.push('--max-issues-per-linter=0', '--max-same-issues=0', './...')
  return parts.join(' ')
}

interface ConfigRun {
  analysis: AnalysisConfig
  findings: Finding[]
  /** It produced a report and the code compiled: its silence about unused code counts. */
  complete: boolean
  durationMs: number
}

async function runOne(opts: GolangciRunOptions, analysis: AnalysisConfig): Promise<ConfigRun> {
  const started = Date.now()
  const dir = await mkdtemp(path.join(opts.tempDir, 'golangci-'))
  const reportFile = path.join(dir, 'report.json')
  try {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...analysis.env,
      GOLANGCI_LINT_CACHE: opts.tool.cache,
      NO_COLOR: '1'
    }
    // The job's Go first on PATH: golangci-lint runs `go list` and `go env`.
    const goBin = path.dirname(opts.go.goBinary)
    const pathKey = Object.keys(env).find(k => k.toUpperCase() === 'PATH') ?? 'PATH'
    env[pathKey] = [goBin, env[pathKey]].filter(Boolean).join(path.delimiter)
    const args = golangciArgs(opts.config, analysis)
    args.splice(args.length - 1, 0, `--output.json.path=${reportFile}`)
    const result = await execCapture(opts.tool.binary, args, {
      cwd: opts.workDir,
      env,
      timeoutMs: commandLimitMs()
    })
    const report = await readFile(reportFile, 'utf8').catch(() => '')
    // Compiler lines are relative to the directory golangci-lint ran in.
    const ctx: ParseContext = { ...opts.ctx, cwd: opts.workDir }
    const parsed = parseGolangciJson(report, ctx, opts.severity)
    const findings = parsed.findings
    const what = `${analysis.id}${opts.config ? `, ${opts.config.name}` : ''}`
    if (result.timedOutMs !== undefined) {
      const failure = golangciFailure(result, what)
      failure.message += `; it did not finish within ${formatDuration(result.timedOutMs)}, raise ${COMMAND_VARIABLE} if it is only slow`
      findings.push(failure)
    } else if (!parsed.parsed || (result.code !== 0 && result.code !== 1 && findings.length === 0))
      findings.push(golangciFailure(result, what))
    const complete = parsed.parsed && !findings.some(f => f.kind === 'build')
    return { analysis, findings, complete, durationMs: Date.now() - started }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function keyOf(f: Finding): string {
  return JSON.stringify([f.kind, f.code ?? '', f.file ?? '', f.line ?? 0, f.column ?? 0, f.message])
}

/**
 * Findings of every configuration's run as one list: one per (linter, file, line, column,
 * message), with the first platform of each configuration that raised it, or no platforms when
 * every configuration did. `unused` is the exception, as staticcheck -merge has it: code is
 * unused only if it is unused on every platform, so its findings stay only when every run that
 * completed (a report, code that compiles) reports them.
 */
export function mergeGolangciRuns(
  runs: ReadonlyArray<{ analysis: AnalysisConfig; findings: Finding[]; complete: boolean }>
): Finding[] {
  const merged = new Map<string, { finding: Finding; runs: Set<number> }>()
  runs.forEach((run, index) => {
    for (const finding of run.findings) {
      const key = keyOf(finding)
      const entry = merged.get(key)
      if (entry) entry.runs.add(index)
      else merged.set(key, { finding, runs: new Set([index]) })
    }
  })
  const completeRuns = runs.map((r, i) => (r.complete ? i : -1)).filter(i => i >= 0)
  const quorum = completeRuns.length > 0 ? completeRuns : runs.map((_, i) => i)
  const out: Finding[] = []
  for (const { finding, runs: raisedBy } of merged.values()) {
    if (finding.kind === 'lint' && finding.code === UNUSED) {
      if (!quorum.every(i => raisedBy.has(i))) continue
      const copy: Finding = { ...finding }
      delete copy.platforms
      out.push(copy)
      continue
    }
    const all = raisedBy.size === runs.length
    const platforms = all
      ? undefined
      : [...raisedBy]
          .sort((a, b) => a - b)
          .map(i => runs[i]?.analysis.platforms[0] ?? runs[i]?.analysis.id ?? '')
    const copy: Finding = { ...finding }
    delete copy.platforms
    if (platforms) copy.platforms = platforms
    out.push(copy)
  }
  return out
}

/**
 * golangci-lint once per analysis configuration (GOOS, GOARCH, CGO_ENABLED and tags of each),
 * two at a time at most, in workDir with the configuration file; the findings merged.
 */
export async function runGolangciLint(opts: GolangciRunOptions): Promise<GolangciRunResult> {
  const started = Date.now()
  const limit = Math.max(1, Math.min(2, os.availableParallelism()))
  const runs = await mapBounded(opts.configs, limit, analysis => runOne(opts, analysis))
  return {
    findings: mergeGolangciRuns(runs),
    durationMs: Date.now() - started,
    command: shownCommand(opts.config, opts.configs[0]),
    perConfig: runs.map(r => ({ id: r.analysis.id, durationMs: r.durationMs }))
  }
}
