// What a matrix leg (mode: build) leaves in output-dir for the publish job: one JSON file per leg,
// named after its targets so that download-artifact's merge-multiple keeps every leg's file.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Artifact } from '../build/artifacts.js'
import type { BuildResult } from '../build/stage.js'
import { ActionError } from '../errors.js'
import type { LegImage } from '../image/stage.js'
import type { BuildVersion } from '../plan/version.js'
import { sha256File, sha256Hex } from '../util/hash.js'

export const LEG_FILE_PREFIX = 'go-package-action-leg-'

export interface LegFile {
  name: string
  target: string
  size: number
  sha256: string
}

export interface LegManifest {
  schema: 1
  version: BuildVersion
  project: string
  targets: string[]
  /** The folders in output-dir holding each target's binaries (linux_armv7). */
  folders: string[]
  /** The archives and packages. */
  files: LegFile[]
  /** The checksums file's name the publish job writes (rendered by the leg, which read the templates). */
  checksums?: string
  image?: { name: string; platforms: LegImage[] }
}

export function legFileName(targets: readonly string[]): string {
  return `${LEG_FILE_PREFIX}${sha256Hex([...targets].sort().join(' ')).slice(0, 12)}.json`
}

export async function writeLegManifest(
  outputDir: string,
  leg: { project: string; checksums?: string; folders: string[] },
  version: BuildVersion,
  build: BuildResult,
  image: LegManifest['image']
): Promise<string> {
  const targets = build.targets.map(t => t.target.spec)
  const file = (a: Artifact): LegFile => ({
    name: a.name,
    target: [a.os, a.arch, a.variant].filter(Boolean).join('/'),
    size: a.size,
    sha256: a.sha256
  })
  const manifest: LegManifest = {
    schema: 1,
    version,
    project: leg.project,
    targets,
    folders: leg.folders,
    files: [...build.targets.flatMap(t => t.archives), ...build.packages].map(file),
    checksums: leg.checksums,
    image
  }
  const written = path.join(outputDir, legFileName(targets))
  await writeFile(written, JSON.stringify(manifest, null, 2) + '\n')
  return written
}

export interface MergedLegs {
  version: BuildVersion
  project: string
  files: Array<LegFile & { path: string }>
  images: LegImage[]
  imageName?: string
  /** The legs' manifest files, by name. */
  manifests: string[]
  /** The legs' target folders (their binaries), by name. */
  folders: string[]
  /** The checksums file's name, as the legs rendered it. */
  checksums?: string
}

/**
 * Every leg's manifest in output-dir, checked to fit together before anything is published: one
 * version and commit, no target built twice, none that `targets` asks for missing, and every
 * archive present with the bytes its leg recorded.
 */
export async function mergeLegs(outputDir: string, wanted: readonly string[]): Promise<MergedLegs> {
  const names = (await readdir(outputDir).catch(() => [] as string[]))
    .filter(n => n.startsWith(LEG_FILE_PREFIX) && n.endsWith('.json'))
    .sort()
  if (names.length === 0) {
    throw new ActionError(
      `mode: publish found no ${LEG_FILE_PREFIX}*.json in ${outputDir}: download the legs' artifacts into output-dir (actions/download-artifact with merge-multiple: true)`
    )
  }
  const legs: Array<LegManifest & { file: string }> = []
  for (const name of names) {
    const parsed = JSON.parse(await readFile(path.join(outputDir, name), 'utf8')) as LegManifest
    if (parsed.schema !== 1)
      throw new ActionError(`${name}: written by another version of this action`)
    legs.push({ ...parsed, file: name })
  }
  const first = legs[0] as LegManifest & { file: string }
  for (const leg of legs) {
    if (
      leg.version.commit !== first.version.commit ||
      leg.version.version !== first.version.version
    )
      throw new ActionError(
        `the legs do not fit together: ${first.file} built ${first.version.version} at ${first.version.commit}, ${leg.file} built ${leg.version.version} at ${leg.version.commit}`
      )
    if ((leg.checksums ?? '') !== (first.checksums ?? ''))
      throw new ActionError(
        `the legs do not fit together: ${first.file} names the checksums file ${first.checksums}, ${leg.file} ${leg.checksums}`
      )
    if ((leg.image?.name ?? '') !== (first.image?.name ?? ''))
      throw new ActionError(
        `the legs do not fit together: ${first.file} and ${leg.file} made different images`
      )
  }
  const owner = new Map<string, string>()
  for (const leg of legs) {
    for (const target of leg.targets) {
      const other = owner.get(target)
      if (other)
        throw new ActionError(
          `the legs do not fit together: ${target} was built by both ${other} and ${leg.file}`
        )
      owner.set(target, leg.file)
    }
  }
  const missing = wanted.filter(t => !owner.has(t))
  if (missing.length > 0) {
    throw new ActionError(
      `the legs do not fit together: targets asks for ${missing.join(', ')}, which no leg built (legs: ${[...owner.keys()].join(', ')})`
    )
  }
  const files = legs.flatMap(leg =>
    leg.files.map(f => ({ ...f, path: path.join(outputDir, f.name) }))
  )
  for (const f of files) {
    const actual = await sha256File(f.path).catch(() => undefined)
    if (actual === undefined)
      throw new ActionError(`${f.name}, built for ${f.target}, is not in ${outputDir}`)
    if (actual !== f.sha256)
      throw new ActionError(
        `${f.name} is not the file its leg built (sha256 ${actual}, recorded ${f.sha256})`
      )
  }
  return {
    version: first.version,
    project: first.project,
    files,
    images: legs.flatMap(leg => leg.image?.platforms ?? []),
    imageName: first.image?.name,
    manifests: names,
    folders: legs.flatMap(leg => leg.folders ?? []),
    checksums: first.checksums
  }
}
