// Every wait bounded: the bundle against servers that hang (silent, headers then nothing), trickle
// or cut the connection once, standing in one at a time for go.dev/dl, the module proxy, a
// registry, the GitHub API, its uploads host and the cache service. The limits are shortened with
// the test-only GO_PACKAGE_ACTION_TIMEOUT_SCALE (0.01: idle 0.6 s, a request 1.2 s, a transfer 18 s,
// a cache call 9 s), so a stall ends in seconds; each run's duration is asserted. Everything is on
// 127.0.0.1.
//
// STALL_ENTRY runs another bundle than the committed dist/index.js (e.g. one built with
// `npx ncc build src/index.ts -o /tmp/e-dist --target es2022`).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { type DlServer, standardReleases, startDlServer } from '../helpers/dl-server.js'
import {
  HELLO,
  NO_CHECKS,
  TOOLCHAIN_ONLY,
  cleanupTempDirs,
  gitCheckout,
  goHome,
  machineGoSemver,
  seededToolCache,
  tempDir,
  COMMIT_DATE
} from '../helpers/fixtures.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'
import { type StallMode, type StallServer, startStallServer } from '../helpers/stall-server.js'

const ENTRY = process.env.STALL_ENTRY || undefined
/** The test-only factor: idle 0.6 s, request 1.2 s, transfer 18 s, cache call 9 s, retries ×0.01. */
const FAST = { GO_PACKAGE_ACTION_TIMEOUT_SCALE: '0.01' }
/** For runs that must succeed through real stand-ins on a busy machine: idle 6 s, transfer 3 min. */
const SAFE = { GO_PACKAGE_ACTION_TIMEOUT_SCALE: '0.1' }
const IDLE = 'GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS'

let version: string
let seeded: string
let home: Awaited<ReturnType<typeof goHome>>
let dl: DlServer
const stalls: StallServer[] = []

beforeAll(async () => {
  version = await machineGoSemver()
  seeded = await seededToolCache()
  home = await goHome()
  dl = await startDlServer(await standardReleases())
})

afterAll(async () => {
  await Promise.all(stalls.map(s => s.stop()))
  await dl?.stop()
  await cleanupTempDirs()
})

async function stall(
  mode: StallMode,
  opts: { upstream?: string; match?: (method: string, url: string) => boolean } = {}
): Promise<StallServer> {
  const server = await startStallServer({ mode, ...opts })
  stalls.push(server)
  return server
}

/** A run and how long it took (the step and its post step). */
async function timed(
  opts: Parameters<typeof runAction>[0]
): Promise<{ run: ActionRun; seconds: number }> {
  const started = Date.now()
  const run = await runAction({ entry: ENTRY, timeoutMs: 120_000, ...opts })
  return { run, seconds: (Date.now() - started) / 1000 }
}

/** How long the action waited before it gave up, from its message ("gave up after 5 attempts in 3.3s"). */
function waitedSeconds(text: string): number {
  const m = /gave up after \d+ attempts? in ([\d.]+)(s| min)/.exec(text)
  if (!m) throw new Error(`no "gave up after" in: ${text}`)
  return Number(m[1]) * (m[2] === 's' ? 1 : 60)
}

/**
 * Bounds: a run that only fetches Go ends within 20 s; one that builds hello first within 120 s
 * (a cold build cache on a busy 2-core machine), of which the stall itself takes under 10 s.
 */
const TOOLCHAIN_RUN_S = 20
const BUILD_RUN_S = 120
const STALL_S = 10

function errorOf(run: ActionRun): string {
  return annotations(run, 'error')
    .map(a => a.message)
    .join('\n')
}

/** A folder's files and links with their sha256 (or target): equal trees, equal strings. */
function treeDigest(root: string): string {
  const hash = createHash('sha256')
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name)
      const stat = lstatSync(file)
      const rel = path.relative(root, file)
      if (stat.isSymbolicLink()) hash.update(`L ${rel} ${readlinkSync(file)}\n`)
      else if (stat.isDirectory()) walk(file)
      else
        hash.update(
          `F ${rel} ${stat.mode & 0o777} ${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`
        )
    }
  }
  walk(root)
  return hash.digest('hex')
}

/** Where a run installed Go in its tool cache. */
const installed = (toolCache: string): string => path.join(toolCache, 'go', version, 'x64')
/** The tree digest of Go installed from a download that was not interrupted. */
let installedClean: string | undefined

const toolchainInputs = (base: string) => ({
  ...TOOLCHAIN_ONLY,
  'go-version': version,
  'go-download-base-url': base,
  cache: 'false'
})

