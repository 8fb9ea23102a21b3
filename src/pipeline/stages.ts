// The stages, each a name, a skip rule, a run and its outputs, and the ordered list of each mode.
import * as core from '@actions/core'
import type { Artifact } from '../build/artifacts.js'
import { runHooks } from '../build/hooks.js'
import type { BuildingPlan } from '../build/plan-build.js'
import { type BuildResult, buildTargets, writeChecksums } from '../build/stage.js'
import { type RestoredCache, restoreCaches } from '../cache/go-caches.js'
import { savePendingCaches } from '../cache/pending.js'
import type { CacheService } from '../cache/service.js'
import { checkModule } from '../checks/stage.js'
import type { ChecksOutcome } from '../checks/run-checks.js'
import { type BinaryScan, vulncheckBinaries } from '../checks/vulncheck/run.js'
import { ActionError } from '../errors.js'
import { buildImage, type ImageResult, publishLegImages } from '../image/stage.js'
import { writeLegManifest } from '../legs/manifest.js'
import type { Mode } from '../config.js'
import type { Plan } from '../plan/plan.js'
import { type ReleaseOutcome, releaseStage } from '../release/stage.js'
import { annotateFindings } from '../report/annotations.js'
import { buildSummary } from '../report/build-summary.js'
import { binaryScanSummary, checksSummary } from '../report/checks-summary.js'
import { imageSummary } from '../report/image-summary.js'
import { releaseSummary } from '../report/release-summary.js'
import { claimOutputDir } from '../workspace/output-dir.js'
import path from 'node:path'
import { type Results, type Stage, stage } from './stage.js'

/** What the stages need from outside the plan: the cache service and when the job began. */
export interface StageServices {
  cache: CacheService
  jobStartedMs: number
}

function restoreStage(services: StageServices): Stage {
  return stage<RestoredCache[]>({
    name: 'Restore caches',
    key: 'caches',
    skip: plan => (plan.caches.kind === 'off' ? plan.caches.why : undefined),
    async run(plan) {
      const entries = plan.caches.kind === 'restore' ? plan.caches.entries : []
      const restored = await restoreCaches(entries, services.cache)
      // Saved by the post step, once the job's later steps have used (and filled) the caches too.
      savePendingCaches({
        jobStartedMs: services.jobStartedMs,
        save: plan.config.cache.save,
        caches: restored
      })
      const detail = restored
        .map(c => `${c.name}: ${c.exactHit ? 'hit' : c.restoredKey ? 'partial' : 'miss'}`)
        .join(', ')
      return { value: restored, detail }
    },
    outputs: restored => ({
      'cache-hit': String(restored.length > 0 && restored.every(c => c.exactHit))
    }),
    skippedOutputs: { 'cache-hit': 'false' }
  })
}

/** The checks, each run to the end; then any failure stops the stages after it. */
const checksStage = stage<ChecksOutcome>({
  name: 'Checks',
  key: 'checks',
  skip: ({ checks }) =>
    checks.vet === 'off' &&
    checks.staticcheck === 'off' &&
    checks.test === 'off' &&
    checks.vulncheck === 'off'
      ? 'vet, staticcheck, vulncheck and test are all false'
      : undefined,
  async run(plan) {
    const outcome = await checkModule(plan)
    annotateFindings(outcome.results.flatMap(r => r.findings))
    const detail = outcome.results
      .map(r => {
        const mark = r.ok
          ? r.findings.length > 0
            ? `⚠️ ${r.findings.length}`
            : '✅'
          : `❌ ${r.findings.length}`
        return `${r.tool} ${mark}`
      })
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
  },
  summary(outcome, plan) {
    const { ctx, version } = plan
    const blobBase =
      ctx.repository && version.commit
        ? `${ctx.serverUrl}/${ctx.repository}/blob/${version.commit}`
        : undefined
    return budget => checksSummary(outcome, { blobBase }, budget)
  }
})

