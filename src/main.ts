// The pipeline: inputs → Config → Plan (half before Go, half with it) → the mode's stages.
import * as core from '@actions/core'
import { actionsCacheService, type CacheService } from './cache/service.js'
import { readConfig } from './config.js'
import { readContext } from './context.js'
import { ActionError } from './errors.js'
import { stagesFor } from './pipeline/stages.js'
import { runStages } from './pipeline/stage.js'
import { planBeforeGo } from './plan/before-go.js'
import type { Plan } from './plan/plan.js'
import { planMarkdown, planText } from './plan/show.js'
import { planWithGo } from './plan/with-go.js'
import { runStage } from './report/stage.js'
import { Report } from './report/summary.js'
import { exportGo, setupGo } from './toolchain/setup-go.js'

/** The runner runs the same bundle again as the post step; this state tells the two apart. */
function markMainStepDone(): void {
  core.saveState('isPost', 'true')
}

/** The plan in the log, as one group, and at the top of the job summary's sections. */
function showPlan(plan: Plan, report: Report): void {
  core.startGroup('What this run will do')
  core.info(planText(plan))
  core.endGroup()
  report.section(() => planMarkdown(plan))
  core.setOutput('version', plan.version.version)
}

export async function run(service: CacheService = actionsCacheService): Promise<void> {
  const jobStartedMs = Date.now()
  markMainStepDone()
  const report = new Report()
  try {
    // 1. Every input parsed and checked; nothing read from the network yet.
    const ctx = readContext()
    const config = readConfig(ctx)
    for (const warning of config.warnings) core.warning(warning)

    // 2. Everything that needs no Go decided and checked before the first download.
    const before = await planBeforeGo(config, ctx)

    // 3. Go (mode: publish builds nothing and needs none), then what only Go can tell.
    const go =
      config.mode === 'publish'
        ? undefined
        : await runStage(report, 'Go toolchain', async () => {
            const go = await setupGo(config.go, ctx)
            await exportGo(go)
            core.setOutput('go-version', go.version)
            core.setOutput('go-path', go.goroot)
            core.info(`Using Go ${go.version} at ${go.goroot} (${go.origin})`)
            return { value: go, detail: `Go ${go.version} (${go.origin})` }
          })
    const plan = await planWithGo(config, ctx, before, go, service)
    showPlan(plan, report)

    // 4. The mode's stages carry the plan out.
    await runStages(stagesFor(plan.mode, { cache: service, jobStartedMs }), plan, report)
  } catch (error) {
    if (error instanceof ActionError) core.setFailed(error.message)
    else {
      core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
      if (error instanceof Error && error.stack) core.debug(error.stack)
    }
  } finally {
    await report.write().catch(e => core.warning(`Could not write the job summary: ${String(e)}`))
  }
}
