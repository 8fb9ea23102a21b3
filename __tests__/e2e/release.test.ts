// The release stage as a runner runs it, against a local stand-in for GitHub's releases API whose
// every request and response is checked against GitHub's OpenAPI description: first release,
// prerelease, a backport below a higher major, running again (same and changed assets, overwrite),
// a 502 mid-upload, Go's /vN rule and a tag that is not SemVer.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  cleanupTempDirs,
  gitCheckout,
  goHome,
  seededToolCache,
  NO_CHECKS,
  HELLO,
  COMMIT_DATE,
  tempDir
} from '../helpers/fixtures.js'
import type { Artifact } from '../../src/build/artifacts.js'
import { DEFAULT_TARGETS } from '../../src/build/targets.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>
const servers: GitHubServer[] = []

beforeAll(async () => {
  toolCache = await seededToolCache()
  home = await goHome()
})

afterEach(() => {
  // Whatever a test did, the stand-in saw only what GitHub's description allows, both ways.
  for (const server of servers) expect(server.violations).toEqual([])
})

afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()))
  await cleanupTempDirs()
})

async function github(): Promise<GitHubServer> {
  const server = await startGitHubServer()
  servers.push(server)
  return server
}

async function release(
  server: GitHubServer,
  tag: string,
  opts: { inputs?: Record<string, string>; date?: string; source?: string; timeoutMs?: number } = {}
): Promise<{ run: ActionRun; sha: string; files: Artifact[] }> {
  const { dir, sha } = await gitCheckout(opts.source ?? HELLO, opts.date ?? COMMIT_DATE)
  const run = await runAction({
    inputs: {
      ...NO_CHECKS,
      targets: 'linux/amd64 windows/amd64',
      'github-token': server.token,
      ...opts.inputs
    },
    cwd: dir,
    toolCache,
    env: {
      ...home,
      ...server.runnerEnv(),
      GITHUB_SHA: sha,
      GITHUB_REF: `refs/tags/${tag}`
    },
    timeoutMs: opts.timeoutMs ?? 280_000
  })
  const artifacts = run.outputs.artifacts ? (JSON.parse(run.outputs.artifacts) as Artifact[]) : []
  const files = artifacts.filter(a => a.kind === 'archive' || a.kind === 'checksums')
  return { run, sha, files }
}

const apiCalls = (server: GitHubServer, method: string, pathPart: string) =>
  server.requests.filter(r => r.method === method && r.path.includes(pathPart))
const uploads = (server: GitHubServer) => server.requests.filter(r => r.server === 'uploads')

