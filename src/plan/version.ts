import semver from 'semver'
import { InputError } from '../errors.js'

/** What decided the version, in the order they win. */
export type VersionSource = 'version input' | 'GITHUB_REF' | 'git tag at HEAD' | 'pseudo-version'

/** What the build is called and stamped with, decided once for every later stage. */
export interface BuildVersion {
  /** 1.2.3 from a semver tag (or the version input), else a pseudo-version 0.0.0-20261127010203-abcdef123456. */
  version: string
  /** The tag (v1.2.3) that decided the version: the ref's, the version input's or HEAD's. */
  tag?: string
  commit: string
  /** git's abbreviation of the commit (7+ hex digits), as GoReleaser's .ShortCommit; 7 without git. */
  shortCommit: string
  /** Commit time, Unix seconds: SOURCE_DATE_EPOCH for everything built. */
  timestamp: number
  /** Commit time as RFC 3339 (UTC). */
  date: string
  /** Where the version came from. */
  source: VersionSource
  /** No tag decided the version (the pseudo-version): GoReleaser's .IsSnapshot. */
  isSnapshot: boolean
  /** The version's SemVer parts (GoReleaser's .Major, .Minor, .Patch, .Prerelease). */
  major: number
  minor: number
  patch: number
  /** The dot-separated prerelease without its dash (rc.1), or empty. */
  prerelease: string
  /** major.minor.patch without prerelease or build metadata: GoReleaser's .RawVersion. */
  rawVersion: string
  /** The tag before `tag`, by GoReleaser's rule (git describe); unknown in a shallow clone. */
  previousTag?: string
  /** The branch being built: the ref's on a runner, else git's unless HEAD is detached. */
  branch?: string
}

/** A tag name that is SemVer 2.0 with at most one leading v (v1.2.3, 1.2.3-rc.1+build). */
export function parseSemverTag(tag: string): { tag: string; version: string } | undefined {
  const version = tag.startsWith('v') ? tag.slice(1) : tag
  // semver.valid drops build metadata, so compare without it.
  return semver.valid(version) === version.replace(/\+.*$/, '') ? { tag, version } : undefined
}

/** The tag name when the ref is a SemVer 2.0 tag with at most one leading v. */
export function semverTag(ref: string): { tag: string; version: string } | undefined {
  if (!ref.startsWith('refs/tags/')) return undefined
  return parseSemverTag(ref.slice('refs/tags/'.length))
}

/**
 * The `version` input: empty is none; v1.2.3 or 1.2.3 (SemVer 2.0, prerelease and build metadata
 * allowed) is the tag as given and the version without its v, as GoReleaser takes
 * GORELEASER_CURRENT_TAG; anything else is refused.
 */
export function parseVersionInput(value: string): { version: string; tag: string } | undefined {
  const given = value.trim()
  if (given === '') return undefined
  const parsed = parseSemverTag(given)
  if (!parsed)
    throw new InputError(
      'version',
      `"${given}" is not a SemVer 2.0 version: give 1.2.3 or v1.2.3, optionally with a prerelease ` +
        `(-rc.1) and build metadata (+build.7), or leave it empty to take the version from git`
    )
  return { version: parsed.version, tag: parsed.tag }
}

/** The semver tags at HEAD, in GoReleaser's order: the first decides, the others are reported. */
export interface HeadTagChoice {
  tag: string
  version: string
  /** The other semver tags at HEAD, in order. */
  others: string[]
  /** The tags at HEAD that are not SemVer, ignored. */
  ignored: string[]
}

/**
 * GoReleaser takes the first of `git tag --points-at HEAD --sort=-version:refname`; tags that are
 * not SemVer (which GoReleaser would fail on) are skipped here.
 */
export function pickHeadTag(sortedTags: readonly string[]): HeadTagChoice | undefined {
  const semverTags = sortedTags.filter(t => parseSemverTag(t))
  const first = semverTags[0]
  if (first === undefined) return undefined
  return {
    ...(parseSemverTag(first) as { tag: string; version: string }),
    others: semverTags.slice(1),
    ignored: sortedTags.filter(t => !parseSemverTag(t))
  }
}

/** The tag that decides the version, and where it came from; none for a pseudo-version. */
export function decideTag(
  ref: string,
  input: { version: string; tag: string } | undefined,
  headTags: readonly string[] = []
): { source: VersionSource; tag?: string; version?: string; head?: HeadTagChoice } {
  if (input) return { source: 'version input', tag: input.tag, version: input.version }
  const tagged = semverTag(ref)
  if (tagged) return { source: 'GITHUB_REF', ...tagged }
  const head = pickHeadTag(headTags)
  if (head) return { source: 'git tag at HEAD', tag: head.tag, version: head.version, head }
  return { source: 'pseudo-version' }
}

/** What git (or the runner) says beyond the commit and its time; each optional, for tests without git. */
export interface VersionFacts {
  /** The `version` input, parsed (parseVersionInput): wins over the ref and HEAD's tags. */
  input?: { version: string; tag: string }
  /** The tags at the commit in GoReleaser's order (gitTagsAt). */
  headTags?: readonly string[]
  /** git's abbreviation of the commit; without it, its first 7 characters. */
  shortCommit?: string
  previousTag?: string
  /** git's branch, used when the ref is not a branch. */
  gitBranch?: string
}

function compactUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/**
 * Decides the version from the version input, the ref, the tags at the commit, the commit and its
 * time (pure, so it is tested without git). Without a tag, Go's pseudo-version with 12 hex digits.
 */
export function buildVersion(
  ref: string,
  commit: string,
  timestamp: number,
  facts: VersionFacts = {}
): BuildVersion {
  const decided = decideTag(ref, facts.input, facts.headTags)
  const date = new Date(timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const version =
    decided.version ?? `0.0.0-${compactUtc(timestamp)}-${commit.slice(0, 12) || 'unknown'}`
  const parsed = semver.parse(version)
  const major = parsed?.major ?? 0
  const minor = parsed?.minor ?? 0
  const patch = parsed?.patch ?? 0
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : facts.gitBranch
  return {
    version,
    tag: decided.tag,
    commit,
    shortCommit: facts.shortCommit || commit.slice(0, 7),
    timestamp,
    date,
    source: decided.source,
    isSnapshot: decided.source === 'pseudo-version',
    major,
    minor,
    patch,
    prerelease: parsed?.prerelease.join('.') ?? '',
    rawVersion: `${major}.${minor}.${patch}`,
    ...(decided.tag !== undefined && facts.previousTag !== undefined
      ? { previousTag: facts.previousTag }
      : {}),
    ...(branch ? { branch } : {})
  }
}
