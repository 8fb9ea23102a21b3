import { describe, expect, test } from '@jest/globals'
import semver from 'semver'
import {
  type AvailableVersion,
  type GoVersionSpec,
  goToSemver,
  parseVersionSpec,
  resolveVersion,
  satisfiesLocally,
  semverToGo
} from '../../src/toolchain/go-version.js'

describe('goToSemver / semverToGo', () => {
  // Go's own release names and the SemVer form setup-go's tool cache uses for them.
  const pairs: Array<[string, string]> = [
    ['go1.26.8', '1.26.8'],
    ['go1.20', '1.20.0'], // before 1.21 the first release of a minor had no .0
    ['go1.21.0', '1.21.0'], // from 1.21 on it does
    ['go1.27rc1', '1.27.0-rc.1'],
    ['go1.27beta1', '1.27.0-beta.1'],
    ['go1.9.2rc2', '1.9.2-rc.2'] // a real old name: a release candidate of a patch release
  ]

  test.each(pairs)('%s ↔ %s', (go, sv) => {
    expect(goToSemver(go)).toBe(sv)
    expect(semverToGo(sv)).toBe(go)
    expect(semverToGo(goToSemver(go) as string)).toBe(go)
  })

  test('goToSemver accepts the name without the go prefix and around spaces', () => {
    expect(goToSemver('1.26.8')).toBe('1.26.8')
    expect(goToSemver(' go1.26.8\n')).toBe('1.26.8')
  })

  test('goToSemver rejects what is not a Go release name', () => {
    for (const junk of [
      '',
      'go',
      'go1',
      'go1.26.8.1',
      'go1.27alpha1',
      'weekly.2012-03-04',
      '^1.26'
    ])
      expect(goToSemver(junk)).toBeUndefined()
  })

  test('semverToGo keeps the .0 of a stable 1.21+ release and of a 2.x release', () => {
    expect(semverToGo('1.22.0')).toBe('go1.22.0')
    expect(semverToGo('2.0.0')).toBe('go2.0.0')
    expect(semverToGo('1.19.0')).toBe('go1.19')
  })

  test('semverToGo throws on something that is not SemVer', () => {
    expect(() => semverToGo('go1.26.8')).toThrow(/not a version/)
    expect(() => semverToGo('1.26')).toThrow(/not a version/)
  })
})

describe('parseVersionSpec', () => {
  test('1.26.8 and go1.26.8 name one release', () => {
    expect(parseVersionSpec('1.26.8')).toEqual({ kind: 'exact', version: '1.26.8', text: '1.26.8' })
    expect(parseVersionSpec('go1.26.8')).toEqual({
      kind: 'exact',
      version: '1.26.8',
      text: 'go1.26.8'
    })
  })

  test('1.27rc1 names a release candidate exactly', () => {
    expect(parseVersionSpec('1.27rc1')).toMatchObject({ kind: 'exact', version: '1.27.0-rc.1' })
    expect(parseVersionSpec('go1.27rc1')).toMatchObject({ kind: 'exact', version: '1.27.0-rc.1' })
  })

  test('the text is kept trimmed, for the log', () => {
    expect(parseVersionSpec('  1.26.8 \n')?.text).toBe('1.26.8')
  })

  function rangeOf(text: string): string {
    const spec = parseVersionSpec(text)
    if (spec?.kind !== 'range') throw new Error(`${text} parsed as ${JSON.stringify(spec)}`)
    return spec.range
  }

  test('a bare minor (1.26, go1.26) is a range over its patch releases', () => {
    for (const text of ['1.26', 'go1.26']) {
      const range = rangeOf(text)
      expect(semver.satisfies('1.26.0', range)).toBe(true)
      expect(semver.satisfies('1.26.12', range)).toBe(true)
      expect(semver.satisfies('1.27.0', range)).toBe(false)
      expect(semver.satisfies('1.25.9', range)).toBe(false)
      expect(semver.satisfies('1.26.0-rc.1', range)).toBe(false)
    }
  })

  test('^1.25 is a range from 1.25.0 up to (not including) 2', () => {
    const range = rangeOf('^1.25')
    expect(semver.satisfies('1.25.0', range)).toBe(true)
    expect(semver.satisfies('1.30.1', range)).toBe(true)
    expect(semver.satisfies('1.24.9', range)).toBe(false)
    expect(semver.satisfies('2.0.0', range)).toBe(false)
  })

  test('">=1.24 <1.26" is a range', () => {
    const range = rangeOf('>=1.24 <1.26')
    expect(semver.satisfies('1.24.0', range)).toBe(true)
    expect(semver.satisfies('1.25.9', range)).toBe(true)
    expect(semver.satisfies('1.26.0', range)).toBe(false)
    expect(semver.satisfies('1.23.12', range)).toBe(false)
  })

  test('1.26.x is a range over 1.26 patch releases', () => {
    const range = rangeOf('1.26.x')
    expect(semver.satisfies('1.26.3', range)).toBe(true)
    expect(semver.satisfies('1.27.0', range)).toBe(false)
  })

  test('stable, latest and oldstable are aliases (any case)', () => {
    expect(parseVersionSpec('stable')).toMatchObject({ kind: 'alias', alias: 'stable' })
    expect(parseVersionSpec('latest')).toMatchObject({ kind: 'alias', alias: 'stable' })
    expect(parseVersionSpec('Stable')).toMatchObject({ kind: 'alias', alias: 'stable' })
    expect(parseVersionSpec('oldstable')).toMatchObject({ kind: 'alias', alias: 'oldstable' })
  })

  test.each(['', '   ', '1.2x', 'banana', '*', 'x', 'go', 'stabel'])('rejects %j', text => {
    expect(parseVersionSpec(text)).toBeUndefined()
  })
})

