import { describe, expect, test } from '@jest/globals'
import {
  archiveFor,
  type DlFile,
  type DlRelease,
  parseDlIndex
} from '../../src/toolchain/dl-index.js'
import { type GoPlatform, goPlatform } from '../../src/toolchain/platform.js'

const URL = 'https://go.dev/dl/?mode=json&include=all'

function file(
  filename: string,
  os: string,
  arch: string,
  kind: string,
  version = 'go1.26.8'
): DlFile {
  return { filename, os, arch, version, sha256: 'ab'.repeat(32), size: 1000, kind }
}

// The files of one release as go.dev lists them: source first, then per platform.
const release: DlRelease = {
  version: 'go1.26.8',
  stable: true,
  files: [
    file('go1.26.8.src.tar.gz', '', '', 'source'),
    file('go1.26.8.darwin-arm64.pkg', 'darwin', 'arm64', 'installer'),
    file('go1.26.8.darwin-arm64.tar.gz', 'darwin', 'arm64', 'archive'),
    file('go1.26.8.linux-386.tar.gz', 'linux', '386', 'archive'),
    file('go1.26.8.linux-amd64.tar.gz', 'linux', 'amd64', 'archive'),
    file('go1.26.8.linux-arm64.tar.gz', 'linux', 'arm64', 'archive'),
    file('go1.26.8.linux-armv6l.tar.gz', 'linux', 'armv6l', 'archive'),
    file('go1.26.8.windows-amd64.msi', 'windows', 'amd64', 'installer'),
    file('go1.26.8.windows-amd64.zip', 'windows', 'amd64', 'archive')
  ]
}

describe('parseDlIndex', () => {
  test('rejects a body that is not JSON, naming the URL', () => {
    expect(() => parseDlIndex('<html>rate limited</html>', URL)).toThrow(URL)
    expect(() => parseDlIndex('', URL)).toThrow(/did not return JSON/)
  })

  test('rejects JSON that is not a list', () => {
    expect(() => parseDlIndex('{"version":"go1.26.8"}', URL)).toThrow(/list of releases/)
    expect(() => parseDlIndex('null', URL)).toThrow(/list of releases/)
    expect(() => parseDlIndex('"go1.26.8"', URL)).toThrow(URL)
  })

  test('keeps well-formed releases and drops junk entries', () => {
    const good = [
      { version: 'go1.27rc1', stable: false, files: [] },
      release,
      { version: 'go1.20', stable: true, files: [] }
    ]
    const junk = [
      null,
      42,
      'go1.26.8',
      {},
      { version: 'go1.26.7' }, // no files
      { version: 'go1.26.6', files: 'none' },
      { version: 1.26, files: [] },
      { version: 'weekly.2012-03-27', stable: false, files: [] },
      { version: 'release.r60', stable: false, files: [] }
    ]
    const parsed = parseDlIndex(
      JSON.stringify([junk[0], good[0], ...junk.slice(1, 5), good[1], ...junk.slice(5), good[2]]),
      URL
    )
    expect(parsed.map(r => r.version)).toEqual(['go1.27rc1', 'go1.26.8', 'go1.20'])
    expect(parsed[1]).toEqual(release)
  })

  test('an empty list is a valid (empty) index', () => {
    expect(parseDlIndex('[]', URL)).toEqual([])
  })
})

describe('archiveFor', () => {
  const platform = (os: string, arch: string, archive: 'tar.gz' | 'zip'): GoPlatform => ({
    os,
    arch,
    archive,
    toolCacheArch: 'x64'
  })

  test('picks the linux/amd64 tar.gz, not the source or another arch', () => {
    expect(archiveFor(release, platform('linux', 'amd64', 'tar.gz'))?.filename).toBe(
      'go1.26.8.linux-amd64.tar.gz'
    )
    expect(archiveFor(release, platform('linux', 'arm64', 'tar.gz'))?.filename).toBe(
      'go1.26.8.linux-arm64.tar.gz'
    )
  })

  test('picks the darwin archive, not the .pkg installer listed before it', () => {
    expect(archiveFor(release, platform('darwin', 'arm64', 'tar.gz'))?.filename).toBe(
      'go1.26.8.darwin-arm64.tar.gz'
    )
  })

  test('picks the windows zip, not the .msi installer', () => {
    expect(archiveFor(release, goPlatform('win32', 'x64'))?.filename).toBe(
      'go1.26.8.windows-amd64.zip'
    )
  })

  test('32-bit ARM is armv6l in the index', () => {
    expect(archiveFor(release, goPlatform('linux', 'arm'))?.filename).toBe(
      'go1.26.8.linux-armv6l.tar.gz'
    )
  })

  test('the extension must match the platform archive format', () => {
    expect(archiveFor(release, platform('windows', 'amd64', 'tar.gz'))).toBeUndefined()
    expect(archiveFor(release, platform('linux', 'amd64', 'zip'))).toBeUndefined()
  })

  test('undefined when the release has no archive for the platform', () => {
    expect(archiveFor(release, platform('freebsd', 'amd64', 'tar.gz'))).toBeUndefined()
    expect(archiveFor(release, platform('windows', 'arm64', 'zip'))).toBeUndefined()
  })
})
