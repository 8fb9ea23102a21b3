// `govulncheck -format json`: a stream of JSON objects (indented, not one a line), each with one
// of config, progress, SBOM, osv or finding (golang.org/x/vuln internal/govulncheck). For each
// vulnerability that affects a required module govulncheck sends a module-level finding (a
// one-frame trace without package), then for an imported vulnerable package a package-level one
// (package, no function), then for a reached vulnerable symbol a call-level one: its trace runs
// from the vulnerable symbol (frame 0, positioned at the symbol's declaration) to the entry point,
// each further frame positioned at the call it makes toward frame 0, with file names relative to
// the directory of that frame's module. Binary mode sends the same levels, without positions.
import path from 'node:path'
import type { Finding } from '../finding.js'
import { type ParseContext, place } from '../paths.js'

interface Position {
  filename?: string
  line?: number
  column?: number
}

interface Frame {
  module: string
  version?: string
  package?: string
  function?: string
  receiver?: string
  position?: Position
}

interface GovulncheckFinding {
  osv: string
  fixed_version?: string
  trace?: Frame[]
}

interface OsvEntry {
  id: string
  aliases?: string[]
  summary?: string
  details?: string
  database_specific?: { url?: string }
}

interface Message {
  config?: { go_version?: string; db?: string; db_last_modified?: string; scanner_version?: string }
  SBOM?: { go_version?: string; modules?: Array<{ path?: string; version?: string }> }
  osv?: OsvEntry
  finding?: GovulncheckFinding
}

/** One known vulnerability of one module the code (or binary) has, for the summary. */
export interface VulnEntry {
  /** The OSV id: GO-2024-1234. */
  id: string
  /** CVE and GHSA ids. */
  aliases: string[]
  summary: string
  /** The affected module; `stdlib` for the standard library (`toolchain` for the go command). */
  module: string
  /** The module's version in the build (v1.3.0; for stdlib v1.26.8 as govulncheck says it). */
  foundVersion?: string
  /** The lowest version that fixes it, when there is one. */
  fixedVersion?: string
  /** https://pkg.go.dev/vuln/<id> */
  url: string
  /**
   * How deep it goes: the module is required, a vulnerable package imported, or a vulnerable
   * symbol reached (called, or in a binary's symbol table).
   */
  level: 'module' | 'package' | 'symbol'
  /** The vulnerable symbols reached, as uuid.NewString or tls.Conn.Read. */
  symbols?: string[]
}

/** What one run of govulncheck says. */
export interface VulncheckReport {
  /** The Go version of the code (source: the toolchain's; binary: the one that built it). */
  goVersion?: string
  /** When the database was last modified, as govulncheck read it. */
  dbLastModified?: string
  /** Reached vulnerabilities, in order of id. */
  reachable: VulnEntry[]
  /** Required or imported, never reached. */
  unreachable: VulnEntry[]
  /** Source mode: one per (OSV id, call site in the module). */
  findings: Finding[]
}

export interface VulncheckParseOptions {
  ctx: ParseContext
  /**
   * The main modules (path → absolute folder), from `go list -m`: their frames are the code's,
   * and their file names are relative to these folders. Without it, a frame with no version that
   * is not the standard library is taken as the module in ctx.cwd.
   */
  moduleDirs?: Record<string, string>
  severity?: 'error' | 'warning'
}

/** The JSON values of a stream of concatenated (possibly indented) objects; junk between is skipped. */
export function splitJsonStream(text: string): unknown[] {
  const values: unknown[] = []
  let depth = 0
  let inString = false
  let escaped = false
  let start = -1
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') {
      if (depth > 0) inString = true
    } else if (c === '{') {
      if (depth++ === 0) start = i
    } else if (c === '}' && depth > 0) {
      if (--depth === 0) {
        try {
          values.push(JSON.parse(text.slice(start, i + 1)))
        } catch {
          // not JSON after all: skip it
        }
      }
    }
  }
  return values
}

function messages(output: string): Message[] {
  return splitJsonStream(output).filter(
    (v): v is Message => typeof v === 'object' && v !== null && !Array.isArray(v)
  )
}

/** `go1.26.8` for the standard library's v1.26.8; module versions as they are. */
export function displayVersion(module: string, version: string | undefined): string | undefined {
  if (!version) return undefined
  if (module !== 'stdlib' && module !== 'toolchain') return version
  return version.replace(/^v/, 'go')
}

/** uuid.NewString, tls.Conn.Read: the symbol as govulncheck's text output names it. */
function symbolName(frame: Frame): string {
  const pkg = (frame.package ?? frame.module).split('/').pop() ?? ''
  const recv = frame.receiver ? `${frame.receiver.replace(/^\*/, '')}.` : ''
  return `${pkg}.${recv}${frame.function ?? ''}`
}

function levelOf(f: GovulncheckFinding): VulnEntry['level'] {
  const first = f.trace?.[0]
  if (first?.function) return 'symbol'
  return first?.package ? 'package' : 'module'
}

const RANK = { module: 0, package: 1, symbol: 2 } as const

