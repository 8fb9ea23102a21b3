// An image as documents and blobs, before it goes anywhere: the same value is pushed to a registry
// or written as an OCI layout. Built from the inputs alone (no clock, no randomness), so the same
// commit gives the same digest.
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
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from './media-types.js'

/** A blob of the image: bytes we made, or a base layer that stays in the base's registry. */
export type ImageBlob =
  | { digest: string; size: number; data: Buffer }
  | { digest: string; size: number; data?: undefined }

export interface AssembledPlatform {
  platform: Platform
  manifest: Buffer
  descriptor: Descriptor
  /** Compressed bytes of the config and all layers: what a pull downloads. */
  imageSize: number
}

export interface AssembledImage {
  platforms: AssembledPlatform[]
  /** The index, or the one platform's manifest. */
  top: { bytes: Buffer; descriptor: Descriptor }
  /** Every blob once, in a fixed order: base layers, then ours, per platform. */
  blobs: ImageBlob[]
}

export interface NativePlatform {
  platform: Platform
  /** This platform's part of resolveBase()'s answer. */
  base: BasePlatform
  /** The static binary that becomes /app. */
  binaryPath: string
}

export interface Metadata {
  /** SOURCE_DATE_EPOCH: our layer's mtime and the config's `created`. */
  mtimeSeconds: number
  labels: Record<string, string>
  annotations: Record<string, string>
}

/** One platform's config and layers, ready to become a manifest. */
export interface PlatformParts {
  platform: Platform
  config: Buffer
  layers: ImageBlob[]
  /** Layer media types, in order (base layers keep theirs). */
  layerTypes: string[]
}

/** base + /app per platform, as the distroless Dockerfile would make it, without a daemon. */
export async function assembleNative(
  platforms: readonly NativePlatform[],
  meta: Metadata
): Promise<AssembledImage> {
  const created = rfc3339(meta.mtimeSeconds)
  const parts: PlatformParts[] = []
  for (const target of platforms) {
    const layer = await buildAppLayer(target.binaryPath, meta.mtimeSeconds)
    const config = canonicalJson(
      imageConfig(target.base.config, {
        diffId: layer.diffId,
        created,
        labels: meta.labels,
        platform: target.platform
      })
    )
    parts.push({
      platform: target.platform,
      config,
      layers: [
        ...target.base.layers.map(base => ({ digest: base.digest, size: base.size })),
        { digest: layer.digest, size: layer.size, data: layer.tarGz }
      ],
      layerTypes: [...target.base.layers.map(base => base.mediaType), OCI_LAYER_GZIP]
    })
  }
  return assemble(parts, meta.annotations)
}

/** Manifests over each platform's config and layers, and an index over them when there are several. */
export function assemble(
  parts: readonly PlatformParts[],
  annotations: Record<string, string>
): AssembledImage {
  if (parts.length === 0) throw new Error('an image needs at least one platform')
  const blobs = new Map<string, ImageBlob>()
  const platforms = parts.map(part => {
    const configDescriptor = descriptor(OCI_CONFIG, part.config)
    const layers = part.layers.map((layer, i) => ({
      mediaType: part.layerTypes[i] ?? OCI_LAYER_GZIP,
      digest: layer.digest,
      size: layer.size
    }))
    const manifest = canonicalJson(imageManifest(configDescriptor, layers, annotations))
    for (const layer of part.layers) if (!blobs.has(layer.digest)) blobs.set(layer.digest, layer)
    blobs.set(configDescriptor.digest, {
      digest: configDescriptor.digest,
      size: part.config.length,
      data: part.config
    })
    return {
      platform: ociPlatform(part.platform),
      manifest,
      descriptor: descriptor(OCI_MANIFEST, manifest),
      imageSize: part.config.length + layers.reduce((sum, layer) => sum + layer.size, 0)
    }
  })
  if (platforms.length === 1) {
    const only = platforms[0] as AssembledPlatform
    return {
      platforms,
      top: { bytes: only.manifest, descriptor: only.descriptor },
      blobs: [...blobs.values()]
    }
  }
  const index = canonicalJson(
    imageIndex(
      platforms.map(p => ({ descriptor: p.descriptor, platform: p.platform })),
      annotations
    )
  )
  return {
    platforms,
    top: { bytes: index, descriptor: descriptor(OCI_INDEX, index) },
    blobs: [...blobs.values()]
  }
}
