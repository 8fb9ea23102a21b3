// The JSON documents of an image: config, manifest, index. Pure functions: the same inputs give
// the same bytes and so the same digests, which is what makes a rebuild of a commit reproducible.
import { sha256Hex } from '../util/hash.js'
import { sortedRecord } from './canonical-json.js'
import { OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, ociLayerType } from './media-types.js'

export * from './media-types.js'
export { canonicalJson } from './canonical-json.js'

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
}

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export interface HistoryEntry {
  created?: string
  created_by?: string
  author?: string
  comment?: string
  empty_layer?: boolean
}

/** The parts of a base image's config we read; the rest of it is not carried over. */
export interface BaseConfig {
  architecture?: string
  os?: string
  variant?: string
  config?: {
    Env?: string[] | null
    WorkingDir?: string
    Labels?: Record<string, string> | null
  } | null
  rootfs?: { type: string; diff_ids: string[] }
  history?: HistoryEntry[] | null
}

/** FROM scratch: no layers, no environment. */
export const SCRATCH: BaseConfig = { rootfs: { type: 'layers', diff_ids: [] } }

/** distroless's nonroot user and group: the binary belongs to the user the image runs as. */
export const NONROOT_ID = 65532
/** The user the image runs as: numeric, because Kubernetes' runAsNonRoot rejects names. */
export const IMAGE_USER = `${NONROOT_ID}:${NONROOT_ID}`
export const ENTRYPOINT = ['/app']
/** The history line of our layer, as a Dockerfile would have it. */
const CREATED_BY = 'COPY app /app # go-package-action'

const DIGEST = /^sha256:[0-9a-f]{64}$/

/** `2023-11-14T22:13:20Z` from seconds since 1970 (SOURCE_DATE_EPOCH), without milliseconds. */
export function rfc3339(epochSeconds: number): string {
  if (!Number.isSafeInteger(epochSeconds) || epochSeconds < 0) {
    throw new Error(`created must be whole seconds since 1970, got ${epochSeconds}`)
  }
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Go's platform, with the variants the index shows for ARM: arm → v7, arm64 → v8 unless given. */
export function ociPlatform(platform: Platform): Platform {
  const variant =
    platform.variant ??
    (platform.architecture === 'arm' ? 'v7' : platform.architecture === 'arm64' ? 'v8' : undefined)
  // Key order as the OCI image spec lists them.
  const result: Platform = { architecture: platform.architecture, os: platform.os }
  if (variant !== undefined) result.variant = variant
  return result
}

export function descriptor(mediaType: string, bytes: Uint8Array): Descriptor {
  return { mediaType, digest: `sha256:${sha256Hex(bytes)}`, size: bytes.length }
}

export interface ImageConfigOptions {
  /** `sha256:…` of our layer's uncompressed tar. */
  diffId: string
  /** RFC 3339, from SOURCE_DATE_EPOCH: see rfc3339(). */
  created: string
  labels: Record<string, string>
  platform: Platform
}

/**
 * Our image's config: the base's Env, WorkingDir and Labels (ours win), Entrypoint ["/app"], no
 * Cmd, User 65532:65532, the base's layers plus ours, and one history entry for ours.
 */
export function imageConfig(base: BaseConfig, opts: ImageConfigOptions): Record<string, unknown> {
  if (!DIGEST.test(opts.diffId)) throw new Error(`diffId is not a sha256 digest: ${opts.diffId}`)
  const platform = ociPlatform(opts.platform)
  for (const key of ['os', 'architecture'] as const) {
    if (base[key] !== undefined && base[key] !== platform[key]) {
      throw new Error(
        `base image config is for ${key} ${base[key]}, not ${platform[key]}: wrong platform picked from the base index`
      )
    }
  }
  const baseRun = base.config ?? {}
  const run: Record<string, unknown> = { User: IMAGE_USER }
  if (baseRun.Env && baseRun.Env.length > 0) run.Env = [...baseRun.Env]
  run.Entrypoint = [...ENTRYPOINT]
  if (baseRun.WorkingDir) run.WorkingDir = baseRun.WorkingDir
  const labels = sortedRecord({ ...(baseRun.Labels ?? {}), ...opts.labels })
  if (Object.keys(labels).length > 0) run.Labels = labels

  const config: Record<string, unknown> = {
    created: opts.created,
    architecture: platform.architecture,
    os: platform.os
  }
  if (platform.variant !== undefined) config.variant = platform.variant
  config.config = run
  config.rootfs = { type: 'layers', diff_ids: [...(base.rootfs?.diff_ids ?? []), opts.diffId] }
  config.history = [...(base.history ?? []), { created: opts.created, created_by: CREATED_BY }]
  return config
}

/** A manifest over a config and its layers, bottom first (Docker gzip layers renamed to OCI). */
export function imageManifest(
  config: Descriptor,
  layers: readonly Descriptor[],
  annotations: Record<string, string>
): Record<string, unknown> {
  if (config.mediaType !== OCI_CONFIG) {
    throw new Error(`an OCI manifest needs an OCI config, got ${config.mediaType}`)
  }
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: plain(config),
    layers: layers.map(layer => plain({ ...layer, mediaType: ociLayerType(layer.mediaType) }))
  }
  if (Object.keys(annotations).length > 0) manifest.annotations = sortedRecord(annotations)
  return manifest
}

export interface IndexEntry {
  descriptor: Descriptor
  platform: Platform
}

/**
 * An index over the platform manifests, sorted by platform so that the order the builds
 * finish in does not change the digest. A platform listed twice is an error.
 */
export function imageIndex(
  manifests: readonly IndexEntry[],
  annotations: Record<string, string>
): Record<string, unknown> {
  const entries = manifests.map(entry => {
    const platform = ociPlatform(entry.platform)
    const key = [platform.os, platform.architecture, platform.variant ?? ''].join('/')
    return { key, value: { ...plain(entry.descriptor), platform } }
  })
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]?.key === entries[i - 1]?.key) {
      throw new Error(`platform ${entries[i]?.key} is in the image index twice`)
    }
  }
  const index: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map(entry => entry.value)
  }
  if (Object.keys(annotations).length > 0) index.annotations = sortedRecord(annotations)
  return index
}

/** Exactly the three fields, in this order, whatever else the object carried. */
function plain(d: Descriptor): Descriptor {
  if (!DIGEST.test(d.digest)) throw new Error(`not a sha256 digest: ${d.digest}`)
  return { mediaType: d.mediaType, digest: d.digest, size: d.size }
}
