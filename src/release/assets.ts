// A release's assets brought in line with the files we built: the same bytes are left alone, a
// missing one is uploaded, a different one is an error unless overwrite: true. Uploads that fail
// half-way (a 502 can leave an asset in state "starter") are cleaned up before they are retried,
// so no asset is ever there twice; at the end every asset is checked against its file.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { ActionError } from '../errors.js'
import { sha256Hex } from '../util/hash.js'
import { mapBounded } from '../util/pool.js'
import { withRetry } from '../util/retry.js'
import {
  type Asset,
  type Release,
  type ReleasesApi,
  describeFailure,
  GITHUB_RETRY
} from './github.js'

export interface AssetFile {
  name: string
  path: string
  size: number
  sha256: string
}

export interface AssetsOutcome {
  uploaded: string[]
  unchanged: string[]
  replaced: string[]
}

/** GitHub counts uploads as content-creating requests (80 a minute): a few at a time is plenty. */
const UPLOADS_AT_ONCE = 4

function contentType(name: string): string {
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'application/gzip'
  if (name.endsWith('.zip')) return 'application/zip'
  if (name.endsWith('.txt')) return 'text/plain'
  return 'application/octet-stream'
}

async function sameContent(api: ReleasesApi, existing: Asset, file: AssetFile): Promise<boolean> {
  if (existing.size !== file.size) return false
  if (existing.digest) return existing.digest === `sha256:${file.sha256}`
  // Assets from before GitHub kept digests: compare the bytes themselves.
  return sha256Hex(await api.downloadAsset(existing.id, existing.name)) === file.sha256
}

export async function syncAssets(
  api: ReleasesApi,
  release: Release,
  files: readonly AssetFile[],
  overwrite: boolean
): Promise<AssetsOutcome> {
  const existing = new Map((await api.listAssets(release.id)).map(a => [a.name, a]))
  const outcome: AssetsOutcome = { uploaded: [], unchanged: [], replaced: [] }
  const work: Array<{ file: AssetFile; replace?: Asset }> = []
  const conflicts: string[] = []
  for (const file of files) {
    const there = existing.get(file.name)
    if (!there) work.push({ file })
    else if (there.state !== 'uploaded') work.push({ file, replace: there })
    else if (await sameContent(api, there, file)) outcome.unchanged.push(file.name)
    else if (overwrite) work.push({ file, replace: there })
    else
      conflicts.push(
        `${file.name} (in the release: ${there.digest ?? `${there.size} bytes`}; built: sha256:${file.sha256})`
      )
  }
  // Before any upload: a run that cannot finish changes nothing.
  if (conflicts.length > 0) {
    throw new ActionError(
      `release ${release.tag} already has different assets: ${conflicts.join('; ')}. ` +
        'Set overwrite: true to replace them, or release a new version.'
    )
  }
  await mapBounded(work, UPLOADS_AT_ONCE, async ({ file, replace }) => {
    if (replace) {
      await api.deleteAsset(replace.id, replace.name)
      outcome.replaced.push(file.name)
    } else outcome.uploaded.push(file.name)
    await uploadWithCleanup(api, release, file)
    core.info(`${replace ? 'Replaced' : 'Uploaded'} ${file.name}`)
  })
  return outcome
}

async function uploadWithCleanup(
  api: ReleasesApi,
  release: Release,
  file: AssetFile
): Promise<void> {
  const data = await readFile(file.path)
  await withRetry(async attempt => {
    if (attempt > 1) {
      // What a failed attempt may have left: an asset by this name, whole or "starter".
      const left = (await api.listAssets(release.id)).find(a => a.name === file.name)
      if (left) await api.deleteAsset(left.id, left.name)
    }
    await api.uploadAsset(release, file.name, data, contentType(file.name))
  }, GITHUB_RETRY).catch((error: unknown) => {
    throw describeFailure(`uploading ${file.name}`, error)
  })
}

/** Every file is in the release, uploaded, with its size and (when GitHub says) its digest. */
export async function verifyAssets(
  api: ReleasesApi,
  release: Release,
  files: readonly AssetFile[]
): Promise<void> {
  const assets = new Map((await api.listAssets(release.id)).map(a => [a.name, a]))
  const wrong: string[] = []
  for (const file of files) {
    const a = assets.get(file.name)
    if (!a) wrong.push(`${file.name} is missing`)
    else if (a.state !== 'uploaded') wrong.push(`${file.name} is ${a.state}`)
    else if (a.size !== file.size) wrong.push(`${file.name} has ${a.size} bytes, not ${file.size}`)
    else if (a.digest && a.digest !== `sha256:${file.sha256}`)
      wrong.push(`${file.name} is ${a.digest}, not sha256:${file.sha256}`)
  }
  if (wrong.length > 0) {
    throw new ActionError(
      `release ${release.tag}: its assets do not match what was built: ${wrong.join('; ')}`
    )
  }
}
