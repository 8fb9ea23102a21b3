// govulncheck over the module (source mode, once per analysis configuration, so code only windows
// compiles is scanned too) and over the built binaries (binary mode: what ships, whatever its GOOS).
// Failures are problems to report, never exceptions: the caller turns them into warnings.
import path from 'node:path'
import type { GoToolchain } from '../../toolchain/setup-go.js'
import { execCapture, type ExecResult } from '../../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../../util/limits.js'
import { CPU_COUNT, mapBounded } from '../../util/pool.js'
import type { AnalysisConfig } from '../configurations.js'
import type { Finding } from '../finding.js'
import type { ParseContext } from '../paths.js'
import type { Govulncheck } from './install.js'
import {
  compareFindings,
  parseGovulncheckJson,
  splitJsonStream,
  type VulncheckReport,
  type VulnEntry
} from './parse.js'

/** At most this many govulncheck processes at once: each loads and type-checks the whole module. */
const PARALLEL = Math.min(2, CPU_COUNT)

export interface VulncheckSourceOptions {
  tool: Govulncheck
  go: GoToolchain
  /** The module's folder, where ./... is scanned. */
  workDir: string
  /** The database URL, as parseVulnDb gives it. */
  db: string
  configs: readonly AnalysisConfig[]
  ctx: ParseContext
  severity: 'error' | 'warning'
}

export interface VulncheckSourceResult {
  /** Reached vulnerabilities at their call sites in the module, merged over the configurations. */
  findings: Finding[]
  /** Vulnerabilities whose symbols the code reaches (in any configuration). */
  reachable: VulnEntry[]
  /** Vulnerabilities of required modules or imported packages the code never reaches. */
  unreachable: VulnEntry[]
  durationMs: number
  /** The command as run, for the summary. */
  command: string
  /** A configuration whose scan failed or timed out, with the tail of what govulncheck said. */
  problems: string[]
  /** The Go version govulncheck checked the standard library at. */
  goVersion?: string
  dbLastModified?: string
}

function sourceArgs(db: string, tags: readonly string[]): string[] {
  return ['-db', db, '-format', 'json', ...(tags.length ? ['-tags', tags.join(',')] : []), './...']
}

function tail(result: ExecResult, lines = 5): string {
  return (result.stderr || result.stdout).trim().split('\n').slice(-lines).join('\n')
}

function failure(what: string, result: ExecResult): string {
  if (result.timedOutMs !== undefined)
    return (
      `${what}: govulncheck did not finish within ${formatDuration(result.timedOutMs)} and was stopped ` +
      `(it reads the vulnerability database over the network); if it is only slow, raise ${COMMAND_VARIABLE}`
    )
  return `${what}: govulncheck exited with ${result.code}: ${tail(result)}`
}

/** The job's Go first on PATH: go/packages inside govulncheck runs `go list`. */
function goEnv(go: GoToolchain, extra: Record<string, string> = {}): Record<string, string> {
  const env = { ...(process.env as Record<string, string>), ...extra }
  const bin = path.dirname(go.goBinary)
  env.PATH = env.PATH ? `${bin}${path.delimiter}${env.PATH}` : bin
  return env
}

/** The main modules (a workspace has several): path → folder, from `go list -m -json`. */
async function mainModules(
  go: GoToolchain,
  workDir: string
): Promise<Record<string, string> | undefined> {
  const result = await execCapture(go.goBinary, ['list', '-m', '-json'], {
    cwd: workDir,
    env: goEnv(go),
    timeoutMs: commandLimitMs('probe')
  })
  if (result.code !== 0) return undefined
  const dirs: Record<string, string> = {}
  for (const m of splitJsonStream(result.stdout) as Array<{ Path?: string; Dir?: string }>)
    if (m.Path && m.Dir) dirs[m.Path] = m.Dir
  return Object.keys(dirs).length > 0 ? dirs : undefined
}

/** One finding per (id, place): where the code calls toward the vulnerable symbol. */
function findingKey(f: Finding): string {
  return [f.code, f.file ?? '', f.line ?? '', f.column ?? '', f.file ? '' : f.message].join(
    '\u0000'
  )
}

function mergeEntries(lists: VulnEntry[][]): VulnEntry[] {
  const rank = { module: 0, package: 1, symbol: 2 } as const
  const merged = new Map<string, VulnEntry>()
  for (const list of lists)
    for (const e of list) {
      const key = `${e.id}\u0000${e.module}`
      const seen = merged.get(key)
      if (!seen) {
        merged.set(key, { ...e, aliases: [...e.aliases], symbols: e.symbols && [...e.symbols] })
        if (!e.symbols) delete merged.get(key)?.symbols
        continue
      }
      if (rank[e.level] > rank[seen.level]) seen.level = e.level
      if (e.symbols) seen.symbols = [...new Set([...(seen.symbols ?? []), ...e.symbols])].sort()
    }
  return [...merged.values()].sort(
    (a, b) => a.id.localeCompare(b.id) || a.module.localeCompare(b.module)
  )
}

