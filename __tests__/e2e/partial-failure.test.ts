// Honest partial failure, through the bundle: what a job that dies half-way through publishing
// leaves behind, what its error says about it, and that running the job again completes it.
// - The image: a registry that dies at the second of three tag PUTs leaves the whole new image in
//   the registry by digest, the first tag on it and the other two on the previous image; the error
//   says so; once the registry is back, a re-run moves the two and uploads no blob.
// - The release: a GitHub that dies at the publishing PATCH leaves a draft holding every asset; the
//   error says so; once GitHub is back, a re-run publishes it and uploads nothing.
// A dead server here answers 503 with `retry-after: 0` to every request, so the clients' retries
// (five attempts each) give up at once instead of after their backoff.
//
// PARTIAL_ENTRY runs another bundle than dist/index.js (one built from the working tree).
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Artifact } from '../../src/build/artifacts.js'
import { type DistrolessBase, pushDistrolessBase } from '../helpers/distroless-base.js'
import {
  cleanupTempDirs,
  gitCheckout,
  goHome,
  seededToolCache,
  tempDir,
  NO_CHECKS,
  HELLO,
  COMMIT_DATE
} from '../helpers/fixtures.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'

const run = promisify(execFile)
const entry = process.env.PARTIAL_ENTRY || undefined
const LATER_DATE = '2026-02-03T04:05:06Z'

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>

beforeAll(async () => {
  toolCache = await seededToolCache()
  home = await goHome()
})

afterAll(async () => {
  await cleanupTempDirs()
})

/** The action on examples/hello committed at `date`, on the tag v1.2.3. */
async function runOn(
  date: string,
  inputs: Record<string, string>,
  env: Record<string, string>
): Promise<{ run: ActionRun; ms: number }> {
  const { dir, sha } = await gitCheckout(HELLO, date)
  const started = Date.now()
  const result = await runAction({
    inputs: { ...NO_CHECKS, ...inputs },
    cwd: dir,
    toolCache,
    entry,
    env: { ...home, GITHUB_SHA: sha, GITHUB_REF: 'refs/tags/v1.2.3', ...env },
    timeoutMs: 280_000
  })
  return { run: result, ms: Date.now() - started }
}

const errorOf = (r: ActionRun): string => annotations(r, 'error')[0]?.message ?? ''

describe('a registry that dies among the tags', () => {
  let registry: Registry
  let base: DistrolessBase
  let dockerConfig: string
  const repository = 'octo/partial'

  beforeAll(async () => {
    registry = await startRegistry()
    base = await pushDistrolessBase(registry.host)
    // An empty Docker config, so the machine's own ~/.docker/config.json plays no part.
    dockerConfig = await tempDir('gpa-docker-config-')
  }, 120_000)

  afterAll(async () => {
    await registry?.stop()
  })

  const push = (date: string) =>
    runOn(
      date,
      {
        release: 'false',
        targets: 'linux/amd64 linux/arm64',
        image: `${registry.host}/${repository}`,
        'base-image': base.reference,
        // Given widest first: the action moves 1.2.3 first and latest last all the same.
        'image-tags': 'latest\n1\n1.2.3'
      },
      { DOCKER_CONFIG: dockerConfig }
    )

  async function digestOf(tag: string): Promise<string> {
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${registry.host}/${repository}:${tag}`
    ])
    return (JSON.parse(stdout) as { Digest: string }).Digest
  }

  const tagPut = (method: string, url: string): boolean =>
    method === 'PUT' && /\/manifests\/(?!sha256:)/.test(url)
  const tagPuts = () =>
    registry.requests.filter(r => tagPut(r.method, r.url)).map(r => r.url.replace(/^.*\//, ''))
  const blobUploads = () => registry.requests.filter(r => r.url.includes('/blobs/uploads/'))

  test('dead at the second of three tag PUTs: exit 1, the error lists the tags moved and not; a re-run moves the rest and uploads no blob', async () => {
    // The previous release: all three tags on one image.
    const before = await push(COMMIT_DATE)
    assertExit(before.run, 0)
    const old = before.run.outputs['image-digest'] as string
    expect(old).toMatch(/^sha256:[0-9a-f]{64}$/)

    // Another commit, another image; the registry dies at its second tag PUT.
    registry.requests.length = 0
    let puts = 0
    registry.dieAt((method, url) => tagPut(method, url) && ++puts === 2, {
      status: 503,
      retryAfter: 0
    })
    const failed = await push(LATER_DATE)
    assertExit(failed.run, 1)
    const message = errorOf(failed.run)
    const fresh = /The image (sha256:[0-9a-f]{64}) is complete/.exec(message)?.[1] as string
    check(failed.run, () => {
      expect(annotations(failed.run, 'error')).toHaveLength(1)
      expect(fresh).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(fresh).not.toBe(old)
      expect(message).toMatch(
        new RegExp(
          `^pushing tag 1 failed: registry ${registry.host.replace(/\./g, '\\.')}: PUT /v2/${repository}/manifests/1\\b.*\\b503\\b`
        )
      )
      expect(message).toContain(
        `The image ${fresh} is complete in the registry (5 blobs, 2 platform manifests and the index, by digest), ` +
          'but a registry moves tags one by one, and only some were moved. Naming it now: 1.2.3. ' +
          'Not moved (still naming the image they named before, if any): ' +
          '1 (unless the registry stored it before failing), latest. ' +
          'Running the job again moves the rest: nothing is uploaded again, ' +
          'and tags that already name the image are skipped.'
      )
      // Tags last, the most specific first; the registry answered 503 from the second one on.
      expect(tagPuts()).toEqual(['1.2.3', '1', '1', '1', '1', '1'])
      expect(registry.requests.filter(r => tagPut(r.method, r.url)).map(r => r.status)).toEqual([
        201, 503, 503, 503, 503, 503
      ])
    })

    // The registry is back. What the dead one holds: the whole new image by digest, 1.2.3 on it,
    // 1 and latest still on the previous image.
    registry.revive()
    expect(await digestOf('1.2.3')).toBe(fresh)
    expect(await digestOf('1')).toBe(old)
    expect(await digestOf('latest')).toBe(old)
    const copy = await tempDir('gpa-partial-copy-')
    await run('skopeo', [
      'copy',
      '--all',
      '--src-tls-verify=false',
      `docker://${registry.host}/${repository}@${fresh}`,
      `oci:${path.join(copy, 'image')}:copy`
    ])

    // Running the job again completes it: no blob uploaded, only the two tags left moved.
    registry.requests.length = 0
    const again = await push(LATER_DATE)
    assertExit(again.run, 0)
    check(again.run, () => {
      expect(again.run.outputs['image-digest']).toBe(fresh)
      expect(blobUploads()).toEqual([])
      expect(tagPuts()).toEqual(['1', 'latest'])
      expect(again.run.log).toContain('blobs 0 uploaded, 5 already there')
    })
    for (const tag of ['1.2.3', '1', 'latest']) expect(await digestOf(tag)).toBe(fresh)
    console.log(
      `image runs: previous ${before.ms} ms, failed ${failed.ms} ms, re-run ${again.ms} ms\n` +
        `the failed run said: ${message}`
    )
  })
})