describe('releases of examples/hello', () => {
  let server: GitHubServer
  let first: Awaited<ReturnType<typeof release>>

  beforeAll(async () => {
    server = await github()
    first = await release(server, 'v1.2.3')
  }, 300_000)

  test('first release: a draft, every asset uploaded and checked, then published as latest', () => {
    assertExit(first.run, 0)
    const [stored] = server.releases()
    check(first.run, () => {
      expect(stored).toMatchObject({ tag: 'v1.2.3', draft: false, prerelease: false, latest: true })
      expect(stored?.targetCommitish).toBe(first.sha)
      expect(stored?.assets.map(a => [a.name, a.sha256, a.state]).sort()).toEqual(
        first.files.map(f => [f.name, f.sha256, 'uploaded']).sort()
      )
      expect(first.files.map(f => f.name).sort()).toEqual([
        'hello_1.2.3_checksums.txt',
        'hello_1.2.3_linux_amd64.tar.gz',
        'hello_1.2.3_windows_amd64.zip'
      ])
      expect(first.run.outputs['release-id']).toBe(String(stored?.id))
      expect(first.run.outputs['release-url']).toBe(
        `https://github.com/${server.owner}/${server.repo}/releases/tag/v1.2.3`
      )
    })
    // Created as a draft; published by the last request, after every upload.
    const created = apiCalls(server, 'POST', '/releases').filter(
      r => r.server === 'api' && r.path.endsWith('/releases')
    )
    expect(created.map(r => (r.body as { draft: boolean }).draft)).toEqual([true])
    const last = server.requests.at(-1)
    expect(last?.method).toBe('PATCH')
    expect(last?.body).toMatchObject({ draft: false, make_latest: 'true' })
    const lastUpload = server.requests.findLastIndex(r => r.server === 'uploads')
    expect(lastUpload).toBeLessThan(server.requests.length - 1)
    // The notes: generated, then every file with its sha256.
    for (const f of first.files)
      expect(stored?.body).toContain(`| \`${f.name}\` | \`${f.sha256}\` |`)
    expect(stored?.body).toContain('**Full Changelog**')
    expect(first.run.summary).toContain('### Release [v1.2.3]')
  })

  test('running again with the same commit uploads nothing and changes nothing', async () => {
    server.requests.length = 0
    const again = await release(server, 'v1.2.3')
    assertExit(again.run, 0)
    check(again.run, () => {
      expect(uploads(server)).toEqual([])
      expect(server.requests.filter(r => r.method !== 'GET')).toEqual([])
      expect(again.run.summary).toContain('0 uploaded, 3 already there with the same sha256')
    })
  })

  test('a changed asset is a clear error naming it, and nothing moves; overwrite: true replaces it', async () => {
    server.requests.length = 0
    const before = server.releases()[0]?.assets.map(a => a.sha256)
    // Another commit time: the binaries embed the date, so the archives differ.
    const changed = await release(server, 'v1.2.3', { date: '2026-03-04T05:06:07Z' })
    assertExit(changed.run, 1)
    check(changed.run, () => {
      const [error] = annotations(changed.run, 'error').map(a => a.message)
      expect(error).toMatch(
        /^release v1\.2\.3 already has different assets: hello_1\.2\.3_linux_amd64\.tar\.gz \(in the release: sha256:[0-9a-f]{64}; built: sha256:[0-9a-f]{64}\)/
      )
      expect(error).toContain('hello_1.2.3_windows_amd64.zip')
      // The checksums file is not a conflict: it would be merged, were the archives the same.
      expect(error).not.toContain('checksums.txt')
      expect(error).toContain('Set overwrite: true to replace them')
      expect(server.requests.filter(r => r.method !== 'GET')).toEqual([])
    })
    expect(server.releases()[0]?.assets.map(a => a.sha256)).toEqual(before)

    const replaced = await release(server, 'v1.2.3', {
      date: '2026-03-04T05:06:07Z',
      inputs: { overwrite: 'true' }
    })
    assertExit(replaced.run, 0)
    const assets = server.releases()[0]?.assets ?? []
    check(replaced.run, () => {
      expect(assets.map(a => [a.name, a.sha256]).sort()).toEqual(
        replaced.files.map(f => [f.name, f.sha256]).sort()
      )
      expect(replaced.run.summary).toContain('3 replaced')
    })
  })

  test('a prerelease is marked so and does not take latest', async () => {
    const rc = await release(server, 'v1.3.0-rc.1')
    assertExit(rc.run, 0)
    const stored = server.releases().find(r => r.tag === 'v1.3.0-rc.1')
    check(rc.run, () => {
      expect(stored).toMatchObject({ draft: false, prerelease: true, latest: false })
      expect(server.latestTag()).toBe('v1.2.3')
    })
    // Its notes reach back to the previous release.
    expect(stored?.body).toContain('compare/v1.2.3...v1.3.0-rc.1')
  })
})

describe('a local run (no GITHUB_ACTIONS)', () => {
  test('the release is a dry run into output-dir, the image an OCI layout on scratch, offline', async () => {
    const { dir, sha } = await gitCheckout(HELLO, COMMIT_DATE)
    const run = await runAction({
      inputs: {
        ...NO_CHECKS,
        targets: 'linux/amd64 windows/amd64',
        image: 'localhost/hello',
        'base-image': 'scratch'
      },
      cwd: dir,
      toolCache,
      // No GitHub at all: not the API, not a token.
      env: {
        ...home,
        GITHUB_ACTIONS: undefined,
        GITHUB_API_URL: 'http://127.0.0.1:1',
        GITHUB_SHA: sha
      }
    })
    assertExit(run, 0)
    const version = `0.0.0-20260102030405-${sha.slice(0, 12)}`
    const released = JSON.parse(
      readFileSync(path.join(dir, 'dist', 'release', 'release.json'), 'utf8')
    ) as {
      tag_name: string
      prerelease: boolean
      target_commitish: string
      assets: Array<{ name: string; size: number; digest: string }>
    }
    const artifacts = (JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]).filter(
      a => a.kind !== 'binary'
    )
    check(run, () => {
      expect(released).toMatchObject({
        tag_name: `v${version}`,
        prerelease: true,
        target_commitish: sha
      })
      expect(released.assets.map(a => [a.name, a.digest])).toEqual(
        artifacts.map(a => [a.name, `sha256:${a.sha256}`])
      )
      for (const a of artifacts) {
        expect(readFileSync(path.join(dir, 'dist', 'release', a.name)).length).toBe(a.size)
      }
      expect(run.outputs['image-layout']).toBe(path.join(dir, 'dist', 'image'))
      expect(run.summary).toContain('Base `scratch`: the binary alone.')
    })
  })
})