/** Removes what an earlier run wrote in output-dir and records what this one will write. */
const outputStage = stage<string[]>({
  name: 'Output folder',
  key: 'output',
  skip: ({ output }) =>
    output.planned.length === 0 && output.dir.previous.length === 0
      ? 'nothing to write'
      : undefined,
  async run({ output, ctx }) {
    // A leg's files that a publish job downloaded are never the publish job's to remove.
    const kept = new Set(output.dir.kept)
    const previous = output.dir.previous.filter(p => !kept.has(p.split('/')[0] as string))
    await claimOutputDir({ ...output.dir, previous }, output.planned)
    const where = path.relative(ctx.workspace, output.dir.dir)
    return {
      value: output.planned,
      detail: `${where}: ${previous.length} earlier paths removed, ${output.planned.length} to write`
    }
  }
})

function artifactOutputs(built: BuildResult): Record<string, string> {
  const outputs: Record<string, string> = { artifacts: JSON.stringify(built.artifacts) }
  if (built.checksums) outputs.checksums = built.checksums.path
  return outputs
}

/** GoReleaser's before.hooks: before the checks, so they see what the hooks generate. */
const hooksStage = stage<number>({
  name: 'Before hooks',
  key: 'hooks',
  skip: ({ hooks }) => (hooks.length === 0 ? 'no before.hooks' : undefined),
  async run(plan) {
    const ran = await runHooks(plan)
    return {
      value: ran,
      detail: `${ran} ${ran === 1 ? 'hook' : 'hooks'} of ${plan.config.ship.source}`
    }
  }
})

const buildStage = stage<BuildResult>({
  name: 'Build',
  key: 'build',
  skip: ({ build, config }) =>
    build.kind === 'skip'
      ? {
          why: build.why,
          notice:
            config.build.targets.length > 0
              ? `Build skipped: ${build.why}. The image stage is skipped too.`
              : undefined
        }
      : undefined,
  async run(plan) {
    const result = await buildTargets(plan)
    const binaries = result.targets.reduce((n, t) => n + t.binaries.length, 0)
    const archives = result.targets.reduce((n, t) => n + t.archives.length, 0)
    const packages = result.packages.length ? `, ${result.packages.length} packages` : ''
    return {
      value: result,
      detail: `${plan.version.version}: ${binaries} binaries, ${archives} archives${packages}`
    }
  },
  outputs: artifactOutputs,
  summary: (result, plan) => () => buildSummary(result, plan.version)
})

/** mode: publish: one checksums file over every leg's archives. */
const checksumsStage = stage<BuildResult>({
  name: 'Checksums',
  key: 'build',
  skip: () => undefined,
  async run(plan) {
    const legs = plan.legs as NonNullable<Plan['legs']>
    const file = path.join(plan.output.dir.dir, plan.output.checksums as string)
    const checksums = await writeChecksums(file, legs.files)
    const archives: Artifact[] = legs.files.map(f => ({
      name: f.name,
      path: f.path,
      kind: /\.(deb|rpm|apk)$/.test(f.name) ? 'package' : 'archive',
      size: f.size,
      sha256: f.sha256
    }))
    return {
      value: { targets: [], packages: [], checksums, artifacts: [...archives, checksums] },
      detail: `${plan.version.version}: ${legs.files.length} archives from ${legs.manifests.length} legs`
    }
  },
  outputs: artifactOutputs
})

/** govulncheck on what ships: each binary with the standard library of the Go that built it. */
const binaryScanStage = stage<BinaryScan[]>({
  name: 'Vulnerabilities in the binaries',
  key: 'binaryScan',
  skip: (_plan, results) => {
    const checks = results.checks as ChecksOutcome | undefined
    if (!checks?.vulncheck) return 'govulncheck did not run'
    return results.build ? undefined : 'nothing was built'
  },
  async run(_plan, results) {
    const { vulncheck } = results.checks as ChecksOutcome
    const built = results.build as BuildResult
    const binaries = built.targets.flatMap(t =>
      t.binaries.map(b => ({ path: b.path, target: t.target.spec }))
    )
    const scans = await vulncheckBinaries({
      tool: (vulncheck as NonNullable<ChecksOutcome['vulncheck']>).tool,
      db: (vulncheck as NonNullable<ChecksOutcome['vulncheck']>).db,
      binaries
    })
    const found = scans.reduce((n, s) => n + s.vulns.length, 0)
    return {
      value: scans,
      detail: `${scans.length} binaries: ${found === 0 ? 'no known vulnerabilities' : `${found} known vulnerabilities (see the summary)`}`
    }
  },
  summary: scans => budget => binaryScanSummary(scans, budget)
})

