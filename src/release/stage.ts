// The release stage: the archives and the checksums file of the build, and the image's digest in
// the notes, published as a GitHub release of the tag.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { BuildResult } from '../build/stage.js'
import { modulePathOf } from '../build/main-packages.js'
import type { ReleaseConfig } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import type { ImageResult } from '../image/stage.js'
import type { BuildVersion } from '../plan/version.js'
import type { AssetFile } from './assets.js'
import { ReleasesApi } from './github.js'
import { checkModuleMajor, type ReleaseDecision } from './policy.js'
import { type DryRun, writeDryRun } from './dry-run.js'
import { type Published, publishRelease } from './publish.js'

/**
 * What a release needs that can be known now: a token, and a tag that fits Go's major-version
 * rule. Checked before the checks run, so a release that cannot happen costs no build.
 */
export function checkReleasePlan(
  decision: ReleaseDecision,
  config: ReleaseConfig,
  workDir: string
): void {
  if (decision.kind === 'skip') return
  if (decision.kind === 'release' && !config.githubToken) {
    throw new ActionError(
      `github-token is empty, and ${decision.tag} is to be released: pass a token with contents: write (or set release: false)`
    )
  }
  // A workspace without its own go.mod has no single module path to check.
  if (!existsSync(path.join(workDir, 'go.mod'))) return
  checkModuleMajor(modulePathOf(workDir), decision.tag, decision.version)
}

export function releaseFiles(build: BuildResult | undefined): AssetFile[] {
  if (!build) return []
  return build.artifacts
    .filter(a => a.kind === 'archive' || a.kind === 'checksums')
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

export async function releaseStage(
  config: ReleaseConfig,
  ctx: RunContext,
  decision: Exclude<ReleaseDecision, { kind: 'skip' }>,
  version: BuildVersion,
  build: BuildResult | undefined,
  image: ImageResult | undefined,
  outputDir: string
): Promise<ReleaseOutcome> {
  const request = {
    tag: decision.tag,
    version: decision.version,
    prerelease: decision.prerelease,
    commit: ctx.sha || version.commit
  }
  const files = releaseFiles(build)
  const shipped = image && { name: image.name, digest: image.digest, tags: image.tags }
  if (decision.kind === 'dry-run') {
    return {
      kind: 'dry-run',
      dryRun: await writeDryRun(outputDir, config, request, files, shipped)
    }
  }
  const api = await ReleasesApi.connect(config.githubToken, ctx.repository, ctx.apiUrl)
  const published = await publishRelease(api, config, {
    ...request,
    files,
    image: image?.pushed === true ? shipped : undefined
  })
  return { kind: 'published', published }
}
