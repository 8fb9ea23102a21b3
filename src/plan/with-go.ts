// The half of the plan that needs Go (targets against `go tool dist list`, main packages, cache
// paths): made right after the toolchain, before the caches, the checks and any write.
import * as core from '@actions/core'
import path from 'node:path'
import { checksumsName } from '../build/archive-name.js'
import { planHooks } from '../build/hooks.js'
import { NFPM_VERSION } from '../packages/nfpm-install.js'
import { baseFields, type Fields, renderAt } from '../ship/template-data.js'
import type { Templated } from '../ship/spec.js'
import { readSmallFile } from '../workspace/paths.js'
import type { BuildVersion } from './version.js'
import { type BuildPlan, distList, planBuild } from '../build/plan-build.js'
import { planCaches } from '../cache/go-caches.js'
import type { CacheService } from '../cache/service.js'
import { type AnalysisCandidate, planAnalysis } from '../checks/configurations.js'
import {
  resolveStaticcheckVersion,
  staticcheckAnalysisCache
} from '../checks/staticcheck-install.js'
import { golangciLintCacheDir } from '../checks/golangci/install.js'
import { DEFAULT_GOVULNCHECK_VERSION } from '../checks/vulncheck/install.js'
import type { Target } from '../build/target.js'
import { parseTargets } from '../build/targets.js'
import { goPlatform, proxyArch } from '../toolchain/platform.js'
import { processEnv } from '../util/exec.js'
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
  type Plan,
  type ReleaseText
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

/** Checks that run nothing: mode publish. */
const NO_CHECKS: ChecksPlan = {
  vet: 'off',
  staticcheck: 'off',
  lint: 'staticcheck',
  test: 'off',
  vulncheck: 'off',
  configurations: [],
  configurationsFrom: 'mode: publish checks nothing'
}

/** check-platforms against `go tool dist list`: checked even when no analysis runs. */
async function checkPlatforms(config: Config, go: GoToolchain): Promise<Target[]> {
  const platforms = config.checks.platforms
  if (platforms.length === 0) return []
  const dist = await distList(go, config.workingDirectory)
  return parseTargets(platforms, dist, go.version, 'check-platforms')
}

/**
 * The platforms to analyse: check-platforms, else every binary's target with its build's tags and
 * cgo, else (targets: none) the runner's own platform.
 */
async function analysisCandidates(
  config: Config,
  go: GoToolchain,
  build: BuildPlan,
  runner: string
): Promise<{ candidates: AnalysisCandidate[]; from: string }> {
  const { buildTags, cgo } = config.build
  if (config.checks.platforms.length > 0) {
    const targets = await checkPlatforms(config, go)
    return {
      candidates: targets.map(target => ({ target, tags: buildTags, cgo })),
      from: 'check-platforms'
    }
  }
  if (build.kind === 'build')
    return {
      candidates: build.binaries.map(b => ({ target: b.target, tags: b.tags, cgo: b.cgo })),
      from: 'the targets'
    }
  const [os, arch] = runner.split('/') as [string, string]
  const target = { os, arch, env: { GOOS: os, GOARCH: arch }, spec: runner, slug: `${os}_${arch}` }
  return { candidates: [{ target, tags: buildTags, cgo }], from: 'the runner (nothing is built)' }
}

