// The versioning rules a release must follow, decided before any API call: is this ref a release,
// is it a prerelease, does the tag fit the module path (Go's /vN rule), may it take "latest".
import semver from 'semver'
import type { ReleaseConfig } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError, InputError } from '../errors.js'
import type { BuildVersion } from '../plan/version.js'

export type ReleaseDecision =
  | { kind: 'release' | 'dry-run'; tag: string; version: string; prerelease: boolean }
  | { kind: 'skip'; why: string; notice: boolean }

/**
 * release: auto releases on a SemVer tag (v1.2.3, 1.2.3-rc.1) and skips other tags with a notice;
 * true insists (readConfig already refused a ref that is not a SemVer tag); false never releases.
 */
export function decideRelease(
  config: ReleaseConfig,
  ctx: RunContext,
  version: BuildVersion
): ReleaseDecision {
  if (config.release === 'false') return { kind: 'skip', why: 'release: false', notice: false }
  if (config.release === 'true' && !version.tag)
    throw new InputError(
      'release',
      `true needs a SemVer tag (v1.2.3, v2.0.0-rc.1): GITHUB_REF (${ctx.ref || 'none'}) is not one, no SemVer tag points at the commit, and the version input is not set; use auto to release only on such tags`
    )
  if (ctx.local) {
    // No GitHub on a developer's machine: the release is written into output-dir instead, named
    // after the tag, or after the pseudo-version when the commit has none.
    const tag = version.tag ?? `v${version.version}`
    const prerelease =
      config.prerelease === 'auto'
        ? (semver.parse(version.version)?.prerelease.length ?? 0) > 0
        : config.prerelease === 'true'
    return { kind: 'dry-run', tag, version: version.version, prerelease }
  }
  if (!version.tag) {
    const isTag = ctx.ref.startsWith('refs/tags/')
    return {
      kind: 'skip',
      why: isTag
        ? `${ctx.ref.slice('refs/tags/'.length)} is not a SemVer tag (vMAJOR.MINOR.PATCH[-prerelease])`
        : 'not a tag',
      notice: isTag
    }
  }
  // A branch push or a pull request of a commit that also carries a tag: the tag's own push (or
  // a workflow_dispatch) releases it; this run builds that version without releasing.
  const branchEvent =
    (ctx.eventName === 'push' && ctx.ref.startsWith('refs/heads/')) ||
    ctx.eventName.startsWith('pull_request')
  if (version.source === 'git tag at HEAD' && branchEvent)
    return {
      kind: 'skip',
      why: `${version.tag} points at the commit, but this is a ${ctx.eventName} run of ${ctx.ref}: the tag's push (or a workflow_dispatch) releases it`,
      notice: true
    }
  const parsed = semver.parse(version.version) as semver.SemVer
  const prerelease =
    config.prerelease === 'auto' ? parsed.prerelease.length > 0 : config.prerelease === 'true'
  return { kind: 'release', tag: version.tag, version: version.version, prerelease }
}

/**
 * Go's rule for major versions (golang.org/x/mod's MatchPathMajor): from v2 on, the module path
 * ends in /vN (gopkg.in paths in .vN, for every major), and a path without one takes only v0 and
 * v1; otherwise `go get module@tag` cannot find the release.
 */
export function checkModuleMajor(modulePath: string, tag: string, version: string): void {
  const major = semver.major(version)
  const suffix = modulePath.startsWith('gopkg.in/')
    ? /\.v(\d+)(?:-unstable)?$/.exec(modulePath)
    : /\/v(\d+)$/.exec(modulePath)
  const pathMajor = suffix ? Number(suffix[1]) : undefined
  if (pathMajor === undefined ? major <= 1 : pathMajor === major) return
  if (pathMajor === undefined || major >= 2) {
    const want = modulePath.startsWith('gopkg.in/')
      ? modulePath.replace(/\.v\d+(?:-unstable)?$/, `.v${major}`)
      : `${modulePath.replace(/\/v\d+$/, '')}/v${major}`
    throw majorError(modulePath, tag, major, want)
  }
  throw new ActionError(
    `tag ${tag} is v${major}, but the module path ${modulePath} ends in v${pathMajor}: ` +
      `tag v${pathMajor}.x.y instead, or drop the suffix for v0 and v1. No release made.`
  )
}

function majorError(modulePath: string, tag: string, major: number, want: string): ActionError {
  return new ActionError(
    `tag ${tag} is major version ${major}, but the module path is ${modulePath}: Go requires the ` +
      `major version at the end of the module path from v2 on (module ${want} in go.mod, and ` +
      `imports updated), or \`go get\` cannot find it. No release made.`
  )
}

export interface KnownRelease {
  tag: string
  draft: boolean
  prerelease: boolean
}

/**
 * make-latest: auto is false for a prerelease, and false when a higher version is already
 * released (v1.4.1 after v2.0.0 must not take "latest"); otherwise true. Always sent explicitly,
 * since GitHub's own default would make any new release the latest.
 */
export function decideMakeLatest(
  setting: ReleaseConfig['makeLatest'],
  decision: { version: string; prerelease: boolean },
  existing: readonly KnownRelease[]
): 'true' | 'false' | 'legacy' {
  if (setting !== 'auto') return setting
  if (decision.prerelease) return 'false'
  const higher = existing.some(r => {
    if (r.draft || r.prerelease) return false
    const v = semver.parse(r.tag.replace(/^v/, ''))
    return v !== null && v.prerelease.length === 0 && semver.gt(v, decision.version)
  })
  return higher ? 'false' : 'true'
}

/** The release before this one, for the notes' "changes since": the highest published lower version. */
export function previousTag(
  decision: { version: string; prerelease: boolean },
  existing: readonly KnownRelease[]
): string | undefined {
  let best: { tag: string; version: semver.SemVer } | undefined
  for (const r of existing) {
    if (r.draft) continue
    const v = semver.parse(r.tag.replace(/^v/, ''))
    if (!v || !semver.lt(v, decision.version)) continue
    // A final release's notes reach back to the previous final release, past its release candidates.
    if (!decision.prerelease && v.prerelease.length > 0) continue
    if (!best || semver.gt(v, best.version)) best = { tag: r.tag, version: v }
  }
  return best?.tag
}
