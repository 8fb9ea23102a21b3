// Pushes our image: per platform the base's layers plus one layer holding the binary, then the
// platform manifests by digest, the index by digest, and only then the tags. Everything is built
// from the inputs alone (no clock, no randomness), so the same inputs give the same digest, and a
// second push finds every blob in place and uploads none.
import { ActionError } from '../errors.js'
import { buildAppLayer } from './layer.js'
import type { BasePlatform } from './base.js'
import {
  type Descriptor,
  type Platform,
  canonicalJson,
  descriptor,
  imageConfig,
  imageIndex,
  imageManifest,
  ociPlatform,
  rfc3339
} from './oci.js'
import {
  MANIFEST_ACCEPT,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER_GZIP,
  OCI_MANIFEST
} from './media-types.js'
import type { RegistryClient } from './registry/client.js'

export interface PushPlatform {
  platform: Platform
  /** This platform's part of resolveBase()'s answer. */
  base: BasePlatform
  /** The static binary that becomes /app. */
  binaryPath: string
}

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
  platforms: readonly PushPlatform[]
  /** SOURCE_DATE_EPOCH: our layer's mtime and the config's `created`. */
  mtimeSeconds: number
  labels: Record<string, string>
  annotations: Record<string, string>
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
  /** What the blobs cost: how many were there already, mounted or uploaded. */
  blobs: { exists: number; mounted: number; copied: number; uploaded: number }
}

interface Built {
  platform: Platform
  manifest: Buffer
  manifestDescriptor: Descriptor
  blobs: Array<{ digest: string; data?: Buffer; base: boolean }>
  imageSize: number
}

export async function pushImage(opts: PushOptions): Promise<PushResult> {
  if (opts.platforms.length === 0) throw new ActionError('no platform to put in the image')
  if (opts.tags.length === 0) throw new ActionError('no tag to push the image under')
  const created = rfc3339(opts.mtimeSeconds)

  const built: Built[] = []
  for (const target of opts.platforms) {
    built.push(await buildPlatform(target, created, opts))
  }

  const blobs = { exists: 0, mounted: 0, copied: 0, uploaded: 0 }
  const done = new Set<string>()
  for (const image of built) {
    for (const blob of image.blobs) {
      if (done.has(blob.digest)) continue
      done.add(blob.digest)
      blobs[await pushOneBlob(opts, blob)]++
    }
  }

  // Platform manifests by digest: no tag moves until the whole image is in the registry.
  for (const image of built) {
    await opts.client.putManifest(image.manifestDescriptor.digest, OCI_MANIFEST, image.manifest)
  }

  let top: { bytes: Buffer; mediaType: string; digest: string }
  if (built.length === 1) {
    const only = built[0] as Built
    top = { bytes: only.manifest, mediaType: OCI_MANIFEST, digest: only.manifestDescriptor.digest }
  } else {
    const bytes = canonicalJson(
      imageIndex(
        built.map(image => ({ descriptor: image.manifestDescriptor, platform: image.platform })),
        opts.annotations
      )
    )
    const digest = await opts.client.putManifest(
      descriptor(OCI_INDEX, bytes).digest,
      OCI_INDEX,
      bytes
    )
    top = { bytes, mediaType: OCI_INDEX, digest }
  }

  for (const tag of opts.tags) {
    // A tag that already names our digest is left alone (ECR's immutable tags refuse a re-PUT).
    if ((await tagDigest(opts.client, tag)) === top.digest) continue
    await opts.client.putManifest(tag, top.mediaType, top.bytes)
  }

  return {
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: built.map(image => ({
      platform: ociPlatform(image.platform),
      digest: image.manifestDescriptor.digest,
      size: image.manifestDescriptor.size,
      imageSize: image.imageSize
    })),
    blobs
  }
}

async function buildPlatform(
  target: PushPlatform,
  created: string,
  opts: PushOptions
): Promise<Built> {
  const layer = await buildAppLayer(target.binaryPath, opts.mtimeSeconds)
  const config = canonicalJson(
    imageConfig(target.base.config, {
      diffId: layer.diffId,
      created,
      labels: opts.labels,
      platform: target.platform
    })
  )
  const configDescriptor = descriptor(OCI_CONFIG, config)
  const appLayer: Descriptor = {
    mediaType: OCI_LAYER_GZIP,
    digest: layer.digest,
    size: layer.size
  }
  const manifest = canonicalJson(
    imageManifest(configDescriptor, target.base.layers, appLayer, opts.annotations)
  )
  const imageSize =
    config.length + layer.size + target.base.layers.reduce((sum, base) => sum + base.size, 0)
  return {
    platform: target.platform,
    manifest,
    manifestDescriptor: descriptor(OCI_MANIFEST, manifest),
    blobs: [
      ...target.base.layers.map(base => ({ digest: base.digest, base: true })),
      { digest: layer.digest, data: layer.tarGz, base: false },
      { digest: configDescriptor.digest, data: config, base: false }
    ],
    imageSize
  }
}

/** One blob: skipped when present, a base layer mounted (same registry) or copied, ours uploaded. */
async function pushOneBlob(
  opts: PushOptions,
  blob: { digest: string; data?: Buffer; base: boolean }
): Promise<'exists' | 'mounted' | 'copied' | 'uploaded'> {
  const { client } = opts
  if (blob.data) {
    const result = await client.pushBlob(blob.digest, blob.data)
    return result === 'exists' ? 'exists' : 'uploaded'
  }
  if (await client.hasBlob(blob.digest)) return 'exists'
  if (opts.baseRepository) {
    const query = `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(opts.baseRepository)}`
    const response = await client.request('POST', `/blobs/uploads/${query}`, {
      body: new Uint8Array()
    })
    await response.body?.cancel()
    if (response.status === 201) return 'mounted'
    // 202: the registry would not mount (no pull access to the source, another storage): the
    // upload it opened is abandoned, and the layer is copied instead.
    const location = response.headers.get('location')
    if (response.status === 202 && location) {
      const cancelled = await client
        .request('DELETE', new URL(location, `${response.url || 'http://localhost/'}`).toString())
        .catch(() => undefined)
      await cancelled?.body?.cancel()
    }
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
