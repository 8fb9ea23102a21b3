// The release rules that need no API: which refs release, Go's /vN rule, "latest", the previous
// tag for the notes, the body, and which GitHub errors are worth another try.
import { describe, expect, test } from '@jest/globals'
import type { ReleaseConfig } from '../../src/config.js'
import type { RunContext } from '../../src/context.js'
import { ActionError } from '../../src/errors.js'
import { buildVersion } from '../../src/plan/version.js'
import { retryableGitHubError } from '../../src/release/github.js'
import { BODY_LIMIT, releaseBody } from '../../src/release/notes.js'
import {
  checkModuleMajor,
  decideMakeLatest,
  decideRelease,
  previousTag
} from '../../src/release/policy.js'

const config = (over: Partial<ReleaseConfig> = {}): ReleaseConfig => ({
  release: 'auto',
  draft: false,
  prerelease: 'auto',
  makeLatest: 'auto',
  overwrite: false,
  githubToken: 'ghs_x',
  notes: { kind: 'generate' },
  ...over
})
const ctx = (ref: string, local = false, eventName = 'push') =>
  ({ ref, local, eventName }) as RunContext
// A local run off a tag: named after its pseudo-version.
const VERSION = buildVersion('', 'abcdef0123456789abcdef0123456789abcdef01', 1_767_323_045)
// The version is the one source of the tag: decided from the ref once, read by the policy.
const versionOf = (ref: string) =>
  buildVersion(ref, 'abcdef0123456789abcdef0123456789abcdef01', 1_767_323_045)

describe('decideRelease', () => {
  test.each([
    ['refs/tags/v1.2.3', { kind: 'release', tag: 'v1.2.3', version: '1.2.3', prerelease: false }],
    ['refs/tags/1.2.3', { kind: 'release', tag: '1.2.3', version: '1.2.3', prerelease: false }],
    [
      'refs/tags/v2.0.0-rc.1+build.5',
      {
        kind: 'release',
        tag: 'v2.0.0-rc.1+build.5',
        version: '2.0.0-rc.1+build.5',
        prerelease: true
      }
    ],
    [
      'refs/tags/nightly',
      {
        kind: 'skip',
        why: 'nightly is not a SemVer tag (vMAJOR.MINOR.PATCH[-prerelease])',
        notice: true
      }
    ],
    ['refs/tags/vv1.2.3', { kind: 'skip', why: expect.stringContaining('vv1.2.3'), notice: true }],
    ['refs/tags/v1.2', { kind: 'skip', why: expect.stringContaining('v1.2 is not'), notice: true }],
    ['refs/heads/main', { kind: 'skip', why: 'not a tag', notice: false }]
  ])('auto on %s', (ref, expected) => {
    expect(decideRelease(config(), ctx(ref), versionOf(ref))).toEqual(expected)
  })

  test("true without a tag (ref, the commit's or the version input's) is refused, naming release", () => {
    expect(() =>
      decideRelease(
        config({ release: 'true' }),
        ctx('refs/heads/main'),
        versionOf('refs/heads/main')
      )
    ).toThrow(
      /^release: true needs a SemVer tag .*GITHUB_REF \(refs\/heads\/main\) is not one, no SemVer tag points at the commit/
    )
    // A tag at the commit (or the version input) gives the version its tag: then true releases.
    const tagged = { ...versionOf('refs/heads/main'), tag: 'v1.4.0', version: '1.4.0' }
    expect(
      decideRelease(config({ release: 'true' }), ctx('refs/heads/main'), tagged)
    ).toMatchObject({
      kind: 'release',
      tag: 'v1.4.0'
    })
  })

  test('a tag found at the commit releases on workflow_dispatch, not on a branch push or a pull request', () => {
    const atHead = {
      ...versionOf('refs/heads/main'),
      tag: 'v1.4.0',
      version: '1.4.0',
      source: 'git tag at HEAD' as const
    }
    expect(
      decideRelease(config(), ctx('refs/heads/main', false, 'workflow_dispatch'), atHead)
    ).toMatchObject({ kind: 'release', tag: 'v1.4.0' })
    for (const event of ['push', 'pull_request', 'pull_request_target'])
      expect(decideRelease(config(), ctx('refs/heads/main', false, event), atHead)).toMatchObject({
        kind: 'skip',
        why: expect.stringContaining("the tag's push (or a workflow_dispatch) releases it"),
        notice: true
      })
  })

  test('false never releases; prerelease true/false override the tag; a local run is a dry run', () => {
    expect(decideRelease(config({ release: 'false' }), ctx('refs/tags/v1.0.0'), VERSION)).toEqual({
      kind: 'skip',
      why: 'release: false',
      notice: false
    })
    expect(
      decideRelease(
        config({ prerelease: 'true' }),
        ctx('refs/tags/v1.0.0'),
        versionOf('refs/tags/v1.0.0')
      )
    ).toMatchObject({
      prerelease: true
    })
    expect(
      decideRelease(
        config({ prerelease: 'false' }),
        ctx('refs/tags/v1.0.0-rc.1'),
        versionOf('refs/tags/v1.0.0-rc.1')
      )
    ).toMatchObject({ prerelease: false })
    expect(decideRelease(config(), ctx('refs/tags/v1.0.0', true), VERSION)).toEqual({
      kind: 'dry-run',
      tag: 'v0.0.0-20260102030405-abcdef012345',
      version: '0.0.0-20260102030405-abcdef012345',
      prerelease: true
    })
  })
})

