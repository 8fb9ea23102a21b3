import { describe, expect, test } from '@jest/globals'
import {
  type BuildFingerprint,
  buildCacheKeys,
  buildFingerprint,
  type CacheKeys,
  moduleCacheKeys,
  toolsCacheKeys
} from '../../src/cache/keys.js'

const linux = { os: 'linux', arch: 'amd64' }
const mac = { os: 'darwin', arch: 'arm64' }

function expectRestoreKeysArePrefixes(keys: CacheKeys): void {
  for (const restore of keys.restoreKeys) {
    expect(restore.length).toBeLessThan(keys.key.length)
    expect(keys.key.startsWith(restore)).toBe(true)
  }
}

describe('moduleCacheKeys', () => {
  test('the key changes with the sums hash; the restore prefix does not', () => {
    const a = moduleCacheKeys(linux, 'aaaa1111')
    const b = moduleCacheKeys(linux, 'bbbb2222')
    expect(a.key).not.toBe(b.key)
    expect(a.key).toContain('aaaa1111')
    expect(a.restoreKeys).toEqual(b.restoreKeys)
    expect(a.restoreKeys).toHaveLength(1)
    expectRestoreKeysArePrefixes(a)
    expectRestoreKeysArePrefixes(b)
  })

  test('runners on other platforms do not share modules caches', () => {
    const a = moduleCacheKeys(linux, 'aaaa1111')
    const b = moduleCacheKeys(mac, 'aaaa1111')
    expect(a.key).not.toBe(b.key)
    expect(b.key.startsWith(a.restoreKeys[0] as string)).toBe(false)
  })
})

describe('buildFingerprint', () => {
  const base: BuildFingerprint = {
    goVersion: '1.26.8',
    targets: ['linux/amd64', 'linux/arm64', 'darwin/arm64'],
    race: false,
    buildTags: ['netgo', 'osusergo']
  }

  test('ignores the order of targets and tags', () => {
    expect(
      buildFingerprint({
        ...base,
        targets: ['darwin/arm64', 'linux/arm64', 'linux/amd64'],
        buildTags: ['osusergo', 'netgo']
      })
    ).toBe(buildFingerprint(base))
  })

  test('does not change its input arrays while sorting', () => {
    const targets = ['linux/arm64', 'linux/amd64']
    buildFingerprint({ ...base, targets })
    expect(targets).toEqual(['linux/arm64', 'linux/amd64'])
  })

  test('changes with race, targets and tags', () => {
    const fp = buildFingerprint(base)
    expect(buildFingerprint({ ...base, race: true })).not.toBe(fp)
    expect(buildFingerprint({ ...base, targets: ['linux/amd64'] })).not.toBe(fp)
    expect(buildFingerprint({ ...base, targets: [...base.targets, 'windows/amd64'] })).not.toBe(fp)
    expect(buildFingerprint({ ...base, buildTags: ['netgo'] })).not.toBe(fp)
    expect(buildFingerprint({ ...base, buildTags: [] })).not.toBe(fp)
  })

  test('tags and targets are not confused with one another', () => {
    expect(buildFingerprint({ ...base, targets: ['x'], buildTags: [] })).not.toBe(
      buildFingerprint({ ...base, targets: [], buildTags: ['x'] })
    )
  })
})

