// The half of the plan that needs Go (targets against `go tool dist list`, main packages, cache
// paths): made right after the toolchain, before the caches, the checks and any write.
import * as core from '@actions/core'
import path from 'node:path'
import { archiveName, checksumsName } from '../build/archive-name.js'
import { type BuildPlan, planBuild } from '../build/plan-build.js'
import { planCaches } from '../cache/go-caches.js'
import type { CacheService } from '../cache/service.js'
import { resolveStaticcheckVersion } from '../checks/staticcheck-install.js'
import type { Config } from '../config.js'
import type { RunContext } from '../context.js'
import { ActionError } from '../errors.js'
import { imageBinaryName } from '../image/image-platforms.js'
import { legFileName } from '../legs/manifest.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import type { PlanBeforeGo } from './before-go.js'
import {
  type CachePlan,
  type ChecksPlan,
  freezePlan,
  type ImagePlan,
  type OutputPlan,
  type Plan
} from './plan.js'

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

async function planChecks(config: Config, ctx: RunContext, go: GoToolchain): Promise<ChecksPlan> {
  const { vet, staticcheck, test } = config.checks
  return {
    vet,
    staticcheck,
    test,
    // Resolved now, so that the tools cache key names an exact version.
    staticcheckVersion: staticcheck
      ? await resolveStaticcheckVersion(config.checks.staticcheckVersion, go, ctx)
      : undefined
  }
}

export function planImage(config: Config, before: PlanBeforeGo, build: BuildPlan): ImagePlan {
  if (!config.image.repository || !before.image) return { kind: 'skip', why: 'no image input' }
  if (config.mode === 'publish') {
    const platforms = before.legs?.images.map(i => i.target) ?? []
    if (platforms.length === 0) return { kind: 'skip', why: 'the legs made no image' }
    if (config.image.name !== before.legs?.imageName)
      throw new ActionError(
        `image: the legs built ${before.legs?.imageName}; set the same image in the publish job (it is "${config.image.name}")`
      )
    return {
      kind: 'image',
      name: config.image.name,
      binary: '',
      platforms,
      tags: before.image.tags,
      destination: before.image.push ? 'registry' : 'layout',
      why: before.image.why
    }
  }
  if (build.kind === 'skip') return { kind: 'skip', why: 'nothing is built' }
  // Checked now, so a wrong image-binary fails before the checks.
  const binary = imageBinaryName(
    config.image.binary,
    build.units.packages.map(p => p.binary)
  )
  const platforms = build.targets.filter(t => t.os === 'linux').map(t => t.spec)
  if (platforms.length === 0)
    return { kind: 'skip', why: 'no linux target in this leg: other legs add the platforms' }
  return {
    kind: 'image',
    name: config.image.name,
    binary,
    platforms,
    tags: before.image.tags,
    destination:
      config.mode === 'build' ? 'leg-layouts' : before.image.push ? 'registry' : 'layout',
    why: config.mode === 'build' ? 'a matrix leg: the publish job pushes' : before.image.why
  }
}

/**
 * Every path this run writes in output-dir, and who writes it; two writers of one path (two
 * packages with one binary name, a name that is also a target's folder) are refused by name.
 */
export function planOutput(
  config: Config,
  before: PlanBeforeGo,
  build: BuildPlan,
  image: ImagePlan
): OutputPlan {
  const writers = new Map<string, string>()
  const claim = (file: string, who: string): void => {
    const other = writers.get(file)
    if (other !== undefined && other !== who)
      throw new ActionError(`${who} and ${other} would both write ${file} in output-dir`)
    writers.set(file, who)
  }
  const dir = before.output.dir
  const { version } = before.version
  let checksums: string | undefined
  if (build.kind === 'build') {
    const { project, packages } = build.units
    for (const target of build.targets) {
      for (const pkg of packages) {
        const exe = `${pkg.binary}${target.os === 'windows' ? '.exe' : ''}`
        claim(`${target.slug}/${exe}`, `${pkg.importPath} for ${target.spec}`)
      }
      claim(archiveName(project, version, target.slug, target.os), `the archive of ${target.spec}`)
    }
    if (config.mode === 'build')
      claim(legFileName(build.targets.map(t => t.spec)), 'the leg manifest')
    else checksums = checksumsName(project, version)
  }
  if (before.legs) checksums = checksumsName(before.legs.project, version)
  if (checksums) claim(checksums, 'the checksums file')
  let imageLayout: string | undefined
  if (image.kind === 'image' && image.destination === 'layout') {
    claim('image', 'the OCI layout')
    imageLayout = path.join(dir, 'image')
  }
  if (image.kind === 'image' && image.destination === 'leg-layouts') {
    for (const spec of image.platforms)
      claim(`image-${spec.replace(/\//g, '_')}`, `the ${spec} layout`)
  }
  let releaseDir: string | undefined
  if (before.release.kind === 'dry-run') {
    claim('release', 'the local release')
    releaseDir = path.join(dir, 'release')
  }
  // Folders are claimed whole: a binary's folder is its target's.
  const planned = [...new Set([...writers.keys()].map(f => f.split('/')[0] as string))].sort()
  return { dir: before.output, planned, checksums, imageLayout, releaseDir }
}

/** The frozen plan. `go` is undefined in mode: publish, which builds nothing. */
export async function planWithGo(
  config: Config,
  ctx: RunContext,
  before: PlanBeforeGo,
  go: GoToolchain | undefined,
  service: CacheService
): Promise<Plan> {
  const build: BuildPlan = go
    ? await planBuild(config.build, config.workingDirectory, go)
    : { kind: 'skip', why: 'mode: publish builds nothing: the legs did' }
  const checks: ChecksPlan = go
    ? await planChecks(config, ctx, go)
    : { vet: false, staticcheck: false, test: false }
  const image = planImage(config, before, build)
  const output = planOutput(config, before, build, image)
  let caches: CachePlan = { kind: 'off', why: 'mode: publish compiles nothing' }
  if (go) {
    const off = await cachesOff(config, ctx, service)
    const tools = checks.staticcheckVersion
      ? [{ name: 'staticcheck', version: checks.staticcheckVersion }]
      : []
    caches = off
      ? { kind: 'off', why: off }
      : { kind: 'restore', entries: await planCaches(config, ctx, go, tools) }
  }
  return freezePlan<Plan>({
    mode: config.mode,
    config,
    ctx,
    version: before.version,
    go,
    caches,
    checks,
    build,
    output,
    image,
    release: before.release,
    legs: before.legs
  })
}
