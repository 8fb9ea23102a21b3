import semver from 'semver'

/**
 * Go names releases go1.26.8, go1.20 (before 1.21 the .0 was dropped), go1.27rc1 and go1.27beta1.
 * We compare them as SemVer: 1.26.8, 1.20.0, 1.27.0-rc.1, 1.27.0-beta.1 (the tool-cache layout setup-go uses).
 */
const GO_NAME = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/

export function goToSemver(name: string): string | undefined {
  const m = GO_NAME.exec(name.trim())
  if (!m) return undefined
  const [, major, minor, patch, pre, preNumber] = m
  const base = `${major}.${minor}.${patch ?? '0'}`
  return pre ? `${base}-${pre}.${preNumber}` : base
}

export function semverToGo(version: string): string {
  const v = semver.parse(version)
  if (!v) throw new Error(`not a version: ${version}`)
  const [pre, preNumber] = v.prerelease
  // From 1.21 on, the first release of a minor is named go1.X.0; before it was go1.X.
  const dropZeroPatch = v.patch === 0 && (pre !== undefined || (v.major === 1 && v.minor < 21))
  const base = dropZeroPatch ? `go${v.major}.${v.minor}` : `go${v.major}.${v.minor}.${v.patch}`
  return pre !== undefined ? `${base}${pre}${preNumber}` : base
}

export type GoVersionSpec =
  | { kind: 'exact'; version: string; text: string }
  | { kind: 'range'; range: string; text: string }
  | { kind: 'alias'; alias: 'stable' | 'oldstable'; text: string }

/**
 * Parses a go-version value. Exact versions (1.26.8, go1.26.8, 1.27rc1) name one release;
 * a bare minor (1.26) and SemVer ranges (^1.25, >=1.24 <1.26, 1.26.x) pick the newest match;
 * stable and oldstable follow the download index.
 */
export function parseVersionSpec(text: string): GoVersionSpec | undefined {
  const trimmed = text.trim()
  const lower = trimmed.toLowerCase()
  if (lower === 'stable' || lower === 'latest')
    return { kind: 'alias', alias: 'stable', text: trimmed }
  if (lower === 'oldstable') return { kind: 'alias', alias: 'oldstable', text: trimmed }

  const bareMinor = /^(?:go)?(\d+)\.(\d+)$/.exec(trimmed)
  if (bareMinor)
    return { kind: 'range', range: `~${bareMinor[1]}.${bareMinor[2]}.0`, text: trimmed }

  const asGo = goToSemver(trimmed)
  if (asGo) return { kind: 'exact', version: asGo, text: trimmed }

  const exact = semver.valid(trimmed.replace(/^go/, ''))
  if (exact) return { kind: 'exact', version: exact, text: trimmed }

  const range = semver.validRange(trimmed)
  if (range && range !== '*' && /\d/.test(trimmed)) return { kind: 'range', range, text: trimmed }
  return undefined
}

export interface AvailableVersion {
  version: string // SemVer form
  stable: boolean
}

/** Picks the release a spec asks for from what a source offers; undefined when none fits. */
export function resolveVersion(
  spec: GoVersionSpec,
  available: readonly AvailableVersion[]
): string | undefined {
  const sorted = [...available].sort((a, b) => semver.rcompare(a.version, b.version))
  switch (spec.kind) {
    case 'exact':
      return sorted.find(v => semver.eq(v.version, spec.version))?.version
    case 'range':
      // A range takes prereleases only when it names one itself (as SemVer does).
      return sorted.find(v => semver.satisfies(v.version, spec.range))?.version
    case 'alias': {
      const stable = sorted.filter(v => v.stable && semver.prerelease(v.version) === null)
      const newest = stable[0]
      if (!newest || spec.alias === 'stable') return newest?.version
      const newestMinor = `${semver.major(newest.version)}.${semver.minor(newest.version)}`
      return stable.find(
        v => `${semver.major(v.version)}.${semver.minor(v.version)}` !== newestMinor
      )?.version
    }
  }
}

/** Whether an already-installed version satisfies a spec without consulting any index. */
export function satisfiesLocally(spec: GoVersionSpec, version: string): boolean {
  if (spec.kind === 'exact') return semver.eq(spec.version, version)
  if (spec.kind === 'range') return semver.satisfies(version, spec.range)
  return false
}
