// Resolves a base image (FROM …) to what each platform we build needs from it: its manifest, its
// config and its layers. The reference is read once, so every platform comes from the same index,
// and the digest of that index is recorded in our labels and annotations.
import { ActionError } from '../errors.js'
import type { BaseConfig, Descriptor, Platform } from './oci.js'
import { ociPlatform } from './oci.js'
import { MANIFEST_ACCEPT, isImageIndex, isImageManifest } from './media-types.js'
import type { RegistryClient } from './registry/client.js'

export interface BaseManifest {
  schemaVersion?: number
  mediaType?: string
  config: Descriptor
  layers: Descriptor[]
}

export interface BasePlatform {
  /** The platform's manifest, as the registry serves it. */
  manifest: BaseManifest
  /** Its config, parsed. */
  config: BaseConfig
  /** The layers our image starts with, in order. */
  layers: Descriptor[]
}

export interface ResolvedBase {
  /** Digest of what the reference points at: the index, or the manifest for a one-platform base. */
  indexDigest: string
  /** Media type of that document. */
  mediaType: string
  /** Keyed by platformKey(). */
  perPlatform: Map<string, BasePlatform>
}

interface IndexManifest extends Descriptor {
  platform?: { os?: string; architecture?: string; variant?: string }
}

/** `linux/arm64/v8`: the platform as the index names it (arm → v7, arm64 → v8 by default). */
export function platformKey(platform: Platform): string {
  const p = ociPlatform(platform)
  return [p.os, p.architecture, p.variant].filter(part => part !== undefined).join('/')
}

/**
 * Reads a base image by tag or digest and picks, for each platform, its manifest and config. An
 * index is searched by os, architecture and variant (an entry without a variant serves the
 * default one: v7 for arm, v8 for arm64); a plain manifest serves only the platform of its config.
 */
export async function resolveBase(
  client: RegistryClient,
  reference: string,
  platforms: readonly Platform[],
  /** How the base is named in errors, e.g. gcr.io/distroless/static:nonroot. */
  name = reference
): Promise<ResolvedBase> {
  const top = await client.getManifest(reference, MANIFEST_ACCEPT)
  if (!top) throw new ActionError(`base image ${name} was not found in its registry`)
  const mediaType = top.mediaType.split(';')[0]?.trim() || mediaTypeOf(top.bytes)
  if (reference.startsWith('sha256:') && top.digest !== reference) {
    throw new ActionError(`base image ${name}: the registry served ${top.digest}`)
  }
  const perPlatform = new Map<string, BasePlatform>()

  if (isImageIndex(mediaType)) {
    const index = parse<{ manifests?: IndexManifest[] }>(top.bytes, name)
    const entries = (index.manifests ?? []).filter(
      entry => entry.platform && isImageManifest(entry.mediaType)
    )
    for (const platform of platforms) {
      const wanted = ociPlatform(platform)
      const match = pick(entries, wanted)
      if (!match) {
        const available = entries
          .map(entry => platformKey(entry.platform as Platform))
          .filter(key => !key.startsWith('unknown'))
        throw new ActionError(
          `base image ${name} has no ${platformKey(platform)} image` +
            ` (it has ${available.join(', ') || 'none'}); choose another base-image or drop that target`
        )
      }
      perPlatform.set(platformKey(platform), await readPlatform(client, match.digest, name))
    }
  } else if (isImageManifest(mediaType)) {
    const only = await readPlatform(client, top.digest, name, top.bytes)
    const own = ociPlatform({
      os: only.config.os ?? 'linux',
      architecture: only.config.architecture ?? 'amd64',
      variant: only.config.variant
    })
    for (const platform of platforms) {
      const wanted = ociPlatform(platform)
      if (!samePlatform(own, wanted)) {
        throw new ActionError(
          `base image ${name} is a single-platform image for ${platformKey(own)}: it has no ` +
            `${platformKey(platform)} image; choose a multi-platform base-image or drop that target`
        )
      }
      perPlatform.set(platformKey(platform), only)
    }
  } else {
    throw new ActionError(`base image ${name} is neither an image nor an index (${mediaType})`)
  }
  return { indexDigest: top.digest, mediaType, perPlatform }
}

function pick(entries: readonly IndexManifest[], wanted: Platform): IndexManifest | undefined {
  const candidates = entries.filter(entry =>
    samePlatform(ociPlatform(entry.platform as Platform), wanted)
  )
  // An exact variant first; then an entry that names none.
  return (
    candidates.find(entry => entry.platform?.variant === wanted.variant) ??
    candidates.find(entry => entry.platform?.variant === undefined)
  )
}

/** Both normalised with ociPlatform(), so a missing arm/arm64 variant reads as the default. */
function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant
}

async function readPlatform(
  client: RegistryClient,
  digest: string,
  name: string,
  bytes?: Uint8Array
): Promise<BasePlatform> {
  let body = bytes
  if (!body) {
    const got = await client.getManifest(digest, MANIFEST_ACCEPT)
    if (!got) throw new ActionError(`base image ${name}: manifest ${digest} is missing`)
    if (got.digest !== digest) {
      throw new ActionError(`base image ${name}: manifest ${digest} does not match its digest`)
    }
    body = got.bytes
  }
  const manifest = parse<BaseManifest>(body, name)
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) {
    throw new ActionError(`base image ${name}: manifest ${digest} has no config or no layers`)
  }
  const config = parse<BaseConfig>(await client.getBlob(manifest.config.digest), name)
  const layers = manifest.layers.map(layer => ({
    mediaType: layer.mediaType,
    digest: layer.digest,
    size: layer.size
  }))
  return { manifest, config, layers }
}

function mediaTypeOf(bytes: Uint8Array): string {
  try {
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: string }
    return parsed.mediaType ?? ''
  } catch {
    return ''
  }
}

function parse<T>(bytes: Uint8Array, name: string): T {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T
  } catch (error) {
    throw new ActionError(`base image ${name}: a document is not JSON (${String(error)})`)
  }
}
