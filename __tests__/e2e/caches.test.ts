// The caches through @actions/cache against nektos/act's cache server (a real v1 cache protocol server):
// restored by the step, filled by the job's later steps, saved by the post step.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { type CacheServer, startCacheServer } from '../helpers/cache-server.js'
import {
  cleanupTempDirs,
  goHome,
  TOOLCHAIN_ONLY,
  seededToolCache,
  tempDir
} from '../helpers/fixtures.js'
import { annotations, assertExit, check, REPO_ROOT, runAction } from '../helpers/run-action.js'

const SHA_A = 'a'.repeat(40)
const SHA_B = 'b'.repeat(40)

type GoHome = Awaited<ReturnType<typeof goHome>>

let toolCache: string
const servers: CacheServer[] = []

beforeAll(async () => {
  toolCache = await seededToolCache()
})

afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()))
  await cleanupTempDirs()
})

async function cacheService(): Promise<Record<string, string>> {
  const server = await startCacheServer()
  servers.push(server)
  return { ACTIONS_CACHE_URL: server.url, ACTIONS_RUNTIME_TOKEN: 'test-token' }
}

/** A copy of testdata/with-deps, whose one dependency gives the module cache something to hold. */
async function moduleWithDeps(): Promise<string> {
  const dir = await tempDir('gpa-withdeps-')
  cpSync(path.join(REPO_ROOT, 'testdata', 'with-deps'), dir, { recursive: true })
  return dir
}

/** A later step of the job: the Go the action exported, run in the module. */
function goStep(cwd: string, home: GoHome, args: string[], extraEnv: Record<string, string> = {}) {
  return ({ env, path: paths }: { env: Record<string, string>; path: string[] }): void => {
    execFileSync('go', args, {
      cwd,
      env: {
        ...process.env,
        ...home,
        ...env,
        PATH: [...paths, process.env.PATH].join(path.delimiter),
        GOFLAGS: '-modcacherw',
        ...extraEnv
      },
      stdio: 'pipe'
    })
  }
}

/** The same Go home with its caches removed, as on the next job's fresh runner (same paths). */
async function emptied(home: GoHome): Promise<GoHome> {
  await rm(home.GOMODCACHE, { recursive: true, force: true })
  await rm(home.GOCACHE, { recursive: true, force: true })
  return home
}

const uuidModule = (home: GoHome): string =>
  path.join(home.GOMODCACHE, 'github.com', 'google', 'uuid@v1.6.0', 'uuid.go')

