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
import { type BuildResult, buildTargets, writeChecksums } from './build/stage.js'
import { imageBinaryName } from './image/image-platforms.js'
import {
  buildImage,
  buildLegImages,
  deliverImage,
  type ImageResult,
  type LegImage
} from './image/stage.js'
import { loadLegImages } from './image/leg-layouts.js'
import { mergeLegs, writeLegManifest } from './legs/manifest.js'
import type { Artifact } from './build/artifacts.js'
import { decideRelease, type ReleaseDecision } from './release/policy.js'
import { checkReleasePlan, type ReleaseOutcome, releaseStage } from './release/stage.js'
import { releaseSummary } from './report/release-summary.js'
import { imageSummary } from './report/image-summary.js'
import { readBuildVersion } from './plan/read-version.js'
import type { BuildVersion } from './plan/version.js'
import { ActionError, InputError } from './errors.js'
import { runStage, skipStage } from './report/stage.js'
import { Report } from './report/summary.js'
import { exportGo, type GoToolchain, setupGo } from './toolchain/setup-go.js'

/** Why caches are off for this run, or undefined when they are on. */
async function cachesOff(
  config: Config,
  ctx: RunContext,
  service: CacheService
): Promise<string | undefined> {
  if (!config.cache.enabled) return 'cache: false'
  if (ctx.local) return 'local run: there is no cache service'
  if (!(await service.available())) {
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
  const off = await cachesOff(config, ctx, service)
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
      repoRoot: ctx.workspace,
      checksums: config.mode !== 'build'
    })
    const binaries = result.targets.reduce((n, t) => n + t.binaries.length, 0)
    return {
      value: result,
      detail: `${version.version}: ${binaries} binaries, ${result.targets.length} archives`
    }
  })
  core.setOutput('artifacts', JSON.stringify(result.artifacts))
  if (result.checksums) core.setOutput('checksums', result.checksums.path)
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

/** A matrix leg's images (an OCI layout per platform) and the manifest the publish job reads. */
async function leg(
  report: Report,
  config: Config,
  ctx: RunContext,
  version: BuildVersion,
  plan: BuildPlan,
  built: BuildResult | undefined,
  binary: string | undefined
): Promise<void> {
  if (!built || plan.kind === 'skip') return
  let images: LegImage[] | undefined
  if (config.image.repository && binary) {
    images = await runStage(report, 'Image', async () => {
      const images = await buildLegImages(config.image, ctx, version, built, {
        binary,
        outputDir: config.build.outputDir,
        githubToken: config.release.githubToken
      })
      return { value: images, detail: `${images.length} platform layouts for the publish job` }
    })
  } else
    skipStage(report, 'Image', config.image.repository ? 'nothing to put in it' : 'no image input')
  const file = await writeLegManifest(
    config.build.outputDir,
    plan.units.project,
    version,
    built,
    images && { name: config.image.name, platforms: images }
  )
  core.info(`Wrote ${file}: upload output-dir for the publish job`)
}

/** mode: publish: the legs' output checked, one checksums file, one image index, one release. */
async function publish(report: Report, config: Config, ctx: RunContext): Promise<void> {
  const outputDir = config.build.outputDir
  const legs = await runStage(report, 'Legs', async () => {
    const legs = await mergeLegs(outputDir, config.build.targets)
    return { value: legs, detail: `${legs.version.version}: ${legs.files.length} archives` }
  })
  core.setOutput('version', legs.version.version)
  if (legs.images.length > 0 && config.image.name !== legs.imageName) {
    throw new InputError(
      'image',
      `the legs built ${legs.imageName}; set the same image in the publish job (it is "${config.image.name}")`
    )
  }
  const decision = decideRelease(config.release, ctx, legs.version)
  checkReleasePlan(decision, config.release, config.workingDirectory)

  const checksums = await writeChecksums(outputDir, legs.project, legs.version.version, legs.files)
  const archives: Artifact[] = legs.files.map(f => ({
    name: f.name,
    path: f.path,
    kind: 'archive',
    size: f.size,
    sha256: f.sha256
  }))
  const built: BuildResult = { targets: [], checksums, artifacts: [...archives, checksums] }
  core.setOutput('artifacts', JSON.stringify(built.artifacts))
  core.setOutput('checksums', checksums.path)

  let pushed: ImageResult | undefined
  if (legs.images.length > 0) {
    pushed = await runStage(report, 'Image', async () => {
      const image = await loadLegImages(outputDir, legs.images)
      const result = await deliverImage(
        config.image,
        ctx,
        legs.version,
        { image, builder: 'native' },
        { outputDir, githubToken: config.release.githubToken }
      )
      return { value: result, detail: `${result.platforms.length} platforms, ${result.digest}` }
    })
    core.setOutput('image-digest', pushed.digest)
    core.setOutput('image-tags', pushed.references.join('\n'))
    report.section(() => imageSummary(pushed as ImageResult))
  } else skipStage(report, 'Image', 'the legs made no image')
  await release(report, config, ctx, decision, legs.version, built, pushed)
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

    if (config.mode === 'publish') return await publish(report, config, ctx)

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
    // A matrix leg never releases: the publish job does, once, for all legs.
    const releaseDecision: ReleaseDecision =
      config.mode === 'build'
        ? {
            kind: 'skip',
            why: 'a matrix leg (mode: build): the publish job releases',
            notice: false
          }
        : decideRelease(config.release, ctx, version)
    checkReleasePlan(releaseDecision, config.release, config.workingDirectory)

    await check(report, config, ctx, go, staticcheckVersion)
    const built = await build(report, config, ctx, go, buildPlan, version)
    if (config.mode === 'build') {
      await leg(report, config, ctx, version, buildPlan, built, imageBinary)
      return skipStage(report, 'Release', 'a matrix leg (mode: build): the publish job releases')
    }
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
