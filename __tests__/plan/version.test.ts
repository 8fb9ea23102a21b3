import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import {
  buildVersion,
  decideTag,
  parseSemverTag,
  parseVersionInput,
  pickHeadTag,
  semverTag
} from '../../src/plan/version.js'

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

  test('parseSemverTag takes the tag name alone', () => {
    expect(parseSemverTag('v1.2.3')).toEqual({ tag: 'v1.2.3', version: '1.2.3' })
    expect(parseSemverTag('refs/tags/v1.2.3')).toBeUndefined()
  })
})

describe('parseVersionInput', () => {
  test.each([
    ['v1.2.3', { version: '1.2.3', tag: 'v1.2.3' }],
    ['1.2.3', { version: '1.2.3', tag: '1.2.3' }],
    ['v2.0.0-rc.1+build.7', { version: '2.0.0-rc.1+build.7', tag: 'v2.0.0-rc.1+build.7' }],
    ['  v1.0.0\n', { version: '1.0.0', tag: 'v1.0.0' }]
  ])('%j: the tag as given, the version without its v', (value, expected) => {
    expect(parseVersionInput(value)).toEqual(expected)
  })

  test('empty is none: the version comes from git', () => {
    expect(parseVersionInput('')).toBeUndefined()
    expect(parseVersionInput('   ')).toBeUndefined()
  })

  test.each(['vv1.2.3', '1.2', 'latest', 'v01.2.3', 'refs/tags/v1.2.3', 'V1.2.3', '1.2.3-'])(
    '%j is refused, naming the input and the value',
    value => {
      let error: unknown
      try {
        parseVersionInput(value)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).input).toBe('version')
      expect((error as InputError).message).toMatch(/^version: /)
      expect((error as InputError).message).toContain(`"${value}"`)
      expect((error as InputError).message).toContain('1.2.3 or v1.2.3')
    }
  )
})

describe('pickHeadTag', () => {
  test("the first SemVer tag in GoReleaser's order; the others named, non-SemVer ones ignored", () => {
    expect(pickHeadTag(['nightly', 'v1.10.0-rc.1', 'v1.10.0', 'v1.2.0', 'release-x'])).toEqual({
      tag: 'v1.10.0-rc.1',
      version: '1.10.0-rc.1',
      others: ['v1.10.0', 'v1.2.0'],
      ignored: ['nightly', 'release-x']
    })
  })

  test('none without a SemVer tag', () => {
    expect(pickHeadTag([])).toBeUndefined()
    expect(pickHeadTag(['v1.2', 'latest'])).toBeUndefined()
  })
})

describe('decideTag', () => {
  const input = { version: '3.0.0', tag: 'v3.0.0' }
  test('the version input, then a SemVer ref, then the tags at HEAD, then none', () => {
    expect(decideTag('refs/tags/v2.0.0', input, ['v1.0.0'])).toEqual({
      source: 'version input',
      tag: 'v3.0.0',
      version: '3.0.0'
    })
    expect(decideTag('refs/tags/v2.0.0', undefined, ['v1.0.0'])).toEqual({
      source: 'GITHUB_REF',
      tag: 'v2.0.0',
      version: '2.0.0'
    })
    expect(decideTag('refs/tags/nightly', undefined, ['v1.0.0'])).toMatchObject({
      source: 'git tag at HEAD',
      tag: 'v1.0.0',
      version: '1.0.0'
    })
    expect(decideTag('refs/heads/main', undefined, ['nightly'])).toEqual({
      source: 'pseudo-version'
    })
  })
})

describe('buildVersion', () => {
  test('a semver tag gives the version without its v', () => {
    expect(buildVersion('refs/tags/v1.2.3', SHA, TIME)).toEqual({
      version: '1.2.3',
      tag: 'v1.2.3',
      commit: SHA,
      shortCommit: '0123456',
      timestamp: TIME,
      date: '2026-01-02T03:04:05Z',
      source: 'GITHUB_REF',
      isSnapshot: false,
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: '',
      rawVersion: '1.2.3'
    })
  })

  test('anything else gives a pseudo-version from the commit time and 12 hex digits', () => {
    const version = buildVersion('refs/heads/main', SHA, TIME)
    expect(version).toMatchObject({
      version: '0.0.0-20260102030405-0123456789ab',
      shortCommit: '0123456',
      source: 'pseudo-version',
      isSnapshot: true,
      major: 0,
      minor: 0,
      patch: 0,
      prerelease: '20260102030405-0123456789ab',
      rawVersion: '0.0.0',
      branch: 'main'
    })
    expect(version.tag).toBeUndefined()
    expect(buildVersion('refs/pull/7/merge', SHA, TIME).tag).toBeUndefined()
    expect(buildVersion('', '', TIME).version).toBe('0.0.0-20260102030405-unknown')
  })

  test("git's short commit when given; the pseudo-version keeps 12 hex digits", () => {
    const version = buildVersion('', SHA, TIME, { shortCommit: '0123456789' })
    expect(version.shortCommit).toBe('0123456789')
    expect(version.version).toBe('0.0.0-20260102030405-0123456789ab')
  })

  test('a tag at HEAD decides when the ref does not', () => {
    expect(
      buildVersion('refs/heads/main', SHA, TIME, {
        headTags: ['v1.10.0-rc.1', 'v1.10.0'],
        previousTag: 'v1.9.0'
      })
    ).toMatchObject({
      version: '1.10.0-rc.1',
      tag: 'v1.10.0-rc.1',
      source: 'git tag at HEAD',
      isSnapshot: false,
      major: 1,
      minor: 10,
      patch: 0,
      prerelease: 'rc.1',
      rawVersion: '1.10.0',
      previousTag: 'v1.9.0',
      branch: 'main'
    })
  })

  test('the version input wins, build metadata kept in the version, not in RawVersion', () => {
    expect(
      buildVersion('refs/tags/v1.0.0', SHA, TIME, {
        input: { version: '2.1.0-beta.2+exp.sha.5114f85', tag: 'v2.1.0-beta.2+exp.sha.5114f85' },
        headTags: ['v1.0.0']
      })
    ).toMatchObject({
      version: '2.1.0-beta.2+exp.sha.5114f85',
      tag: 'v2.1.0-beta.2+exp.sha.5114f85',
      source: 'version input',
      isSnapshot: false,
      prerelease: 'beta.2',
      rawVersion: '2.1.0'
    })
  })

  test('no previous tag without a tag; the branch from the ref over git', () => {
    const snapshot = buildVersion('', SHA, TIME, { previousTag: 'v1.0.0', gitBranch: 'dev' })
    expect(snapshot.previousTag).toBeUndefined()
    expect(snapshot.branch).toBe('dev')
    expect(buildVersion('refs/heads/main', SHA, TIME, { gitBranch: 'dev' }).branch).toBe('main')
    expect(buildVersion('refs/tags/v1.0.0', SHA, TIME).branch).toBeUndefined()
  })
})
