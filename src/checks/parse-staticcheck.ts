import { parseCompilerOutput } from './compile-errors.js'
import type { Finding } from './finding.js'
import { type ParseContext, place } from './paths.js'

/** One line of `staticcheck -f json`. */
interface StaticcheckProblem {
  code: string
  severity?: string
  location?: { file: string; line: number; column: number }
  message: string
}

function parseLine(line: string): StaticcheckProblem | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const p = JSON.parse(line) as StaticcheckProblem
    return typeof p.code === 'string' && typeof p.message === 'string' ? p : undefined
  } catch {
    return undefined
  }
}

/**
 * Findings from `staticcheck -f json`, one JSON object a line. Problems ignored by a
 * //lint:ignore directive (severity "ignored", with -show-ignored) are left out. Code that does
 * not compile comes as code "compile" with no location and the compiler's output as message.
 */
export function parseStaticcheckJson(output: string, ctx: ParseContext): Finding[] {
  const findings: Finding[] = []
  for (const line of output.split(/\r?\n/)) {
    const p = parseLine(line.trim())
    if (!p || p.severity === 'ignored') continue
    if (p.code === 'compile') {
      const built = parseCompilerOutput(p.message, 'staticcheck', ctx)
      findings.push(...(built.length > 0 ? built : [compileFinding(p.message)]))
      continue
    }
    const loc = p.location
    // Line 0 and an empty file mean no position (staticcheck prints "-" in text mode).
    const where =
      loc?.file && loc.file !== '-' && loc.line > 0
        ? place({ file: loc.file, line: loc.line, column: loc.column || undefined }, p.message, ctx)
        : { message: p.message }
    findings.push({
      tool: 'staticcheck',
      kind: 'staticcheck',
      severity: p.severity === 'warning' ? 'warning' : 'error',
      code: p.code,
      ...where
    })
  }
  return findings
}

function compileFinding(message: string): Finding {
  return { tool: 'staticcheck', kind: 'build', severity: 'error', message }
}
