import semver from 'semver'

/** What the build is called and stamped with, decided once for every later stage. */
export interface BuildVersion {
  /** 1.2.3 on a semver tag, else a pseudo-version 0.0.0-20261127010203-abcdef123456. */
  version: string
  /** The tag (v1.2.3) when the ref is a semver tag. */
  tag?: string
  commit: string
  shortCommit: string
  /** Commit time, Unix seconds: SOURCE_DATE_EPOCH for everything built. */
  timestamp: number
  /** Commit time as RFC 3339 (UTC). */
  date: string
}

/** The tag name when it is SemVer 2.0 with at most one leading v (v1.2.3, 1.2.3-rc.1+build). */
export function semverTag(ref: string): { tag: string; version: string } | undefined {
  if (!ref.startsWith('refs/tags/')) return undefined
  const tag = ref.slice('refs/tags/'.length)
  const version = tag.startsWith('v') ? tag.slice(1) : tag
  // semver.valid drops build metadata, so compare without it.
  return semver.valid(version) === version.replace(/\+.*$/, '') ? { tag, version } : undefined
}

function compactUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** Decides the version from the ref, the commit and its time (pure, so it is tested without git). */
export function buildVersion(ref: string, commit: string, timestamp: number): BuildVersion {
  const shortCommit = commit.slice(0, 12)
  const tagged = semverTag(ref)
  const date = new Date(timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const version = tagged?.version ?? `0.0.0-${compactUtc(timestamp)}-${shortCommit || 'unknown'}`
  return { version, tag: tagged?.tag, commit, shortCommit, timestamp, date }
}
