// The image stage: the linux binaries on the base image (natively, or through Docker for a
// Dockerfile), then pushed as one index with tags last, or written as an OCI layout.
import * as core from '@actions/core'
import path from 'node:path'
import type { BuildResult } from '../build/stage.js'
import type { ImageConfig } from '../config.js'
import type { RunContext } from '../context.js'
import type { BuildVersion } from '../plan/version.js'
import { type AssembledImage, assembleNative } from './assemble.js'
import { platformKey, resolveBase } from './base.js'
import { type Platform, SCRATCH } from './oci.js'
import { dockerBuild } from './docker-build.js'
import { type ImageInput, imageInputs } from './image-platforms.js'
import { formatReference, imageMetadata } from './metadata.js'
import { decidePush } from './push-decision.js'
import { type PushedPlatform, type PushResult, pushImage, pushedPlatforms } from './push.js'
import { type Credentials, RegistryClient } from './registry/client.js'
import { dockerConfigCredentials, ghcrCredentials } from './registry/credentials.js'
import type { ImageReference } from './registry/reference.js'
import { autoTags, sanitizeTag } from './tags.js'
import { writeImageLayout } from './write-layout.js'

export interface ImageResult {
  /** registry/repository */
  name: string
  digest: string
  mediaType: string
  platforms: PushedPlatform[]
  tags: string[]
  /** name:tag for each tag, when pushed. */
  references: string[]
  pushed: boolean
  /** Why it was pushed or not. */
  why: string
  /** The OCI layout written instead of pushing. */
  layoutDir?: string
  base?: { name: string; digest: string }
  builder: 'native' | 'buildx' | 'classic'
  blobs?: PushResult['blobs']
}

/** base-image: scratch, as in a Dockerfile. */
export const SCRATCH_NAME = 'scratch'
const EMPTY = { mediaType: '', digest: '', size: 0 }

export interface ImageStageOptions {
  /** The chosen /app binary's name (image-binary, checked against the build plan). */
  binary: string
  outputDir: string
  githubToken: string
}

/** image-tags: auto as docker/metadata-action; locally (no ref) the commit still names the image. */
export function imageTags(config: ImageConfig, ctx: RunContext, version: BuildVersion): string[] {
  if (config.tags !== 'auto') return config.tags
  const tags = autoTags(ctx.ref, ctx.sha || version.commit)
  return tags.length > 0 ? tags : [sanitizeTag(version.version)]
}

async function credentialsFor(
  registry: string,
  config: ImageConfig,
  ctx: RunContext,
  githubToken: string
): Promise<Credentials | undefined> {
  if (config.registryUsername && registry === config.repository?.registry) {
    return { username: config.registryUsername, password: config.registryPassword }
  }
  return (
    (await dockerConfigCredentials(registry)) ?? ghcrCredentials(registry, ctx.actor, githubToken)
  )
}

async function clientFor(
  ref: ImageReference,
  config: ImageConfig,
  ctx: RunContext,
  githubToken: string,
  extra: { access?: 'pull'; mountFrom?: string[] } = {}
): Promise<RegistryClient> {
  return new RegistryClient({
    registry: ref.registry,
    repository: ref.repository,
    credentials: await credentialsFor(ref.registry, config, ctx, githubToken),
    insecure: config.insecure && ref.registry === config.repository?.registry,
    ...extra
  })
}

export interface Prepared {
  image: AssembledImage
  base?: ImageResult['base']
  baseClient?: RegistryClient
  builder: ImageResult['builder']
}

/** The image as bytes: natively on the base (or scratch), or through Docker for a Dockerfile. */
async function prepareImage(
  config: ImageConfig,
  ctx: RunContext,
  version: BuildVersion,
  inputs: readonly ImageInput[],
  githubToken: string
): Promise<Prepared> {
  if (config.dockerfile) {
    const meta = imageMetadata(ctx, version)
    const built = await dockerBuild(inputs, {
      dockerfile: config.dockerfile,
      mtimeSeconds: version.timestamp,
      labels: meta,
      annotations: meta,
      buildArgs: { VERSION: version.version, COMMIT: version.commit },
      tempDir: ctx.tempDir
    })
    return { image: built.image, builder: built.builder }
  }
  if (config.baseImage === SCRATCH_NAME) {
    // FROM scratch: the binary alone, which a static Go binary is happy with (no CA bundle, no
    // time zones, no passwd); and no registry to read, so it also works offline.
    const base = { name: SCRATCH_NAME, digest: '' }
    const meta = imageMetadata(ctx, version, base)
    const scratch = { manifest: { config: EMPTY, layers: [] }, config: SCRATCH, layers: [] }
    const image = await assembleNative(
      inputs.map(input => ({
        platform: input.platform,
        base: scratch,
        binaryPath: input.binaryPath
      })),
      { mtimeSeconds: version.timestamp, labels: meta, annotations: meta }
    )
    return { image, base, builder: 'native' }
  }
  const baseClient = await clientFor(config.base, config, ctx, githubToken, { access: 'pull' })
  const resolved = await resolveBase(
    baseClient,
    config.base.digest ?? config.base.tag ?? 'latest',
    inputs.map(i => i.platform),
    config.baseImage
  )
  const base = { name: formatReference(config.base), digest: resolved.indexDigest }
  core.info(`Base ${base.name} is ${base.digest}`)
  const meta = imageMetadata(ctx, version, base)
  const image = await assembleNative(
    inputs.map(input => {
      const platformBase = resolved.perPlatform.get(platformKey(input.platform))
      if (!platformBase) throw new Error(`the base has no ${input.spec} after resolving it`)
      return { platform: input.platform, base: platformBase, binaryPath: input.binaryPath }
    }),
    { mtimeSeconds: version.timestamp, labels: meta, annotations: meta }
  )
  return { image, base, baseClient, builder: 'native' }
}

