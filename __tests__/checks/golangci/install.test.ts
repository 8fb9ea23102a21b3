import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  DEFAULT_GOLANGCI_LINT_VERSION,
  golangciLintCacheDir,
  golangciLintRoot,
  installGolangciLint,
  parseGolangciLintVersion
} from '../../../src/checks/golangci/install.js'
import { InputError } from '../../../src/errors.js'
import { execCapture } from '../../../src/util/exec.js'
import { golangciGo, sharedGolangciLint, toolContext } from '../../helpers/golangci.js'

describe('parseGolangciLintVersion', () => {
  it('is the default when empty', () => {
    expect(parseGolangciLintVersion('')).toBe(DEFAULT_GOLANGCI_LINT_VERSION)
    expect(parseGolangciLintVersion('  ')).toBe(DEFAULT_GOLANGCI_LINT_VERSION)
  })

  it('takes v2.X.Y with or without the v', () => {
    expect(parseGolangciLintVersion('v2.15.0')).toBe('v2.15.0')
    expect(parseGolangciLintVersion('2.1.6')).toBe('v2.1.6')
  })

  it('refuses v1 and says how to migrate the configuration', () => {
    expect(() => parseGolangciLintVersion('v1.64.8')).toThrow(InputError)
    expect(() => parseGolangciLintVersion('v1.64.8')).toThrow(
      /^golangci-lint-version: v1\.64\.8 is golangci-lint v1; only v2 .*golangci-lint migrate --config <file>/
    )
    expect(() => parseGolangciLintVersion('3.0.0')).toThrow(/only v2/)
  })

  it('refuses what is not an exact version', () => {
    for (const bad of ['latest', 'v2', 'v2.15', 'v2.15.0-rc.1', 'v2.15.0; rm -rf /'])
      expect(() => parseGolangciLintVersion(bad)).toThrow(/^golangci-lint-version: .*exact v2/)
  })
})

/** A cold build of golangci-lint: about 5 minutes on 2 cores with an empty Go build cache. */
const BUILD_MS = 20 * 60_000

describe('installGolangciLint', () => {
  it(
    'builds once into the tool cache; the second call builds nothing',
    async () => {
      const first = await sharedGolangciLint()
      expect(first.version).toBe(DEFAULT_GOLANGCI_LINT_VERSION)
      expect(existsSync(first.binary)).toBe(true)
      expect(first.cache).toBe(golangciLintCacheDir(toolContext()))
      expect(first.binary.startsWith(golangciLintRoot(toolContext()) + path.sep)).toBe(true)

      const go = await golangciGo()
      const again = await installGolangciLint(DEFAULT_GOLANGCI_LINT_VERSION, go, toolContext())
      expect(again.origin).toBe('tool cache')
      expect(again.binary).toBe(first.binary)

      const version = await execCapture(again.binary, ['version'])
      expect(version.stdout + version.stderr).toContain('golangci-lint has version 2.15.0')
      expect(version.stdout + version.stderr).toContain(`built with go${go.version}`)
    },
    BUILD_MS
  )

  it('names the input when the version does not exist', async () => {
    const go = await golangciGo()
    const cache = await mkdtemp(path.join(os.tmpdir(), 'golangci-missing-'))
    try {
      await expect(installGolangciLint('v2.0.99', go, toolContext(cache))).rejects.toThrow(
        /^golangci-lint-version: building golangci-lint v2\.0\.99 with Go .* failed: /
      )
    } finally {
      await rm(cache, { recursive: true, force: true })
    }
  })
})
