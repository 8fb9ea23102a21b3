import { installGoTool } from '../toolchain/go-tool-install.js'
import type { RunContext } from '../context.js'
import type { GoToolchain } from '../toolchain/setup-go.js'

/**
 * The nfpm the action packages with: one exact version, so that a package's bytes depend on the
 * action's version alone. v2.45.2 is the newest release that builds from the module proxy: from
 * v2.46.0 on, nfpm needs go.digitalxero.dev/go-msix and go.digitalxero.dev/rpm, which
 * proxy.golang.org refuses (403).
 */
export const NFPM_VERSION = 'v2.45.2'

const MODULE = 'github.com/goreleaser/nfpm/v2'
const TOOL = 'nfpm'

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
  return installGoTool({
    module: MODULE,
    pkg: `${MODULE}/cmd/nfpm`,
    tool: TOOL,
    exe: TOOL,
    version,
    input: 'packages',
    go,
    ctx
  })
}
