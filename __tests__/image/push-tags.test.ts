// pushImage's tags without a registry: the order they move in, and what the error of a push that
// fails among them says (which tags name the new digest, which do not, and that a re-run finishes).
import { describe, expect, test } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import type { AssembledImage } from '../../src/image/assemble.js'
import { OCI_INDEX, OCI_MANIFEST } from '../../src/image/media-types.js'
import { partialTagsError, pushImage, tagOrder } from '../../src/image/push.js'
import type { RegistryClient } from '../../src/image/registry/client.js'
import { HttpError } from '../../src/util/http.js'

const NEW = `sha256:${'a'.repeat(64)}`
const OLD = `sha256:${'0'.repeat(64)}`
const digest = (c: string): string => `sha256:${c.repeat(64)}`

/** Two platforms and an index, four blobs (one of them a base layer left to the registry). */
function image(platforms = 2): AssembledImage {
  const manifests = Array.from({ length: platforms }, (_, i) => ({
    platform: { os: 'linux', architecture: i === 0 ? 'amd64' : 'arm64' },
    manifest: Buffer.from(`manifest ${i}`),
    descriptor: { mediaType: OCI_MANIFEST, digest: digest(String(i + 1)), size: 10 },
    imageSize: 100
  }))
  return {
    platforms: manifests,
    top: {
      bytes: Buffer.from('index'),
      descriptor: {
        mediaType: platforms > 1 ? OCI_INDEX : OCI_MANIFEST,
        digest: platforms > 1 ? NEW : digest('1'),
        size: 5
      }
    },
    blobs: [
      { digest: digest('b'), size: 1 },
      { digest: digest('c'), size: 1, data: Buffer.from('c') },
      { digest: digest('d'), size: 1, data: Buffer.from('d') },
      { digest: digest('e'), size: 1, data: Buffer.from('e') }
    ]
  }
}

/**
 * A registry in memory: every blob there, tags in `tags`; the PUT of the tag `dieAt` (and every
 * request after it) fails with a 503 as the client reports it after its retries.
 */
function fakeRegistry(tags: Record<string, string>, dieAt?: string) {
  const log: string[] = []
  let dead = false
  const down = (what: string) => {
    dead = true
    return new HttpError(
      `http://registry.test/v2/octo/hello${what}`,
      503,
      undefined,
      `registry registry.test: PUT /v2/octo/hello${what} answered 503 down`
    )
  }
  const client = {
    hasBlob: () => Promise.resolve(true),
    pushBlob: () => Promise.resolve('exists'),
    mountBlob: () => Promise.resolve(true),
    request: (method: string, path: string) => {
      log.push(`${method} ${path}`)
      if (dead) return Promise.reject(down(path))
      const tag = path.replace('/manifests/', '')
      const there = tags[tag]
      return Promise.resolve(
        new Response(null, {
          status: there ? 200 : 404,
          headers: there ? { 'docker-content-digest': there } : {}
        })
      )
    },
    putManifest: (reference: string) => {
      log.push(`PUT ${reference}`)
      if (dead || reference === dieAt) return Promise.reject(down(`/manifests/${reference}`))
      if (!reference.startsWith('sha256:')) tags[reference] = NEW
      return Promise.resolve(NEW)
    }
  }
  return { client: client as unknown as RegistryClient, log, tags }
}

describe('tagOrder', () => {
  test('the tags of this build alone first, then the floating ones narrowest first, latest last', () => {
    expect(tagOrder(['latest', '1', '1.2', '1.2.3'])).toEqual(['1.2.3', '1.2', '1', 'latest'])
    expect(tagOrder(['latest', 'v1', 'v1.2', 'v1.2.3'])).toEqual(['v1.2.3', 'v1.2', 'v1', 'latest'])
    // image-tags: auto already gives this order; it is kept.
    expect(tagOrder(['1.2.3', '1.2', '1', 'latest'])).toEqual(['1.2.3', '1.2', '1', 'latest'])
    expect(tagOrder(['sha-0123456', 'main'])).toEqual(['sha-0123456', 'main'])
    expect(tagOrder(['2.0.0-rc.1'])).toEqual(['2.0.0-rc.1'])
    // Stable: tags of one kind keep the order they were given in.
    expect(tagOrder(['latest', 'edge', '1', 'nightly', '1.2.3'])).toEqual([
      'edge',
      'nightly',
      '1.2.3',
      '1',
      'latest'
    ])
  })
})

