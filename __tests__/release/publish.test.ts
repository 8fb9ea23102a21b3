// publishRelease against an API in memory: what a failure says about the state it leaves the
// release in (a draft that a re-run reuses, or a draft with every asset that a re-run publishes).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { ReleaseConfig } from '../../src/config.js'
import { ActionError } from '../../src/errors.js'
import type { AssetFile } from '../../src/release/assets.js'
import {
  type Asset,
  type Release,
  type ReleasesApi,
  describeFailure
} from '../../src/release/github.js'
import { publishRelease } from '../../src/release/publish.js'
import { sha256Hex } from '../../src/util/hash.js'

const CONFIG: ReleaseConfig = {
  release: 'auto',
  draft: false,
  prerelease: 'auto',
  makeLatest: 'auto',
  overwrite: false,
  githubToken: 'ghs_test',
  notes: { kind: 'generate' }
}

let dir: string
let files: AssetFile[]

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpa-publish-'))
  files = []
  for (const [name, text] of [
    ['hello_1.2.3_linux_amd64.tar.gz', 'linux'],
    ['hello_1.2.3_windows_amd64.zip', 'windows'],
    ['hello_1.2.3_checksums.txt', 'sums']
  ] as const) {
    const file = path.join(dir, name)
    await writeFile(file, text)
    files.push({
      name,
      path: file,
      size: text.length,
      sha256: sha256Hex(Buffer.from(text)),
      checksums: name.endsWith('checksums.txt')
    })
  }
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** One repository in memory; `failing` decides which calls fail (as ReleasesApi reports them). */
function fakeApi(failing: { publish?: boolean; upload?: string } = {}) {
  const releases: Release[] = []
  const assets = new Map<number, Asset[]>()
  const calls: string[] = []
  let nextId = 1
  const api = {
    list: () => Promise.resolve(releases.map(r => ({ ...r }))),
    getByTag: (tag: string) =>
      Promise.resolve(releases.find(r => r.tag === tag && !r.draft) ?? undefined),
    generateNotes: () => Promise.resolve('notes'),
    createDraft: (o: { tag: string; body: string; prerelease: boolean }) => {
      calls.push('create')
      const r: Release = {
        id: nextId++,
        tag: o.tag,
        name: o.tag,
        draft: true,
        prerelease: o.prerelease,
        body: o.body,
        htmlUrl: '',
        uploadUrl: ''
      }
      releases.push(r)
      assets.set(r.id, [])
      return Promise.resolve({ ...r })
    },
    update: (id: number, fields: Partial<Release>) => {
      calls.push(fields.draft === false ? 'publish' : 'update')
      if (fields.draft === false && failing.publish) {
        return Promise.reject(
          describeFailure('updating the release', { status: 503, message: 'Service Unavailable' })
        )
      }
      const r = releases.find(x => x.id === id) as Release
      Object.assign(r, fields)
      return Promise.resolve({ ...r })
    },
    listAssets: (id: number) => Promise.resolve([...(assets.get(id) ?? [])]),
    uploadAsset: (release: Release, name: string, data: Buffer) => {
      calls.push(`upload ${name}`)
      if (failing.upload === name) {
        return Promise.reject(Object.assign(new Error('Bad Request'), { status: 400 }))
      }
      const a: Asset = {
        id: nextId++,
        name,
        size: data.length,
        digest: `sha256:${sha256Hex(data)}`,
        state: 'uploaded',
        createdAt: new Date().toISOString()
      }
      assets.get(release.id)?.push(a)
      return Promise.resolve(a)
    },
    deleteAsset: () => Promise.resolve(),
    downloadAsset: () => Promise.resolve(Buffer.alloc(0)),
    deleteRelease: () => Promise.resolve()
  }
  return { api: api as unknown as ReleasesApi, releases, assets, calls, failing }
}

const REQUEST = {
  tag: 'v1.2.3',
  name: 'v1.2.3',
  version: '1.2.3',
  prerelease: false,
  commit: 'c0ffee'
}

describe('publishRelease when it fails', () => {
  test('at the publishing PATCH: the error says the draft holds every asset and a re-run publishes it', async () => {
    const github = fakeApi({ publish: true })
    const error = await publishRelease(github.api, CONFIG, { ...REQUEST, files }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    // The cause as ReleasesApi words it (the transport's own wording may grow), then the state.
    const message = (error as Error).message
    const cut = message.indexOf('). ') + 3
    expect(message.slice(0, cut)).toMatch(
      /^release v1\.2\.3 was not published \(GitHub: updating the release failed: 503 Service Unavailable.*\)\. $/
    )
    expect(message.slice(cut)).toBe(
      'It is left a draft, which users do not see, with all 3 assets uploaded and checked ' +
        '(unless GitHub published it before failing). Running the job again publishes it, ' +
        'and uploads nothing again.'
    )
    const [draft] = github.releases
    expect(draft?.draft).toBe(true)
    expect(
      github.assets
        .get(draft?.id ?? 0)
        ?.map(a => a.name)
        .sort()
    ).toEqual(files.map(f => f.name).sort())

    // GitHub is back: the re-run reuses the draft, uploads nothing, and publishes it.
    github.failing.publish = false
    github.calls.length = 0
    const published = await publishRelease(github.api, CONFIG, { ...REQUEST, files })
    expect(published.release.draft).toBe(false)
    expect(published.assets).toMatchObject({ uploaded: [], unchanged: expect.any(Array) })
    expect(published.assets.unchanged).toHaveLength(3)
    expect(github.calls).toEqual(['update', 'publish'])
    expect(github.releases).toHaveLength(1)
  })

  test('during the uploads: the error says the release is still a draft that a re-run reuses', async () => {
    const github = fakeApi({ upload: 'hello_1.2.3_windows_amd64.zip' })
    const error = (await publishRelease(github.api, CONFIG, { ...REQUEST, files }).catch(
      (e: unknown) => e
    )) as Error
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toMatch(
      /^GitHub: uploading hello_1\.2\.3_windows_amd64\.zip failed: 400 Bad Request[^.]*\. Release v1\.2\.3 is still a draft/
    )
    expect(error.message).toMatch(
      /\. Release v1\.2\.3 is still a draft, which users do not see; running the job again reuses it, and keeps the assets already there with the same sha256\.$/
    )
    expect(github.releases.map(r => r.draft)).toEqual([true])
    expect(github.calls).not.toContain('publish')
  })

  test('a published release keeps the errors as they were: nothing is said of a draft', async () => {
    const github = fakeApi({ upload: 'hello_1.2.3_windows_amd64.zip' })
    await github.api.createDraft({
      tag: 'v1.2.3',
      commit: '',
      name: '',
      body: '',
      prerelease: false
    })
    await github.api.update(1, { draft: false })
    const error = (await publishRelease(github.api, CONFIG, { ...REQUEST, files }).catch(
      (e: unknown) => e
    )) as Error
    expect(error.message).toMatch(
      /^GitHub: uploading hello_1\.2\.3_windows_amd64\.zip failed: 400 Bad Request/
    )
    expect(error.message).not.toContain('draft')
  })
})
