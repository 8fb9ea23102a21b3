import { createHash } from 'node:crypto'
import { afterEach, describe, expect, test } from '@jest/globals'
import { getOctokit } from '@actions/github'
import {
  checkGitHubResponse,
  startGitHubServer,
  type GitHubServer,
  type GitHubServerOptions
} from './github-server.js'

interface ApiResponse {
  status: number
  headers: Headers
  json: unknown
}

type Json = Record<string, unknown>

const running: GitHubServer[] = []
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop()
})

async function start(opts?: GitHubServerOptions): Promise<GitHubServer> {
  const server = await startGitHubServer(opts)
  running.push(server)
  return server
}

async function call(
  github: GitHubServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<ApiResponse> {
  const response = await fetch(`${github.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `token ${github.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined
  }
}

/** Uploads through the release's upload_url, as GitHub wants clients to. */
async function upload(
  github: GitHubServer,
  release: Json,
  name: string,
  data: Buffer,
  headers: Record<string, string> = { 'content-type': 'application/gzip' }
): Promise<ApiResponse> {
  const url = String(release.upload_url).replace(
    '{?name,label}',
    `?name=${encodeURIComponent(name)}`
  )
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${github.token}`, ...headers },
    body: data
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined
  }
}

const repoPath = (github: GitHubServer): string => `/repos/${github.owner}/${github.repo}`

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

describe('startGitHubServer: releases like GitHub', () => {
  test('draft → not found by tag → listed → assets via upload_url → publish → found by tag', async () => {
    const github = await start()
    expect(github.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/)
    expect(github.uploadsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/uploads$/)
    expect(new URL(github.uploadsUrl).port).not.toBe(new URL(github.apiUrl).port)
    const repo = repoPath(github)

    const created = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v1.2.3',
      target_commitish: 'abc123',
      name: 'v1.2.3',
      body: 'notes',
      draft: true,
      prerelease: false,
      make_latest: 'true'
    })
    expect(created.status).toBe(201)
    const draft = created.json as Json
    expect(draft).toMatchObject({
      tag_name: 'v1.2.3',
      target_commitish: 'abc123',
      draft: true,
      published_at: null,
      assets: [],
      upload_url: `${github.uploadsUrl}${repo}/releases/${draft.id}/assets{?name,label}`,
      author: { login: 'github-actions[bot]', type: 'Bot' }
    })
    expect(String(draft.html_url)).toMatch(/\/releases\/tag\/untagged-[0-9a-f]+$/)
    expect(created.headers.get('location')).toBe(`${github.apiUrl}${repo}/releases/${draft.id}`)

    // Drafts have no tag until published: get-by-tag does not see them; the list does.
    const byTag = await call(github, 'GET', `${repo}/releases/tags/v1.2.3`)
    expect(byTag.status).toBe(404)
    expect(byTag.json).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name',
      status: '404'
    })
    const listed = await call(github, 'GET', `${repo}/releases`)
    expect(listed.status).toBe(200)
    expect((listed.json as Json[]).map(r => [r.id, r.draft])).toEqual([[draft.id, true]])

    const data = Buffer.from('archive bytes\n')
    const uploaded = await upload(github, draft, 'hello_1.2.3_linux_amd64.tar.gz', data)
    expect(uploaded.status).toBe(201)
    const asset = uploaded.json as Json
    expect(asset).toMatchObject({
      name: 'hello_1.2.3_linux_amd64.tar.gz',
      state: 'uploaded',
      size: data.length,
      digest: `sha256:${sha256(data)}`,
      content_type: 'application/gzip',
      url: `${github.apiUrl}${repo}/releases/assets/${asset.id}`
    })
    expect(String(asset.browser_download_url)).toMatch(
      /^https:\/\/github\.com\/octo-org\/hello\/releases\/download\/untagged-[0-9a-f]+\/hello_1\.2\.3_linux_amd64\.tar\.gz$/
    )

    // No replace: the same name again is refused.
    const again = await upload(github, draft, 'hello_1.2.3_linux_amd64.tar.gz', data)
    expect(again.status).toBe(422)
    expect(again.json).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }]
    })

    const meta = await call(github, 'GET', `${repo}/releases/assets/${asset.id}`)
    expect(meta.json).toMatchObject({ id: asset.id, digest: asset.digest })
    const bytes = await fetch(`${github.apiUrl}${repo}/releases/assets/${asset.id}`, {
      headers: { authorization: `token ${github.token}`, accept: 'application/octet-stream' }
    })
    expect(bytes.status).toBe(200)
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(data)

    const listedAssets = await call(github, 'GET', `${repo}/releases/${draft.id}/assets`)
    expect((listedAssets.json as Json[]).map(a => a.name)).toEqual([
      'hello_1.2.3_linux_amd64.tar.gz'
    ])
    expect((await call(github, 'DELETE', `${repo}/releases/assets/${asset.id}`)).status).toBe(204)
    expect((await call(github, 'GET', `${repo}/releases/${draft.id}/assets`)).json).toEqual([])
    expect((await upload(github, draft, 'hello_1.2.3_linux_amd64.tar.gz', data)).status).toBe(201)

    const published = await call(github, 'PATCH', `${repo}/releases/${draft.id}`, {
      draft: false,
      make_latest: 'true'
    })
    expect(published.status).toBe(200)
    expect(published.json).toMatchObject({
      draft: false,
      html_url: `https://github.com/octo-org/hello/releases/tag/v1.2.3`,
      tarball_url: `${github.apiUrl}${repo}/tarball/v1.2.3`
    })
    expect((published.json as Json).published_at).toEqual(expect.any(String))
    const found = await call(github, 'GET', `${repo}/releases/tags/v1.2.3`)
    expect(found.status).toBe(200)
    expect((found.json as Json).id).toBe(draft.id)
    expect((await call(github, 'GET', `${repo}/releases/${draft.id}`)).status).toBe(200)
    expect(github.latestTag()).toBe('v1.2.3')

    const [state] = github.releases()
    expect(state).toMatchObject({ tag: 'v1.2.3', draft: false, latest: true })
    expect(state?.assets).toEqual([
      expect.objectContaining({
        name: 'hello_1.2.3_linux_amd64.tar.gz',
        state: 'uploaded',
        size: data.length,
        sha256: sha256(data),
        data
      })
    ])
    expect(github.requests.map(r => `${r.server} ${r.method} ${r.path} ${r.status}`)).toContain(
      `uploads POST ${repo}/releases/${draft.id}/assets 201`
    )
    expect(github.requests[0]).toMatchObject({
      method: 'POST',
      path: `${repo}/releases`,
      status: 201,
      body: expect.objectContaining({ tag_name: 'v1.2.3' })
    })
    expect(github.violations).toEqual([])
  })

  test('several drafts may share a tag; a published tag is taken (422 already_exists)', async () => {
    const github = await start()
    const repo = repoPath(github)
    const drafts: Json[] = []
    for (let i = 0; i < 3; i++) {
      const r = await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })
      expect(r.status).toBe(201)
      drafts.push(r.json as Json)
    }
    expect(new Set(drafts.map(d => d.id)).size).toBe(3)

    const first = await call(github, 'PATCH', `${repo}/releases/${drafts[0]?.id}`, { draft: false })
    expect(first.status).toBe(200)
    const second = await call(github, 'PATCH', `${repo}/releases/${drafts[1]?.id}`, {
      draft: false
    })
    expect(second.status).toBe(422)
    expect(second.json).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
      documentation_url: 'https://docs.github.com/rest/releases/releases#update-a-release',
      status: '422'
    })
    const racing = await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0' })
    expect(racing.status).toBe(422)
    expect(racing.json).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
      documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release'
    })
    // A leftover draft stays a draft until deleted.
    expect((await call(github, 'DELETE', `${repo}/releases/${drafts[1]?.id}`)).status).toBe(204)
    expect((await call(github, 'GET', `${repo}/releases/${drafts[1]?.id}`)).status).toBe(404)
    expect(github.releases().map(r => [r.tag, r.draft])).toEqual([
      ['v1.0.0', true],
      ['v1.0.0', false]
    ])
    expect(github.violations).toEqual([])
  })

  test('latest: make_latest false keeps it, prereleases and drafts never, legacy by date', async () => {
    const github = await start()
    const repo = repoPath(github)
    const hour = 3600_000
    const t0 = Date.now() - 10 * hour
    github.seedRelease({ tag: 'v1.4.0', createdAt: new Date(t0) })
    github.seedRelease({ tag: 'v2.0.0', createdAt: new Date(t0 + hour) })
    expect(github.latestTag()).toBe('v2.0.0')

    // A backport published after v2.0.0 must not take "latest" from it.
    const backport = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v1.4.1',
      make_latest: 'false'
    })
    expect(backport.status).toBe(201)
    expect(github.latestTag()).toBe('v2.0.0')
    const latest = await call(github, 'GET', `${repo}/releases/latest`)
    expect((latest.json as Json).tag_name).toBe('v2.0.0')

    const rc = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v2.1.0-rc.1',
      prerelease: true,
      make_latest: 'true'
    })
    expect(rc.status).toBe(201)
    expect(github.latestTag()).toBe('v2.0.0')
    const draft = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v2.1.0',
      draft: true,
      make_latest: 'true'
    })
    expect(github.latestTag()).toBe('v2.0.0')

    // Publishing the draft: newly published releases default to make_latest true.
    await call(github, 'PATCH', `${repo}/releases/${(draft.json as Json).id}`, { draft: false })
    expect(github.latestTag()).toBe('v2.1.0')

    // Without make_latest, the default (true) takes it even for an older version…
    const old = await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.3.9' })
    expect(github.latestTag()).toBe('v1.3.9')
    // …and when the latest goes, the legacy rule picks again: v2.1.0 is both the newest
    // eligible release and the highest version (the tests never rely on the order of releases
    // created within the same millisecond).
    expect((await call(github, 'DELETE', `${repo}/releases/${(old.json as Json).id}`)).status).toBe(
      204
    )
    expect(github.latestTag()).toBe('v2.1.0')

    // legacy goes by creation date first: a backport created later wins over v2.1.0, which
    // is the reason make_latest exists.
    github.seedRelease({
      tag: 'v1.4.2',
      createdAt: new Date(Date.now() + hour),
      makeLatest: 'false'
    })
    expect(github.latestTag()).toBe('v2.1.0')
    await call(github, 'PATCH', `${repo}/releases/${(backport.json as Json).id}`, {
      make_latest: 'legacy'
    })
    expect(github.latestTag()).toBe('v1.4.2')
    await call(github, 'PATCH', `${repo}/releases/${(backport.json as Json).id}`, {
      make_latest: 'true'
    })
    expect(github.latestTag()).toBe('v1.4.1')
    // Turning the latest into a prerelease, or a release back into a draft, hands "latest" on.
    await call(github, 'PATCH', `${repo}/releases/${(backport.json as Json).id}`, {
      prerelease: true
    })
    expect(github.latestTag()).toBe('v1.4.2')
    const v142 = github.releases().find(r => r.tag === 'v1.4.2')
    const unpublished = await call(github, 'PATCH', `${repo}/releases/${v142?.id}`, { draft: true })
    expect(unpublished.json).toMatchObject({ draft: true, published_at: null })
    expect(github.latestTag()).toBe('v2.1.0')
    expect(
      github
        .releases()
        .filter(r => r.latest)
        .map(r => r.tag)
    ).toEqual(['v2.1.0'])
    expect(github.violations).toEqual([])
  })

  test('generate-notes links the compare view from previous_tag_name, else the commits', async () => {
    const github = await start()
    const repo = repoPath(github)
    const withPrevious = await call(github, 'POST', `${repo}/releases/generate-notes`, {
      tag_name: 'v1.4.1',
      previous_tag_name: 'v1.4.0',
      target_commitish: 'main'
    })
    expect(withPrevious.status).toBe(200)
    expect((withPrevious.json as Json).name).toBe('v1.4.1')
    expect((withPrevious.json as Json).body).toContain(
      '**Full Changelog**: https://github.com/octo-org/hello/compare/v1.4.0...v1.4.1'
    )
    const first = await call(github, 'POST', `${repo}/releases/generate-notes`, {
      tag_name: 'v0.1.0'
    })
    expect((first.json as Json).body).toContain(
      '**Full Changelog**: https://github.com/octo-org/hello/commits/v0.1.0'
    )
    // generate_release_notes on create appends to the given body.
    const created = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v0.1.0',
      body: 'Intro',
      generate_release_notes: true
    })
    expect((created.json as Json).body).toMatch(/^Intro\n\n## What's Changed/)
    expect((created.json as Json).name).toBe('v0.1.0')
    const tooLong = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v0.2.0',
      body: 'x'.repeat(125_001)
    })
    expect(tooLong.status).toBe(422)
    expect(github.violations).toEqual([])
  })

  test('pagination: per_page defaults to 30, at most 100, with a Link header', async () => {
    const github = await start()
    const repo = repoPath(github)
    const base = Date.now() - 1_000_000
    for (let i = 0; i < 101; i++) {
      github.seedRelease({
        tag: `v0.0.${i}`,
        createdAt: new Date(base + i * 1000),
        makeLatest: 'false'
      })
    }
    const page1 = await call(github, 'GET', `${repo}/releases?per_page=100`)
    expect((page1.json as Json[]).length).toBe(100)
    expect((page1.json as Json[])[0]?.tag_name).toBe('v0.0.100') // newest first
    expect(page1.headers.get('link')).toBe(
      `<${github.apiUrl}${repo}/releases?per_page=100&page=2>; rel="next", ` +
        `<${github.apiUrl}${repo}/releases?per_page=100&page=2>; rel="last"`
    )
    const page2 = await call(github, 'GET', `${repo}/releases?per_page=100&page=2`)
    expect((page2.json as Json[]).map(r => r.tag_name)).toEqual(['v0.0.0'])
    expect(page2.headers.get('link')).toBe(
      `<${github.apiUrl}${repo}/releases?per_page=100&page=1>; rel="prev", ` +
        `<${github.apiUrl}${repo}/releases?per_page=100&page=1>; rel="first"`
    )
    expect(((await call(github, 'GET', `${repo}/releases`)).json as Json[]).length).toBe(30)
    expect(
      ((await call(github, 'GET', `${repo}/releases?per_page=500`)).json as Json[]).length
    ).toBe(100)

    const assets = Array.from({ length: 101 }, (_, i) => ({
      name: `file-${String(i).padStart(3, '0')}.txt`,
      data: Buffer.from(`asset ${i}\n`)
    }))
    const id = github.seedRelease({ tag: 'v9.9.9', draft: true, assets })
    const firstAssets = await call(github, 'GET', `${repo}/releases/${id}/assets?per_page=100`)
    expect((firstAssets.json as Json[]).length).toBe(100)
    expect(firstAssets.headers.get('link')).toContain(
      `/releases/${id}/assets?per_page=100&page=2>; rel="next"`
    )
    const lastAssets = await call(
      github,
      'GET',
      `${repo}/releases/${id}/assets?per_page=100&page=2`
    )
    expect((lastAssets.json as Json[]).map(a => a.name)).toEqual(['file-100.txt'])
    expect((lastAssets.json as Json[])[0]?.digest).toBe(
      `sha256:${sha256(Buffer.from('asset 100\n'))}`
    )
    expect(github.violations).toEqual([])
  })

  test('failNext 502 with leaveStarterAsset leaves a starter asset to delete before retrying', async () => {
    const github = await start()
    const repo = repoPath(github)
    const release = (
      await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })
    ).json as Json
    github.failNext((method, path) => method === 'POST' && path.endsWith('/assets'), 502, {
      leaveStarterAsset: true
    })
    const data = Buffer.from('payload')
    const failed = await upload(github, release, 'app.tar.gz', data)
    expect(failed.status).toBe(502)
    expect(failed.json).toMatchObject({ message: 'Bad Gateway', status: '502' })

    const listed = (await call(github, 'GET', `${repo}/releases/${release.id}/assets`))
      .json as Json[]
    expect(listed).toEqual([
      expect.objectContaining({ name: 'app.tar.gz', state: 'starter', size: 0, digest: null })
    ])
    expect((await upload(github, release, 'app.tar.gz', data)).status).toBe(422)
    expect((await call(github, 'DELETE', `${repo}/releases/assets/${listed[0]?.id}`)).status).toBe(
      204
    )
    const retried = await upload(github, release, 'app.tar.gz', data)
    expect(retried.status).toBe(201)
    expect(github.releases()[0]?.assets.map(a => [a.name, a.state, a.sha256])).toEqual([
      ['app.tar.gz', 'uploaded', sha256(data)]
    ])

    // Once only; other requests and statuses (a secondary rate limit here) work the same way.
    github.failNext(method => method === 'GET', 429, { retryAfter: 7 })
    const limited = await call(github, 'GET', `${repo}/releases`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect((await call(github, 'GET', `${repo}/releases`)).status).toBe(200)
    expect(github.requests.map(r => r.status)).toEqual([201, 502, 200, 422, 204, 201, 429, 200])
    expect(github.violations).toEqual([])
  })

  test('uploads require Content-Type and Content-Length, a non-empty body, and a known release', async () => {
    const github = await start()
    const repo = repoPath(github)
    const release = (
      await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })
    ).json as Json
    const noType = await upload(github, release, 'a.bin', Buffer.from('x'), {})
    expect(noType.status).toBe(400)
    expect(noType.json).toMatchObject({ message: "Invalid Content-Type: ''" })
    const chunked = await fetch(
      String(release.upload_url).replace('{?name,label}', '?name=b.bin'),
      {
        method: 'POST',
        headers: {
          authorization: `token ${github.token}`,
          'content-type': 'application/octet-stream'
        },
        body: new Blob([Buffer.from('x')]).stream(),
        duplex: 'half'
      } as RequestInit
    )
    expect(chunked.status).toBe(400)
    expect(await chunked.json()).toMatchObject({ message: 'Bad Content-Length: ' })
    // Those two are client bugs: they are violations too.
    expect(github.violations).toEqual([
      expect.stringContaining('the content-type header is required'),
      expect.stringContaining('the content-length header is required')
    ])
    github.violations.length = 0

    const empty = await upload(github, release, 'c.bin', Buffer.alloc(0))
    expect(empty.status).toBe(422)
    expect(empty.json).toMatchObject({ errors: [{ field: 'size', code: 'custom' }] })
    const renamed = await upload(github, release, 'my app.tar.gz', Buffer.from('x'))
    expect((renamed.json as Json).name).toBe('my.app.tar.gz')
    const gone = await upload(
      github,
      { ...release, upload_url: String(release.upload_url).replace(`/${release.id}/`, '/999999/') },
      'd.bin',
      Buffer.from('x')
    )
    expect(gone.status).toBe(404)
    expect(github.violations).toEqual([])
  })

  test('authentication: token and Bearer work; none or a wrong token is 401', async () => {
    const github = await start({ owner: 'Acme', repo: 'tool', token: 'ghs_secret' })
    const path = '/repos/acme/TOOL/releases' // owner and repo are case-insensitive
    expect((await call(github, 'GET', path)).status).toBe(200)
    expect(
      (await call(github, 'GET', path, undefined, { authorization: 'Bearer ghs_secret' })).status
    ).toBe(200)
    const wrong = await call(github, 'GET', path, undefined, { authorization: 'token ghs_wrong' })
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    })
    const anonymous = await fetch(`${github.apiUrl}${path}`)
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' })
    expect((await call(github, 'GET', '/repos/acme/other/releases')).status).toBe(404)
    expect(github.requests.map(r => r.status)).toEqual([200, 200, 401, 401, 404])
    expect(github.violations).toEqual([])
  })

  test('@actions/github getOctokit: createRelease, listReleases, uploadReleaseAsset, paginate', async () => {
    const github = await start()
    const octokit = getOctokit(github.token, { baseUrl: github.apiUrl })
    const { owner, repo } = github
    const created = await octokit.rest.repos.createRelease({
      owner,
      repo,
      tag_name: 'v3.0.0',
      name: 'v3.0.0',
      draft: true,
      make_latest: 'true'
    })
    expect(created.status).toBe(201)
    await expect(
      octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v3.0.0' })
    ).rejects.toMatchObject({
      status: 404
    })
    const data = Buffer.from('binary\0data')
    const uploaded = await octokit.rest.repos.uploadReleaseAsset({
      owner,
      repo,
      release_id: created.data.id,
      url: created.data.upload_url,
      name: 'hello_3.0.0_linux_arm64.tar.gz',
      label: 'Linux arm64',
      data: data as unknown as string,
      headers: { 'content-type': 'application/gzip', 'content-length': data.length }
    })
    expect(uploaded.status).toBe(201)
    expect(uploaded.data).toMatchObject({
      label: 'Linux arm64',
      size: data.length,
      digest: `sha256:${sha256(data)}`
    })
    await octokit.rest.repos.updateRelease({
      owner,
      repo,
      release_id: created.data.id,
      draft: false,
      make_latest: 'true'
    })
    const byTag = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'v3.0.0' })
    expect(byTag.data.assets.map(a => a.name)).toEqual(['hello_3.0.0_linux_arm64.tar.gz'])

    for (let i = 0; i < 101; i++) github.seedRelease({ tag: `v0.${i}.0`, makeLatest: 'false' })
    const listed = await octokit.rest.repos.listReleases({ owner, repo, per_page: 100 })
    expect(listed.data.length).toBe(100)
    const all = await octokit.paginate(octokit.rest.repos.listReleases, {
      owner,
      repo,
      per_page: 100
    })
    expect(all.length).toBe(102)
    expect(github.latestTag()).toBe('v3.0.0')
    expect(github.violations).toEqual([])
  })
})

