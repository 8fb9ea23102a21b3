// golangci-lint v2's JSON report (pkg/printers/json.go: {"Issues": [...], "Report": {...}}, one
// object, Issues [] when there are none) → findings. The action runs it with --path-mode=abs, so
// every Pos.Filename is absolute, whatever run.relative-path-mode the configuration sets, and
// place() makes it relative to the repository root.
import { parseCompilerOutput } from '../compile-errors.js'
import type { Finding } from '../finding.js'
import { type ParseContext, place } from '../paths.js'

/** One issue as pkg/result/issue.go serialises it (the fields read here). */
interface GolangciIssue {
  FromLinter: string
  Text: string
  Severity?: string
  Pos?: { Filename?: string; Line?: number; Column?: number }
}

interface GolangciReport {
  Issues: GolangciIssue[]
  Report?: { Error?: string; Warnings?: Array<{ Tag?: string; Text?: string }> }
}

/** typecheck is golangci-lint's name for "the package does not compile". */
export const TYPECHECK = 'typecheck'

export interface ParsedGolangci {
  findings: Finding[]
  /** False when the text is not golangci-lint's JSON report (it failed before writing one). */
  parsed: boolean
}

function isIssue(value: unknown): value is GolangciIssue {
  const v = value as GolangciIssue | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.FromLinter === 'string' &&
    typeof v.Text === 'string'
  )
}

function readReport(text: string): GolangciReport | undefined {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{')) return undefined
  try {
    const value = JSON.parse(trimmed) as Partial<GolangciReport> | null
    if (!value || !Array.isArray(value.Issues)) return undefined
    return { Issues: value.Issues.filter(isIssue), Report: value.Report }
  } catch {
    return undefined
  }
}

function positionOf(
  issue: GolangciIssue
): { file: string; line?: number; column?: number } | undefined {
  const pos = issue.Pos
  if (!pos?.Filename || pos.Filename === '-') return undefined
  const line = pos.Line && pos.Line > 0 ? pos.Line : undefined
  const column = line && pos.Column && pos.Column > 0 ? pos.Column : undefined
  return { file: pos.Filename, line, column }
}

/**
 * A typecheck issue: either one type error at its place, or (when golangci-lint could only say
 * which package failed) the go command's output in Text, ": # pkg\n./a.go:4:9: …", placed at
 * line 1 of the package's first file. The compiler's lines, relative to the directory
 * golangci-lint ran in (ctx.cwd), give the real places.
 */
function typecheckFindings(issue: GolangciIssue, ctx: ParseContext): Finding[] {
  const text = issue.Text.replace(/^:\s*/, '')
  if (text.includes('\n') || text.startsWith('#')) {
    const built = parseCompilerOutput(text, 'golangci-lint', ctx)
    if (built.length > 0) return built
  }
  const pos = positionOf(issue)
  const where = pos ? place(pos, text, ctx) : { message: text }
  return [{ tool: 'golangci-lint', kind: 'build', severity: 'error', ...where }]
}

/**
 * Findings from `golangci-lint run --output.json.path=… --path-mode=abs`: one per issue, of kind
 * lint with the linter as code and the run's severity (golangci-lint's own Severity is empty
 * unless the configuration sets severity rules, and the action's golangci-lint setting decides
 * whether lint fails the job); code that does not compile (typecheck) is of kind build, always an
 * error. A report error golangci-lint recorded is a finding too.
 */
export function parseGolangciJson(
  text: string,
  ctx: ParseContext,
  severity: 'error' | 'warning'
): ParsedGolangci {
  const report = readReport(text)
  if (!report) return { findings: [], parsed: false }
  const findings: Finding[] = []
  for (const issue of report.Issues) {
    if (issue.FromLinter === TYPECHECK) {
      findings.push(...typecheckFindings(issue, ctx))
      continue
    }
    const pos = positionOf(issue)
    const where = pos ? place(pos, issue.Text, ctx) : { message: issue.Text }
    findings.push({
      tool: 'golangci-lint',
      kind: 'lint',
      severity,
      code: issue.FromLinter,
      ...where
    })
  }
  const error = report.Report?.Error?.trim()
  if (error)
    findings.push({ tool: 'golangci-lint', kind: 'build', severity: 'error', message: error })
  return { findings, parsed: true }
}

const TERMINATED = 'The command is terminated due to an error: '

/**
 * golangci-lint failed without a report (a configuration it refuses, an unknown linter, a
 * timeout): its last words, as run-checks.ts does for the other tools. golangci-lint says the
 * error twice ("Error: x", a usage text for some commands, then "The command is terminated due to
 * an error: x"); the error lines alone are kept when there are any.
 */
export function golangciFailure(
  result: { code: number; stdout: string; stderr: string; timedOutMs?: number },
  what: string
): Finding {
  const lines = (result.stderr || result.stdout)
    .trim()
    .split(/\r?\n/)
    .filter(l => l.trim() !== '')
  const errors = [...new Set(lines.filter(l => l.startsWith('Error: ')))]
  const terminated = lines.filter(l => l.startsWith(TERMINATED))
  const kept = errors.length > 0 ? errors : terminated.length > 0 ? terminated : lines
  const tail = kept.slice(-5).join('\n')
  const how =
    result.timedOutMs !== undefined ? 'was stopped (time limit)' : `exited with ${result.code}`
  return {
    tool: 'golangci-lint',
    kind: 'build',
    severity: 'error',
    message: `golangci-lint (${what}) ${how}${tail ? `: ${tail}` : ' without a report'}`
  }
}