describe('several jobs releasing one tag at once', () => {
  test('six concurrent mode: all runs, one target each: one release, every asset once, one merged checksums file', async () => {
    const server = await github()
    const targets = DEFAULT_TARGETS
    const runs = await Promise.all(
      // Six cold builds at once on two cores: give them time.
      targets.map(target =>
        release(server, 'v1.2.3', { inputs: { targets: target }, timeoutMs: 560_000 })
      )
    )
    for (const run of runs) assertExit(run.run, 0)
    const releases = server.releases().filter(r => r.tag === 'v1.2.3')
    const archives = runs.flatMap(r => r.files.filter(f => !f.name.endsWith('checksums.txt')))
    check(runs[0]!.run, () => {
      expect(releases).toHaveLength(1)
      expect(releases[0]?.draft).toBe(false)
      const names = releases[0]?.assets.map(a => a.name).sort()
      expect(names).toEqual([...archives.map(a => a.name), 'hello_1.2.3_checksums.txt'].sort())
      for (const a of archives) {
        expect(releases[0]?.assets.find(x => x.name === a.name)?.sha256).toBe(a.sha256)
      }
      // One checksums file listing all six archives, as sha256sum -c reads it.
      const checksums = releases[0]?.assets.find(x => x.name === 'hello_1.2.3_checksums.txt')
      const lines = checksums?.data.toString().trim().split('\n').sort()
      expect(lines).toEqual(archives.map(a => `${a.sha256}  ${a.name}`).sort())
      // The notes list what the release holds in the end.
      for (const a of archives) expect(releases[0]?.body).toContain(a.name)
    })
  }, 600_000)
})

