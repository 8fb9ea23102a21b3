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

/**
 * The nfpm the action packages with: one exact version, so that a package's bytes depend on the
 * action's version alone. v2.45.2 is the newest release that builds from the module proxy: from
 * v2.46.0 on, nfpm needs go.digitalxero.dev/go-msix and go.digitalxero.dev/rpm, which
 * proxy.golang.org refuses (403).
 */
export const NFPM_VERSION = 'v2.45.2'

const MODULE = 'github.com/goreleaser/nfpm/v2'
const TOOL = 'nfpm'
const EXE = process.platform === 'win32' ? 'nfpm.exe' : 'nfpm'

export interface Nfpm {
  /** The module version it was built from, e.g. v2.45.2. */
  version: string
  binary: string
  origin: 'tool cache' | 'built'
  /** How long `go install` took, when it was built now. */
  buildMs?: number
}

/**
 * nfpm built by the job's Go through the module proxy, installed into the tool cache once per nfpm
 * and Go version, so that a second run neither builds nor downloads. `version` is for tests only.
 */
export async function installNfpm(
  ctx: RunContext,
  go: GoToolchain,
  version: string = NFPM_VERSION
): Promise<Nfpm> {
  const slot = `${process.arch}-go${go.version}`
  const cached = findInToolCache(ctx.toolCacheDir, TOOL, version, slot)
  if (cached) return { version, binary: path.join(cached, EXE), origin: 'tool cache' }

  const staging = await stagingDir(ctx.toolCacheDir, TOOL)
  try {
    core.info(`Building nfpm ${version} with Go ${go.version}`)
    const started = Date.now()
    const result = await execCapture(go.goBinary, ['install', `${MODULE}/cmd/nfpm@${version}`], {
      cwd: staging,
      env: { ...toolGoEnv(ctx, go), GOBIN: staging },
      echo: true,
      timeoutMs: commandLimitMs()
    })
    if (result.timedOutMs !== undefined)
      throw new ActionError(
        `packages: go install ${MODULE}/cmd/nfpm@${version} did not finish within ` +
          `${formatDuration(result.timedOutMs)} and was stopped (it downloads from the module proxy, GOPROXY); ` +
          `if it is only slow, raise ${COMMAND_VARIABLE}`
      )
    if (result.code !== 0) {
      const lines = result.stderr
        .trim()
        .split('\n')
        .filter(line => !line.startsWith('go: downloading '))
      throw new ActionError(
        `packages: building nfpm ${version} with Go ${go.version} failed: ${lines.slice(-3).join(' ')}`
      )
    }
    const buildMs = Date.now() - started
    core.info(`Built nfpm ${version} in ${formatDuration(buildMs)}`)
    // Another job on this machine (a self-hosted runner, parallel tests) may have finished first:
    // keep its copy rather than remove a binary it may be running.
    const raced = findInToolCache(ctx.toolCacheDir, TOOL, version, slot)
    if (raced) return { version, binary: path.join(raced, EXE), origin: 'built', buildMs }
    const dir = await moveIntoToolCache(staging, ctx.toolCacheDir, TOOL, version, slot)
    return { version, binary: path.join(dir, EXE), origin: 'built', buildMs }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}
