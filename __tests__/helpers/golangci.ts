// golangci-lint for the tests: built once per machine, golangci-lint version and Go version, into
// the tool cache under the OS temp folder that every test file, jest worker and end-to-end test
// shares (TEST_TOOL_CACHE, as nfpm is). A cross-process lock (mkdir is atomic) makes one worker
// build while the others wait for it. A cold build takes minutes; delete
// <tmp>/gpa-test-tools/golangci-lint to time one.
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import {
  DEFAULT_GOLANGCI_LINT_VERSION,
  installGolangciLint,
  type GolangciLint
} from '../../src/checks/golangci/install.js'
import type { GoToolchain } from '../../src/toolchain/setup-go.js'
import { findInToolCache } from '../../src/toolchain/tool-cache.js'
import { machineToolchain, tryLock } from './go-archive.js'
import { TEST_TOOL_CACHE, toolContext } from './nfpm.js'

export { TEST_TOOL_CACHE, toolContext }

let shared: Promise<GolangciLint> | undefined

/** The pinned golangci-lint, built on first use (by whichever worker gets the lock first). */
export function sharedGolangciLint(): Promise<GolangciLint> {
  shared ??= buildOnce().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  return shared
}

/** The machine's Go, which the shared golangci-lint is built with. */
export function golangciGo(): Promise<GoToolchain> {
  return machineToolchain()
}

async function buildOnce(): Promise<GolangciLint> {
  const go = await machineToolchain()
  const ctx = toolContext()
  const version = DEFAULT_GOLANGCI_LINT_VERSION
  const slot = `${process.arch}-go${go.version}`
  const lock = path.join(TEST_TOOL_CACHE, `golangci-lint-${version}-${slot}.lock`)
  await mkdir(TEST_TOOL_CACHE, { recursive: true })
  for (;;) {
    if (findInToolCache(TEST_TOOL_CACHE, 'golangci-lint', version, slot))
      return installGolangciLint(version, go, ctx)
    if (await tryLock(lock)) {
      try {
        const tool = await installGolangciLint(version, go, ctx)
        if (tool.buildMs !== undefined)
          process.stderr.write(`golangci-lint ${tool.version} built in ${tool.buildMs} ms\n`)
        return tool
      } finally {
        await rm(lock, { recursive: true, force: true })
      }
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}