describe('resolveVersion', () => {
  // Shaped like go.dev/dl?mode=json&include=all: a prerelease of the next minor, stable patch
  // releases of the last three minors, an older minor; not in any particular order.
  const available: AvailableVersion[] = [
    { version: '1.26.7', stable: true },
    { version: '1.28.0-rc.1', stable: false },
    { version: '1.27.3', stable: true },
    { version: '1.25.9', stable: true },
    { version: '1.27.0-rc.2', stable: false },
    { version: '1.27.0', stable: true },
    { version: '1.26.8', stable: true },
    { version: '1.27.2', stable: true },
    { version: '1.28.0-beta.1', stable: false },
    { version: '1.25.10', stable: true },
    { version: '1.27.0-rc.1', stable: false },
    { version: '1.26.0', stable: true },
    { version: '1.20.0', stable: true }
  ]

  const resolve = (text: string, list = available): string | undefined =>
    resolveVersion(parseVersionSpec(text) as GoVersionSpec, list)

  test('stable picks the newest stable release, not the newer release candidate', () => {
    expect(resolve('stable')).toBe('1.27.3')
    expect(resolve('latest')).toBe('1.27.3')
  })

  test('stable ignores a prerelease even if the index wrongly marks it stable', () => {
    expect(resolve('stable', [...available, { version: '1.28.0-rc.2', stable: true }])).toBe(
      '1.27.3'
    )
  })

  test('oldstable picks the newest patch release of the previous minor', () => {
    expect(resolve('oldstable')).toBe('1.26.8')
  })

  test('oldstable with a single minor has nothing to pick', () => {
    expect(resolve('oldstable', [{ version: '1.27.3', stable: true }])).toBeUndefined()
    expect(resolve('stable', [])).toBeUndefined()
  })

  test('the answer does not depend on the order of the list', () => {
    const reversed = [...available].reverse()
    for (const text of ['stable', 'oldstable', '1.26', '^1.25', '>=1.24 <1.26'])
      expect(resolve(text, reversed)).toBe(resolve(text))
  })

  test('a bare minor and x-range pick the newest patch of that minor', () => {
    expect(resolve('1.26')).toBe('1.26.8')
    expect(resolve('1.26.x')).toBe('1.26.8')
    expect(resolve('1.25')).toBe('1.25.10') // numeric, not string, order
  })

  test('a range excludes prereleases unless it names one', () => {
    expect(resolve('^1.25')).toBe('1.27.3')
    expect(resolve('>=1.24 <1.26')).toBe('1.25.10')
    expect(resolve('>=1.28.0-beta.1')).toBe('1.28.0-rc.1')
    expect(resolve('1.28')).toBeUndefined()
  })

  test('an exact version is found, or undefined when absent', () => {
    expect(resolve('1.26.7')).toBe('1.26.7')
    expect(resolve('go1.20')).toBe('1.20.0')
    expect(resolve('1.27rc2')).toBe('1.27.0-rc.2')
    expect(resolve('1.26.9')).toBeUndefined()
    expect(resolve('1.29rc1')).toBeUndefined()
  })
})

describe('satisfiesLocally', () => {
  const spec = (text: string): GoVersionSpec => parseVersionSpec(text) as GoVersionSpec

  test('an exact spec matches only that version', () => {
    expect(satisfiesLocally(spec('1.26.8'), '1.26.8')).toBe(true)
    expect(satisfiesLocally(spec('go1.26.8'), '1.26.8')).toBe(true)
    expect(satisfiesLocally(spec('1.26.8'), '1.26.7')).toBe(false)
    expect(satisfiesLocally(spec('1.27rc1'), '1.27.0-rc.1')).toBe(true)
    expect(satisfiesLocally(spec('1.27rc1'), '1.27.0')).toBe(false)
  })

  test('a range matches any version in it, but not a prerelease', () => {
    expect(satisfiesLocally(spec('1.26'), '1.26.3')).toBe(true)
    expect(satisfiesLocally(spec('^1.25'), '1.27.3')).toBe(true)
    expect(satisfiesLocally(spec('>=1.24 <1.26'), '1.26.0')).toBe(false)
    expect(satisfiesLocally(spec('1.27'), '1.27.0-rc.1')).toBe(false)
  })

  test('an alias is never satisfied without the index (stable moves)', () => {
    expect(satisfiesLocally(spec('stable'), '1.27.3')).toBe(false)
    expect(satisfiesLocally(spec('oldstable'), '1.26.8')).toBe(false)
  })
})