describe('a push that fails among the tags', () => {
  test('says which tags name the new digest, which do not, and that a re-run completes them', async () => {
    const registry = fakeRegistry({ '1.2.3': OLD, '1': OLD, latest: OLD }, '1')
    const error = await pushImage({
      client: registry.client,
      image: image(),
      tags: ['latest', '1', '1.2.3']
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'pushing tag 1 failed: registry registry.test: PUT /v2/octo/hello/manifests/1 answered 503 down. ' +
        `The image ${NEW} is complete in the registry (4 blobs, 2 platform manifests and the index, by digest), ` +
        'but a registry moves tags one by one, and only some were moved. Naming it now: 1.2.3. ' +
        'Not moved (still naming the image they named before, if any): ' +
        '1 (unless the registry stored it before failing), latest. ' +
        'Running the job again moves the rest: nothing is uploaded again, ' +
        'and tags that already name the image are skipped.'
    )
    // Most specific first, latest never tried.
    expect(registry.log.filter(l => l.startsWith('PUT '))).toEqual([
      `PUT ${digest('1')}`,
      `PUT ${digest('2')}`,
      `PUT ${NEW}`,
      'PUT 1.2.3',
      'PUT 1'
    ])
    expect(registry.tags).toEqual({ '1.2.3': NEW, '1': OLD, latest: OLD })
  })

  test('a re-run skips the tags already on the digest and moves the rest', async () => {
    const registry = fakeRegistry({ '1.2.3': NEW, '1': OLD, latest: OLD })
    await pushImage({ client: registry.client, image: image(), tags: ['latest', '1', '1.2.3'] })
    expect(registry.log.filter(l => l.startsWith('PUT ') && !l.includes('sha256:'))).toEqual([
      'PUT 1',
      'PUT latest'
    ])
    expect(registry.tags).toEqual({ '1.2.3': NEW, '1': NEW, latest: NEW })
  })

  test('a tag already on the digest counts as naming it; one that failed before its PUT has not moved', () => {
    const cause = new HttpError(
      'http://r/v2/x/manifests/latest',
      0,
      undefined,
      'registry r cannot be reached (ECONNRESET).'
    )
    const message = partialTagsError(image(1), {
      named: ['1.2.3', '1'],
      failed: { tag: 'latest', putting: false },
      untouched: [],
      cause
    }).message
    expect(message).toBe(
      'pushing tag latest failed: registry r cannot be reached (ECONNRESET). ' +
        `The image ${digest('1')} is complete in the registry (4 blobs and the manifest, by digest), ` +
        'but a registry moves tags one by one, and only some were moved. Naming it now: 1.2.3, 1. ' +
        'Not moved (still naming the image they named before, if any): latest. ' +
        'Running the job again moves the rest: nothing is uploaded again, ' +
        'and tags that already name the image are skipped.'
    )
  })

  test('a failure at the first tag moves none', async () => {
    const registry = fakeRegistry({}, '1.2.3')
    const error = (await pushImage({
      client: registry.client,
      image: image(),
      tags: ['1.2.3', 'latest']
    }).catch((e: unknown) => e)) as Error
    expect(error.message).toContain(
      'but no tag was moved (a registry moves tags one by one). Not moved (still naming the image ' +
        'they named before, if any): 1.2.3 (unless the registry stored it before failing), latest. ' +
        'Running the job again moves them:'
    )
  })

  test('a failure before the tags is the failure itself: no tag was touched', async () => {
    const registry = fakeRegistry({}, NEW)
    const error = (await pushImage({
      client: registry.client,
      image: image(),
      tags: ['1.2.3']
    }).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/^registry registry\.test: PUT .*answered 503 down$/)
    expect(registry.log.some(l => l.includes('1.2.3'))).toBe(false)
  })
})
