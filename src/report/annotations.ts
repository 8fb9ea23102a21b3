import * as core from '@actions/core'
import type { Finding } from '../checks/finding.js'

/** GitHub keeps 10 annotations of each level per step and drops the rest silently. */
export const ANNOTATIONS_PER_LEVEL = 10

/** Most useful first: code that does not build hides everything else, then crashes, races, failures, analyses. */
const KIND_ORDER: Record<Finding['kind'], number> = {
  build: 0,
  panic: 1,
  race: 2,
  fail: 3,
  vuln: 4,
  vet: 5,
  staticcheck: 6,
  lint: 6
}

export function rankFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      // A finding with a place in the code is worth more than one without.
      Number(b.file !== undefined) - Number(a.file !== undefined) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0)
  )
}

/**
 * A file that does not compile is reported by vet, staticcheck and go test alike, and a vet finding
 * by go vet and again by the vet go test runs; one annotation (and one summary row) per place is
 * enough.
 */
export function distinctFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter(f => {
    if ((f.kind !== 'build' && f.kind !== 'vet') || !f.file) return true
    // The platforms are left out: go test's vet (the runner's) repeats go vet's (per platform).
    const key = `${f.kind}:${f.file}:${f.line}:${f.column}:${f.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export function findingTitle(f: Finding): string {
  switch (f.kind) {
    case 'build':
      return 'does not compile'
    case 'panic':
      return f.test ? `${f.test} panicked` : 'panic'
    case 'race':
      return f.test ? `data race in ${f.test}` : 'data race'
    case 'fail':
      return f.test ? `${f.test} failed` : 'test failed'
    case 'vet':
      // go test runs part of vet itself, and fails the package when it finds something.
      if (f.tool === 'test')
        return f.code ? `go vet (${f.code}, run by go test)` : 'go vet (run by go test)'
      return f.code ? `go vet (${f.code})` : 'go vet'
    case 'staticcheck':
      return f.code ? `staticcheck ${f.code}` : 'staticcheck'
    case 'lint':
      return f.code ? `golangci-lint (${f.code})` : 'golangci-lint'
    case 'vuln':
      return f.code ? `known vulnerability ${f.code}` : 'known vulnerability'
  }
}

/** The message with the platforms that raised it, when not every analysed one did. */
export function findingMessage(f: Finding): string {
  return f.platforms ? `${f.message} (on ${f.platforms.join(', ')})` : f.message
}

/**
 * Emits the most useful findings as annotations, at most what GitHub shows per level, and says how
 * many more there are (all of them are in the job summary).
 */
export function annotateFindings(findings: readonly Finding[]): { shown: number; hidden: number } {
  const ranked = rankFindings(distinctFindings(findings))
  let shown = 0
  let hidden = 0
  for (const level of ['error', 'warning'] as const) {
    const ofLevel = ranked.filter(f => f.severity === level)
    // Failing findings fail the step, and that failure message takes one error slot itself.
    const limit = level === 'error' ? ANNOTATIONS_PER_LEVEL - 1 : ANNOTATIONS_PER_LEVEL
    for (const f of ofLevel.slice(0, limit)) {
      const props: core.AnnotationProperties = {
        title: findingTitle(f),
        file: f.file,
        startLine: f.file ? f.line : undefined,
        startColumn: f.file ? f.column : undefined
      }
      const message = f.url ? `${findingMessage(f)}\n${f.url}` : findingMessage(f)
      if (level === 'error') core.error(message, props)
      else core.warning(message, props)
      shown++
    }
    hidden += Math.max(0, ofLevel.length - limit)
  }
  if (hidden > 0) {
    core.notice(
      `${hidden} more findings are not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level); the job summary lists them all.`
    )
  }
  return { shown, hidden }
}
