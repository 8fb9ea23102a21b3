import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import type { RunContext } from '../context.js'
import { goPlatform } from '../toolchain/platform.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import {
  analysisCacheKeys,
  buildCacheKeys,
  type CacheKeys,
  type InstalledTool,
  moduleCacheKeys,
  toolsCacheKeys
} from './keys.js'
import type { CacheService } from './service.js'
import { trimBuildCache } from './trim.js'

/** One cache with one owner and one key. Plain data: it travels from the main step to the post step. */
export interface CacheEntry {
  name: 'modules' | 'build' | 'tools' | 'analysis'
  paths: string[]
  keys: CacheKeys
}

export interface RestoredCache extends CacheEntry {
  restoredKey?: string
  exactHit: boolean
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', 'testdata'])

/** A digest of every go.sum and go.work.sum of the module (or workspace), or undefined if none. */
export async function hashDependencyFiles(root: string): Promise<string | undefined> {
  const files: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name))
        await walk(path.join(dir, entry.name))
      else if (entry.isFile() && (entry.name === 'go.sum' || entry.name === 'go.work.sum'))
        files.push(path.join(dir, entry.name))
    }
  }
  await walk(root)
  if (files.length === 0) return undefined
  const hash = createHash('sha256')
  for (const file of files.sort())
    hash.update(`${path.relative(root, file)}\0`).update(await readFile(file))
  return hash.digest('hex').slice(0, 32)
}

async function goEnvPaths(go: GoToolchain): Promise<{ GOMODCACHE: string; GOCACHE: string }> {
  const result = await execCapture(go.goBinary, ['env', '-json', 'GOMODCACHE', 'GOCACHE'], {
    cwd: path.dirname(go.goBinary)
  })
  if (result.code !== 0) throw new Error(`go env failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as { GOMODCACHE: string; GOCACHE: string }
}

/** Decides which caches this run owns, where they live and under which keys. */
export async function planCaches(
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  tools: readonly InstalledTool[],
  analysis?: { linters: readonly InstalledTool[]; paths: readonly string[] }
): Promise<CacheEntry[]> {
  const runner = goPlatform(ctx.runner.os, ctx.runner.arch)
  const { GOMODCACHE, GOCACHE } = await goEnvPaths(go)
  const entries: CacheEntry[] = []

  const sums = await hashDependencyFiles(config.workingDirectory)
  if (sums)
    entries.push({ name: 'modules', paths: [GOMODCACHE], keys: moduleCacheKeys(runner, sums) })
  else core.info('Module cache: no go.sum, so there are no dependencies to cache.')

  const fingerprint = {
    goVersion: go.version,
    targets: config.build.targets,
    race: config.checks.test !== 'off' && config.checks.race,
    buildTags: config.build.buildTags
  }
  entries.push({
    name: 'build',
    paths: [GOCACHE],
    keys: buildCacheKeys(runner, fingerprint, ctx.sha)
  })

  // The linters' own analysis caches change with the code, as the build cache does: saved per
  // commit and restored from the newest, so a warm run re-analyses only what changed.
  if (analysis && analysis.paths.length > 0)
    entries.push({
      name: 'analysis',
      paths: [...analysis.paths],
      keys: analysisCacheKeys(runner, go.version, analysis.linters, ctx.sha)
    })

  if (tools.length > 0) {
    entries.push({
      name: 'tools',
      paths: tools.map(t => path.join(ctx.toolCacheDir, t.name)),
      keys: toolsCacheKeys(runner, go.version, tools)
    })
  }
  return entries
}

/** Restores the caches side by side (each is a download and an unpack); logs them in plan order. */
export async function restoreCaches(
  entries: readonly CacheEntry[],
  service: CacheService
): Promise<RestoredCache[]> {
  const restored = await Promise.all(
    entries.map(async (entry): Promise<RestoredCache> => {
      const restoredKey = await service.restore(entry.paths, entry.keys.key, entry.keys.restoreKeys)
      // Keys match case-insensitively (act's cache server even lowercases them).
      const exactHit = restoredKey?.toLowerCase() === entry.keys.key.toLowerCase()
      return { ...entry, restoredKey, exactHit }
    })
  )
  for (const { name, restoredKey, exactHit, keys } of restored) {
    core.info(
      restoredKey
        ? `Cache ${name}: restored ${exactHit ? 'exact key' : 'from restore key'} ${restoredKey}`
        : `Cache ${name}: nothing under ${keys.key} or its restore keys`
    )
  }
  return restored
}

const mib = (bytes: number): string => (bytes / 1048576).toFixed(1)

/**
 * Trims a cache in Go's cache format (the build cache, staticcheck's and golangci-lint's) to what
 * this job used; false when that leaves nothing worth saving.
 */
async function trimmedForSave(
  name: string,
  gocache: string,
  jobStartedMs: number
): Promise<boolean> {
  const trimmed = await trimBuildCache(gocache, jobStartedMs)
  core.info(
    `Cache ${name}: trimmed ${trimmed.removedFiles} entries this job did not use (${mib(trimmed.removedBytes)} MiB), ` +
      `kept ${mib(trimmed.keptBytes)} MiB`
  )
  return trimmed.keptBytes > 0
}

/**
 * Saves each cache that was not an exact hit (an exact hit already holds this content under this key).
 * Runs in the post step, after the job's own steps have used and filled the caches.
 */
export async function saveCaches(
  caches: readonly RestoredCache[],
  service: CacheService,
  jobStartedMs: number
): Promise<void> {
  for (const entry of caches) {
    if (entry.exactHit) {
      core.info(`Cache ${entry.name}: exact hit on ${entry.keys.key}, not saved again.`)
      continue
    }
    const paths = entry.paths.filter(p => existsSync(p))
    if (paths.length === 0) {
      core.info(`Cache ${entry.name}: nothing to save (${entry.paths.join(', ')} does not exist).`)
      continue
    }
    if (entry.name === 'build' || entry.name === 'analysis') {
      let kept = false
      for (const p of paths) if (await trimmedForSave(entry.name, p, jobStartedMs)) kept = true
      if (!kept) {
        core.info(`Cache ${entry.name}: this job used none of it, so there is nothing to save.`)
        continue
      }
    }
    const saved = await service.save(paths, entry.keys.key)
    core.info(`Cache ${entry.name}: ${saved ? 'saved as' : 'not saved under'} ${entry.keys.key}`)
  }
}
