import { describe, expect, test } from '@jest/globals'
import { buildVersion, semverTag } from '../../src/plan/version.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const TIME = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000

describe('semverTag', () => {
  test.each([
    ['refs/tags/v1.2.3', { tag: 'v1.2.3', version: '1.2.3' }],
    ['refs/tags/1.2.3', { tag: '1.2.3', version: '1.2.3' }],
    ['refs/tags/v2.0.0-rc.1', { tag: 'v2.0.0-rc.1', version: '2.0.0-rc.1' }],
    ['refs/tags/v1.2.3+build.7', { tag: 'v1.2.3+build.7', version: '1.2.3+build.7' }]
  ])('%s is a release tag', (ref, expected) => {
    expect(semverTag(ref)).toEqual(expected)
  })

  test.each([
    'refs/tags/vv1.2.3',
    'refs/tags/v1.2',
    'refs/tags/release-1',
    'refs/heads/v1.2.3',
    'refs/tags/v01.2.3'
  ])('%s is not', ref => expect(semverTag(ref)).toBeUndefined())
})

describe('buildVersion', () => {
  test('a semver tag gives the version without its v', () => {
    expect(buildVersion('refs/tags/v1.2.3', SHA, TIME)).toEqual({
      version: '1.2.3',
      tag: 'v1.2.3',
      commit: SHA,
      shortCommit: '0123456789ab',
      timestamp: TIME,
      date: '2026-01-02T03:04:05Z'
    })
  })

  test('anything else gives a pseudo-version from the commit time and short SHA', () => {
    expect(buildVersion('refs/heads/main', SHA, TIME).version).toBe(
      '0.0.0-20260102030405-0123456789ab'
    )
    expect(buildVersion('refs/pull/7/merge', SHA, TIME).tag).toBeUndefined()
  })
})