function imageOutputs(result: ImageResult): Record<string, string> {
  const outputs: Record<string, string> = {}
  if (result.digest) outputs['image-digest'] = result.digest
  if (result.pushed) outputs['image-tags'] = result.references.join('\n')
  if (result.layoutDir) outputs['image-layout'] = result.layoutDir
  return outputs
}

function imageDetail(result: ImageResult): string {
  if (result.legs) return `${result.legs.length} platform layouts for the publish job`
  const where = result.pushed ? `pushed ${result.tags.join(', ')}` : 'OCI layout, not pushed'
  return `${result.platforms.length} platforms, ${result.digest.slice(0, 19)}…, ${where}`
}

const imageStage = stage<ImageResult>({
  name: 'Image',
  key: 'image',
  skip: ({ image }, results) => {
    if (image.kind === 'skip') return image.why
    return results.build ? undefined : 'nothing was built'
  },
  async run(plan, results) {
    const result = plan.legs
      ? await publishLegImages(plan)
      : await buildImage(plan, results.build as BuildResult)
    return { value: result, detail: imageDetail(result) }
  },
  outputs: imageOutputs,
  summary: result => (result.legs ? undefined : () => imageSummary(result))
})

/** mode: build: what the publish job reads of this leg. */
const legManifestStage = stage<string>({
  name: 'Leg manifest',
  key: 'leg',
  skip: ({ build }) => (build.kind === 'skip' ? build.why : undefined),
  async run(plan, results) {
    const built = results.build as BuildResult
    const image = results.image as ImageResult | undefined
    const build = plan.build as BuildingPlan
    const file = await writeLegManifest(
      plan.output.dir.dir,
      {
        project: build.project,
        checksums: build.checksum?.name,
        folders: [...new Set(build.binaries.map(b => b.path.split('/')[0] as string))]
      },
      plan.version,
      built,
      // A leg without a linux target still names the image, so the legs agree on it.
      plan.config.image.repository
        ? { name: plan.config.image.name, platforms: image?.legs ?? [] }
        : undefined
    )
    core.info(`Wrote ${file}: upload output-dir for the publish job`)
    return { value: file, detail: `${path.basename(file)}: upload output-dir for the publish job` }
  }
})

const releaseStageDef = stage<ReleaseOutcome>({
  name: 'Release',
  key: 'release',
  skip: ({ release }) => {
    if (release.kind !== 'skip') return undefined
    return { why: release.why, notice: release.notice ? `No release: ${release.why}.` : undefined }
  },
  async run(plan, results: Results) {
    const outcome = await releaseStage(
      plan,
      results.build as BuildResult | undefined,
      results.image as ImageResult | undefined
    )
    const { tag } = plan.release as { tag: string }
    if (outcome.kind === 'dry-run') {
      core.info(`A local run: the release ${tag} was written to ${outcome.dryRun.file}`)
      return { value: outcome, detail: `${tag}: dry run into ${outcome.dryRun.dir}` }
    }
    const { release: r, assets: a } = outcome.published
    return {
      value: outcome,
      detail: `${tag} ${r.draft ? 'draft' : 'published'}: ${a.uploaded.length} uploaded, ${a.unchanged.length} unchanged, ${a.replaced.length} replaced`
    }
  },
  outputs: (outcome): Record<string, string> =>
    outcome.kind === 'published'
      ? {
          'release-id': String(outcome.published.release.id),
          'release-url': outcome.published.release.htmlUrl
        }
      : {},
  summary: outcome =>
    outcome.kind === 'published' ? () => releaseSummary(outcome.published) : undefined
})

/** Each mode as the ordered stages it runs after the plan is made. */
export function stagesFor(mode: Mode, services: StageServices): Stage[] {
  const restore = restoreStage(services)
  switch (mode) {
    case 'all':
      return [
        restore,
        hooksStage,
        checksStage,
        outputStage,
        buildStage,
        binaryScanStage,
        imageStage,
        releaseStageDef
      ]
    case 'build':
      return [
        restore,
        hooksStage,
        checksStage,
        outputStage,
        buildStage,
        binaryScanStage,
        imageStage,
        legManifestStage,
        releaseStageDef
      ]
    case 'publish':
      return [outputStage, checksumsStage, imageStage, releaseStageDef]
  }
}
