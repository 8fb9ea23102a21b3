// Pushes an assembled image: blobs first (skipped when present, base layers mounted or copied),
// then the platform manifests by digest, the index by digest, and only then the tags, so no tag
// ever names an image that is not wholly in the registry.
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
  for (const tag of opts.tags) {
    // A tag that already names our digest is left alone (ECR's immutable tags refuse a re-PUT).
    if ((await tagDigest(opts.client, tag)) === top.digest) continue
    await opts.client.putManifest(tag, top.mediaType, image.top.bytes)
  }

  return {
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: pushedPlatforms(image),
    blobs
  }
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
