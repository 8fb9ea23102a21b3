import { afterAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { ActionError } from '../../src/errors.js'
import { installNfpm, NFPM_VERSION } from '../../src/packages/nfpm-install.js'
import { cleanupTempDirs, tempDir } from '../helpers/fixtures.js'
import { machineToolchain } from '../helpers/go-archive.js'
import { sharedNfpm, toolContext } from '../helpers/nfpm.js'

const execFileAsync = promisify(execFile)

afterAll(cleanupTempDirs)

describe('installNfpm', () => {
  it('builds the pinned nfpm once and then takes it from the tool cache', async () => {
    const first = await sharedNfpm()
    expect(first.version).toBe(NFPM_VERSION)
    expect(['built', 'tool cache']).toContain(first.origin)

    const again = await installNfpm(toolContext(), await machineToolchain())
    expect(again).toEqual({ version: NFPM_VERSION, binary: first.binary, origin: 'tool cache' })

    // The binary is nfpm at exactly that version, and it runs.
    const { stdout } = await execFileAsync('go', ['version', '-m', again.binary])
    expect(stdout).toMatch(
      new RegExp(
        `\\bmod\\s+github\\.com/goreleaser/nfpm/v2\\s+${NFPM_VERSION.replace(/\./g, '\\.')}\\s`
      )
    )
    const help = await execFileAsync(again.binary, ['pkg', '--help'])
    expect(help.stdout).toContain('--packager')
  }, 900_000)

  it('names the version and the Go error when nfpm cannot be built', async () => {
    const ctx = toolContext(await tempDir('gpa-nfpm-cache-'))
    const go = await machineToolchain()
    const attempt = installNfpm(ctx, go, 'v2.0.0-does-not-exist')
    await expect(attempt).rejects.toThrow(ActionError)
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `building nfpm v2\\.0\\.0-does-not-exist with Go ${go.version} failed: .*does-not-exist`
      )
    )
  })
})
