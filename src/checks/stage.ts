import * as core from '@actions/core'
import type { RunContext } from '../context.js'
import type { Plan } from '../plan/plan.js'
import { ActionError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import type { Finding } from './finding.js'
import { type ChecksOutcome, runChecks } from './run-checks.js'
import { installGolangciLint } from './golangci/install.js'
import { installStaticcheck } from './staticcheck-install.js'
import { probeVulnDb } from './vulncheck/db.js'
import { type Govulncheck, installGovulncheck } from './vulncheck/install.js'

function place(f: Finding): string {
  if (!f.file) return f.package ?? ''
  return [f.file, f.line, f.column].filter(p => p !== undefined).join(':')
}

/** Every finding in the log too, in the compiler's familiar file:line:col form. */
function logFindings(outcome: ChecksOutcome): void {
  for (const check of outcome.results) {
    const status = check.ok ? (check.findings.length > 0 ? 'warn' : 'pass') : 'FAIL'
    core.info(
      `${check.tool}: ${status} in ${(check.durationMs / 1000).toFixed(1)} s (${check.command})`
    )
    for (const c of check.perConfig ?? [])
      core.info(`  ${c.platforms.join(' + ')}: ${(c.durationMs / 1000).toFixed(1)} s`)
    for (const f of check.findings) {
      const on = f.platforms ? ` [${f.platforms.join(', ')}]` : ''
      core.info(`  ${place(f)}:${on} ${f.message.split('\n').join('\n    ')}`)
    }
  }
  for (const p of outcome.packages) {
    const coverage = p.coverage === undefined ? '' : `, coverage ${p.coverage.toFixed(1)}%`
    core.info(
      `${p.outcome.padEnd(4)} ${p.package} (${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped${coverage})`
    )
  }
}

/**
 * A tool the checks need, installed (or found in the tool cache). Offline on a developer's machine
 * a tool that cannot be built should not stop the other checks.
 */
async function optionalTool<T>(
  name: string,
  ctx: RunContext,
  install: () => Promise<T>
): Promise<T | undefined> {
  try {
    return await install()
  } catch (error) {
    if (ctx.local && error instanceof ActionError) {
      core.warning(`${name} is skipped in this local run: ${error.message}`)
      return undefined
    }
    throw error
  }
}

/** govulncheck and its database, or undefined (with a warning) when the database does not answer. */
async function vulncheckFor(
  plan: Plan,
  go: GoToolchain
): Promise<{ tool: Govulncheck; db: string } | undefined> {
  const { checks, ctx } = plan
  if (checks.vulncheck === 'off' || !checks.govulncheckVersion || !checks.vulnDb) return undefined
  // Probed before govulncheck is built: a runner that cannot reach the database loses nothing.
  const probe = await probeVulnDb(checks.vulnDb)
  if (!probe.ok) {
    core.warning(
      `vulncheck: the vulnerability database ${checks.vulnDb} cannot be read (${probe.why}); ` +
        'known vulnerabilities were not looked for. Set vulncheck-db to a mirror (https:// or file://) ' +
        'the runner can reach, or vulncheck: false.'
    )
    return undefined
  }
  const version = checks.govulncheckVersion
  const tool = await optionalTool('govulncheck', ctx, () => installGovulncheck(version, go, ctx))
  if (tool) core.info(`govulncheck ${tool.version} (${tool.origin}), database ${checks.vulnDb}`)
  return tool ? { tool, db: checks.vulnDb } : undefined
}

/** The checks stage: the tools installed (or taken from the tool cache), then every check run. */
export async function checkModule(plan: Plan): Promise<ChecksOutcome> {
  const { checks, ctx, config } = plan
  const go = plan.go as GoToolchain
  const staticcheckVersion = checks.staticcheckVersion
  const staticcheck =
    checks.staticcheck !== 'off' && checks.lint === 'staticcheck' && staticcheckVersion
      ? await optionalTool('staticcheck', ctx, () =>
          installStaticcheck(staticcheckVersion, go, ctx)
        )
      : undefined
  if (staticcheck) core.info(`staticcheck ${staticcheck.version} (${staticcheck.origin})`)
  const golangciPlan = checks.staticcheck !== 'off' ? checks.golangci : undefined
  const golangciTool = golangciPlan
    ? await optionalTool('golangci-lint', ctx, () =>
        installGolangciLint(golangciPlan.version, go, ctx)
      )
    : undefined
  if (golangciTool && golangciPlan)
    core.info(
      `golangci-lint ${golangciTool.version} (${golangciTool.origin}) with ${golangciPlan.config.name}`
    )
  const vulncheck = await vulncheckFor(plan, go)
  core.info(
    `Analysed configurations (from ${checks.configurationsFrom}): ` +
      checks.configurations.map(c => c.platforms.join(' + ')).join('; ')
  )
  const outcome = await runChecks({
    config: config.checks,
    severities: {
      vet: checks.vet,
      staticcheck: checks.staticcheck,
      test: checks.test,
      vulncheck: checks.vulncheck
    },
    go,
    workDir: config.workingDirectory,
    repoRoot: ctx.workspace,
    buildTags: config.build.buildTags,
    tempDir: ctx.tempDir,
    configurations: checks.configurations,
    staticcheck,
    golangci:
      golangciTool && golangciPlan
        ? { tool: golangciTool, config: golangciPlan.config }
        : undefined,
    vulncheck
  })
  logFindings(outcome)
  return outcome
}
