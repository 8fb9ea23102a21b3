import { parseCompilerOutput } from './compile-errors.js'
import type { Finding } from './finding.js'
import { type ParseContext, place, splitPosition } from './paths.js'

interface VetDiagnostic {
  posn: string
  message: string
}

/** An analyzer's result for one package: its diagnostics, or the error that stopped it. */
type AnalyzerResult = VetDiagnostic[] | { error: string }

/** One JSON object of `go vet -json`: package → analyzer → result. */
type VetTree = Record<string, Record<string, AnalyzerResult>>

/**
 * Splits vet's output into its JSON objects and the rest. Go 1.26 prints one object per package
 * on stdout, tab-indented, starting with a `{` line and ending with a `}` line (`{}` when clean);
 * older releases printed them on stderr after `# pkg` headers. The rest is compiler output.
 */
function splitVetOutput(output: string): { trees: VetTree[]; rest: string[] } {
  const trees: VetTree[] = []
  const rest: string[] = []
  let pending: string[] | undefined
  for (const line of output.split(/\r?\n/)) {
    if (!pending && line.startsWith('{')) pending = []
    if (!pending) {
      rest.push(line)
      continue
    }
    pending.push(line)
    if (!line.startsWith('}') && !(pending.length === 1 && line.trimEnd().endsWith('}'))) continue
    try {
      trees.push(JSON.parse(pending.join('\n')) as VetTree)
      pending = undefined
    } catch {
      // Not whole yet: keep reading until it is.
    }
  }
  // An object still open here was cut off; its lines are not compiler output either.
  return { trees, rest }
}

function diagnosticFinding(
  pkg: string,
  analyzer: string,
  d: VetDiagnostic,
  ctx: ParseContext
): Finding {
  const pos = splitPosition(d.posn)
  const where = pos ? place(pos, d.message, ctx) : { message: d.message }
  return { tool: 'vet', kind: 'vet', severity: 'error', package: pkg, code: analyzer, ...where }
}

/**
 * Findings from `go vet -json` (stdout and stderr together): one per diagnostic, code = the
 * analyzer; an analyzer that failed, and code that does not compile, are findings too.
 */
export function parseVetJson(output: string, ctx: ParseContext): Finding[] {
  const { trees, rest } = splitVetOutput(output)
  const findings: Finding[] = []
  for (const tree of trees) {
    for (const [id, analyzers] of Object.entries(tree)) {
      const pkg = id.split(' ')[0] as string
      for (const [analyzer, result] of Object.entries(analyzers)) {
        if (Array.isArray(result)) {
          for (const d of result) findings.push(diagnosticFinding(pkg, analyzer, d, ctx))
        } else if (result?.error) {
          const message = `${analyzer} failed: ${result.error}`
          findings.push({
            tool: 'vet',
            kind: 'vet',
            severity: 'error',
            package: pkg,
            code: analyzer,
            message
          })
        }
      }
    }
  }
  return [...findings, ...parseCompilerOutput(rest.join('\n'), 'vet', ctx)]
}
