// The build configurations the analysers run under: one per distinct set of files compiled among
// the platforms that ship, so code used only on windows is seen as used.
import type { Target } from '../build/target.js'
import { ActionError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture, processEnv } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'
import { CPU_COUNT, mapBounded } from '../util/pool.js'

/** One configuration vet, staticcheck, golangci-lint and govulncheck analyse the module under. */
export interface AnalysisConfig {
  /** For file names and logs: linux-amd64, or linux-amd64-netgo with tags. */
  id: string
  /** The platforms (GOOS/GOARCH[/variant]) it stands for; the first is the one analysed. */
  platforms: string[]
  goos: string
  goarch: string
  /** Build tags, as -tags takes them (joined with commas). */
  tags: string[]
  cgo: boolean
  /** GOOS, GOARCH, CGO_ENABLED (and GOARM and the like) for the tool's environment. */
  env: Record<string, string>
}

/** A platform the module ships for (or is asked to be analysed for), with the build's tags and cgo. */
export interface AnalysisCandidate {
  target: Target
  tags: readonly string[]
  cgo: boolean
}

/** The files of the module's packages that a build for this candidate compiles (tests included). */
async function compiledFiles(
  go: GoToolchain,
  workDir: string,
  candidate: AnalysisCandidate
): Promise<string> {
  const fields = 'ImportPath,GoFiles,CgoFiles,SFiles,TestGoFiles,XTestGoFiles'
  // -find: the module's own packages only, without loading dependencies: fast, and enough, since
  // what differs between platforms for the analysers is which of the module's files compile.
  const args = ['list', '-e', '-find', `-json=${fields}`, ...tagsFlag(candidate.tags), './...']
  const result = await execCapture(go.goBinary, args, {
    cwd: workDir,
    env: { ...processEnv(), ...analysisEnv(candidate) },
    timeoutMs: commandLimitMs()
  })
  if (result.timedOutMs !== undefined)
    throw new ActionError(
      `go list for ${candidate.target.spec} did not finish within ${formatDuration(result.timedOutMs)} and was stopped; ` +
        `if it is only slow, raise ${COMMAND_VARIABLE}`
    )
  // A package that does not load is still listed (-e); the checks report why. The output itself,
  // packages with their file lists, is the configuration's fingerprint.
  return result.stdout
}

export function tagsFlag(tags: readonly string[]): string[] {
  return tags.length > 0 ? [`-tags=${tags.join(',')}`] : []
}

function analysisEnv(c: AnalysisCandidate): Record<string, string> {
  return { ...c.target.env, CGO_ENABLED: c.cgo ? '1' : '0' }
}

/** The environment a tool analysing under a configuration (its env) runs in. */
export function configEnv(
  env: Record<string, string>,
  extra: Record<string, string> = {}
): Record<string, string> {
  return { ...processEnv(), ...env, ...extra }
}

function configId(c: AnalysisCandidate): string {
  return [c.target.slug, ...c.tags, ...(c.cgo ? ['cgo'] : [])]
    .join('-')
    .replace(/[^A-Za-z0-9_.-]/g, '_')
}

/**
 * The analysis configurations: the candidates grouped by the module's files they compile, so the
 * six default targets of a module without platform-specific files are one configuration, and a
 * module with _windows.go files is two. Each group is analysed once, under its first candidate
 * (the runner's own platform first).
 */
export async function planAnalysis(
  go: GoToolchain,
  workDir: string,
  candidates: readonly AnalysisCandidate[],
  runner: string
): Promise<AnalysisConfig[]> {
  const unique = new Map<string, AnalysisCandidate>()
  for (const c of candidates) unique.set(configId(c), c)
  const ordered = [...unique.values()].sort(
    (a, b) => Number(b.target.spec === runner) - Number(a.target.spec === runner)
  )
  const fingerprints = await mapBounded(ordered, analysisParallelism(), c =>
    compiledFiles(go, workDir, c)
  )
  const groups = new Map<string, AnalysisCandidate[]>()
  ordered.forEach((c, i) => {
    // GOOS, GOARCH, tags and cgo count where they change the module's files that compile: that is
    // where analyses differ (a field used in a _windows.go file). Type errors that only the
    // standard library of another system would show are the build's to find: it compiles each
    // target.
    const key = `${c.tags.join(',')}\0${fingerprints[i]}`
    groups.set(key, [...(groups.get(key) ?? []), c])
  })
  return [...groups.values()].map(group => {
    const first = group[0] as AnalysisCandidate
    return {
      id: configId(first),
      platforms: [...new Set(group.map(c => c.target.spec))],
      goos: first.target.os,
      goarch: first.target.arch,
      tags: [...first.tags],
      cgo: first.cgo,
      env: analysisEnv(first)
    }
  })
}

/** How many analyses run side by side: one per core (each of them is parallel inside too). */
export function analysisParallelism(): number {
  return CPU_COUNT
}