describe('a GitHub that dies at the publishing PATCH', () => {
  let server: GitHubServer

  beforeAll(async () => {
    server = await startGitHubServer()
  })

  afterEach(() => {
    // Whatever a test did, the stand-in saw only what GitHub's description allows, both ways.
    expect(server.violations).toEqual([])
  })

  afterAll(async () => {
    await server?.stop()
  })

  const release = () =>
    runOn(
      COMMIT_DATE,
      { targets: 'linux/amd64 windows/amd64', 'github-token': server.token },
      server.runnerEnv()
    )
  const filesOf = (r: ActionRun): Artifact[] =>
    (JSON.parse(r.outputs.artifacts ?? '[]') as Artifact[]).filter(
      a => a.kind === 'archive' || a.kind === 'checksums'
    )
  const uploads = () => server.requests.filter(r => r.server === 'uploads')
  const publishing = (method: string, body: unknown): boolean =>
    method === 'PATCH' && (body as { draft?: boolean } | undefined)?.draft === false

  test('exit 1 with a draft holding every asset, which a re-run publishes without uploading again', async () => {
    server.failFrom((method, _path, body) => publishing(method, body), 503, { retryAfter: 0 })
    const failed = await release()
    assertExit(failed.run, 1)
    const [draft] = server.releases()
    check(failed.run, () => {
      expect(annotations(failed.run, 'error')).toHaveLength(1)
      const message = errorOf(failed.run)
      expect(message).toMatch(
        /^release v1\.2\.3 was not published \(GitHub: updating the release failed: 503\b/
      )
      expect(message).toMatch(
        /\)\. It is left a draft, which users do not see, with all 3 assets uploaded and checked \(unless GitHub published it before failing\)\. Running the job again publishes it, and uploads nothing again\.$/
      )
      // Every upload went through before the PATCH; the PATCH was tried five times.
      expect(uploads().map(r => r.status)).toEqual([201, 201, 201])
      expect(
        server.requests.filter(r => r.method === 'PATCH').map(r => [r.status, r.body])
      ).toEqual(Array.from({ length: 5 }, () => [503, expect.objectContaining({ draft: false })]))
    })
    // What GitHub holds: a draft (users do not see it) with every asset, uploaded.
    expect(server.releases()).toHaveLength(1)
    expect(draft).toMatchObject({ tag: 'v1.2.3', draft: true, publishedAt: null })
    expect(draft?.assets.map(a => [a.name, a.sha256, a.state]).sort()).toEqual(
      filesOf(failed.run)
        .map(f => [f.name, f.sha256, 'uploaded'])
        .sort()
    )

    // GitHub is back: the re-run reuses the draft, uploads nothing and publishes it.
    server.recover()
    server.requests.length = 0
    const again = await release()
    assertExit(again.run, 0)
    const [published] = server.releases()
    check(again.run, () => {
      expect(uploads()).toEqual([])
      expect(server.requests.filter(r => r.method === 'DELETE')).toEqual([])
      expect(published).toMatchObject({ id: draft?.id, draft: false, latest: true })
      expect(published?.assets.map(a => a.id)).toEqual(draft?.assets.map(a => a.id))
      expect(again.run.log).toContain(`Reusing the draft release v1.2.3 (${draft?.id})`)
      expect(server.requests.at(-1)).toMatchObject({
        method: 'PATCH',
        status: 200,
        body: expect.objectContaining({ draft: false, make_latest: 'true' })
      })
    })
    expect(server.releases()).toHaveLength(1)
    console.log(
      `release runs: failed ${failed.ms} ms, re-run ${again.ms} ms\n` +
        `the failed run said: ${errorOf(failed.run)}`
    )
  })
})