describe('startGitHubServer: validation against the OpenAPI description catches drift', () => {
  test('a body that does not match the schema is refused (422) and is a violation', async () => {
    const github = await start()
    const repo = repoPath(github)
    const yes = await call(github, 'POST', `${repo}/releases`, {
      tag_name: 'v1.0.0',
      make_latest: 'yes'
    })
    expect(yes.status).toBe(422)
    expect(github.violations).toEqual([
      `POST ${repo}/releases: repos/create-release: request body/make_latest must be equal to one of the allowed values (allowed: true, false, legacy)`
    ])
    github.violations.length = 0

    const release = (
      await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })
    ).json as Json
    expect(
      (await call(github, 'PATCH', `${repo}/releases/${release.id}`, { draft: 'no' })).status
    ).toBe(422)
    expect(github.violations).toEqual([
      `PATCH ${repo}/releases/${release.id}: repos/update-release: request body/draft must be boolean`
    ])
    github.violations.length = 0

    // GitHub would silently ignore a misspelt field; the stand-in flags it.
    await call(github, 'PATCH', `${repo}/releases/${release.id}`, { make_lates: 'false' })
    expect(github.violations).toEqual([
      expect.stringContaining('request body must NOT have additional properties: make_lates')
    ])
    github.violations.length = 0

    expect((await call(github, 'POST', `${repo}/releases`, { name: 'no tag' })).status).toBe(422)
    expect((await call(github, 'POST', `${repo}/releases`, '{not json')).status).toBe(400)
    expect(github.violations).toEqual([
      expect.stringContaining("request body must have required property 'tag_name'"),
      expect.stringContaining('the request body is not JSON')
    ])
    expect(github.releases().map(r => r.tag)).toEqual(['v1.0.0'])
  })

  test('undocumented endpoints, methods, hosts and parameters are violations (404)', async () => {
    const github = await start()
    const repo = repoPath(github)
    const release = (
      await call(github, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })
    ).json as Json

    expect((await call(github, 'GET', `${repo}/releases/by-name/v1.0.0/files`)).status).toBe(404)
    expect((await call(github, 'PUT', `${repo}/releases`, { tag_name: 'x' })).status).toBe(404)
    // Uploading to the API host, i.e. ignoring upload_url:
    const misdirected = await fetch(
      `${github.apiUrl}${repo}/releases/${release.id}/assets?name=a.bin`,
      {
        method: 'POST',
        headers: {
          authorization: `token ${github.token}`,
          'content-type': 'application/octet-stream'
        },
        body: Buffer.from('x')
      }
    )
    expect(misdirected.status).toBe(404)
    await misdirected.arrayBuffer()
    const onUploads = await fetch(`${github.uploadsUrl}${repo}/releases`, {
      headers: { authorization: `token ${github.token}` }
    })
    expect(onUploads.status).toBe(404)
    await onUploads.arrayBuffer()
    expect((await call(github, 'GET', `${repo}/releases/abc`)).status).toBe(404)
    expect((await call(github, 'GET', `${repo}/releases?per_page=many&per_pag=5`)).status).toBe(200)
    expect((await call(github, 'GET', `${repo}/releases/${release.id}/reactions`)).status).toBe(404)

    expect(github.violations).toEqual([
      `GET ${repo}/releases/by-name/v1.0.0/files: not a documented endpoint (base /api/v3)`,
      `PUT ${repo}/releases: PUT is not documented for /repos/{owner}/{repo}/releases`,
      `POST ${repo}/releases/${release.id}/assets: repos/upload-release-asset is served by the uploads host (use upload_url), not the api host`,
      `GET <uploads>${repo}/releases: repos/list-releases is served by the API host, not the uploads host`,
      `GET ${repo}/releases/abc: repos/get-release: path parameters/release_id must be integer`,
      `GET ${repo}/releases: repos/list-releases: query parameter per_pag is not documented for this operation`,
      `GET ${repo}/releases: repos/list-releases: query parameters/per_page must be integer`,
      `GET ${repo}/releases/${release.id}/reactions: reactions/list-for-release is documented but the stand-in does not implement it`
    ])
  })

  test("the response check flags the stand-in's own drift from GitHub's schemas", () => {
    const asset = {
      url: 'https://api.github.com/repos/o/r/releases/assets/1',
      browser_download_url: 'https://github.com/o/r/releases/download/v1/a',
      id: 1,
      node_id: 'RA_1',
      name: 'a',
      label: null,
      state: 'uploaded',
      content_type: 'application/gzip',
      size: 1,
      digest: null,
      download_count: 0,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      uploader: null
    }
    expect(checkGitHubResponse('GET', '/repos/o/r/releases/assets/1', 200, asset)).toEqual([])
    // The description's prose documents `starter` (left by a 502); the schema is amended for it.
    expect(
      checkGitHubResponse('GET', '/repos/o/r/releases/assets/1', 200, {
        ...asset,
        state: 'starter'
      })
    ).toEqual([])
    expect(
      checkGitHubResponse('GET', '/repos/o/r/releases/assets/1', 200, { ...asset, state: 'done' })
    ).toEqual([
      'response body/state must be equal to one of the allowed values (allowed: uploaded, open, starter)'
    ])
    const noDigest: Record<string, unknown> = { ...asset }
    delete noDigest.digest
    expect(checkGitHubResponse('GET', '/repos/o/r/releases/assets/1', 200, noDigest)).toEqual([
      "response body must have required property 'digest'"
    ])
    expect(
      checkGitHubResponse('GET', '/repos/o/r/releases/assets/1', 200, {
        ...asset,
        created_at: 'yesterday'
      })
    ).toEqual(['response body/created_at must match format "date-time"'])
    // Statuses: success codes must be documented; GitHub's everyday errors are allowed anywhere
    // but must be GitHub error objects.
    expect(checkGitHubResponse('POST', '/repos/o/r/releases', 200, {})).toEqual([
      'response status 200 is not documented for repos/create-release (documented: 201, 404, 422)'
    ])
    expect(
      checkGitHubResponse('GET', '/repos/o/r/releases/1', 404, { message: 'Not Found' })
    ).toEqual([])
    expect(checkGitHubResponse('GET', '/repos/o/r/releases/1', 502, 'Bad Gateway')).toEqual([
      'response body must be object'
    ])
    expect(checkGitHubResponse('DELETE', '/repos/o/r/releases/1', 204, { ok: true })).toEqual([
      'status 204 documents no body but one was sent'
    ])
    expect(checkGitHubResponse('POST', '/repos/o/r/releases/1/assets', 201, asset)).toEqual([
      'repos/upload-release-asset is not served by the api host'
    ])
    expect(
      checkGitHubResponse('POST', '/repos/o/r/releases/1/assets', 201, asset, 'uploads')
    ).toEqual([])
  })
})
