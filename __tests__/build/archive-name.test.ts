import { describe, expect, test } from '@jest/globals'
import { archiveName, checksumsName } from '../../src/build/archive-name.js'

describe('archiveName', () => {
  test.each([
    ['linux_amd64', 'linux', 'app_1.2.3_linux_amd64.tar.gz'],
    ['linux_armv7', 'linux', 'app_1.2.3_linux_armv7.tar.gz'],
    ['linux_amd64v3', 'linux', 'app_1.2.3_linux_amd64v3.tar.gz'],
    ['darwin_arm64', 'darwin', 'app_1.2.3_darwin_arm64.tar.gz'],
    ['windows_amd64', 'windows', 'app_1.2.3_windows_amd64.zip'],
    ['windows_arm64', 'windows', 'app_1.2.3_windows_arm64.zip']
  ])('%s (%s) → %s', (slug, os, expected) => {
    expect(archiveName('app', '1.2.3', slug, os)).toBe(expected)
  })

  test('keeps a pseudo-version as given', () => {
    expect(archiveName('tool', '0.0.0-20240101000000-abcdef123456', 'freebsd_386', 'freebsd')).toBe(
      'tool_0.0.0-20240101000000-abcdef123456_freebsd_386.tar.gz'
    )
  })
})

describe('checksumsName', () => {
  test('is <project>_<version>_checksums.txt', () => {
    expect(checksumsName('app', '1.2.3')).toBe('app_1.2.3_checksums.txt')
  })
})
