import { existsSync, readdirSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import semver from 'semver'
import type { RunContext } from '../context.js'
import type { GoToolchain } from './setup-go.js'

/**
 * The runner's tool cache: <root>/<tool>/<version>/<arch>, complete when <arch>.complete exists.
 * The same layout as @actions/tool-cache, so Go preinstalled on runner images is found, and Go we
 * install is found by setup-go too.
 */
export function toolCachePath(root: string, tool: string, version: string, arch: string): string {
  return path.join(root, tool, version, arch)
}

export function findInToolCache(
  root: string,
  tool: string,
  version: string,
  arch: string
): string | undefined {
  const dir = toolCachePath(root, tool, version, arch)
  return existsSync(`${dir}.complete`) && existsSync(dir) ? dir : undefined
}

/** Complete versions of a tool in the cache, newest first. */
export function versionsInToolCache(root: string, tool: string, arch: string): string[] {
  const toolDir = path.join(root, tool)
  if (!existsSync(toolDir)) return []
  return readdirSync(toolDir)
    .filter(v => semver.valid(v) === v && findInToolCache(root, tool, v, arch))
    .sort(semver.rcompare)
}

/** A scratch folder beside the cache, on the same file system, so that moving in is a rename. */
export async function stagingDir(root: string, tool: string): Promise<string> {
  const dir = path.join(root, tool, `.staging-${process.pid}-${Date.now().toString(36)}`)
  await mkdir(dir, { recursive: true })
  return dir
}

/** Moves a finished folder into the cache and marks it complete; the marker comes last. */
export async function moveIntoToolCache(
  source: string,
  root: string,
  tool: string,
  version: string,
  arch: string
): Promise<string> {
  const dir = toolCachePath(root, tool, version, arch)
  await rm(`${dir}.complete`, { force: true })
  await rm(dir, { recursive: true, force: true })
  await mkdir(path.dirname(dir), { recursive: true })
  await rename(source, dir)
  await writeFile(`${dir}.complete`, '')
  return dir
}

/**
 * The environment `go install` of a Go tool (staticcheck, nfpm) runs in: the job's Go, and the
 * tool's own dependencies out of the job's module cache (and so out of its cache key).
 */
export function toolGoEnv(ctx: RunContext, go: GoToolchain): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    GOTOOLCHAIN: 'local',
    GOMODCACHE: path.join(ctx.tempDir, 'go-package-action-tools-mod'),
    GOFLAGS: '-modcacherw',
    GOROOT: go.goroot
  }
}