async function planChecks(
  config: Config,
  ctx: RunContext,
  go: GoToolchain,
  build: BuildPlan
): Promise<ChecksPlan> {
  const { vet, staticcheck, test, vulncheck } = config.checks
  const platform = goPlatform(ctx.runner.os, ctx.runner.arch)
  const runner = `${platform.os}/${proxyArch(platform)}`
  // The project's own golangci-lint configuration replaces bare staticcheck (its analysers are
  // part of golangci-lint).
  const golangciFile = config.checks.golangci
  const analysed = vet !== 'off' || staticcheck !== 'off' || vulncheck !== 'off'
  const { candidates, from } = analysed
    ? await analysisCandidates(config, go, build, runner)
    : { candidates: [], from: 'no analysis runs' }
  const configurations = await planAnalysis(go, config.workingDirectory, candidates, runner)
  return {
    vet,
    staticcheck,
    lint: golangciFile ? 'golangci-lint' : 'staticcheck',
    test,
    vulncheck,
    // Resolved now, so that the tools cache key names an exact version.
    staticcheckVersion:
      staticcheck !== 'off' && !golangciFile
        ? await resolveStaticcheckVersion(config.checks.staticcheckVersion, go, ctx)
        : undefined,
    golangci: golangciFile
      ? { config: golangciFile, version: config.checks.golangciLintVersion }
      : undefined,
    govulncheckVersion: vulncheck !== 'off' ? DEFAULT_GOVULNCHECK_VERSION : undefined,
    vulnDb: vulncheck !== 'off' ? config.checks.vulncheckDb : undefined,
    configurations,
    configurationsFrom: from
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
  const binary = imageBinaryName(config.image.binary, [
    ...new Set(build.binaries.map(b => b.binary))
  ])
  const platforms = build.targets
    .filter(
      t => t.os === 'linux' && build.binaries.some(b => b.target === t && b.binary === binary)
    )
    .map(t => t.spec)
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
    for (const b of build.binaries)
      claim(
        b.path,
        `${b.build === b.binary ? b.pkg.importPath : `build ${b.build}`} for ${b.target.spec}`
      )
    for (const a of build.archives)
      claim(a.name, `the ${a.format} archive of ${a.target.spec} (${a.where})`)
    for (const p of build.packages) claim(p.name, `the ${p.format} package of ${p.target.spec}`)
    if (config.mode === 'build')
      claim(legFileName(build.targets.map(t => t.spec)), 'the leg manifest')
    else checksums = build.checksum?.name
  }
  if (before.legs) checksums = before.legs.checksums ?? checksumsName(before.legs.project, version)
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
  // check-platforms against this Go first: a platform it does not build for is refused before
  // go list loads anything.
  if (go) await checkPlatforms(config, go)
  const build: BuildPlan = go
    ? await planBuild(config.build, config.ship, before.version, config.workingDirectory, go)
    : { kind: 'skip', why: 'mode: publish builds nothing: the legs did' }
  const checks: ChecksPlan = go ? await planChecks(config, ctx, go, build) : NO_CHECKS
  const project =
    build.kind === 'build' ? build.project : (before.legs?.project ?? config.ship.projectName ?? '')
  const hooks = go
    ? planHooks(
        config.ship.beforeHooks,
        baseFields({ project, version: before.version, env: processEnv() }),
        before.version
      )
    : []
  const releaseText =
    before.release.kind === 'skip'
      ? undefined
      : planReleaseText(
          config,
          baseFields({ project, version: before.version, env: processEnv() }),
          before.version
        )
  const image = planImage(config, before, build)
  const output = planOutput(config, before, build, image)
  let caches: CachePlan = { kind: 'off', why: 'mode: publish compiles nothing' }
  if (go) {
    const off = await cachesOff(config, ctx, service)
    const tools = [
      ...(checks.staticcheckVersion
        ? [{ name: 'staticcheck', version: checks.staticcheckVersion }]
        : []),
      ...(checks.golangci ? [{ name: 'golangci-lint', version: checks.golangci.version }] : []),
      ...(checks.govulncheckVersion
        ? [{ name: 'govulncheck', version: checks.govulncheckVersion }]
        : []),
      // nfpm is built when packages are made: kept with the tools, as staticcheck is.
      ...(build.kind === 'build' && build.packages.length > 0
        ? [{ name: 'nfpm', version: NFPM_VERSION }]
        : [])
    ]
    caches = off
      ? { kind: 'off', why: off }
      : {
          kind: 'restore',
          entries: await planCaches(config, ctx, go, tools, {
            linters: tools.filter(t => t.name === 'staticcheck' || t.name === 'golangci-lint'),
            paths: [
              ...(checks.staticcheckVersion ? [staticcheckAnalysisCache(ctx)] : []),
              ...(checks.golangci ? [golangciLintCacheDir(ctx)] : [])
            ]
          })
        }
  }
  return freezePlan<Plan>({
    mode: config.mode,
    config,
    ctx,
    version: before.version,
    go,
    caches,
    checks,
    hooks,
    build,
    output,
    image,
    release: before.release,
    releaseText,
    legs: before.legs
  })
}

/** The release's name (release-name, the file's name_template, else the tag) and notes, rendered. */
function planReleaseText(config: Config, fields: Fields, version: BuildVersion): ReleaseText {
  const { release } = config.ship
  const render = (t: Templated | undefined): string | undefined => t && renderAt(t, fields, version)
  const notes = config.release.notes
  return {
    name: render(release.nameTemplate) || version.tag || `v${version.version}`,
    notes:
      notes.kind === 'file'
        ? readSmallFile(notes.file, 'release-notes', 125_000, notes.name)
        : undefined,
    header: render(release.header),
    footer: render(release.footer),
    extraFiles: release.extraFiles.map(e => ({
      glob: render(e.glob) as string,
      name: render(e.nameTemplate),
      where: e.glob.where
    }))
  }
}
