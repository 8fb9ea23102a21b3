import * as core from '@actions/core'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { BuildConfig } from '../config.js'
import type { BuildVersion } from '../plan/version.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { sha256File } from '../util/hash.js'
import { CPU_COUNT, mapBounded } from '../util/pool.js'
import { archiveName } from './archive-name.js'
import { writeTarGz } from './archive/tar-gz.js'
import { writeZip } from './archive/zip.js'
import type { ArchiveEntry, Artifact } from './artifacts.js'
import { checksumsFile } from './checksums.js'
import { compile, type CompileJob } from './compile.js'
import { renderTemplate } from './ldflags.js'
import type { Plan } from '../plan/plan.js'
import type { BuildPlan } from './plan-build.js'
import type { Target } from './target.js'

export interface TargetBuild {
  target: Target
  binaries: Artifact[]
  archive: Artifact
}

export interface BuildResult {
  targets: TargetBuild[]
  /** None in a matrix leg (mode: build): the publish job writes the one file for all legs. */
  checksums?: Artifact
  /** Every binary, archive and the checksums file, for the artifacts output. */
  artifacts: Artifact[]
}

const DOCUMENTS = /^(README|LICENSE|LICENCE|CHANGELOG)/i

/** README*, LICENSE*, CHANGELOG* beside the module, else at the repository root, as GoReleaser ships them. */
function documents(workDir: string, repoRoot: string): ArchiveEntry[] {
  for (const dir of [workDir, repoRoot]) {
    if (!existsSync(dir)) continue
    const found = readdirSync(dir)
      .filter(name => DOCUMENTS.test(name) && statSync(path.join(dir, name)).isFile())
      .sort()
      .map(name => ({ name, source: path.join(dir, name), mode: 0o644 }))
    if (found.length > 0) return found
  }
  return []
}

async function artifact(file: string, kind: Artifact['kind'], target?: Target): Promise<Artifact> {
  return {
    name: path.basename(file),
    path: file,
    kind,
    os: target?.os,
    arch: target?.arch,
    variant: target?.variant,
    size: statSync(file).size,
    sha256: await sha256File(file)
  }
}

function compileJobs(
  plan: Extract<BuildPlan, { kind: 'build' }>,
  config: BuildConfig,
  version: BuildVersion,
  outputDir: string
): CompileJob[] {
  const template = config.ldflags
  return plan.targets.flatMap(target =>
    plan.units.packages.map(pkg => {
      const binary = `${pkg.binary}${target.os === 'windows' ? '.exe' : ''}`
      const ldflags = renderTemplate(template, {
        Version: version.version,
        Tag: version.tag ?? '',
        Commit: version.commit,
        ShortCommit: version.shortCommit,
        Date: version.date,
        Timestamp: String(version.timestamp),
        ProjectName: plan.units.project,
        Binary: pkg.binary,
        Os: target.os,
        Arch: target.arch,
        Variant: target.variant ?? ''
      })
      return { target, pkg, output: path.join(outputDir, target.slug, binary), ldflags }
    })
  )
}

/**
 * Cross-compiles every binary for every target (bounded by the CPU count, one shared build cache),
 * archives each target as soon as its last binary is linked, and writes the checksums file the
 * plan names (a matrix leg writes none): all reproducible from the commit.
 */
export async function buildTargets(whole: Plan): Promise<BuildResult> {
  const plan = whole.build as Extract<BuildPlan, { kind: 'build' }>
  const config = whole.config.build
  const { version } = whole
  const go = whole.go as GoToolchain
  const workDir = whole.config.workingDirectory
  // Claimed before this stage: it holds nothing of an earlier run.
  const outputDir = whole.output.dir.dir
  const jobs = compileJobs(plan, config, version, outputDir)
  await mkdir(outputDir, { recursive: true })
  core.info(
    `Building ${jobs.length} binaries (${plan.units.packages.length} × ${plan.targets.length} targets), ${CPU_COUNT} at a time`
  )
  const docs = documents(workDir, whole.ctx.workspace)
  const jobsOf = new Map(plan.targets.map(t => [t, jobs.filter(j => j.target === t)]))
  const unlinked = new Map(plan.targets.map(t => [t, jobsOf.get(t)?.length ?? 0]))
  // Archiving (JavaScript deflate) overlaps the links still running, instead of following them all.
  const archiving = new Map<Target, Promise<TargetBuild>>()
  const compiled = mapBounded(jobs, CPU_COUNT, async job => {
    await mkdir(path.dirname(job.output), { recursive: true })
    await compile(go, job, {
      workDir,
      tags: config.buildTags,
      cgo: config.cgo,
      timestamp: version.timestamp
    })
    core.info(`built ${path.relative(outputDir, job.output)}`)
    const left = (unlinked.get(job.target) ?? 0) - 1
    unlinked.set(job.target, left)
    if (left === 0) {
      const outputs = (jobsOf.get(job.target) ?? []).map(j => j.output)
      const archived = archiveTarget(
        job.target,
        outputs,
        docs,
        plan.units.project,
        version,
        outputDir
      )
      // Awaited below, after the links; until then a failure must not count as unhandled.
      archived.catch(() => undefined)
      archiving.set(job.target, archived)
    }
  })
  try {
    await compiled
  } finally {
    // A failed link stops the build, but not before the archives under way are done (or removed).
    await Promise.allSettled(archiving.values())
  }
  const targets = await Promise.all(plan.targets.map(t => archiving.get(t) as Promise<TargetBuild>))

  const archives = targets.flatMap(t => [...t.binaries, t.archive])
  if (!whole.output.checksums) return { targets, artifacts: archives }
  const checksums = await writeChecksums(
    path.join(outputDir, whole.output.checksums),
    targets.map(t => t.archive)
  )
  return { targets, checksums, artifacts: [...archives, checksums] }
}

/** One target's archive: its binaries and the documents, tar.gz (zip for windows), dated at the commit. */
async function archiveTarget(
  target: Target,
  outputs: string[],
  docs: ArchiveEntry[],
  project: string,
  version: BuildVersion,
  outputDir: string
): Promise<TargetBuild> {
  const entries: ArchiveEntry[] = [
    ...outputs.map(o => ({ name: path.basename(o), source: o, mode: 0o755 })),
    ...docs
  ]
  const file = path.join(outputDir, archiveName(project, version.version, target.slug, target.os))
  if (target.os === 'windows') await writeZip(entries, file, version.timestamp)
  else await writeTarGz(entries, file, version.timestamp)
  return {
    target,
    binaries: await Promise.all(outputs.map(o => artifact(o, 'binary', target))),
    archive: await artifact(file, 'archive', target)
  }
}

/** The one checksums file over every archive, under the name the plan gave it. */
export async function writeChecksums(
  file: string,
  archives: ReadonlyArray<{ name: string; sha256: string }>
): Promise<Artifact> {
  await writeFile(file, checksumsFile(archives.map(a => ({ name: a.name, sha256: a.sha256 }))))
  return artifact(file, 'checksums')
}
