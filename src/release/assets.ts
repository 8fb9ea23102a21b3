// A release's assets brought in line with the files we built: the same bytes are left alone, a
// missing one is uploaded, a different one is an error unless overwrite: true. Uploads that fail
// half-way (a 502 can leave an asset in state "starter") are cleaned up before they are retried,
// so no asset is ever there twice; at the end every asset is checked against its file.
//
// Several jobs may release one tag at once (matrix legs each in mode: all). Their archives have
// different names; their checksums files do not, so the checksums file is merged, under a lock
// made of GitHub's own rule that two assets cannot share a name.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { mergeChecksums, parseChecksums } from '../build/checksums.js'
import { ActionError } from '../errors.js'
import { sha256Hex } from '../util/hash.js'
import { mapBounded } from '../util/pool.js'
import { withRetry } from '../util/retry.js'
import {
  type Asset,
  type Release,
  type ReleasesApi,
  describeFailure,
  GITHUB_RETRY,
  requestError
} from './github.js'

export interface AssetFile {
  name: string
  path: string
  size: number
  sha256: string
  /** The checksums file: merged with another job's rather than refused. */
  checksums?: boolean
}

export interface AssetsOutcome {
  uploaded: string[]
  unchanged: string[]
  replaced: string[]
  merged: string[]
}

/** GitHub counts uploads as content-creating requests (80 a minute): a few at a time is plenty. */
const UPLOADS_AT_ONCE = 4
/** A lock older than this was left by a job that died holding it. */
const STALE_LOCK_MS = 120_000

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

function conflict(file: AssetFile, there: Asset): string {
  return `${file.name} (in the release: ${there.digest ?? `${there.size} bytes`}; built: sha256:${file.sha256})`
}

function conflictError(release: Release, what: string[]): ActionError {
  return new ActionError(
    `release ${release.tag} already has different assets: ${what.join('; ')}. ` +
      'Set overwrite: true to replace them, or release a new version.'
  )
}

export async function syncAssets(
  api: ReleasesApi,
  release: Release,
  files: readonly AssetFile[],
  overwrite: boolean
): Promise<AssetsOutcome> {
  const existing = new Map((await api.listAssets(release.id)).map(a => [a.name, a]))
  const outcome: AssetsOutcome = { uploaded: [], unchanged: [], replaced: [], merged: [] }
  type Work = { file: AssetFile; replace?: Asset; merge?: boolean }
  const work: Work[] = []
  const conflicts: string[] = []
  for (const file of files) {
    const there = existing.get(file.name)
    if (!there) work.push({ file })
    else if (there.state !== 'uploaded') work.push({ file, replace: there })
    else if (await sameContent(api, there, file)) outcome.unchanged.push(file.name)
    else if (overwrite) work.push({ file, replace: there })
    else if (file.checksums) work.push({ file, merge: true })
    else conflicts.push(conflict(file, there))
  }
  // Before any upload: a run that cannot finish changes nothing.
  if (conflicts.length > 0) throw conflictError(release, conflicts)
  await mapBounded(work, UPLOADS_AT_ONCE, async ({ file, replace, merge }) => {
    if (merge) {
      await mergeChecksumsAsset(api, release, file)
      outcome.merged.push(file.name)
      return
    }
    if (replace) await api.deleteAsset(replace.id, replace.name)
    const done = await uploadWithCleanup(api, release, file)
    if (done === 'merged') outcome.merged.push(file.name)
    else if (done === 'same') outcome.unchanged.push(file.name)
    else (replace ? outcome.replaced : outcome.uploaded).push(file.name)
    core.info(`${replace ? 'Replaced' : done === 'uploaded' ? 'Uploaded' : 'Kept'} ${file.name}`)
  })
  return outcome
}

/**
 * One file up, retried with the half-made asset of a failed attempt removed first. Another job
 * may upload the same name meanwhile (422 already_exists): the same bytes are fine, a checksums
 * file is merged, anything else is a conflict.
 */
