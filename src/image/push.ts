// Pushes an assembled image: blobs first (skipped when present, base layers mounted or copied),
// then the platform manifests by digest, the index by digest, and only then the tags, so no tag
// ever names an image that is not wholly in the registry.
//
// The tags are not atomic: a registry moves one tag per PUT and has no transaction over several.
// A failure among them leaves the first tags on the new image and the others where they were; the
// error says which are which, and a re-run finishes the job (blobs and manifests are there, and
// tags already on the digest are skipped).
import { ActionError } from '../errors.js'
import type { AssembledImage, ImageBlob } from './assemble.js'
import type { Platform } from './oci.js'
import { MANIFEST_ACCEPT, OCI_MANIFEST } from './media-types.js'
import type { RegistryClient } from './registry/client.js'

export interface PushOptions {
  /** A client for the repository we push to. */
  client: RegistryClient
  /**
   * The base image's repository when it is in the same registry as ours: its layers are then
   * mounted from there rather than copied.
   */
  baseRepository?: string
  /** A client for the base image's repository: where base layers are read when they must be copied. */
  baseClient?: RegistryClient
  image: AssembledImage
  tags: readonly string[]
}

export interface PushedPlatform {
  platform: Platform
  /** Digest of the platform's manifest. */
  digest: string
  /** Bytes of that manifest. */
  size: number
  /** Compressed bytes of the config and all layers: what a pull downloads. */
  imageSize: number
}

export interface PushResult {
  /** The index digest, or the manifest digest for one platform. */
  digest: string
  mediaType: string
  platforms: PushedPlatform[]
  /** What the blobs cost: how many were there already, mounted, copied from the base or uploaded. */
  blobs: { exists: number; mounted: number; copied: number; uploaded: number }
}

export async function pushImage(opts: PushOptions): Promise<PushResult> {
  const { image } = opts
  if (opts.tags.length === 0) throw new ActionError('no tag to push the image under')

  const blobs = { exists: 0, mounted: 0, copied: 0, uploaded: 0 }
  for (const blob of image.blobs) blobs[await pushOneBlob(opts, blob)]++

  // Platform manifests by digest: no tag moves until the whole image is in the registry.
  for (const platform of image.platforms) {
    await opts.client.putManifest(platform.descriptor.digest, OCI_MANIFEST, platform.manifest)
  }
  const top = image.top.descriptor
  if (image.platforms.length > 1) {
    await opts.client.putManifest(top.digest, top.mediaType, image.top.bytes)
  }
  const ordered = tagOrder(opts.tags)
  const named: string[] = []
  for (const [i, tag] of ordered.entries()) {
    let putting = false
    try {
      // A tag that already names our digest is left alone (ECR's immutable tags refuse a re-PUT).
      if ((await tagDigest(opts.client, tag)) !== top.digest) {
        putting = true
        await opts.client.putManifest(tag, top.mediaType, image.top.bytes)
      }
    } catch (error) {
      throw partialTagsError(image, {
        named,
        failed: { tag, putting },
        untouched: ordered.slice(i + 1),
        cause: error
      })
    }
    named.push(tag)
  }

  return {
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: pushedPlatforms(image),
    blobs
  }
}

/**
 * The order the tags are moved in. Since a failure among the tags leaves the first ones on the new
 * image and the rest on the old, the tags that name this build alone (1.2.3, sha-abc1234, and any
 * we do not recognise) go first, then the floating version tags from the narrowest to the widest
 * (1.2, then 1), and `latest` last. A failure then leaves the floating tags, which most users
 * pull, all still on the previous image and agreeing with one another (never `latest` on the new
 * image while `1` is on the old), while the exact version, which nobody pulled before, is already
 * there. The sort is stable: tags of one kind keep the order they were given in (image-tags: auto
 * gives them in this order already).
 */
export function tagOrder(tags: readonly string[]): string[] {
  const rank = (tag: string): number =>
    tag === 'latest' ? 3 : /^v?\d+$/.test(tag) ? 2 : /^v?\d+\.\d+$/.test(tag) ? 1 : 0
  return [...tags].sort((a, b) => rank(a) - rank(b))
}

/**
 * The error of a push that failed among the tags: what is in the registry (the whole image, by
 * digest), which tags name it now, which do not, and that running again completes them.
 */
export function partialTagsError(
  image: AssembledImage,
  state: {
    /** Tags that name the new digest: moved by this run, or already there. */
    named: readonly string[]
    /** The tag being moved when it failed; `putting` when its PUT had been sent (it may have landed). */
    failed: { tag: string; putting: boolean }
    /** Tags after it, not tried. */
    untouched: readonly string[]
    cause: unknown
  }
): ActionError {
  const digest = image.top.descriptor.digest
  const { named, failed, untouched, cause } = state
  const why = cause instanceof Error ? cause.message : String(cause)
  const platforms = image.platforms.length
  const contents =
    platforms > 1
      ? `${image.blobs.length} blobs, ${platforms} platform manifests and the index`
      : `${image.blobs.length} blobs and the manifest`
  const notMoved = [
    failed.putting ? `${failed.tag} (unless the registry stored it before failing)` : failed.tag,
    ...untouched
  ]
  const split =
    named.length > 0
      ? `a registry moves tags one by one, and only some were moved. Naming it now: ${named.join(', ')}. `
      : 'no tag was moved (a registry moves tags one by one). '
  return new ActionError(
    `pushing tag ${failed.tag} failed: ${why.replace(/\.$/, '')}. ` +
      `The image ${digest} is complete in the registry (${contents}, by digest), but ${split}` +
      `Not moved (still naming the image they named before, if any): ${notMoved.join(', ')}. ` +
      `Running the job again moves ${named.length > 0 ? 'the rest' : 'them'}: nothing is ` +
      'uploaded again, and tags that already name the image are skipped.'
  )
}

export function pushedPlatforms(image: AssembledImage): PushedPlatform[] {
  return image.platforms.map(p => ({
    platform: p.platform,
    digest: p.descriptor.digest,
    size: p.descriptor.size,
    imageSize: p.imageSize
  }))
}

/** One blob: skipped when present, a base layer mounted (same registry) or copied, ours uploaded. */
async function pushOneBlob(
  opts: PushOptions,
  blob: ImageBlob
): Promise<'exists' | 'mounted' | 'copied' | 'uploaded'> {
  const { client } = opts
  if (blob.data) {
    const result = await client.pushBlob(blob.digest, blob.data)
    return result === 'exists' ? 'exists' : 'uploaded'
  }
  if (await client.hasBlob(blob.digest)) return 'exists'
  if (opts.baseRepository && (await client.mountBlob(blob.digest, opts.baseRepository))) {
    return 'mounted'
  }
  if (!opts.baseClient) {
    throw new ActionError(
      `base layer ${blob.digest} is not in the target repository and could not be mounted; ` +
        'no client for the base image was given to copy it'
    )
  }
  const data = await opts.baseClient.getBlob(blob.digest)
  const result = await client.pushBlob(blob.digest, data)
  return result === 'exists' ? 'exists' : 'copied'
}

/** The digest a tag points at now, or undefined when it does not exist (or the registry won't say). */
async function tagDigest(client: RegistryClient, tag: string): Promise<string | undefined> {
  const response = await client.request('HEAD', `/manifests/${tag}`, {
    headers: { accept: MANIFEST_ACCEPT.join(', ') }
  })
  await response.body?.cancel()
  if (!response.ok) return undefined
  return response.headers.get('docker-content-digest') ?? undefined
}
