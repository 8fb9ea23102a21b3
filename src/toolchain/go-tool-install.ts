// A Go tool (staticcheck, golangci-lint, govulncheck) built with the job's Go through the module
// proxy and installed into the tool cache once per (tool version, Go version): a tool built with an
// older Go cannot load code written for a newer one. A second run neither builds nor downloads.
import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import type { GoToolchain } from './setup-go.js'
import { findInToolCache, moveIntoToolCache, stagingDir, toolGoEnv } from './tool-cache.js'
import { execCapture } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'

export interface GoToolSpec {
  /** The module, for messages: honnef.co/go/tools. */
  module: string
  /** The package `go install` builds: honnef.co/go/tools/cmd/staticcheck. */
  pkg: string
  /** The tool's folder in the tool cache: staticcheck. */
  tool: string
  /** The executable's name without .exe: staticcheck. */
  exe: string
  /** An exact module version: v0.7.0. */
  version: string
  /** The input the version comes from, or the check's name: messages start with it. */
  input: string
  go: GoToolchain
  ctx: RunContext
}

export interface InstalledGoTool {
  version: string
  /** The executable, absolute. */
  binary: string
  origin: 'tool cache' | 'built'
  /** How long `go install` took, when it was built now. */
  buildMs?: number
}

/** The tool-cache slot of a tool built by this Go on this machine. */
export function goToolSlot(go: GoToolchain): string {
  return `${process.arch}-go${go.version}`
}

/** The executable's file name on this OS. */
export function exeName(exe: string): string {
  return process.platform === 'win32' ? `${exe}.exe` : exe
}

/**
 * The tool from the tool cache, or built by `go install <pkg>@<version>` into a staging folder
 * beside the cache and moved in (complete marker last). Its dependencies come from a module cache
 * of its own (toolGoEnv), so the job's module cache and its key stay the module's.
 */
export async function installGoTool(spec: GoToolSpec): Promise<InstalledGoTool> {
  const { ctx, go, tool, version } = spec
  const slot = goToolSlot(go)
  const exe = exeName(spec.exe)
  const cached = findInToolCache(ctx.toolCacheDir, tool, version, slot)
  if (cached) return { version, binary: path.join(cached, exe), origin: 'tool cache' }

  const staging = await stagingDir(ctx.toolCacheDir, tool)
  try {
    core.info(`Building ${tool} ${version} with Go ${go.version}`)
    const started = Date.now()
    const result = await execCapture(go.goBinary, ['install', `${spec.pkg}@${version}`], {
      cwd: staging,
      env: { ...toolGoEnv(ctx, go), GOBIN: staging },
      echo: true,
      timeoutMs: commandLimitMs()
    })
    if (result.timedOutMs !== undefined)
      throw new ActionError(
        `${spec.input}: go install ${spec.pkg}@${version} did not finish within ` +
          `${formatDuration(result.timedOutMs)} and was stopped (it downloads ${spec.module} from the ` +
          `module proxy, GOPROXY); if it is only slow, raise ${COMMAND_VARIABLE}`
      )
    if (result.code !== 0) {
      const tail = result.stderr
        .trim()
        .split('\n')
        .filter(line => !line.startsWith('go: downloading '))
        .slice(-3)
        .join(' ')
      throw new ActionError(
        `${spec.input}: building ${tool} ${version} with Go ${go.version} failed: ${tail}`
      )
    }
    const buildMs = Date.now() - started
    core.info(`Built ${tool} ${version} in ${formatDuration(buildMs)}`)
    // Another job on this machine (a self-hosted runner, parallel tests) may have finished first:
    // keep its copy rather than remove a binary it may be running.
    const raced = findInToolCache(ctx.toolCacheDir, tool, version, slot)
    if (raced) return { version, binary: path.join(raced, exe), origin: 'built', buildMs }
    const dir = await moveIntoToolCache(staging, ctx.toolCacheDir, tool, version, slot)
    return { version, binary: path.join(dir, exe), origin: 'built', buildMs }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}
