import path from 'node:path'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import { toolGoEnv } from '../toolchain/tool-cache.js'
import { installGoTool } from '../toolchain/go-tool-install.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'

const MODULE = 'honnef.co/go/tools'
const TOOL = 'staticcheck'

export interface Staticcheck {
  /** The module version it was built from, e.g. v0.8.2. */
  version: string
  binary: string
  /** STATICCHECK_CACHE: its analysis cache, which the analysis cache saves per commit. */
  analysisCache: string
  origin: 'tool cache' | 'built'
}

/** staticcheck's own cache (STATICCHECK_CACHE): beside the tool, saved by the analysis cache. */
export function staticcheckAnalysisCache(ctx: RunContext): string {
  return path.join(ctx.toolCacheDir, 'staticcheck-analysis')
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
  const installed = await installGoTool({
    module: MODULE,
    pkg: `${MODULE}/cmd/staticcheck`,
    tool: TOOL,
    exe: TOOL,
    version,
    input: 'staticcheck-version',
    go,
    ctx
  })
  return {
    version,
    binary: installed.binary,
    analysisCache: staticcheckAnalysisCache(ctx),
    origin: installed.origin
  }
}
