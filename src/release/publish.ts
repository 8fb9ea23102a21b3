// Draft → upload → verify → publish: a release is published only once every asset is in it and
// checked, so a failure anywhere leaves a draft (or the release as it was), never half a release.
// Running again finds the draft or release of the tag and only does what is left.
import * as core from '@actions/core'
import type { ReleaseConfig } from '../config.js'
import { type AssetFile, type AssetsOutcome, syncAssets, verifyAssets } from './assets.js'
import type { Release, ReleasesApi } from './github.js'
import { type ShippedImage, releaseBody } from './notes.js'
import { decideMakeLatest, previousTag } from './policy.js'

export interface PublishRequest {
  tag: string
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

  // A published release is found by tag; a draft (which has no tag yet) from the list.
  let release = (await api.getByTag(request.tag)) ?? all.find(r => r.draft && r.tag === request.tag)
  const created = release === undefined
  if (!release || release.draft) {
    const previous = previousTag(request, others)
    const notes = await api.generateNotes(request.tag, request.commit, previous)
    const body = releaseBody(notes, request.files, request.image)
    release = release
      ? await api.update(release.id, { body, prerelease: request.prerelease })
      : await api.createDraft({
          tag: request.tag,
          commit: request.commit,
          name: request.tag,
          body,
          prerelease: request.prerelease
        })
    core.info(`${created ? 'Created' : 'Reusing'} the draft release ${request.tag} (${release.id})`)
  } else {
    core.info(`Release ${request.tag} is already published (${release.id}); checking its assets`)
  }

  const assets = await syncAssets(api, release, request.files, config.overwrite)
  await verifyAssets(api, release, request.files)

  if (release.draft && !config.draft) {
    release = await api.update(release.id, {
      draft: false,
      prerelease: request.prerelease,
      make_latest: makeLatest
    })
    core.info(`Published ${request.tag} (make_latest: ${makeLatest})`)
  }
  return { release, created, makeLatest, assets }
}
