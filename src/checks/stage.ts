import * as core from '@actions/core'
import type { Config } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import type { Finding } from './finding.js'
import { type ChecksOutcome, runChecks } from './run-checks.js'
import { installStaticcheck, type Staticcheck } from './staticcheck-install.js'

function place(f: Finding): string {
  if (!f.file) return f.package ?? ''
  return [f.file, f.line, f.column].filter(p => p !== undefined).join(':')
}

/** Every finding in the log too, in the compiler's familiar file:line:col form. */
function logFindings(outcome: ChecksOutcome): void {
  for (const check of outcome.results) {
    const status = check.ok ? 'pass' : 'FAIL'
    core.info(
      `${check.tool}: ${status} in ${(check.durationMs / 1000).toFixed(1)} s (${check.command})`
    )
    for (const f of check.findings)
      core.info(`  ${place(f)}: ${f.message.split('\n').join('\n    ')}`)
  }
  for (const p of outcome.packages) {
    const coverage = p.coverage === undefined ? '' : `, coverage ${p.coverage.toFixed(1)}%`
    core.info(
      `${p.outcome.padEnd(4)} ${p.package} (${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped${coverage})`
    )
  }
}

async function staticcheckFor(
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  version: string | undefined
): Promise<Staticcheck | undefined> {
  if (!config.checks.staticcheck || !version) return undefined
  try {
    return await installStaticcheck(version, go, ctx)
  } catch (error) {
    // Offline on a developer's machine, a missing staticcheck should not stop the other checks.
    if (ctx.local && error instanceof ActionError) {
      core.warning(`staticcheck is skipped in this local run: ${error.message}`)
      return undefined
    }
    throw error
  }
}

/** The checks stage: staticcheck installed (or taken from the tool cache), then every check run. */
export async function checkModule(
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  staticcheckVersion: string | undefined
): Promise<ChecksOutcome> {
  const staticcheck = await staticcheckFor(config, ctx, go, staticcheckVersion)
  if (staticcheck) core.info(`staticcheck ${staticcheck.version} (${staticcheck.origin})`)
  const outcome = await runChecks({
    config: config.checks,
    go,
    workDir: config.workingDirectory,
    repoRoot: ctx.workspace,
    buildTags: config.build.buildTags,
    staticcheck
  })
  logFindings(outcome)
  return outcome
}
