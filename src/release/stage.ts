// The release stage: the archives and the checksums file of the build, and the image's digest in
// the notes, published as a GitHub release of the tag.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { BuildResult } from '../build/stage.js'
import { modulePathOf } from '../build/main-packages.js'
import type { ImageResult } from '../image/stage.js'
import type { Plan } from '../plan/plan.js'
import type { AssetFile } from './assets.js'
import { ReleasesApi } from './github.js'
import { extraReleaseFiles } from './extra-files.js'
import { checkModuleMajor, type ReleaseDecision } from './policy.js'
import { type DryRun, writeDryRun } from './dry-run.js'
import { type Published, publishRelease } from './publish.js'

/**
 * A tag that fits Go's major-version rule (the token is an input, checked by readConfig). Checked
 * before anything is downloaded, so a release that cannot happen costs no build.
 */
export function checkReleasePlan(decision: ReleaseDecision, workDir: string): void {
  if (decision.kind === 'skip') return
  // A workspace without its own go.mod has no single module path to check.
  if (!existsSync(path.join(workDir, 'go.mod'))) return
  checkModuleMajor(modulePathOf(workDir), decision.tag, decision.version)
}

export function releaseFiles(build: BuildResult | undefined): AssetFile[] {
  if (!build) return []
  return build.artifacts
    .filter(a => a.kind === 'archive' || a.kind === 'package' || a.kind === 'checksums')
    .map(a => ({
      name: a.name,
      path: a.path,
      size: a.size,
      sha256: a.sha256,
      checksums: a.kind === 'checksums'
    }))
}

export type ReleaseOutcome =
  { kind: 'published'; published: Published } | { kind: 'dry-run'; dryRun: DryRun }

/** The release the plan decided, of the build's files and the pushed image, or a local dry run. */
export async function releaseStage(
  plan: Plan,
  build: BuildResult | undefined,
  image: ImageResult | undefined
): Promise<ReleaseOutcome> {
  const decision = plan.release as Exclude<ReleaseDecision, { kind: 'skip' }>
  const config = plan.config.release
  const text = plan.releaseText
  const request = {
    tag: decision.tag,
    name: text?.name ?? decision.tag,
    notes: text?.notes,
    header: text?.header,
    footer: text?.footer,
    version: decision.version,
    prerelease: decision.prerelease,
    commit: plan.version.commit
  }
  const files = [...releaseFiles(build), ...(await extraReleaseFiles(plan))]
  const shipped = image && { name: image.name, digest: image.digest, tags: image.tags }
  if (decision.kind === 'dry-run') {
    return {
      kind: 'dry-run',
      dryRun: await writeDryRun(plan.output.releaseDir as string, config, request, files, shipped)
    }
  }
  const api = await ReleasesApi.connect(config.githubToken, plan.ctx.repository, plan.ctx.apiUrl)
  const published = await publishRelease(api, config, {
    ...request,
    files,
    image: image?.pushed === true ? shipped : undefined
  })
  return { kind: 'published', published }
}
