// Matrix legs and one publish job, as a workflow runs them: three mode: build legs, each with its
// own targets and output-dir, merged as actions/download-artifact (merge-multiple) would, then one
// mode: publish against the local registry and the OpenAPI-checked GitHub stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cpSync, readdirSync, readFileSync } from 'node:fs'
import { symlink } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { type DistrolessBase, pushDistrolessBase } from '../helpers/distroless-base.js'
import {
  cleanupTempDirs,
  gitCheckout,
  goHome,
  NO_CHECKS,
  seededToolCache,
  tempDir,
  HELLO,
  COMMIT_DATE
} from '../helpers/fixtures.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { sharedNfpm, TEST_TOOL_CACHE } from '../helpers/nfpm.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'

const run = promisify(execFile)
const LEGS = [['linux/amd64', 'darwin/arm64'], ['linux/arm64', 'windows/amd64'], ['linux/arm/v7']]
const ALL_TARGETS = LEGS.flat().join(' ')

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>
let registry: Registry
let base: DistrolessBase
const servers: GitHubServer[] = []

beforeAll(async () => {
  ;[toolCache, home, registry] = await Promise.all([seededToolCache(), goHome(), startRegistry()])
  base = await pushDistrolessBase(registry.host)
  // The legs make .deb packages: nfpm is built once per machine and found in the tool cache.
  await sharedNfpm()
  await symlink(path.join(TEST_TOOL_CACHE, 'nfpm'), path.join(toolCache, 'nfpm'))
}, 900_000)

afterEach(() => {
  for (const server of servers) expect(server.violations).toEqual([])
})

afterAll(async () => {
  await Promise.all([registry?.stop(), ...servers.map(s => s.stop())])
  await cleanupTempDirs()
})

async function github(): Promise<GitHubServer> {
  const server = await startGitHubServer()
  servers.push(server)
  return server
}

function step(
  dir: string,
  server: GitHubServer,
  sha: string,
  inputs: Record<string, string>
): Promise<ActionRun> {
  return runAction({
    inputs: {
      ...NO_CHECKS,
      image: `${registry.host}/octo/hello`,
      'base-image': base.reference,
      'github-token': server.token,
      ...inputs
    },
    cwd: dir,
    toolCache,
    env: {
      ...home,
      ...server.runnerEnv(),
      GITHUB_SHA: sha,
      GITHUB_REF: 'refs/tags/v1.2.3'
    },
    timeoutMs: 560_000
  })
}

/** Each leg in its own checkout (its own runner), then every leg's output-dir merged into one. */
async function legs(
  server: GitHubServer,
  legTargets: string[][],
  dates: string[] = legTargets.map(() => COMMIT_DATE)
): Promise<{ runs: ActionRun[]; merged: string; sha: string }> {
  const checkouts = await Promise.all(dates.map(date => gitCheckout(HELLO, date)))
  const runs: ActionRun[] = []
  // One after another: two cores, and each leg cross-compiles.
  for (const [i, targets] of legTargets.entries()) {
    const { dir, sha } = checkouts[i]!
    runs.push(
      await step(dir, server, sha, { mode: 'build', targets: targets.join(' '), packages: 'deb' })
    )
  }
  const merged = await tempDir('gpa-merged-')
  for (const { dir } of checkouts) cpSync(path.join(dir, 'dist'), merged, { recursive: true })
  return { runs, merged, sha: checkouts[0]!.sha }
}

/** The publish job's checkout, with the legs' artifacts downloaded into dist/ (merge-multiple). */
async function publishCheckout(merged: string): Promise<string> {
  const { dir } = await gitCheckout(HELLO, COMMIT_DATE)
  cpSync(merged, path.join(dir, 'dist'), { recursive: true })
  return dir
}

