// The half of the plan that needs no Go: the version, the release, where the image goes and the
// output folder, all decided and checked before anything is downloaded.
import type { Config, ImageConfig } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError, InputError } from '../errors.js'
import { decidePush } from '../image/push-decision.js'
import { autoTags, sanitizeTag } from '../image/tags.js'
import { LEG_FILE_PREFIX, type MergedLegs, mergeLegs } from '../legs/manifest.js'
import { checkReleasePlan } from '../release/stage.js'
import { decideRelease, type ReleaseDecision } from '../release/policy.js'
import { inspectOutputDir, type OutputDir } from '../workspace/output-dir.js'
import { readBuildVersion } from './read-version.js'
import type { BuildVersion } from './version.js'

export interface PlanBeforeGo {
  version: BuildVersion
  release: ReleaseDecision
  output: OutputDir
  /** Image tags and whether they are pushed; which binary and platforms come with Go. */
  image?: { tags: string[]; push: boolean; why: string }
  legs?: MergedLegs
}

/** image-tags: auto as docker/metadata-action; locally (no ref) the version still names the image. */
export function imageTags(
  given: ImageConfig['tags'],
  ref: string,
  version: BuildVersion
): string[] {
  if (given !== 'auto') return given
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ''
  const tags = autoTags(version, branch)
  return tags.length > 0 ? tags : [sanitizeTag(version.version)]
}

/** mode: publish: the legs must have built this job's commit, or the release would ship another. */
export function checkLegsCommit(legs: MergedLegs, ctx: RunContext): void {
  if (ctx.local || !ctx.sha || legs.version.commit === ctx.sha) return
  throw new ActionError(
    `the legs built commit ${legs.version.commit}, but this publish job runs for GITHUB_SHA ${ctx.sha}: ` +
      `run the legs and the publish job in one workflow run, for the same commit. Nothing was published.`
  )
}

/** A leg's own files in output-dir, which the publish job reads and never removes. */
function legFiles(legs: MergedLegs): Set<string> {
  return new Set([
    ...legs.files.map(f => f.name),
    ...legs.images.map(i => i.layout),
    ...legs.manifests,
    ...legs.folders
  ])
}

export async function planBeforeGo(config: Config, ctx: RunContext): Promise<PlanBeforeGo> {
  const legs =
    config.mode === 'publish'
      ? await mergeLegs(
          config.build.outputDir,
          // With a GoReleaser file, the legs share its targets; else the targets input's.
          config.ship.builds
            ? [...new Set(config.ship.builds.flatMap(b => b.targets))]
            : config.build.targets
        )
      : undefined
  if (legs) checkLegsCommit(legs, ctx)
  const version =
    legs?.version ?? (await readBuildVersion(ctx, config.workingDirectory, config.version))

  const kept = legs ? legFiles(legs) : undefined
  const output = await inspectOutputDir({
    given: config.build.outputDirInput,
    resolved: config.build.outputDir,
    workspace: ctx.workspace,
    keep: kept && (name => kept.has(name) || name.startsWith(LEG_FILE_PREFIX))
  })

  // A matrix leg never releases: the publish job does, once, for all legs.
  const release: ReleaseDecision =
    config.mode === 'build'
      ? { kind: 'skip', why: 'a matrix leg (mode: build): the publish job releases', notice: false }
      : decideRelease(config.release, ctx, version)
  checkReleasePlan(release, config.workingDirectory)
  // The tag may come from git or the version input, which readConfig could not see.
  if (release.kind === 'release' && !config.release.githubToken)
    throw new InputError(
      'github-token',
      `is empty, and ${release.tag} is to be released: pass a token with contents: write (or set release: false)`
    )

  let image: PlanBeforeGo['image']
  if (config.image.repository) {
    const push = decidePush(config.image.push, ctx)
    image = { tags: imageTags(config.image.tags, ctx.ref, version), push: push.push, why: push.why }
  }
  return { version, release, output, image, legs }
}