describe('go.dev/dl', () => {
  test('an index that never answers: four attempts, then an error naming the host, the request and the variable', async () => {
    const server = await stall({ kind: 'silent' })
    const { run, seconds } = await timed({
      inputs: toolchainInputs(server.url),
      env: { ...home, ...FAST }
    })
    check(run, () => {
      assertExit(run, 1)
      const message = errorOf(run)
      expect(message).toContain(
        `GET /?mode=json&include=all on ${server.host}: nothing received or sent for 0.6s (the idle limit)`
      )
      expect(message).toMatch(/gave up after 4 attempts in \d+(\.\d)?s/)
      expect(message).toContain(`raise ${IDLE}`)
      expect(server.faults).toBe(4)
      expect(seconds).toBeLessThan(TOOLCHAIN_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('an archive whose headers come and then nothing: the same, for the archive', async () => {
    const server = await stall(
      { kind: 'headers' },
      { upstream: dl.url, match: (_, url) => url.endsWith('.tar.gz') }
    )
    const { run, seconds } = await timed({
      inputs: toolchainInputs(server.url),
      env: { ...home, ...FAST }
    })
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toMatch(
        new RegExp(
          `GET /go[\\d.]+\\.linux-amd64\\.tar\\.gz on ${server.host}: nothing received or sent for 0\\.6s \\(the idle limit\\); gave up after 4 attempts in [\\d.]+s; if the server is only slow, raise ${IDLE}`
        )
      )
      expect(seconds).toBeLessThan(TOOLCHAIN_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('a trickling server within the limits: the index and the archive arrive, Go is installed', async () => {
    // 8 MiB every 0.3 s: never idle for 0.6 s, the ~70 MB archive in ~3 s of an 18 s budget.
    const server = await stall(
      { kind: 'trickle', chunkBytes: 8 * 1024 * 1024, intervalMs: 300 },
      { upstream: dl.url }
    )
    const toolCache = await tempDir('gpa-trickle-tc-')
    const { run, seconds } = await timed({
      inputs: toolchainInputs(server.url),
      env: { ...home, ...FAST },
      toolCache
    })
    check(run, () => {
      assertExit(run, 0)
      expect(run.outputs['go-version']).toBe(version)
      expect(server.faults).toBe(2)
      expect(seconds).toBeLessThan(BUILD_RUN_S)
    })
    // Go as installed from the whole archive: what the reset test below compares with.
    installedClean = treeDigest(installed(toolCache))
  })

  test('a connection reset in the middle of the archive: retried, and Go installed byte for byte as from a clean run', async () => {
    if (!installedClean) {
      // Run alone (-t): install from the plain server first.
      const clean = await tempDir('gpa-clean-tc-')
      assertExit(
        (await timed({ inputs: toolchainInputs(dl.url), env: home, toolCache: clean })).run,
        0
      )
      installedClean = treeDigest(installed(clean))
    }
    const server = await stall(
      { kind: 'reset-after', bytes: 5 * 1024 * 1024 },
      { upstream: dl.url, match: (_, url) => url.endsWith('.tar.gz') }
    )
    const reset = await tempDir('gpa-reset-tc-')
    const { run, seconds } = await timed({
      inputs: toolchainInputs(server.url),
      env: { ...home, ...SAFE },
      toolCache: reset
    })
    check(run, () => {
      assertExit(run, 0)
      expect(server.faults).toBe(1)
      expect(run.log).toMatch(/retrying in [\d.]+s \(attempt 2\)/)
      const archives = server.requests.filter(r => r.endsWith('.tar.gz'))
      expect(archives).toHaveLength(2)
      expect(seconds).toBeLessThan(BUILD_RUN_S)
    })
    expect(treeDigest(installed(reset))).toBe(installedClean)
  })
})

describe('module proxy', () => {
  test('GOPROXY that never answers: the version list gives up with the host and the variable', async () => {
    const server = await stall({ kind: 'silent' })
    const { run, seconds } = await timed({
      inputs: {
        ...TOOLCHAIN_ONLY,
        'go-version': '1.27.3',
        'go-download-source': 'proxy',
        cache: 'false'
      },
      env: { ...home, ...FAST, GOPROXY: server.url, GOSUMDB: 'off' }
    })
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toContain(
        `GET /golang.org/toolchain/@v/list on ${server.host}: nothing received or sent for 0.6s (the idle limit); gave up after 4 attempts`
      )
      expect(errorOf(run)).toContain(`raise ${IDLE}`)
      expect(seconds).toBeLessThan(TOOLCHAIN_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })
})

describe('registry', () => {
  let registry: Registry

  beforeAll(async () => {
    registry = await startRegistry()
  })

  afterAll(async () => {
    await registry?.stop()
  })

  async function push(
    image: string,
    env: Record<string, string>,
    inputs: Record<string, string> = {}
  ): Promise<{ run: ActionRun; seconds: number }> {
    const { dir, sha } = await gitCheckout(HELLO, COMMIT_DATE)
    return timed({
      inputs: {
        ...NO_CHECKS,
        targets: 'linux/amd64',
        image,
        'base-image': 'scratch',
        ...inputs
      },
      cwd: dir,
      toolCache: seeded,
      env: { ...home, ...env, GITHUB_SHA: sha }
    })
  }

  test('a base image whose registry answers headers and then nothing: the pull gives up', async () => {
    const server = await stall({ kind: 'headers' })
    const { run, seconds } = await push(`${registry.host}/octo/hello`, FAST, {
      'base-image': `${server.host}/distroless/static:nonroot`
    })
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toContain(
        `registry ${server.host}: GET /v2/distroless/static/manifests/nonroot on ${server.host}: nothing received or sent for 0.6s (the idle limit); gave up after 5 attempts`
      )
      expect(errorOf(run)).toContain(`raise ${IDLE}`)
      expect(seconds).toBeLessThan(BUILD_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('a registry that never answers a push: the push gives up', async () => {
    const server = await stall({ kind: 'silent' })
    const { run, seconds } = await push(`${server.host}/octo/hello`, FAST)
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toMatch(
        new RegExp(
          `registry ${server.host}: [A-Z]+ /v2/octo/hello/\\S+ on ${server.host}: nothing received or sent for 0\\.6s \\(the idle limit\\); gave up after 5 attempts in [\\d.]+s; if the server is only slow, raise ${IDLE}`
        )
      )
      expect(seconds).toBeLessThan(BUILD_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('a connection reset in the middle of a blob upload: retried, the same blobs and digest as a clean push', async () => {
    const clean = await push(`${registry.host}/octo/clean`, SAFE)
    assertExit(clean.run, 0)
    const server = await stall(
      { kind: 'reset-after', bytes: 64 * 1024 },
      {
        upstream: registry.url,
        match: (method, url) => method === 'PUT' && url.includes('/blobs/uploads/')
      }
    )
    const { run, seconds } = await push(`${server.host}/octo/reset`, SAFE)
    check(run, () => {
      assertExit(run, 0)
      expect(server.faults).toBe(1)
      expect(run.outputs['image-digest']).toBe(clean.run.outputs['image-digest'])
      expect(seconds).toBeLessThan(BUILD_RUN_S)
    })
    // The registry holds each layer under its digest: the bytes hash to it.
    const digest = run.outputs['image-digest'] as string
    const accept =
      'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json'
    const index = (await (
      await fetch(`${registry.url}/v2/octo/reset/manifests/${digest}`, { headers: { accept } })
    ).json()) as { manifests?: Array<{ digest: string }> }
    const manifestDigest = index.manifests?.[0]?.digest ?? digest
    const manifest = (await (
      await fetch(`${registry.url}/v2/octo/reset/manifests/${manifestDigest}`, {
        headers: { accept }
      })
    ).json()) as { layers: Array<{ digest: string }> }
    expect(manifest.layers.length).toBeGreaterThan(0)
    for (const layer of manifest.layers) {
      const bytes = Buffer.from(
        await (await fetch(`${registry.url}/v2/octo/reset/blobs/${layer.digest}`)).arrayBuffer()
      )
      expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(layer.digest)
    }
  })
})

describe('GitHub', () => {
  let github: GitHubServer | undefined

  afterAll(async () => {
    await github?.stop()
  })

  async function release(
    env: Record<string, string>,
    tag: string
  ): Promise<{ run: ActionRun; seconds: number }> {
    const { dir, sha } = await gitCheckout(HELLO, COMMIT_DATE)
    return timed({
      inputs: { ...NO_CHECKS, targets: 'linux/amd64', 'github-token': 'ghs_test' },
      cwd: dir,
      toolCache: seeded,
      env: {
        ...home,
        GITHUB_REPOSITORY: 'octo-org/hello',
        ...env,
        GITHUB_SHA: sha,
        GITHUB_REF: `refs/tags/${tag}`,
        GITHUB_REF_NAME: tag,
        GITHUB_REF_TYPE: 'tag'
      }
    })
  }

  test('an API that never answers: the release gives up naming the host, the call and the variable', async () => {
    const server = await stall({ kind: 'silent' })
    const { run, seconds } = await release(
      { ...FAST, GITHUB_API_URL: `${server.url}/api/v3` },
      'v1.0.0'
    )
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toMatch(
        new RegExp(
          `GitHub: .+ failed: [A-Z]+ /api/v3/repos/octo-org/hello/\\S+ on ${server.host}: nothing received or sent for 0\\.6s \\(the idle limit\\); gave up after 5 attempts in [\\d.]+s; if the server is only slow, raise ${IDLE}`
        )
      )
      expect(seconds).toBeLessThan(BUILD_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('an uploads host that never answers: the upload gives up', async () => {
    const server = await stall({ kind: 'silent' }, { match: method => method === 'POST' })
    github = await startGitHubServer({ uploadUrlBase: `${server.url}/api/uploads` })
    server.setUpstream(new URL(github.uploadsUrl).origin)
    const { run, seconds } = await release({ ...FAST, ...github.runnerEnv() }, 'v1.1.0')
    check(run, () => {
      assertExit(run, 1)
      expect(errorOf(run)).toMatch(
        new RegExp(
          `GitHub: uploading \\S+ failed: POST /api/uploads/repos/octo-org/hello/releases/\\d+/assets\\S* on ${server.host}: nothing received or sent for 0\\.6s \\(the idle limit\\); gave up after 5 attempts in [\\d.]+s; if the server is only slow, raise ${IDLE}`
        )
      )
      expect(github?.violations).toEqual([])
      expect(seconds).toBeLessThan(BUILD_RUN_S)
      expect(waitedSeconds(errorOf(run))).toBeLessThan(STALL_S)
    })
  })

  test('a connection reset in the middle of an asset upload: retried, the asset is the file byte for byte', async () => {
    const server = await stall(
      { kind: 'reset-after', bytes: 64 * 1024 },
      { match: (method, url) => method === 'POST' && url.includes('.tar.gz') }
    )
    const site = await startGitHubServer({ uploadUrlBase: `${server.url}/api/uploads` })
    try {
      server.setUpstream(new URL(site.uploadsUrl).origin)
      const { run, seconds } = await release({ ...SAFE, ...site.runnerEnv() }, 'v1.2.0')
      check(run, () => {
        assertExit(run, 0)
        expect(server.faults).toBe(1)
        expect(seconds).toBeLessThan(BUILD_RUN_S)
      })
      const artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as Array<{
        name: string
        kind: string
        sha256: string
      }>
      const archive = artifacts.find(a => a.kind === 'archive')
      expect(archive).toBeDefined()
      const [published] = site.releases()
      const asset = published?.assets.find(a => a.name === archive?.name)
      expect(asset?.state).toBe('uploaded')
      expect(asset?.sha256).toBe(archive?.sha256)
      expect(site.violations).toEqual([])
    } finally {
      await site.stop()
    }
  })
})

describe('cache service', () => {
  test.each(['silent', 'headers'] as const)(
    'a cache service that is %s: restore and save give up with a warning, the job succeeds',
    async kind => {
      const server = await stall({ kind })
      const { dir, sha } = await gitCheckout(HELLO, COMMIT_DATE)
      const { run, seconds } = await timed({
        inputs: { ...NO_CHECKS, cache: 'true', targets: 'linux/amd64' },
        cwd: dir,
        toolCache: seeded,
        env: {
          ...home,
          ...FAST,
          GITHUB_SHA: sha,
          ACTIONS_CACHE_URL: `${server.url}/`,
          ACTIONS_RUNTIME_TOKEN: 'test',
          ACTIONS_CACHE_SERVICE_V2: undefined
        }
      })
      check(run, () => {
        assertExit(run, 0)
        const warnings = annotations(run, 'warning').map(a => a.message)
        expect(
          warnings.some(w => /^Cache restore of \S+ gave up, continuing without it: /.test(w))
        ).toBe(true)
        expect(warnings.join('\n')).toMatch(
          new RegExp(
            `GET /_apis/artifactcache/cache on ${server.host}: nothing received or sent for 0\\.6s \\(the idle limit\\); if the cache service is only slow, raise ${IDLE}`
          )
        )
        expect(run.post?.code).toBe(0)
        expect(run.post?.log).toMatch(/Cache save of \S+ gave up, continuing without it: /)
        expect(seconds).toBeLessThan(BUILD_RUN_S)
      })
    }
  )
})
