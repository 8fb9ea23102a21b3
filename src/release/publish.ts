// Draft → upload → verify → publish: a release is published only once every asset is in it and
// checked, so a failure anywhere leaves a draft (or the release as it was), never half a release.
// Running again finds the draft or release of the tag and only does what is left. A failure after
// the draft exists says so: the draft is what users do not see, and what a re-run picks up.
import * as core from '@actions/core'
import type { ReleaseConfig } from '../config.js'
import { type AssetFile, type AssetsOutcome, syncAssets, verifyAssets } from './assets.js'
import { ActionError } from '../errors.js'
import { type Release, type ReleasesApi, describeFailure, requestError } from './github.js'
import { type ShippedImage, releaseBody, withArtifacts } from './notes.js'
import { decideMakeLatest, previousTag } from './policy.js'

export interface PublishRequest {
  tag: string
  /** The release's title (release-name; default the tag). */
  name: string
  /** release-notes' text, which replaces GitHub's generated notes; header and footer around them. */
  notes?: string
  header?: string
  footer?: string
  version: string
  prerelease: boolean
  commit: string
  files: AssetFile[]
  image?: ShippedImage
}

export interface Published {
  release: Release
  created: boolean
  makeLatest: 'true' | 'false' | 'legacy'
  assets: AssetsOutcome
}

export async function publishRelease(
  api: ReleasesApi,
  config: ReleaseConfig,
  request: PublishRequest
): Promise<Published> {
  const all = await api.list()
  const others = all
    .filter(r => r.tag !== request.tag)
    .map(r => ({ tag: r.tag, draft: r.draft, prerelease: r.prerelease }))
  const makeLatest = decideMakeLatest(config.makeLatest, request, others)

  let release = (await api.getByTag(request.tag)) ?? pick(all, request.tag)
  let created = false
  if (!release || release.draft) {
    const previous = previousTag(request, others)
    const notes = request.notes ?? (await api.generateNotes(request.tag, request.commit, previous))
    const body = releaseBody(framed(notes, request), request.files, request.image)
    if (release) {
      release = await api.update(release.id, { body, prerelease: request.prerelease })
      core.info(`Reusing the draft release ${request.tag} (${release.id})`)
    } else {
      ;({ release, created } = await createOnce(api, request, body))
    }
  } else {
    core.info(`Release ${request.tag} is already published (${release.id}); checking its assets`)
  }

  const target = release
  const { assets, held } = await leftDraftOnFailure(target, async () => {
    const synced = await syncAssets(api, target, request.files, config.overwrite)
    return { assets: synced, held: await verifyAssets(api, target, request.files) }
  })

  // The table lists what the release holds, which other jobs of this tag may have added to.
  const table = held
    .filter(a => a.digest)
    .map(a => ({ name: a.name, sha256: (a.digest as string).replace(/^sha256:/, '') }))
  const body = withArtifacts(release.body, table)
  const publish = release.draft && !config.draft
  if (publish || body !== release.body) {
    const fields = {
      ...(body !== release.body ? { body } : {}),
      ...(publish ? { draft: false, prerelease: request.prerelease, make_latest: makeLatest } : {})
    }
    try {
      release = await api.update(release.id, fields)
    } catch (error) {
      if (!publish || !(error instanceof ActionError)) throw error
      throw notPublished(release, request.files.length, error)
    }
    if (publish) core.info(`Published ${request.tag} (make_latest: ${makeLatest})`)
  }
  return { release, created, makeLatest, assets }
}

/** The notes between the GoReleaser file's header and footer. */
export function framed(notes: string, parts: { header?: string; footer?: string }): string {
  return [parts.header, notes, parts.footer]
    .map(p => p?.trim())
    .filter(Boolean)
    .join('\n\n')
}

/** A failure while the release is a draft, saying that it still is one and that a re-run reuses it. */
async function leftDraftOnFailure<T>(release: Release, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (error) {
    if (!release.draft || !(error instanceof ActionError)) throw error
    throw new ActionError(
      `${error.message.replace(/\.$/, '')}. Release ${release.tag} is still a draft, which ` +
        'users do not see; running the job again reuses it, and keeps the assets already there ' +
        'with the same sha256.'
    )
  }
}

/** The publishing PATCH failed: every asset is in the draft and checked; only publishing is left. */
export function notPublished(release: Release, assets: number, error: Error): ActionError {
  return new ActionError(
    `release ${release.tag} was not published (${error.message.replace(/\.$/, '')}). It is ` +
      `left a draft, which users do not see, with all ${assets} assets uploaded and checked ` +
      '(unless GitHub published it before failing). Running the job again publishes it, and ' +
      'uploads nothing again.'
  )
}

/**
 * The release of a tag in a list: the published one (which a moment after publishing may not be
 * found by tag yet), else the oldest draft. Every job that looks picks the same one.
 */
function pick(all: readonly Release[], tag: string): Release | undefined {
  const mine = all.filter(r => r.tag === tag)
  return mine.find(r => !r.draft) ?? mine.filter(r => r.draft).sort((a, b) => a.id - b.id)[0]
}

/**
 * Creates the draft, then makes sure it is the only one: jobs that release the same tag at once
 * (matrix legs each in mode: all) all create drafts, and GitHub lets drafts share a tag. Each job
 * then keeps the oldest draft (or the release that got published meanwhile) and deletes its own
 * if it is not that one, so they all end up in one release.
 */
async function createOnce(
  api: ReleasesApi,
  request: PublishRequest,
  body: string
): Promise<{ release: Release; created: boolean }> {
  let mine: Release | undefined
  try {
    mine = await api.createDraft({
      tag: request.tag,
      commit: request.commit,
      name: request.name,
      body,
      prerelease: request.prerelease
    })
  } catch (error) {
    // 422 already_exists: another job published the tag between our look and our create.
    if (requestError(error)?.status !== 422) throw describeFailure(`creating ${request.tag}`, error)
  }
  const chosen = pick(await api.list(), request.tag) ?? (await api.getByTag(request.tag))
  if (!chosen) throw new ActionError(`release ${request.tag} was created but cannot be found`)
  if (mine && chosen.id !== mine.id) {
    await api.deleteRelease(mine.id)
    core.info(`Another job created release ${request.tag} (${chosen.id}) too; using that one`)
    return { release: chosen, created: false }
  }
  core.info(`Created the draft release ${request.tag} (${chosen.id})`)
  return { release: chosen, created: mine !== undefined }
}
