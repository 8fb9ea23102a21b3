import * as core from '@actions/core'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { copyFile, mkdir, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Plan } from '../plan/plan.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { hashFile } from '../util/hash.js'
import { CPU_COUNT, mapBounded } from '../util/pool.js'
import { archiveFiles } from './archive-files.js'
import { writeTarGz } from './archive/tar-gz.js'
import { writeZip } from './archive/zip.js'
import { type ArchiveEntry, type Artifact, artifact } from './artifacts.js'
import { checksumsFile } from './checksums.js'
import { compile } from './compile.js'
import { writePackages } from './packages.js'
import type { BuildingPlan, PlannedArchive, PlannedBinary } from './plan-build.js'
import type { Target } from './target.js'

export interface TargetBuild {
  target: Target
  binaries: Artifact[]
  /** This target's archives (none, one, or one per format or archives entry). */
  archives: Artifact[]
}

export interface BuildResult {
  targets: TargetBuild[]
  /** .deb, .rpm and .apk files of the linux targets. */
  packages: Artifact[]
  /** None in a matrix leg (mode: build): the publish job writes the one file for all legs. */
  checksums?: Artifact
  /** Every binary, archive, package and the checksums file, for the artifacts output. */
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

/**
 * Cross-compiles every binary (bounded by the CPU count, one shared build cache), writes each
 * archive as soon as its last binary is linked, then the Linux packages and the checksums file the
 * plan names (a matrix leg writes none): all reproducible from the commit.
 */
export async function buildTargets(whole: Plan): Promise<BuildResult> {
  const plan = whole.build as BuildingPlan
  const { version } = whole
  const go = whole.go as GoToolchain
  const workDir = whole.config.workingDirectory
  // Claimed before this stage: it holds nothing of an earlier run.
  const outputDir = whole.output.dir.dir
  await mkdir(outputDir, { recursive: true })
  core.info(
    `Building ${plan.binaries.length} binaries for ${plan.targets.length} targets, ${CPU_COUNT} at a time`
  )
  const pathOf = (b: PlannedBinary): string => path.join(outputDir, b.path)
  const docs = documents(workDir, whole.ctx.workspace)
  const skip = new Set([outputDir])
  const unlinked = new Map(plan.archives.map(a => [a, a.binaries.length]))
  // Archiving (JavaScript deflate) overlaps the links still running, instead of following them all.
  const archiving = new Map<PlannedArchive, Promise<Artifact>>()
  const startArchive = (archive: PlannedArchive): void => {
    const entries = (): ArchiveEntry[] => archiveEntries(archive, pathOf, docs, workDir, skip)
    const written = writeArchive(
      archive,
      entries,
      path.join(outputDir, archive.name),
      version.timestamp
    )
    // Awaited below, after the links; until then a failure must not count as unhandled.
    written.catch(() => undefined)
    archiving.set(archive, written)
  }
  const compiled = mapBounded(plan.binaries, CPU_COUNT, async binary => {
    const output = pathOf(binary)
    await mkdir(path.dirname(output), { recursive: true })
    await compile(go, binary, output, version.timestamp)
    if (binary.modTime !== version.timestamp) await utimes(output, binary.modTime, binary.modTime)
    core.info(`built ${binary.path}`)
    for (const archive of plan.archives) {
      if (!archive.binaries.includes(binary)) continue
      const left = (unlinked.get(archive) ?? 0) - 1
      unlinked.set(archive, left)
      if (left === 0) startArchive(archive)
    }
  })
  try {
    await compiled
  } finally {
    // A failed link stops the build, but not before the archives under way are done (or removed).
    await Promise.allSettled(archiving.values())
  }
  const archives = new Map<PlannedArchive, Artifact>()
  for (const archive of plan.archives)
    archives.set(archive, await (archiving.get(archive) as Promise<Artifact>))
  const binaries = new Map<PlannedBinary, Artifact>()
  for (const b of plan.binaries) binaries.set(b, await artifact(pathOf(b), 'binary', b.target))

  const packages = await writePackages(whole, plan.packages, pathOf)
  const targets = plan.targets.map(target => ({
    target,
    binaries: plan.binaries.filter(b => b.target === target).map(b => binaries.get(b) as Artifact),
    archives: plan.archives.filter(a => a.target === target).map(a => archives.get(a) as Artifact)
  }))
  const shipped = [...archives.values(), ...packages]
  const all = [...binaries.values(), ...shipped]
  if (!whole.output.checksums || !plan.checksum) return { targets, packages, artifacts: all }
  const checksums = await writeChecksums(
    path.join(outputDir, whole.output.checksums),
    shipped,
    plan.checksum.algorithm
  )
  return { targets, packages, checksums, artifacts: [...all, checksums] }
}

/** What goes in one archive: its binaries, then the documents or the files it lists. */
function archiveEntries(
  archive: PlannedArchive,
  pathOf: (b: PlannedBinary) => string,
  docs: ArchiveEntry[],
  workDir: string,
  skip: ReadonlySet<string>
): ArchiveEntry[] {
  const binaries = archive.binaries.map(b => ({ name: b.name, source: pathOf(b), mode: 0o755 }))
  const files =
    archive.files === 'documents' ? docs : archiveFiles(archive.files, workDir, skip, archive.where)
  const all = [...binaries, ...files]
  return archive.wrap ? all.map(e => ({ ...e, name: `${archive.wrap}/${e.name}` })) : all
}

/** One archive, dated at the commit; a `binary` format is the binary itself under its name. */
async function writeArchive(
  archive: PlannedArchive,
  entries: () => ArchiveEntry[],
  file: string,
  timestamp: number
): Promise<Artifact> {
  if (archive.format === 'binary') {
    await copyFile(entries()[0]?.source as string, file)
  } else if (archive.format === 'zip') await writeZip(entries(), file, timestamp)
  else await writeTarGz(entries(), file, timestamp)
  return artifact(file, 'archive', archive.target)
}

/** The one checksums file over every archive and package, under the name the plan gave it. */
export async function writeChecksums(
  file: string,
  shipped: ReadonlyArray<{ name: string; path: string; sha256: string }>,
  algorithm: 'sha256' | 'sha512' = 'sha256'
): Promise<Artifact> {
  const sums =
    algorithm === 'sha256'
      ? shipped.map(a => ({ name: a.name, sha256: a.sha256 }))
      : await Promise.all(
          shipped.map(async a => ({ name: a.name, sha256: await hashFile(a.path, 'sha512') }))
        )
  await writeFile(file, checksumsFile(sums))
  return artifact(file, 'checksums')
}
