// A local run's release: what would be published, written into output-dir/release — release.json
// (the fields the API would get) and the assets — so it can be looked at without GitHub.
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ReleaseConfig } from '../config.js'
import type { AssetFile } from './assets.js'
import { type ShippedImage, releaseBody } from './notes.js'
import { decideMakeLatest } from './policy.js'
import { framed } from './publish.js'

export interface DryRun {
  dir: string
  file: string
}

export async function writeDryRun(
  dir: string,
  config: ReleaseConfig,
  request: {
    tag: string
    name: string
    version: string
    prerelease: boolean
    commit: string
    notes?: string
    header?: string
    footer?: string
  },
  files: readonly AssetFile[],
  image: ShippedImage | undefined
): Promise<DryRun> {
  // The folder is the action's (output-dir is claimed before any write), so it starts empty.
  await mkdir(dir, { recursive: true })
  for (const f of files) await copyFile(f.path, path.join(dir, f.name))
  const release = {
    tag_name: request.tag,
    target_commitish: request.commit,
    name: request.name,
    draft: config.draft,
    prerelease: request.prerelease,
    // Without GitHub there are no other releases to compare with.
    make_latest: decideMakeLatest(config.makeLatest, request, []),
    body: releaseBody(framed(request.notes ?? '', request), files, image),
    assets: files.map(f => ({ name: f.name, size: f.size, digest: `sha256:${f.sha256}` }))
  }
  const file = path.join(dir, 'release.json')
  await writeFile(file, JSON.stringify(release, null, 2) + '\n')
  return { dir, file }
}