describe('backports and failures', () => {
  test('v1.4.1 after v2.0.0 is published but does not take latest', async () => {
    const server = await github()
    server.seedRelease({ tag: 'v1.4.0', createdAt: new Date('2025-01-01T00:00:00Z') })
    server.seedRelease({ tag: 'v2.0.0', createdAt: new Date('2025-06-01T00:00:00Z') })
    const backport = await release(server, 'v1.4.1')
    assertExit(backport.run, 0)
    check(backport.run, () => {
      expect(server.releases().find(r => r.tag === 'v1.4.1')).toMatchObject({
        draft: false,
        latest: false
      })
      expect(server.latestTag()).toBe('v2.0.0')
      expect(server.requests.at(-1)?.body).toMatchObject({ draft: false, make_latest: 'false' })
      expect(server.releases().find(r => r.tag === 'v1.4.1')?.body).toContain(
        'compare/v1.4.0...v1.4.1'
      )
    })
  })

  test('a 502 during an upload: the half asset is deleted, the upload retried, no duplicate', async () => {
    const server = await github()
    server.failNext((method, p) => method === 'POST' && p.endsWith('/assets'), 502, {
      leaveStarterAsset: true
    })
    const result = await release(server, 'v1.2.3')
    assertExit(result.run, 0)
    const [stored] = server.releases()
    check(result.run, () => {
      expect(
        uploads(server)
          .map(r => r.status)
          .filter(s => s !== 201)
      ).toEqual([502])
      expect(apiCalls(server, 'DELETE', '/releases/assets/')).toHaveLength(1)
      const names = stored?.assets.map(a => a.name) ?? []
      expect(new Set(names).size).toBe(names.length)
      expect(stored?.assets.map(a => [a.name, a.sha256, a.state]).sort()).toEqual(
        result.files.map(f => [f.name, f.sha256, 'uploaded']).sort()
      )
      expect(stored?.draft).toBe(false)
      expect(result.run.log).toMatch(/GitHub answered 502 .*; retrying in [\d.]+s \(attempt 2\)/)
    })
  })

  test('a secondary rate limit (403 with retry-after) is waited out', async () => {
    const server = await github()
    server.failNext((method, p) => method === 'GET' && p.endsWith('/releases'), 403, {
      retryAfter: 1
    })
    const result = await release(server, 'v1.2.3')
    assertExit(result.run, 0)
    check(result.run, () => {
      expect(apiCalls(server, 'GET', '/releases').map(r => r.status)[0]).toBe(403)
      expect(result.run.log).toMatch(/GitHub answered 403 .*; retrying in 1s \(attempt 2\)/)
      expect(server.releases()[0]).toMatchObject({ tag: 'v1.2.3', draft: false })
    })
  })

  test('a v2.0.0 tag on a module path without /v2 is refused before any API call', async () => {
    const server = await github()
    const result = await release(server, 'v2.0.0')
    assertExit(result.run, 1)
    check(result.run, () => {
      expect(annotations(result.run, 'error').map(a => a.message)).toEqual([
        expect.stringMatching(
          /^tag v2\.0\.0 is major version 2, but the module path is example\.com\/hello: .*module example\.com\/hello\/v2 in go\.mod/
        )
      ])
      expect(server.requests).toEqual([])
      // Refused before the build too.
      expect(result.run.log).not.toContain('Building ')
    })
  })

  test('a release without a token fails before anything is downloaded or built', async () => {
    const server = await github()
    const result = await release(server, 'v1.2.3', { inputs: { 'github-token': '' } })
    assertExit(result.run, 1)
    check(result.run, () => {
      expect(annotations(result.run, 'error').map(a => a.message)).toEqual([
        'github-token: is empty, and v1.2.3 is to be released: pass a token with contents: write (or set release: false)'
      ])
      expect(result.run.log).not.toContain('Building ')
      expect(server.requests).toEqual([])
    })
  })

  test('a tag that is not SemVer is skipped with a notice under release: auto', async () => {
    const server = await github()
    const result = await release(server, 'nightly')
    assertExit(result.run, 0)
    check(result.run, () => {
      expect(annotations(result.run, 'notice').map(a => a.message)).toContain(
        'No release: nightly is not a SemVer tag (vMAJOR.MINOR.PATCH[-prerelease]).'
      )
      expect(server.requests).toEqual([])
      expect(result.run.outputs['release-id']).toBeUndefined()
    })
  })

  test('release-name and release-notes name the release and write its body', async () => {
    const server = await github()
    const source = await tempDir('gpa-notes-')
    cpSync(HELLO, source, { recursive: true, filter: src => !src.includes(`${path.sep}dist`) })
    writeFileSync(path.join(source, 'NOTES.md'), '## Highlights\n\nFaster greetings.\n')
    const result = await release(server, 'v1.2.3', {
      source,
      inputs: {
        targets: 'linux/amd64',
        'release-name': 'Hello {{ .Version }}{{ if .IsSnapshot }} (snapshot){{ end }}',
        'release-notes': 'NOTES.md'
      }
    })
    assertExit(result.run, 0)
    const [stored] = server.releases()
    check(result.run, () => {
      expect(stored).toMatchObject({ tag: 'v1.2.3', name: 'Hello 1.2.3', draft: false })
      expect(stored?.body).toMatch(/^## Highlights\n\nFaster greetings\.\n\n## Artifacts\n/)
      // The file's text replaces GitHub's generated notes: they are not asked for.
      expect(apiCalls(server, 'POST', '/generate-notes')).toHaveLength(0)
    })
  })

  test('draft: true uploads and checks every asset but leaves the release a draft', async () => {
    const server = await github()
    const result = await release(server, 'v1.2.3', { inputs: { draft: 'true' } })
    assertExit(result.run, 0)
    const [stored] = server.releases()
    check(result.run, () => {
      expect(stored).toMatchObject({ tag: 'v1.2.3', draft: true })
      expect(stored?.assets).toHaveLength(3)
      expect(readFileSync(result.files[0]!.path).length).toBe(
        stored?.assets.find(a => a.name === result.files[0]!.name)?.size
      )
      expect(apiCalls(server, 'PATCH', '/releases/')).toHaveLength(0)
    })
  })
})