/**
 * govulncheck -format json ./... once per configuration (GOOS, GOARCH, tags, cgo), at most two at
 * a time; findings merged over them: the same id at the same call site is one finding, whose
 * `platforms` name the configurations that raised it unless every one that ran did.
 */
export async function vulncheckSource(
  opts: VulncheckSourceOptions
): Promise<VulncheckSourceResult> {
  const started = Date.now()
  const moduleDirs = await mainModules(opts.go, opts.workDir)
  const first = opts.configs[0]
  const command =
    ['govulncheck', ...sourceArgs(opts.db, first?.tags ?? [])].join(' ') +
    (opts.configs.length > 1
      ? ` (per configuration: ${opts.configs.map(c => c.id).join(', ')})`
      : '')

  const runs = await mapBounded(opts.configs, PARALLEL, async config => {
    const result = await execCapture(opts.tool.binary, sourceArgs(opts.db, config.tags), {
      cwd: opts.workDir,
      env: goEnv(opts.go, config.env),
      timeoutMs: commandLimitMs()
    })
    if (result.code !== 0) return { config, problem: failure(`vulncheck (${config.id})`, result) }
    const report = parseGovulncheckJson(result.stdout, {
      ctx: opts.ctx,
      moduleDirs,
      severity: opts.severity
    })
    return { config, report }
  })

  const problems: string[] = []
  const reports: Array<{ config: AnalysisConfig; report: VulncheckReport }> = []
  for (const run of runs)
    if (run.report) reports.push({ config: run.config, report: run.report })
    else if (run.problem) problems.push(run.problem)

  const findings = new Map<string, { finding: Finding; platforms: string[] }>()
  for (const { config, report } of reports)
    for (const finding of report.findings) {
      const key = findingKey(finding)
      const platform = config.platforms[0] ?? `${config.goos}/${config.goarch}`
      const seen = findings.get(key)
      if (seen) {
        if (!seen.platforms.includes(platform)) seen.platforms.push(platform)
      } else findings.set(key, { finding: { ...finding }, platforms: [platform] })
    }
  const merged = [...findings.values()].map(({ finding, platforms }) => {
    if (platforms.length < reports.length) finding.platforms = platforms
    return finding
  })

  const entries = mergeEntries(reports.map(r => [...r.report.reachable, ...r.report.unreachable]))
  const result: VulncheckSourceResult = {
    findings: merged.sort(compareFindings),
    reachable: entries.filter(e => e.level === 'symbol'),
    unreachable: entries.filter(e => e.level !== 'symbol'),
    durationMs: Date.now() - started,
    command,
    problems
  }
  const goVersion = reports.find(r => r.report.goVersion)?.report.goVersion
  if (goVersion) result.goVersion = goVersion
  const modified = reports.find(r => r.report.dbLastModified)?.report.dbLastModified
  if (modified) result.dbLastModified = modified
  return result
}

export interface BinaryVuln extends VulnEntry {
  /** A vulnerable symbol is in the binary's symbol table (level symbol). */
  reached: boolean
}

export interface BinaryScan {
  /** The target it was built for, as the caller names it (linux/amd64). */
  target: string
  path: string
  /** The Go that built it (go1.26.8), from its build info. */
  goVersion?: string
  vulns: BinaryVuln[]
  durationMs: number
  /** Why this binary was not scanned: govulncheck failed or timed out. */
  problem?: string
}

/**
 * govulncheck -mode binary on each built binary, at most two at a time: the modules and standard
 * library that ship, read from the binary's build info and symbol table, whatever its GOOS.
 */
export async function vulncheckBinaries(opts: {
  tool: Govulncheck
  db: string
  binaries: ReadonlyArray<{ path: string; target: string }>
}): Promise<BinaryScan[]> {
  return mapBounded(opts.binaries, PARALLEL, async binary => {
    const started = Date.now()
    const result = await execCapture(
      opts.tool.binary,
      ['-mode', 'binary', '-db', opts.db, '-format', 'json', binary.path],
      { cwd: path.dirname(binary.path), timeoutMs: commandLimitMs() }
    )
    const scan: BinaryScan = {
      target: binary.target,
      path: binary.path,
      vulns: [],
      durationMs: 0
    }
    if (result.code !== 0) {
      scan.problem = failure(`vulncheck (${binary.target}, ${path.basename(binary.path)})`, result)
    } else {
      const report = parseGovulncheckJson(result.stdout, {
        ctx: { repoRoot: path.dirname(binary.path), cwd: path.dirname(binary.path) }
      })
      if (report.goVersion) scan.goVersion = report.goVersion
      scan.vulns = [...report.reachable, ...report.unreachable]
        .map(e => ({ ...e, reached: e.level === 'symbol' }))
        .sort((a, b) => a.id.localeCompare(b.id) || a.module.localeCompare(b.module))
    }
    scan.durationMs = Date.now() - started
    return scan
  })
}