describe('module, build and tool caches', () => {
  test('saved after the job, restored in the next, not saved again on an exact hit', async () => {
    const service = await cacheService()
    const cwd = await moduleWithDeps()
    const home = await goHome()
    const build = goStep(cwd, home, ['build', '-o', path.join(home.HOME, 'withdeps'), '.'])

    const first = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_A },
      laterSteps: build
    })
    assertExit(first, 0)
    check(first, () => {
      expect(first.outputs['cache-hit']).toBe('false')
      expect(first.post?.code).toBe(0)
      expect(first.post?.log).toMatch(
        /Cache modules: saved as go-package-action-mod-v1-linux-amd64-[0-9a-f]{32}/
      )
      expect(first.post?.log).toMatch(/Cache build: trimmed 0 entries .* kept [1-9]/)
      expect(first.post?.log).toMatch(
        /Cache build: saved as go-package-action-build-v1-linux-amd64-go\S+-a{40}/
      )
    })

    // The next job, on a fresh runner: empty Go caches, same commit.
    await emptied(home)
    let restoredBuildEntries = 0
    const second = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_A },
      laterSteps: exported => {
        restoredBuildEntries = readdirSync(home.GOCACHE).length
        // The restored module cache is complete: the module builds with the proxy turned off.
        goStep(cwd, home, ['build', '-o', path.join(home.HOME, 'withdeps'), '.'], {
          GOPROXY: 'off'
        })(exported)
      }
    })
    assertExit(second, 0)
    check(second, () => {
      expect(second.outputs['cache-hit']).toBe('true')
      expect(existsSync(uuidModule(home))).toBe(true)
      expect(restoredBuildEntries).toBeGreaterThan(0)
      expect(second.post?.log).toMatch(
        /Cache modules: exact hit on go-package-action-mod-v1-\S+, not saved again/
      )
      expect(second.post?.log).toMatch(
        /Cache build: exact hit on go-package-action-build-v1-\S+, not saved again/
      )
      expect(second.post?.log).not.toContain('saved as')
    })

    // A new commit: modules are an exact hit; the build cache comes from a restore key and is saved anew.
    await emptied(home)
    const third = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_B },
      laterSteps: build
    })
    assertExit(third, 0)
    check(third, () => {
      expect(third.outputs['cache-hit']).toBe('false')
      expect(third.log).toMatch(/Cache build: restored from restore key \S+-a{40}/)
      expect(third.log).toMatch(/Cache modules: restored exact key/)
      expect(third.post?.log).toMatch(/Cache build: saved as \S+-b{40}/)
      expect(third.summary).toContain('Restore caches')
    })
  })

  test('cache-save: false restores but never saves', async () => {
    const service = await cacheService()
    const cwd = await moduleWithDeps()
    const home = await goHome()
    const restoreOnly = await runAction({
      inputs: { ...TOOLCHAIN_ONLY, 'cache-save': 'false' },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_A },
      laterSteps: goStep(cwd, home, ['mod', 'download'])
    })
    assertExit(restoreOnly, 0)
    check(restoreOnly, () => expect(restoreOnly.post?.log).toContain('cache-save: false'))

    await emptied(home)
    const next = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_A }
    })
    assertExit(next, 0)
    check(next, () => {
      expect(next.outputs['cache-hit']).toBe('false')
      expect(next.log).toMatch(/Cache modules: nothing under/)
      expect(existsSync(uuidModule(home))).toBe(false)
    })
  })

  test('a failing check still saves the caches, so the next run of a red pull request starts warm', async () => {
    const service = await cacheService()
    const cwd = await tempDir('gpa-vet-')
    cpSync(path.join(REPO_ROOT, 'testdata', 'checks', 'vet'), cwd, { recursive: true })
    const home = await goHome()
    const run = await runAction({
      inputs: { ...TOOLCHAIN_ONLY, vet: 'true' },
      cwd,
      toolCache,
      env: { ...home, ...service, GITHUB_SHA: SHA_A }
    })
    assertExit(run, 1)
    check(run, () => {
      expect(annotations(run, 'error')[0]?.props.title).toBe('go vet (copylocks)')
      expect(run.post?.code).toBe(0)
      expect(run.post?.log).toMatch(/Cache build: saved as go-package-action-build-v1-\S+-a{40}/)
    })
  })

  test('no cache service: warns and succeeds', async () => {
    const run = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd: await moduleWithDeps(),
      toolCache,
      env: await goHome()
    })
    assertExit(run, 0)
    check(run, () => {
      expect(annotations(run, 'warning').map(a => a.message)).toContainEqual(
        expect.stringContaining('cache service is not available')
      )
      expect(run.outputs['cache-hit']).toBe('false')
      expect(run.post?.code).toBe(0)
    })
  })

  test('a failing cache service: warns and succeeds', async () => {
    const cwd = await moduleWithDeps()
    const home = await goHome()
    // A port nothing listens on: every cache request fails, on restore and on save.
    const run = await runAction({
      inputs: { ...TOOLCHAIN_ONLY },
      cwd,
      toolCache,
      env: { ...home, ACTIONS_CACHE_URL: 'http://127.0.0.1:9/', ACTIONS_RUNTIME_TOKEN: 't' },
      laterSteps: goStep(cwd, home, ['mod', 'download'])
    })
    assertExit(run, 0)
    check(run, () => {
      expect(annotations(run, 'warning').length).toBeGreaterThan(0)
      expect(run.outputs['go-version']).toBeTruthy()
      expect(run.post?.code).toBe(0)
      expect(run.post?.stdout).toMatch(/::warning::/)
    })
  })
})