/** The vulnerabilities the findings name, deepest level each, merged per (id, module). */
function collectEntries(all: Message[]): { entries: VulnEntry[]; calls: GovulncheckFinding[] } {
  const osvs = new Map<string, OsvEntry>()
  for (const m of all) if (m.osv?.id) osvs.set(m.osv.id, m.osv)
  const entries = new Map<string, VulnEntry>()
  const calls: GovulncheckFinding[] = []
  for (const m of all) {
    const f = m.finding
    const first = f?.trace?.[0]
    if (!f?.osv || !first) continue
    const key = `${f.osv}\u0000${first.module}`
    const level = levelOf(f)
    let entry = entries.get(key)
    if (!entry) {
      const osv = osvs.get(f.osv)
      entry = {
        id: f.osv,
        aliases: osv?.aliases ?? [],
        summary: osv?.summary || firstLine(osv?.details) || '',
        module: first.module,
        url: `https://pkg.go.dev/vuln/${f.osv}`,
        level
      }
      if (first.version) entry.foundVersion = first.version
      if (f.fixed_version) entry.fixedVersion = f.fixed_version
      entries.set(key, entry)
    }
    if (RANK[level] > RANK[entry.level]) entry.level = level
    if (level === 'symbol') {
      const symbol = symbolName(first)
      entry.symbols ??= []
      if (!entry.symbols.includes(symbol)) entry.symbols.push(symbol)
      calls.push(f)
    }
  }
  const sorted = [...entries.values()].sort(
    (a, b) => a.id.localeCompare(b.id) || a.module.localeCompare(b.module)
  )
  for (const e of sorted) e.symbols?.sort()
  return { entries: sorted, calls }
}

function firstLine(text: string | undefined): string | undefined {
  return text?.trim().split('\n')[0]
}

/** The frame in the main module nearest the vulnerable symbol: where the code calls toward it. */
function callSite(
  trace: Frame[],
  opts: VulncheckParseOptions
): { frame: Frame; dir: string } | undefined {
  for (const frame of trace.slice(1)) {
    const dir =
      opts.moduleDirs !== undefined
        ? opts.moduleDirs[frame.module]
        : !frame.version && frame.module !== 'stdlib'
          ? opts.ctx.cwd
          : undefined
    if (dir !== undefined) return { frame, dir }
  }
  return undefined
}

function fixedText(entry: VulnEntry): string {
  return entry.fixedVersion
    ? `fixed in ${displayVersion(entry.module, entry.fixedVersion)}`
    : 'no fixed version'
}

function moduleText(entry: VulnEntry): string {
  const version = displayVersion(entry.module, entry.foundVersion)
  const name = entry.module === 'stdlib' ? 'the standard library' : entry.module
  return version ? `${name} ${version}` : name
}

/** `govulncheck -format json` (source or binary mode) → what it found. */
export function parseGovulncheckJson(output: string, opts: VulncheckParseOptions): VulncheckReport {
  const all = messages(output)
  const config = all.find(m => m.config)?.config
  const sbom = all.find(m => m.SBOM)?.SBOM
  const { entries, calls } = collectEntries(all)
  const byKey = new Map(entries.map(e => [`${e.id}\u0000${e.module}`, e]))

  const findings = new Map<string, Finding>()
  for (const call of calls) {
    const trace = call.trace as Frame[]
    const sink = trace[0] as Frame
    const entry = byKey.get(`${call.osv}\u0000${sink.module}`) as VulnEntry
    const site = callSite(trace, opts)
    const symbol = symbolName(sink)
    const caller = site ? symbolName(site.frame) : undefined
    const what = caller ? `${caller} calls ${symbol}` : `the code calls ${symbol}`
    const message =
      `${call.osv}: ${what}, vulnerable in ${moduleText(entry)} (${fixedText(entry)})` +
      (entry.summary ? `: ${entry.summary}` : '')
    const pos = site?.frame.position
    const where =
      site && pos?.filename && pos.line
        ? place(
            {
              file: path.resolve(site.dir, ...pos.filename.split('/')),
              line: pos.line,
              column: pos.column || undefined
            },
            message,
            opts.ctx
          )
        : { message }
    const key = `${call.osv}\u0000${where.file ?? ''}:${where.line ?? ''}:${where.column ?? ''}\u0000${where.file ? '' : what}`
    if (findings.has(key)) continue
    findings.set(key, {
      tool: 'vulncheck',
      kind: 'vuln',
      severity: opts.severity ?? 'error',
      ...(site?.frame.package ? { package: site.frame.package } : {}),
      code: call.osv,
      url: entry.url,
      ...where
    })
  }

  const report: VulncheckReport = {
    reachable: entries.filter(e => e.level === 'symbol'),
    unreachable: entries.filter(e => e.level !== 'symbol'),
    findings: [...findings.values()].sort(compareFindings)
  }
  const goVersion = config?.go_version || sbom?.go_version
  if (goVersion) report.goVersion = goVersion
  if (config?.db_last_modified) report.dbLastModified = config.db_last_modified
  return report
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.code ?? '').localeCompare(b.code ?? '') ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.message.localeCompare(b.message)
  )
}
