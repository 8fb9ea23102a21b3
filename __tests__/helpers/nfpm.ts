// nfpm for the package tests: built once per machine, nfpm version and Go version, into a tool
// cache under the OS temp folder that every test file (and jest worker) shares. A cross-process
// lock (mkdir is atomic) makes one worker build while the others wait for it.
import { mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { RunContext } from '../../src/context.js'
import { installNfpm, NFPM_VERSION, type Nfpm } from '../../src/packages/nfpm-install.js'
import { findInToolCache } from '../../src/toolchain/tool-cache.js'
import { machineToolchain, tryLock } from './go-archive.js'
import { goProgram } from './go-program.js'
import { REPO_ROOT } from './run-action.js'

/** The tool cache the tests share; delete it to time a cold build. */
export const TEST_TOOL_CACHE = path.join(os.tmpdir(), 'gpa-test-tools')

/** A RunContext for library calls: only the tool cache and temp folders matter here. */
export function toolContext(toolCacheDir = TEST_TOOL_CACHE): RunContext {
  return {
    local: true,
    workspace: REPO_ROOT,
    repository: '',
    ref: '',
    sha: '',
    eventName: '',
    defaultBranch: '',
    actor: '',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    toolCacheDir,
    tempDir: os.tmpdir(),
    runner: { os: process.platform, arch: process.arch }
  }
}

let shared: Promise<Nfpm> | undefined

/** The pinned nfpm, built on first use (by whichever worker gets the lock first). */
export function sharedNfpm(): Promise<Nfpm> {
  shared ??= buildOnce().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  return shared
}

async function buildOnce(): Promise<Nfpm> {
  const go = await machineToolchain()
  const ctx = toolContext()
  const slot = `${process.arch}-go${go.version}`
  const lock = path.join(TEST_TOOL_CACHE, `nfpm-${NFPM_VERSION}-${slot}.lock`)
  await mkdir(TEST_TOOL_CACHE, { recursive: true })
  for (;;) {
    if (findInToolCache(TEST_TOOL_CACHE, 'nfpm', NFPM_VERSION, slot)) return installNfpm(ctx, go)
    if (await tryLock(lock)) {
      try {
        const nfpm = await installNfpm(ctx, go)
        if (nfpm.buildMs !== undefined)
          process.stderr.write(`nfpm ${nfpm.version} built in ${nfpm.buildMs} ms\n`)
        return nfpm
      } finally {
        await rm(lock, { recursive: true, force: true })
      }
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}

/** A small linux/amd64 program printing "hello from a package", static, built once per machine. */
export const packagedHello = goProgram({
  name: 'pkghello',
  dir: path.join(REPO_ROOT, '__tests__', 'packages', 'hello'),
  files: ['go.mod', 'main.go'],
  env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-trimpath' }
})