export async function buildImage(
  config: ImageConfig,
  ctx: RunContext,
  version: BuildVersion,
  build: BuildResult,
  opts: ImageStageOptions
): Promise<ImageResult> {
  const inputs = imageInputs(build.targets, opts.binary)
  core.info(`Image ${config.name}: ${inputs.map(i => i.spec).join(', ')}`)
  const prepared = await prepareImage(config, ctx, version, inputs, opts.githubToken)
  return deliverImage(config, ctx, version, prepared, opts)
}

/** Pushed (tags last) or, when not pushing, written as an OCI layout into output-dir/image. */
export async function deliverImage(
  config: ImageConfig,
  ctx: RunContext,
  version: BuildVersion,
  prepared: Prepared,
  opts: Omit<ImageStageOptions, 'binary'>
): Promise<ImageResult> {
  const { image, baseClient } = prepared
  const target = config.repository as ImageReference
  const decision = decidePush(config.push, ctx)
  const tags = imageTags(config, ctx, version)
  core.info(`${decision.push ? 'Pushing' : 'Not pushing'} ${config.name}: ${decision.why}`)
  const result: ImageResult = {
    name: config.name,
    digest: image.top.descriptor.digest,
    mediaType: image.top.descriptor.mediaType,
    platforms: pushedPlatforms(image),
    tags,
    references: [],
    pushed: decision.push,
    why: decision.why,
    base: prepared.base,
    builder: prepared.builder
  }
  if (!decision.push) {
    result.layoutDir = path.join(opts.outputDir, 'image')
    await writeImageLayout(result.layoutDir, image, tags, baseClient)
    core.info(`Wrote the image as an OCI layout to ${result.layoutDir} (${result.digest})`)
    return result
  }

  const sameRegistry =
    !config.dockerfile && baseClient !== undefined && config.base.registry === target.registry
  const client = await clientFor(target, config, ctx, opts.githubToken, {
    mountFrom: sameRegistry ? [config.base.repository] : []
  })
  const pushed = await pushImage({
    client,
    baseRepository: sameRegistry ? config.base.repository : undefined,
    baseClient,
    image,
    tags
  })
  result.blobs = pushed.blobs
  result.references = tags.map(tag => `${config.name}:${tag}`)
  core.info(
    `Pushed ${config.name}@${pushed.digest}: blobs ${pushed.blobs.uploaded} uploaded, ${pushed.blobs.exists} already there, ${pushed.blobs.mounted} mounted, ${pushed.blobs.copied} copied`
  )
  return result
}

/** A matrix leg's image: one OCI layout per platform in output-dir, for the publish job to merge. */
export async function buildLegImages(
  config: ImageConfig,
  ctx: RunContext,
  version: BuildVersion,
  build: BuildResult,
  opts: ImageStageOptions
): Promise<LegImage[]> {
  const legs: LegImage[] = []
  for (const input of imageInputs(build.targets, opts.binary)) {
    const prepared = await prepareImage(config, ctx, version, [input], opts.githubToken)
    const layout = `image-${input.spec.replace(/\//g, '_')}`
    const { descriptor } = prepared.image.top
    await writeImageLayout(
      path.join(opts.outputDir, layout),
      prepared.image,
      [layout],
      prepared.baseClient
    )
    legs.push({ target: input.spec, platform: input.platform, layout, digest: descriptor.digest })
  }
  return legs
}

export interface LegImage {
  /** As written in targets. */
  target: string
  platform: Platform
  /** Folder in output-dir holding its OCI layout. */
  layout: string
  /** Its manifest's digest. */
  digest: string
}
