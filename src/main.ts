import * as core from '@actions/core'
import { type RestoredCache, planCaches, restoreCaches } from './cache/go-caches.js'
import { savePendingCaches } from './cache/pending.js'
import { actionsCacheService, type CacheService } from './cache/service.js'
import { type Config, readConfig } from './config.js'
import { type RunContext, readContext } from './context.js'
import type { InstalledTool } from './cache/keys.js'
import { checkModule } from './checks/stage.js'
import { resolveStaticcheckVersion } from './checks/staticcheck-install.js'
import { annotateFindings } from './report/annotations.js'
import { checksSummary } from './report/checks-summary.js'
import { buildSummary } from './report/build-summary.js'
import { type BuildPlan, planBuild } from './build/plan-build.js'
import { type BuildResult, buildTargets } from './build/stage.js'
import { imageBinaryName } from './image/image-platforms.js'
import { buildImage, type ImageResult } from './image/stage.js'
import { decideRelease, type ReleaseDecision } from './release/policy.js'
import { checkReleasePlan, type ReleaseOutcome, releaseStage } from './release/stage.js'
import { releaseSummary } from './report/release-summary.js'
import { imageSummary } from './report/image-summary.js'
import { readBuildVersion } from './plan/read-version.js'
import type { BuildVersion } from './plan/version.js'
import { ActionError } from './errors.js'
import { runStage, skipStage } from './report/stage.js'
import { Report } from './report/summary.js'
import { exportGo, type GoToolchain, setupGo } from './toolchain/setup-go.js'

/** Why caches are off for this run, or undefined when they are on. */
function cachesOff(config: Config, ctx: RunContext, service: CacheService): string | undefined {
  if (!config.cache.enabled) return 'cache: false'
  if (ctx.local) return 'local run: there is no cache service'
  if (!service.available()) {
    core.warning(
      'The Actions cache service is not available to this job; continuing without caches.'
    )
    return 'the cache service is not available'
  }
  return undefined
}

async function restore(
  report: Report,
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  tools: InstalledTool[],
  service: CacheService
): Promise<RestoredCache[]> {
  const off = cachesOff(config, ctx, service)
  if (off) {
    skipStage(report, 'Restore caches', off)
    return []
  }
  return runStage(report, 'Restore caches', async () => {
    const entries = await planCaches(config, ctx, go, tools)
    const restored = await restoreCaches(entries, service)
    const detail = restored
      .map(c => `${c.name}: ${c.exactHit ? 'hit' : c.restoredKey ? 'partial' : 'miss'}`)
      .join(', ')
    return { value: restored, detail }
  })
}

/** The checks, each run to the end; then any failure stops the pipeline before build, image and release. */
async function check(
  report: Report,
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  staticcheckVersion: string | undefined
): Promise<void> {
  const { vet, staticcheck, test } = config.checks
  if (!vet && !staticcheck && !test)
    return skipStage(report, 'Checks', 'vet, staticcheck and test are all false')
  await runStage(report, 'Checks', async () => {
    const outcome = await checkModule(config, ctx, go, staticcheckVersion)
    annotateFindings(outcome.results.flatMap(r => r.findings))
    const blobBase =
      ctx.repository && ctx.sha ? `${ctx.serverUrl}/${ctx.repository}/blob/${ctx.sha}` : undefined
    report.section(budget => checksSummary(outcome, { blobBase }, budget))
    const detail = outcome.results
      .map(r => `${r.tool} ${r.ok ? '✅' : `❌ ${r.findings.length}`}`)
      .join(', ')
    const failed = outcome.results.filter(r => !r.ok)
    const what = failed.map(
      r => `${r.tool} (${r.findings.length} ${r.findings.length === 1 ? 'finding' : 'findings'})`
    )
    const failure =
      failed.length > 0
        ? new ActionError(
            `Checks failed: ${what.join(', ')}. Build, image and release did not run.`
          )
        : undefined
    return { value: outcome, detail, failure }
  })
}

async function build(
  report: Report,
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  plan: BuildPlan,
  version: BuildVersion
): Promise<BuildResult | undefined> {
  if (plan.kind === 'skip') {
    if (config.build.targets.length > 0)
      core.notice(`Build skipped: ${plan.why}. The image stage is skipped too.`)
    skipStage(report, 'Build', plan.why)
    return undefined
  }
  const result = await runStage(report, 'Build', async () => {
    const result = await buildTargets(plan, config.build, version, go, {
      workDir: config.workingDirectory,
      repoRoot: ctx.workspace
    })
    const binaries = result.targets.reduce((n, t) => n + t.binaries.length, 0)
    return {
      value: result,
      detail: `${version.version}: ${binaries} binaries, ${result.targets.length} archives`
    }
  })
  core.setOutput('artifacts', JSON.stringify(result.artifacts))
  core.setOutput('checksums', result.checksums.path)
  report.section(() => buildSummary(result, version))
  return result
}

