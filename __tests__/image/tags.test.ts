import { describe, expect, test } from '@jest/globals'
import { autoTags, sanitizeTag } from '../../src/image/tags.js'
import { buildVersion } from '../../src/plan/version.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('autoTags (docker/metadata-action semantics)', () => {
  test.each([
    ['refs/tags/v1.2.3', ['1.2.3', '1.2', '1', 'latest']],
    ['refs/tags/1.2.3', ['1.2.3', '1.2', '1', 'latest']],
    ['refs/tags/v0.4.1', ['0.4.1', '0.4', 'latest']],
    ['refs/tags/v2.0.0-rc.1', ['2.0.0-rc.1']],
    ['refs/tags/v1.2.3+build.5', ['1.2.3-build.5', '1.2', '1', 'latest']],
    ['refs/heads/main', ['sha-0123456', 'main']],
    ['refs/heads/feature/Big_Thing', ['sha-0123456', 'feature-Big_Thing']],
    ['refs/tags/release-7', ['sha-0123456']],
    ['refs/pull/42/merge', ['sha-0123456']]
  ])('%s → %j', (ref, tags) => {
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ''
    expect(autoTags(buildVersion(ref, SHA, 0), branch)).toEqual(tags)
  })
})

describe('sanitizeTag', () => {
  test('keeps [A-Za-z0-9._-], no leading . or -, at most 128 characters', () => {
    expect(sanitizeTag('a/b c@d')).toBe('a-b-c-d')
    expect(sanitizeTag('.hidden')).toBe('hidden')
    expect(sanitizeTag('x'.repeat(200))).toHaveLength(128)
  })
})
