// golangci-lint built with the job's Go through the module proxy (go-tool-install.ts), as
// staticcheck is: a linter built with an older Go cannot load code written for a newer one. Once
// per (golangci-lint version, Go version) in the tool cache; its analysis cache
// (GOLANGCI_LINT_CACHE) lives beside it, saved per commit by the analysis cache.
import path from 'node:path'
import type { RunContext } from '../../context.js'
import { InputError } from '../../errors.js'
import type { GoToolchain } from '../../toolchain/setup-go.js'
import { installGoTool } from '../../toolchain/go-tool-install.js'

/** The golangci-lint the action runs unless golangci-lint-version says otherwise. */
export const DEFAULT_GOLANGCI_LINT_VERSION = 'v2.15.0'

const INPUT = 'golangci-lint-version'
const MODULE = 'github.com/golangci/golangci-lint/v2'
const PACKAGE = `${MODULE}/cmd/golangci-lint`
const TOOL = 'golangci-lint'

export interface GolangciLint {
  /** The module version it was built from, e.g. v2.15.0. */
  version: string
  binary: string
  /** GOLANGCI_LINT_CACHE: its analysis cache, beside the tool, saved by the analysis cache. */
  cache: string
  origin: 'tool cache' | 'built'
  /** How long `go install` took, when it was built now. */
  buildMs?: number
}

/**
 * The golangci-lint-version input as a module version: v2.X.Y (the leading v optional); empty is
 * the default. v1 is refused: its configuration files and flags differ, and its module path
 * (github.com/golangci/golangci-lint) is another module. No `latest`: a lint run that changes
 * with nobody changing anything fails builds on its own.
 */
export function parseGolangciLintVersion(value: string): string {
  const text = value.trim()
  if (text === '') return DEFAULT_GOLANGCI_LINT_VERSION
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (!m)
    throw new InputError(
      INPUT,
      `"${text.slice(0, 60)}" is not a golangci-lint version; give an exact v2 release such as ${DEFAULT_GOLANGCI_LINT_VERSION}`
    )
  if (m[1] !== '2')
    throw new InputError(
      INPUT,
      `${text} is golangci-lint v${m[1]}; only v2 (v2.X.Y, e.g. ${DEFAULT_GOLANGCI_LINT_VERSION}) is supported` +
        (m[1] === '1'
          ? ' — a v1 configuration file converts with `golangci-lint migrate --config <file>`'
          : '')
    )
  // No leading zeros: the module proxy knows v2.1.0, not v2.01.0.
  const parts = [m[1], m[2], m[3]].map(p => String(Number(p)))
  return `v${parts.join('.')}`
}

/** Where golangci-lint lives in the tool cache; the tools cache saves this whole folder. */
export function golangciLintRoot(ctx: RunContext): string {
  return path.join(ctx.toolCacheDir, TOOL)
}

/**
 * golangci-lint's own cache (GOLANGCI_LINT_CACHE): beside the tool but not in its folder, so that
 * the tools cache (per tool and Go version) does not hold it; the analysis cache saves it per
 * commit, as staticcheck's.
 */
export function golangciLintCacheDir(ctx: RunContext): string {
  return path.join(ctx.toolCacheDir, 'golangci-lint-analysis')
}

/**
 * golangci-lint built by the job's Go through the module proxy, installed into the tool cache
 * once per golangci-lint and Go version, so that a second run neither builds nor downloads.
 * Errors name the input golangci-lint-version.
 */
export async function installGolangciLint(
  version: string,
  go: GoToolchain,
  ctx: RunContext
): Promise<GolangciLint> {
  const installed = await installGoTool({
    module: MODULE,
    pkg: PACKAGE,
    tool: TOOL,
    exe: TOOL,
    version,
    input: INPUT,
    go,
    ctx
  })
  return { ...installed, cache: golangciLintCacheDir(ctx) }
}