/** The image binary, checked against the plan now, so a wrong image-binary fails before the checks. */
function planImage(config: Config, plan: BuildPlan): string | undefined {
  if (!config.image.repository || plan.kind === 'skip') return undefined
  return imageBinaryName(
    config.image.binary,
    plan.units.packages.map(p => p.binary)
  )
}

async function image(
  report: Report,
  config: Config,
  ctx: RunContext,
  version: BuildVersion,
  built: BuildResult | undefined,
  binary: string | undefined
): Promise<ImageResult | undefined> {
  if (!config.image.repository) {
    skipStage(report, 'Image', 'no image input')
    return undefined
  }
  if (!built || !binary) {
    skipStage(report, 'Image', 'nothing was built')
    return undefined
  }
  const result = await runStage(report, 'Image', async () => {
    const result = await buildImage(config.image, ctx, version, built, {
      binary,
      outputDir: config.build.outputDir,
      githubToken: config.release.githubToken
    })
    const where = result.pushed ? `pushed ${result.tags.join(', ')}` : 'OCI layout, not pushed'
    return {
      value: result,
      detail: `${result.platforms.length} platforms, ${result.digest.slice(0, 19)}…, ${where}`
    }
  })
  core.setOutput('image-digest', result.digest)
  core.setOutput('image-tags', result.references.join('\n'))
  if (result.layoutDir) core.setOutput('image-layout', result.layoutDir)
  report.section(() => imageSummary(result))
  return result
}

async function release(
  report: Report,
  config: Config,
  ctx: RunContext,
  decision: ReleaseDecision,
  version: BuildVersion,
  built: BuildResult | undefined,
  image: ImageResult | undefined
): Promise<void> {
  if (decision.kind === 'skip') {
    if (decision.notice) core.notice(`No release: ${decision.why}.`)
    return skipStage(report, 'Release', decision.why)
  }
  const outcome = await runStage<ReleaseOutcome>(report, 'Release', async () => {
    const outcome = await releaseStage(
      config.release,
      ctx,
      decision,
      version,
      built,
      image,
      config.build.outputDir
    )
    if (outcome.kind === 'dry-run')
      return { value: outcome, detail: `${decision.tag}: dry run into ${outcome.dryRun.dir}` }
    const { release: r, assets: a } = outcome.published
    return {
      value: outcome,
      detail: `${decision.tag} ${r.draft ? 'draft' : 'published'}: ${a.uploaded.length} uploaded, ${a.unchanged.length} unchanged, ${a.replaced.length} replaced`
    }
  })
  if (outcome.kind === 'dry-run') {
    core.info(`A local run: the release ${decision.tag} was written to ${outcome.dryRun.file}`)
    return
  }
  core.setOutput('release-id', String(outcome.published.release.id))
  core.setOutput('release-url', outcome.published.release.htmlUrl)
  report.section(() => releaseSummary(outcome.published))
}

/** The runner runs the same bundle again as the post step; this state tells the two apart. */
function markMainStepDone(): void {
  core.saveState('isPost', 'true')
}

export async function run(service: CacheService = actionsCacheService): Promise<void> {
  const runStartedMs = Date.now()
  markMainStepDone()
  const report = new Report()
  try {
    const ctx = readContext()
    const config = readConfig(ctx)
    for (const warning of config.warnings) core.warning(warning)

    const go = await runStage(report, 'Go toolchain', async () => {
      const go = await setupGo(config.go, ctx)
      await exportGo(go)
      core.info(`Using Go ${go.version} at ${go.goroot} (${go.origin})`)
      return { value: go, detail: `Go ${go.version} (${go.origin})` }
    })
    core.setOutput('go-version', go.version)
    core.setOutput('go-path', go.goroot)

    // Resolved before the caches, so that the tools cache key names an exact staticcheck version.
    const staticcheckVersion = config.checks.staticcheck
      ? await resolveStaticcheckVersion(config.checks.staticcheckVersion, go, ctx)
      : undefined
    const tools = staticcheckVersion ? [{ name: 'staticcheck', version: staticcheckVersion }] : []
    const caches = await restore(report, config, ctx, go, tools, service)
    core.setOutput('cache-hit', String(caches.length > 0 && caches.every(c => c.exactHit)))
    // Saved by the post step, once the job's later steps have used (and filled) the caches too.
    savePendingCaches({ jobStartedMs: runStartedMs, save: config.cache.save, caches })

    // Targets and main packages are checked now, so a bad entry fails before the checks run.
    const buildPlan = await planBuild(config.build, config.workingDirectory, go)
    const imageBinary = planImage(config, buildPlan)
    const version = await readBuildVersion(ctx, config.workingDirectory)
    core.setOutput('version', version.version)
    const releaseDecision = decideRelease(config.release, ctx, version)
    checkReleasePlan(releaseDecision, config.release, config.workingDirectory)

    await check(report, config, ctx, go, staticcheckVersion)
    const built = await build(report, config, ctx, go, buildPlan, version)
    const pushed = await image(report, config, ctx, version, built, imageBinary)
    await release(report, config, ctx, releaseDecision, version, built, pushed)
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