describe('three legs and a publish job', () => {
  let server: GitHubServer
  let built: Awaited<ReturnType<typeof legs>>
  let published: ActionRun
  /** What the legs asked of GitHub and wrote to the registry, before the publish job ran. */
  let legCalls: unknown[]
  let legRegistryWrites: unknown[]
  let publishDir: string

  beforeAll(async () => {
    server = await github()
    registry.requests.length = 0
    built = await legs(server, LEGS)
    legCalls = [...server.requests]
    legRegistryWrites = registry.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD')
    publishDir = await publishCheckout(built.merged)
    registry.requests.length = 0
    published = await step(publishDir, server, built.sha, {
      mode: 'publish',
      targets: ALL_TARGETS
    })
  }, 900_000)

  test('the legs build, write layouts and a manifest each, and touch neither the registry nor GitHub', () => {
    for (const leg of built.runs) assertExit(leg, 0)
    check(built.runs[0]!, () => {
      expect(legCalls).toEqual([])
      expect(legRegistryWrites).toEqual([])
      const files = readdirSync(built.merged)
      expect(files.filter(f => f.startsWith('go-package-action-leg-'))).toHaveLength(3)
      // No leg writes a checksums file: the publish job writes the one for all.
      for (const leg of built.runs) expect(leg.outputs.checksums).toBeUndefined()
      expect(files.filter(f => f.startsWith('image-')).sort()).toEqual([
        'image-linux_amd64',
        'image-linux_arm64',
        'image-linux_arm_v7'
      ])
    })
  })

  test('publish: one release with every archive and one checksums file', () => {
    assertExit(published, 0)
    const releases = server.releases()
    check(published, () => {
      expect(releases).toHaveLength(1)
      expect(releases[0]).toMatchObject({ tag: 'v1.2.3', draft: false, latest: true })
      // The legs' .deb packages (nfpm's conventional names) travel with their archives.
      expect(releases[0]?.assets.map(a => a.name).sort()).toEqual([
        'hello_1.2.3_amd64.deb',
        'hello_1.2.3_arm64.deb',
        'hello_1.2.3_armhf.deb',
        'hello_1.2.3_checksums.txt',
        'hello_1.2.3_darwin_arm64.tar.gz',
        'hello_1.2.3_linux_amd64.tar.gz',
        'hello_1.2.3_linux_arm64.tar.gz',
        'hello_1.2.3_linux_armv7.tar.gz',
        'hello_1.2.3_windows_amd64.zip'
      ])
      const checksums = releases[0]?.assets.find(a => a.name.endsWith('checksums.txt'))
      const lines = checksums?.data.toString().trim().split('\n') ?? []
      expect(lines).toHaveLength(8)
      for (const a of releases[0]?.assets ?? []) {
        if (a.name.endsWith('checksums.txt')) continue
        expect(lines).toContain(`${a.sha256}  ${a.name}`)
      }
    })
    // sha256sum -c agrees with the merged folder.
    const dist = path.join(publishDir, 'dist')
    expect(readFileSync(path.join(dist, 'hello_1.2.3_checksums.txt'), 'utf8')).toBe(
      releases[0]?.assets.find(a => a.name.endsWith('checksums.txt'))?.data.toString()
    )
  })

  test('publish: one index with every linux platform, the manifests the legs made', async () => {
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--raw',
      `docker://${registry.host}/octo/hello:1.2.3`
    ])
    const index = JSON.parse(stdout) as { manifests: Array<{ digest: string; platform: object }> }
    expect(index.manifests.map(m => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])
    const tagged = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${registry.host}/octo/hello:1.2.3`
    ])
    expect((JSON.parse(tagged.stdout) as { Digest: string }).Digest).toBe(
      published.outputs['image-digest']
    )
    for (const leg of ['linux_amd64', 'linux_arm64', 'linux_arm_v7']) {
      const layout = JSON.parse(
        readFileSync(path.join(built.merged, `image-${leg}`, 'index.json'), 'utf8')
      ) as { manifests: Array<{ digest: string }> }
      expect(index.manifests.map(m => m.digest)).toContain(layout.manifests[0]?.digest)
    }
  })
})

describe('legs that do not fit together', () => {
  test.each([
    [
      'different commits',
      [['linux/amd64'], ['linux/arm64']],
      [COMMIT_DATE, '2026-02-03T04:05:06Z'],
      'linux/amd64 linux/arm64',
      /^the legs do not fit together: .* built 1\.2\.3 at [0-9a-f]{40}, .* built 1\.2\.3 at [0-9a-f]{40}$/
    ],
    [
      'a missing target',
      [['linux/amd64']],
      [COMMIT_DATE],
      'linux/amd64 linux/arm64',
      /^the legs do not fit together: targets asks for linux\/arm64, which no leg built/
    ],
    [
      'a target built twice',
      [['linux/amd64'], ['linux/amd64', 'linux/arm64']],
      [COMMIT_DATE, COMMIT_DATE],
      'linux/amd64 linux/arm64',
      /^the legs do not fit together: linux\/amd64 was built by both/
    ]
  ])(
    '%s: publish fails before the registry or the API',
    async (_, legTargets, dates, targets, message) => {
      const server = await github()
      const built = await legs(server, legTargets, dates)
      for (const leg of built.runs) assertExit(leg, 0)
      const dir = await publishCheckout(built.merged)
      registry.requests.length = 0
      server.requests.length = 0
      const published = await step(dir, server, built.sha, { mode: 'publish', targets })
      assertExit(published, 1)
      check(published, () => {
        expect(annotations(published, 'error').map(a => a.message)).toEqual([
          expect.stringMatching(message)
        ])
        expect(registry.requests).toEqual([])
        expect(server.requests).toEqual([])
      })
    },
    900_000
  )
})

describe('a publish job of another commit, and one that does not push', () => {
  let server: GitHubServer
  let built: Awaited<ReturnType<typeof legs>>

  beforeAll(async () => {
    server = await github()
    built = await legs(server, [['linux/amd64']])
  }, 900_000)

  test('legs of another commit than GITHUB_SHA: refused before the registry or the API', async () => {
    for (const leg of built.runs) assertExit(leg, 0)
    const dir = await publishCheckout(built.merged)
    registry.requests.length = 0
    server.requests.length = 0
    const other = '0'.repeat(40)
    const published = await step(dir, server, other, { mode: 'publish', targets: 'linux/amd64' })
    assertExit(published, 1)
    check(published, () => {
      expect(annotations(published, 'error').map(a => a.message)).toEqual([
        `the legs built commit ${built.sha}, but this publish job runs for GITHUB_SHA ${other}: ` +
          'run the legs and the publish job in one workflow run, for the same commit. Nothing was published.'
      ])
      expect(registry.requests).toEqual([])
      expect(server.requests).toEqual([])
    })
  })

  test('push: false: the index as an OCI layout, named by the image-layout output, as in mode: all', async () => {
    const dir = await publishCheckout(built.merged)
    registry.requests.length = 0
    const published = await step(dir, server, built.sha, {
      mode: 'publish',
      targets: 'linux/amd64',
      push: 'false',
      release: 'false'
    })
    assertExit(published, 0)
    check(published, () => {
      const layout = path.join(dir, 'dist', 'image')
      expect(published.outputs['image-layout']).toBe(layout)
      const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
        manifests: Array<{ digest: string; annotations?: Record<string, string> }>
      }
      expect(index.manifests[0]?.digest).toBe(published.outputs['image-digest'])
      expect(registry.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([])
      // The legs' files are the legs': the publish job keeps them.
      expect(readdirSync(path.join(dir, 'dist'))).toEqual(
        expect.arrayContaining(['hello_1.2.3_linux_amd64.tar.gz', 'image-linux_amd64'])
      )
    })
  })
})
