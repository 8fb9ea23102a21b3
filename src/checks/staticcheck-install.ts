import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import {
  findInToolCache,
  moveIntoToolCache,
  stagingDir,
  toolGoEnv
} from '../toolchain/tool-cache.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'

const MODULE = 'honnef.co/go/tools'
const TOOL = 'staticcheck'
const EXE = process.platform === 'win32' ? 'staticcheck.exe' : 'staticcheck'

export interface Staticcheck {
  /** The module version it was built from, e.g. v0.8.2. */
  version: string
  binary: string
  /** STATICCHECK_CACHE: its analysis cache, kept beside the tool so the tools cache saves both. */
  analysisCache: string
  origin: 'tool cache' | 'built'
}

/** Where staticcheck lives in the tool cache; the tools cache saves this whole folder. */
export function staticcheckRoot(ctx: RunContext): string {
  return path.join(ctx.toolCacheDir, TOOL)
}

/** Turns staticcheck-version into an exact module version; `latest` asks the module proxy. */
export async function resolveStaticcheckVersion(
  requested: string,
  go: GoToolchain,
  ctx: RunContext
): Promise<string> {
  if (requested !== 'latest') return requested.startsWith('v') ? requested : `v${requested}`
  const result = await execCapture(go.goBinary, ['list', '-m', '-json', `${MODULE}@latest`], {
    cwd: ctx.tempDir,
    env: toolGoEnv(ctx, go),
    timeoutMs: commandLimitMs()
  })
  if (result.timedOutMs !== undefined)
    throw new ActionError(
      `staticcheck-version: go list -m ${MODULE}@latest did not finish within ${formatDuration(result.timedOutMs)} ` +
        `and was stopped (it asks the module proxy, GOPROXY); if it is only slow, raise ${COMMAND_VARIABLE}`
    )
  if (result.code !== 0) {
    throw new ActionError(
      `staticcheck-version: could not resolve latest of ${MODULE}: ${result.stderr.trim()}`
    )
  }
  return (JSON.parse(result.stdout) as { Version: string }).Version
}

/**
 * staticcheck built by the job's Go (it must understand the module's Go version), installed into
 * the tool cache once per staticcheck and Go version, so a second run neither builds nor downloads.
 */
export async function installStaticcheck(
  version: string,
  go: GoToolchain,
  ctx: RunContext
): Promise<Staticcheck> {
  const root = staticcheckRoot(ctx)
  const slot = `${process.arch}-go${go.version}`
  const analysisCache = path.join(root, 'analysis-cache')
  const cached = findInToolCache(ctx.toolCacheDir, TOOL, version, slot)
  if (cached)
    return { version, binary: path.join(cached, EXE), analysisCache, origin: 'tool cache' }

  const staging = await stagingDir(ctx.toolCacheDir, TOOL)
  try {
    core.info(`Building staticcheck ${version} with Go ${go.version}`)
    const env = { ...toolGoEnv(ctx, go), GOBIN: staging }
    const result = await execCapture(
      go.goBinary,
      ['install', `${MODULE}/cmd/staticcheck@${version}`],
      {
        cwd: staging,
        env,
        echo: true,
        timeoutMs: commandLimitMs()
      }
    )
    if (result.timedOutMs !== undefined)
      throw new ActionError(
        `staticcheck-version: go install ${MODULE}/cmd/staticcheck@${version} did not finish within ` +
          `${formatDuration(result.timedOutMs)} and was stopped (it downloads from the module proxy, GOPROXY); ` +
          `if it is only slow, raise ${COMMAND_VARIABLE}`
      )
    if (result.code !== 0) {
      throw new ActionError(
        `staticcheck-version: building staticcheck ${version} with Go ${go.version} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`
      )
    }
    const dir = await moveIntoToolCache(staging, ctx.toolCacheDir, TOOL, version, slot)
    return { version, binary: path.join(dir, EXE), analysisCache, origin: 'built' }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}
