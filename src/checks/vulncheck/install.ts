// govulncheck built with the job's Go (go-tool-install.ts), once per govulncheck and Go version.
// Source mode loads the module with go/packages, so it must understand the module's Go version;
// binary mode reads build info and symbol tables of any GOOS.
import path from 'node:path'
import type { RunContext } from '../../context.js'
import type { GoToolchain } from '../../toolchain/setup-go.js'
import { installGoTool } from '../../toolchain/go-tool-install.js'

/** The govulncheck the action runs: golang.org/x/vuln's release, pinned. */
export const DEFAULT_GOVULNCHECK_VERSION = 'v1.9.0'

const MODULE = 'golang.org/x/vuln'
const TOOL = 'govulncheck'

export interface Govulncheck {
  /** The module version it was built from, e.g. v1.9.0. */
  version: string
  binary: string
  origin: 'tool cache' | 'built'
}

/** Where govulncheck lives in the tool cache; the tools cache saves this whole folder. */
export function govulncheckRoot(ctx: RunContext): string {
  return path.join(ctx.toolCacheDir, TOOL)
}

/** govulncheck from the tool cache, or built now with the job's Go and moved in. */
export async function installGovulncheck(
  version: string,
  go: GoToolchain,
  ctx: RunContext
): Promise<Govulncheck> {
  const installed = await installGoTool({
    module: MODULE,
    pkg: `${MODULE}/cmd/govulncheck`,
    tool: TOOL,
    exe: TOOL,
    version,
    input: 'vulncheck',
    go,
    ctx
  })
  return { version: installed.version, binary: installed.binary, origin: installed.origin }
}