describe("Go's major version rule", () => {
  test.each([
    ['example.com/hello', 'v0.3.0'],
    ['example.com/hello', 'v1.9.0'],
    ['example.com/hello/v2', 'v2.0.0'],
    ['example.com/hello/v3', 'v3.1.0-rc.1'],
    ['gopkg.in/yaml.v3', 'v3.0.1'],
    ['gopkg.in/check.v1', 'v1.0.0']
  ])('%s may tag %s', (path, tag) => {
    expect(() => checkModuleMajor(path, tag, tag.slice(1))).not.toThrow()
  })

  test.each([
    ['example.com/hello', 'v2.0.0', 'module example.com/hello/v2 in go.mod'],
    ['example.com/hello/v2', 'v3.0.0', 'module example.com/hello/v3 in go.mod'],
    ['example.com/hello/v2', 'v1.5.0', 'ends in v2: tag v2.x.y instead'],
    ['gopkg.in/yaml.v3', 'v2.0.0', 'module gopkg.in/yaml.v2 in go.mod']
  ])('%s may not tag %s', (path, tag, hint) => {
    let error: unknown
    try {
      checkModuleMajor(path, tag, tag.slice(1))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toContain(hint)
    expect((error as Error).message).toContain(`tag ${tag}`)
  })
})

describe('make-latest and the previous tag', () => {
  const r = (tag: string, over: { draft?: boolean; prerelease?: boolean } = {}) => ({
    tag,
    draft: false,
    prerelease: false,
    ...over
  })
  const existing = [
    r('v2.0.0'),
    r('v1.4.0'),
    r('v3.0.0-rc.1', { prerelease: true }),
    r('v9.0.0', { draft: true })
  ]

  test('auto: not for a prerelease, not below a higher release; explicit settings pass through', () => {
    expect(decideMakeLatest('auto', { version: '2.1.0', prerelease: false }, existing)).toBe('true')
    expect(decideMakeLatest('auto', { version: '1.4.1', prerelease: false }, existing)).toBe(
      'false'
    )
    expect(decideMakeLatest('auto', { version: '3.0.0-rc.2', prerelease: true }, existing)).toBe(
      'false'
    )
    expect(decideMakeLatest('auto', { version: '1.0.0', prerelease: false }, [])).toBe('true')
    expect(decideMakeLatest('legacy', { version: '1.0.0', prerelease: false }, existing)).toBe(
      'legacy'
    )
    expect(decideMakeLatest('true', { version: '1.4.1', prerelease: false }, existing)).toBe('true')
  })

  test('the highest published lower version; a final release skips release candidates', () => {
    expect(previousTag({ version: '2.1.0', prerelease: false }, existing)).toBe('v2.0.0')
    expect(previousTag({ version: '3.0.0', prerelease: false }, existing)).toBe('v2.0.0')
    expect(previousTag({ version: '3.0.0-rc.2', prerelease: true }, existing)).toBe('v3.0.0-rc.1')
    expect(previousTag({ version: '1.4.0', prerelease: false }, existing)).toBeUndefined()
  })
})

describe('release body', () => {
  const files = [
    { name: 'hello_1.2.3_linux_amd64.tar.gz', path: '/x', size: 1, sha256: 'a'.repeat(64) },
    { name: 'hello_1.2.3_checksums.txt', path: '/y', size: 1, sha256: 'b'.repeat(64) }
  ]

  test('the generated notes, the files with their sha256, the image with its pull command', () => {
    const body = releaseBody('## What changed\n* a fix', files, {
      name: 'ghcr.io/octo/hello',
      digest: `sha256:${'c'.repeat(64)}`,
      tags: ['1.2.3', 'latest']
    })
    expect(body).toBe(
      [
        '## What changed',
        '* a fix',
        '',
        '## Artifacts',
        '',
        '| File | SHA-256 |',
        '| --- | --- |',
        `| \`hello_1.2.3_checksums.txt\` | \`${'b'.repeat(64)}\` |`,
        `| \`hello_1.2.3_linux_amd64.tar.gz\` | \`${'a'.repeat(64)}\` |`,
        '',
        '## Image',
        '',
        `\`ghcr.io/octo/hello@sha256:${'c'.repeat(64)}\``,
        '',
        '```sh',
        'docker pull ghcr.io/octo/hello:1.2.3',
        '```',
        ''
      ].join('\n')
    )
  })

  test('long notes are shortened so the body stays within GitHub limit, the artifacts kept', () => {
    const body = releaseBody('x'.repeat(200_000), files, undefined)
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT)
    expect(body).toContain('…(notes shortened)')
    expect(body).toContain('hello_1.2.3_checksums.txt')
  })
})

describe('retryableGitHubError', () => {
  const err = (status: number, headers: Record<string, string> = {}) => ({
    status,
    message: 'x',
    response: { headers }
  })
  test.each([
    [err(502), true],
    [err(500), true],
    [err(503, { 'retry-after': '3' }), { afterMs: 3000 }],
    [err(429), true],
    [err(403, { 'retry-after': '60' }), { afterMs: 60_000 }],
    [err(403), false],
    [err(404), false],
    [err(422), false],
    [new Error('not a request error'), false]
  ])('%j → %j', (error, expected) => {
    expect(retryableGitHubError(error)).toEqual(expected)
  })
})