describe('buildCacheKeys', () => {
  const f: BuildFingerprint = {
    goVersion: '1.26.8',
    targets: ['linux/amd64'],
    race: true,
    buildTags: []
  }
  const sha = '3f786850e387550fdab836ed7e6dc881de23001b'

  test('ends with the revision', () => {
    const keys = buildCacheKeys(linux, f, sha)
    expect(keys.key.endsWith(`-${sha}`)).toBe(true)
    expect(buildCacheKeys(linux, f, 'another').key).not.toBe(keys.key)
  })

  test('restore keys: same job first, then same Go; each a prefix of the key', () => {
    const keys = buildCacheKeys(linux, f, sha)
    expect(keys.restoreKeys).toHaveLength(2)
    expectRestoreKeysArePrefixes(keys)
    const [job, go] = keys.restoreKeys as [string, string]
    expect(job.startsWith(go)).toBe(true)
    expect(job.length).toBeGreaterThan(go.length)
  })

  test('the same job at another revision restores by the first restore key', () => {
    const a = buildCacheKeys(linux, f, sha)
    const b = buildCacheKeys(linux, f, 'b'.repeat(40))
    expect(b.restoreKeys).toEqual(a.restoreKeys)
    expect(a.key.startsWith(b.restoreKeys[0] as string)).toBe(true)
  })

  test('another job with the same Go shares only the second restore key', () => {
    const a = buildCacheKeys(linux, f, sha)
    const other = buildCacheKeys(linux, { ...f, race: false, targets: ['windows/amd64'] }, sha)
    expect(other.restoreKeys[0]).not.toBe(a.restoreKeys[0])
    expect(a.key.startsWith(other.restoreKeys[0] as string)).toBe(false)
    expect(other.restoreKeys[1]).toBe(a.restoreKeys[1])
  })

  test('another Go version or runner shares nothing', () => {
    const a = buildCacheKeys(linux, f, sha)
    for (const b of [
      buildCacheKeys(linux, { ...f, goVersion: '1.26.7' }, sha),
      buildCacheKeys(mac, f, sha)
    ]) {
      expect(b.key).not.toBe(a.key)
      for (const restore of b.restoreKeys) expect(a.key.startsWith(restore)).toBe(false)
    }
  })

  test('a Go version that extends another is not mistaken for it', () => {
    // go1.26.1 must not restore from a go1.26.10 cache through the "same Go" prefix.
    const short = buildCacheKeys(linux, { ...f, goVersion: '1.26.1' }, sha)
    const long = buildCacheKeys(linux, { ...f, goVersion: '1.26.10' }, sha)
    expect(long.key.startsWith(short.restoreKeys[1] as string)).toBe(false)
  })

  test('without a revision (a local run) the key is still complete', () => {
    const keys = buildCacheKeys(linux, f, '')
    expect(keys.key.endsWith('-')).toBe(false)
    expectRestoreKeysArePrefixes(keys)
  })
})

describe('toolsCacheKeys', () => {
  const staticcheck = { name: 'staticcheck', version: 'v0.8.2' }
  const govulncheck = { name: 'govulncheck', version: 'v1.1.4' }

  test('does not depend on the order of the tools', () => {
    expect(toolsCacheKeys(linux, '1.26.8', [staticcheck, govulncheck]).key).toBe(
      toolsCacheKeys(linux, '1.26.8', [govulncheck, staticcheck]).key
    )
  })

  test('changes with a tool version, the tool set and the Go version', () => {
    const key = toolsCacheKeys(linux, '1.26.8', [staticcheck, govulncheck]).key
    expect(
      toolsCacheKeys(linux, '1.26.8', [{ ...staticcheck, version: 'v0.8.1' }, govulncheck]).key
    ).not.toBe(key)
    expect(toolsCacheKeys(linux, '1.26.8', [staticcheck]).key).not.toBe(key)
    expect(toolsCacheKeys(linux, '1.26.7', [staticcheck, govulncheck]).key).not.toBe(key)
    expect(toolsCacheKeys(mac, '1.26.8', [staticcheck, govulncheck]).key).not.toBe(key)
  })

  test('has no restore keys: tools are exact', () => {
    expect(toolsCacheKeys(linux, '1.26.8', [staticcheck]).restoreKeys).toEqual([])
  })
})

test('the three caches never share a key or prefix', () => {
  const mod = moduleCacheKeys(linux, 'x')
  const build = buildCacheKeys(
    linux,
    { goVersion: '1.26.8', targets: [], race: false, buildTags: [] },
    'x'
  )
  const tools = toolsCacheKeys(linux, '1.26.8', [{ name: 'x', version: 'x' }])
  const keys = [mod, build, tools]
  for (const a of keys)
    for (const b of keys) {
      if (a === b) continue
      for (const restore of a.restoreKeys) expect(b.key.startsWith(restore)).toBe(false)
      expect(a.key).not.toBe(b.key)
    }
})
