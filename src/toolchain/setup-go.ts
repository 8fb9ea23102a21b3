import * as core from '@actions/core'
import * as io from '@actions/io'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { GoConfig } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import { execCapture, type ExecOptions } from '../util/exec.js'
import { DlSource } from './dl-source.js'
import { goToSemver, resolveVersion, satisfiesLocally, type GoVersionSpec } from './go-version.js'
import { goPlatform, type GoPlatform } from './platform.js'
import { ProxySource } from './proxy-source.js'
import type { ToolchainSource } from './source.js'
import {
  findInToolCache,
  moveIntoToolCache,
  stagingDir,
  versionsInToolCache
} from './tool-cache.js'

/** The Go this run uses. */
export interface GoToolchain {
  /** SemVer form, e.g. 1.26.8 (GOVERSION is go1.26.8). */
  version: string
  goroot: string
  goBinary: string
  /** How it was found: "tool cache", "downloaded from …", "PATH". */
  origin: string
}

function describeSpec(spec: GoVersionSpec): string {
  return spec.kind === 'range' ? `${spec.text} (${spec.range})` : spec.text
}

/** Outside any module and with GOTOOLCHAIN=local, so that no go.mod can make a probe switch Go or fail. */
function probeOptions(goBinary: string): ExecOptions {
  return {
    cwd: path.dirname(goBinary),
    env: { ...process.env, GOTOOLCHAIN: 'local' } as Record<string, string>
  }
}

/** Asks an installed Go which version it is, so that what we export is what runs. */
async function probeGo(goBinary: string): Promise<string | undefined> {
  const result = await execCapture(goBinary, ['env', 'GOVERSION'], probeOptions(goBinary))
  if (result.code !== 0) return undefined
  // GOVERSION may carry a suffix such as "go1.26.8 X:nocoverageredesign".
  return goToSemver(result.stdout.trim().split(/\s+/)[0] ?? '')
}

function goBinaryIn(goroot: string): string {
  return path.join(goroot, 'bin', process.platform === 'win32' ? 'go.exe' : 'go')
}

function fromToolCache(
  config: GoConfig,
  ctx: RunContext,
  platform: GoPlatform
): string | undefined {
  const cached = versionsInToolCache(ctx.toolCacheDir, 'go', platform.toolCacheArch)
  return cached.find(v => satisfiesLocally(config.spec, v))
}

/** Locally (npm start) a Go on PATH that fits is used as it is: no network needed. */
async function fromPath(config: GoConfig): Promise<GoToolchain | undefined> {
  const goBinary = await io.which('go', false)
  if (!goBinary) return undefined
  const version = await probeGo(goBinary)
  if (!version || !satisfiesLocally(config.spec, version)) return undefined
  const goroot = (
    await execCapture(goBinary, ['env', 'GOROOT'], probeOptions(goBinary))
  ).stdout.trim()
  return { version, goroot, goBinary: goBinaryIn(goroot), origin: 'PATH' }
}

function sourceFor(config: GoConfig): ToolchainSource {
  return config.downloadSource === 'proxy'
    ? new ProxySource()
    : new DlSource(config.downloadBaseUrl)
}

async function install(
  source: ToolchainSource,
  version: string,
  platform: GoPlatform,
  ctx: RunContext
): Promise<string> {
  const staging = await stagingDir(ctx.toolCacheDir, 'go')
  try {
    core.info(
      `Downloading Go ${version} for ${platform.os}/${platform.arch} from ${source.description}`
    )
    const goroot = await source.fetch(version, platform, staging)
    const installed = await probeGo(goBinaryIn(goroot))
    if (installed !== version) {
      throw new ActionError(
        `the Go from ${source.description} says it is ${installed ?? 'unknown'}, not ${version}; refusing it`
      )
    }
    return await moveIntoToolCache(goroot, ctx.toolCacheDir, 'go', version, platform.toolCacheArch)
  } finally {
    // Whatever happened, nothing half-made stays in the tool cache.
    await rm(staging, { recursive: true, force: true })
  }
}

/** Finds or installs the Go that config asks for; exporting it is exportGo's job. */
export async function setupGo(config: GoConfig, ctx: RunContext): Promise<GoToolchain> {
  const platform = goPlatform(ctx.runner.os, ctx.runner.arch)
  core.info(`Go version from ${config.specSource}: ${describeSpec(config.spec)}`)

  if (!config.checkLatest) {
    const cached = fromToolCache(config, ctx, platform)
    if (cached) {
      const goroot = findInToolCache(
        ctx.toolCacheDir,
        'go',
        cached,
        platform.toolCacheArch
      ) as string
      return { version: cached, goroot, goBinary: goBinaryIn(goroot), origin: 'tool cache' }
    }
    if (ctx.local) {
      const onPath = await fromPath(config)
      if (onPath) return onPath
    }
  }

  const source = sourceFor(config)
  const available = await source.listVersions(platform)
  const version = resolveVersion(config.spec, available)
  if (!version) {
    throw new ActionError(
      `no Go release for ${platform.os}/${platform.arch} matches ${describeSpec(config.spec)} ` +
        `(from ${config.specSource}) at ${source.description}`
    )
  }
  const cached = findInToolCache(ctx.toolCacheDir, 'go', version, platform.toolCacheArch)
  if (cached) return { version, goroot: cached, goBinary: goBinaryIn(cached), origin: 'tool cache' }

  const goroot = await install(source, version, platform, ctx)
  return {
    version,
    goroot,
    goBinary: goBinaryIn(goroot),
    origin: `downloaded from ${source.description}`
  }
}

/** Makes the chosen Go the one every later step runs, never switching toolchains behind our back. */
export async function exportGo(go: GoToolchain): Promise<void> {
  core.exportVariable('GOROOT', go.goroot)
  core.exportVariable('GOTOOLCHAIN', 'local')
  core.addPath(path.dirname(go.goBinary))
  const gopath = (await execCapture(go.goBinary, ['env', 'GOPATH'])).stdout.trim()
  if (gopath) core.addPath(path.join(gopath.split(path.delimiter)[0] ?? gopath, 'bin'))
}