async function uploadWithCleanup(
  api: ReleasesApi,
  release: Release,
  file: AssetFile,
  data?: Buffer
): Promise<'uploaded' | 'same' | 'merged'> {
  const bytes = data ?? (await readFile(file.path))
  let taken = false
  await withRetry(async attempt => {
    if (attempt > 1) {
      const left = (await api.listAssets(release.id)).find(a => a.name === file.name)
      if (left && left.state !== 'uploaded') await api.deleteAsset(left.id, left.name)
      else if (left) {
        taken = true
        return
      }
    }
    try {
      await api.uploadAsset(release, file.name, bytes, contentType(file.name))
    } catch (error) {
      if (requestError(error)?.status !== 422) throw error
      taken = true
    }
  }, GITHUB_RETRY).catch((error: unknown) => {
    throw describeFailure(`uploading ${file.name}`, error)
  })
  if (!taken) return 'uploaded'
  const there = (await api.listAssets(release.id)).find(a => a.name === file.name)
  if (
    there &&
    (await sameContent(api, there, { ...file, size: bytes.length, sha256: sha256Hex(bytes) }))
  )
    return 'same'
  if (file.checksums) {
    await mergeChecksumsAsset(api, release, file)
    return 'merged'
  }
  throw conflictError(release, [there ? conflict(file, there) : file.name])
}

/** The release's checksums file and ours as one file, replaced while holding the lock. */
async function mergeChecksumsAsset(
  api: ReleasesApi,
  release: Release,
  file: AssetFile
): Promise<void> {
  const ours = await readFile(file.path, 'utf8')
  await withAssetLock(api, release, file.name, async () => {
    const there = (await api.listAssets(release.id)).find(a => a.name === file.name)
    if (!there) {
      await api.uploadAsset(release, file.name, Buffer.from(ours), contentType(file.name))
      return
    }
    const theirs = (await api.downloadAsset(there.id, there.name)).toString('utf8')
    const merged = mergeChecksums(theirs, ours)
    if (merged === undefined) throw conflictError(release, [conflict(file, there)])
    if (merged === theirs) return
    await api.deleteAsset(there.id, there.name)
    await api.uploadAsset(release, file.name, Buffer.from(merged), contentType(file.name))
    core.info(`Merged ${file.name} with the one another job uploaded`)
  })
}

/** Holds `<name>.lock`, an asset only one job can create; a stale one (a dead job's) is removed. */
async function withAssetLock(
  api: ReleasesApi,
  release: Release,
  name: string,
  body: () => Promise<void>
): Promise<void> {
  const lockName = `${name}.lock`
  const deadline = Date.now() + 2 * STALE_LOCK_MS
  let lock: Asset | undefined
  while (!lock) {
    try {
      lock = await api.uploadAsset(
        release,
        lockName,
        Buffer.from(String(process.pid)),
        'text/plain'
      )
    } catch (error) {
      if (requestError(error)?.status !== 422) throw describeFailure(`locking ${name}`, error)
      const held = (await api.listAssets(release.id)).find(a => a.name === lockName)
      if (held && Date.now() - Date.parse(held.createdAt) > STALE_LOCK_MS)
        await api.deleteAsset(held.id, held.name).catch(() => undefined)
      if (Date.now() > deadline)
        throw new ActionError(`release ${release.tag}: ${lockName} stayed locked by another job`)
      await new Promise(resolve => setTimeout(resolve, 200 + Math.random() * 800))
    }
  }
  try {
    await body()
  } finally {
    await api.deleteAsset(lock.id, lockName)
  }
}

/**
 * Every file is in the release, uploaded, with its size and (when GitHub says) its digest; a
 * checksums file merged with another job's must hold every one of our lines. Returns the assets.
 */
export async function verifyAssets(
  api: ReleasesApi,
  release: Release,
  files: readonly AssetFile[]
): Promise<Asset[]> {
  const list = await api.listAssets(release.id)
  const assets = new Map(list.map(a => [a.name, a]))
  const wrong: string[] = []
  for (const file of files) {
    const a = assets.get(file.name)
    if (!a) wrong.push(`${file.name} is missing`)
    else if (a.state !== 'uploaded') wrong.push(`${file.name} is ${a.state}`)
    else if (a.digest === `sha256:${file.sha256}`) continue
    else if (file.checksums) {
      const held = parseChecksums((await api.downloadAsset(a.id, a.name)).toString('utf8')) ?? []
      const ours = parseChecksums(await readFile(file.path, 'utf8')) ?? []
      const missing = ours.filter(o => !held.some(h => h.name === o.name && h.sha256 === o.sha256))
      if (missing.length > 0)
        wrong.push(`${file.name} lacks ${missing.map(m => m.name).join(', ')}`)
    } else if (a.size !== file.size)
      wrong.push(`${file.name} has ${a.size} bytes, not ${file.size}`)
    else if (a.digest) wrong.push(`${file.name} is ${a.digest}, not sha256:${file.sha256}`)
  }
  if (wrong.length > 0) {
    throw new ActionError(
      `release ${release.tag}: its assets do not match what was built: ${wrong.join('; ')}`
    )
  }
  return list.filter(a => !a.name.endsWith('.lock')).sort((a, b) => (a.name < b.name ? -1 : 1))
}
