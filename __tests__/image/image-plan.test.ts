// The pure decisions of the image stage: push or not, which binary, which OCI variant, which
// labels, which tags.
import { describe, expect, test } from '@jest/globals'
import type { TargetBuild } from '../../src/build/stage.js'
import type { RunContext } from '../../src/context.js'
import { InputError } from '../../src/errors.js'
import { imageBinaryName, imageInputs, ociVariant } from '../../src/image/image-platforms.js'
import { imageMetadata } from '../../src/image/metadata.js'
import { decidePush } from '../../src/image/push-decision.js'
import { imageTags } from '../../src/plan/before-go.js'
import { buildVersion } from '../../src/plan/version.js'

const ctx = (over: Partial<RunContext> = {}): RunContext => ({
  local: false,
  workspace: '/w',
  repository: 'octo/hello',
  ref: 'refs/heads/main',
  sha: 'abcdef0123456789abcdef0123456789abcdef01',
  eventName: 'push',
  defaultBranch: 'main',
  actor: 'octocat',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  toolCacheDir: '/t',
  tempDir: '/tmp',
  runner: { os: 'linux', arch: 'x64' },
  ...over
})

describe('decidePush', () => {
  test.each([
    ['true', {}, true, 'push: true'],
    ['false', { ref: 'refs/tags/v1.0.0' }, false, 'push: false'],
    ['auto', { ref: 'refs/tags/v1.0.0' }, true, 'a tag (push: auto)'],
    ['auto', {}, true, 'the default branch main (push: auto)'],
    [
      'auto',
      { ref: 'refs/heads/feature' },
      false,
      'refs/heads/feature is not a tag or the default branch (main) (push: auto)'
    ],
    [
      'auto',
      { ref: 'refs/heads/main', defaultBranch: '' },
      false,
      'refs/heads/main is not a tag, and the event names no default branch (push: auto)'
    ],
    [
      'auto',
      { eventName: 'pull_request', ref: 'refs/pull/1/merge' },
      false,
      'a pull request (push: auto)'
    ],
    ['auto', { eventName: 'pull_request_target' }, false, 'a pull request (push: auto)'],
    ['auto', { local: true, ref: 'refs/tags/v1.0.0' }, false, 'a local run (push: auto)']
  ] as const)('push: %s with %j → %s', (push, over, expected, why) => {
    expect(decidePush(push, ctx(over))).toEqual({ push: expected, why })
  })
})

describe('image binary and platforms', () => {
  test('the first by name, or the one asked for; another is an InputError naming image-binary', () => {
    expect(imageBinaryName('', ['two', 'one'])).toBe('one')
    expect(imageBinaryName('two', ['two', 'one'])).toBe('two')
    expect(() => imageBinaryName('three', ['two', 'one'])).toThrow(
      new InputError('image-binary', '"three" is not among the binaries built (one, two)')
    )
  })

  test.each([
    ['arm', '7', 'v7'],
    ['arm', 'v6', 'v6'],
    ['arm64', 'v8.2', 'v8'],
    ['arm64', 'v9.0', 'v9'],
    ['amd64', 'v1', undefined],
    ['amd64', 'v3', 'v3'],
    ['386', 'softfloat', undefined],
    ['arm', undefined, undefined]
  ])('ociVariant(%s, %s) = %s', (arch, variant, expected) => {
    expect(ociVariant(arch, variant)).toBe(expected)
  })

  test('only linux targets, each with the chosen binary and all of its binaries', () => {
    const target = (os: string, arch: string, variant?: string): TargetBuild => {
      const spec = [os, arch, variant].filter(Boolean).join('/')
      const bin = (name: string) => ({
        name,
        path: `/out/${spec}/${name}`,
        kind: 'binary' as const,
        size: 1,
        sha256: ''
      })
      return {
        target: { os, arch, variant, env: {}, spec, slug: spec.replace(/\//g, '_') },
        binaries: [bin('one'), bin('two')],
        archives: [bin('archive')]
      }
    }
    const inputs = imageInputs(
      [target('darwin', 'arm64'), target('linux', 'arm', '7'), target('linux', 'amd64')],
      'two'
    )
    expect(inputs).toEqual([
      {
        platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
        binaryPath: '/out/linux/arm/7/two',
        binaryPaths: ['/out/linux/arm/7/one', '/out/linux/arm/7/two'],
        spec: 'linux/arm/7'
      },
      {
        platform: { os: 'linux', architecture: 'amd64' },
        binaryPath: '/out/linux/amd64/two',
        binaryPaths: ['/out/linux/amd64/one', '/out/linux/amd64/two'],
        spec: 'linux/amd64'
      }
    ])
  })
})

describe('labels and tags', () => {
  const version = buildVersion(
    'refs/tags/v1.2.3',
    'abcdef0123456789abcdef0123456789abcdef01',
    1_767_323_045
  )

  test('source, revision, version, created, and the base when there is one', () => {
    expect(
      imageMetadata(ctx(), version, {
        name: 'gcr.io/distroless/static:nonroot',
        digest: 'sha256:b'
      })
    ).toEqual({
      'org.opencontainers.image.source': 'https://github.com/octo/hello',
      'org.opencontainers.image.revision': 'abcdef0123456789abcdef0123456789abcdef01',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.base.name': 'gcr.io/distroless/static:nonroot',
      'org.opencontainers.image.base.digest': 'sha256:b'
    })
    expect(Object.keys(imageMetadata(ctx({ repository: '' }), version))).toEqual([
      'org.opencontainers.image.revision',
      'org.opencontainers.image.version',
      'org.opencontainers.image.created'
    ])
  })

  test('auto tags from the version; a local run without a ref is named by its commit; a list is kept', () => {
    const sha = 'abcdef0123456789abcdef0123456789abcdef01'
    const at = (ref: string) => buildVersion(ref, sha, 1_767_323_045)
    const tagRef = 'refs/tags/v1.2.3'
    expect(imageTags('auto', tagRef, at(tagRef))).toEqual(['1.2.3', '1.2', '1', 'latest'])
    expect(imageTags('auto', 'refs/heads/feat/x', at('refs/heads/feat/x'))).toEqual([
      'sha-abcdef0',
      'feat-x'
    ])
    expect(imageTags('auto', '', at(''))).toEqual(['sha-abcdef0'])
    expect(imageTags(['edge'], 'refs/heads/main', at('refs/heads/main'))).toEqual(['edge'])
  })
})
