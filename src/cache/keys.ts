import { createHash } from 'node:crypto'

/** Bump when the layout of what we save changes, so old entries are never restored into new code. */
const VERSION = 'v1'
const PREFIX = 'go-package-action'

export interface CacheKeys {
  key: string
  restoreKeys: string[]
}

export interface RunnerPlatform {
  os: string
  arch: string
}

function short(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
}

/** The module cache depends only on the dependency set: go.sum and go.work.sum. */
export function moduleCacheKeys(runner: RunnerPlatform, sumsHash: string): CacheKeys {
  const base = `${PREFIX}-mod-${VERSION}-${runner.os}-${runner.arch}-`
  return { key: base + sumsHash, restoreKeys: [base] }
}

export interface BuildFingerprint {
  goVersion: string
  targets: readonly string[]
  race: boolean
  buildTags: readonly string[]
}

/** What makes one job's build cache different from another's; order of targets and tags does not matter. */
export function buildFingerprint(f: BuildFingerprint): string {
  return short({
    targets: [...f.targets].sort(),
    race: f.race,
    tags: [...f.buildTags].sort()
  })
}

/**
 * The build cache is keyed per job fingerprint and revision: a new commit saves a fresh (trimmed)
 * cache instead of keeping the first one forever; restore-keys fall back to the same job, then to
 * any job with the same Go, whose compiled packages are still mostly useful.
 */
export function buildCacheKeys(
  runner: RunnerPlatform,
  f: BuildFingerprint,
  revision: string
): CacheKeys {
  const goPart = `${PREFIX}-build-${VERSION}-${runner.os}-${runner.arch}-go${f.goVersion}-`
  const jobPart = `${goPart}${buildFingerprint(f)}-`
  return { key: jobPart + (revision || 'local'), restoreKeys: [jobPart, goPart] }
}

/**
 * The linters' analysis caches, like the build cache, are saved per revision and restored from the
 * newest of the same linters and Go.
 */
export function analysisCacheKeys(
  runner: RunnerPlatform,
  goVersion: string,
  linters: readonly InstalledTool[],
  revision: string
): CacheKeys {
  const base = `${PREFIX}-analysis-${VERSION}-${runner.os}-${runner.arch}-go${goVersion}-${toolList(linters)}-`
  return { key: base + (revision || 'local'), restoreKeys: [base] }
}

function toolList(tools: readonly InstalledTool[]): string {
  return [...tools]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(t => `${t.name}@${t.version}`)
    .join('-')
}

export interface InstalledTool {
  name: string
  version: string
}

/** Installed tools are exact: a key per tool set and Go version, and no partial restore. */
export function toolsCacheKeys(
  runner: RunnerPlatform,
  goVersion: string,
  tools: readonly InstalledTool[]
): CacheKeys {
  const list = toolList(tools)
  return {
    key: `${PREFIX}-tools-${VERSION}-${runner.os}-${runner.arch}-go${goVersion}-${list}`,
    restoreKeys: []
  }
}
