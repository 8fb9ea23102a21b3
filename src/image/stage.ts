// The image stage: the linux binaries on the base image (natively, or through Docker for a
// Dockerfile), then pushed as one index with tags last, or written as an OCI layout.
import * as core from '@actions/core'
import path from 'node:path'
import type { BuildResult } from '../build/stage.js'
import type { Plan } from '../plan/plan.js'
import { type AssembledImage, assembleNative } from './assemble.js'
import { platformKey, resolveBase } from './base.js'
import { type Platform, SCRATCH } from './oci.js'
import { dockerBuild } from './docker-build.js'
import { type ImageInput, imageInputs } from './image-platforms.js'
import { formatReference, imageMetadata } from './metadata.js'
import { loadLegImages } from './leg-layouts.js'
import { type PushedPlatform, type PushResult, pushImage, pushedPlatforms } from './push.js'
import { type Credentials, RegistryClient } from './registry/client.js'
import { dockerConfigCredentials, ghcrCredentials } from './registry/credentials.js'
import type { ImageReference } from './registry/reference.js'
import { writeImageLayout } from './write-layout.js'

export interface ImageResult {
  /** registry/repository */
  name: string
  /** The index (or single manifest); empty for a matrix leg's per-platform layouts. */
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
  /** A matrix leg's layouts, one per platform, for the publish job. */
  legs?: LegImage[]
  base?: { name: string; digest: string }
  builder: 'native' | 'buildx' | 'classic'
  blobs?: PushResult['blobs']
}

/** base-image: scratch, as in a Dockerfile. */
export const SCRATCH_NAME = 'scratch'
const EMPTY = { mediaType: '', digest: '', size: 0 }

async function credentialsFor(registry: string, plan: Plan): Promise<Credentials | undefined> {
  const { image, release } = plan.config
  if (image.registryUsername && registry === image.repository?.registry) {
    return { username: image.registryUsername, password: image.registryPassword }
  }
  return (
    (await dockerConfigCredentials(registry)) ??
    ghcrCredentials(registry, plan.ctx.actor, release.githubToken)
  )
}

async function clientFor(
  ref: ImageReference,
  plan: Plan,
  extra: { access?: 'pull'; mountFrom?: string[] } = {}
): Promise<RegistryClient> {
  const config = plan.config.image
  return new RegistryClient({
    registry: ref.registry,
    repository: ref.repository,
    credentials: await credentialsFor(ref.registry, plan),
    insecure: config.insecure && ref.registry === config.repository?.registry,
    ...extra
  })
}

export interface Prepared {
  image: AssembledImage
  base?: ImageResult['base']
  baseClient?: RegistryClient
  builder: ImageResult['builder']
  /** The one platform it was made for, when made per platform. */
  input?: ImageInput
}

/** The image as bytes: natively on the base (or scratch), or through Docker for a Dockerfile. */
async function prepareImage(plan: Plan, inputs: readonly ImageInput[]): Promise<Prepared> {
  const config = plan.config.image
  const { ctx, version } = plan
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
  const baseClient = await clientFor(config.base, plan, { access: 'pull' })
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

type ImagePlanned = Extract<Plan['image'], { kind: 'image' }>

/**
 * Where an image goes, as ko's publishers: a registry (tags last), an OCI layout in output-dir, or
 * a matrix leg's layout per platform. One interface; the plan picks the destination.
 */
export interface ImageDestination {
  /** Each platform delivered as an image of its own (a matrix leg's layouts). */
  readonly perPlatform: boolean
  deliver(prepared: Prepared, plan: Plan, image: ImagePlanned): Promise<Partial<ImageResult>>
}

const registry: ImageDestination = {
  perPlatform: false,
  async deliver(prepared, plan, image) {
    const { config } = plan
    const target = config.image.repository as ImageReference
    const { baseClient } = prepared
    const sameRegistry =
      !config.image.dockerfile &&
      baseClient !== undefined &&
      config.image.base.registry === target.registry
    const client = await clientFor(target, plan, {
      mountFrom: sameRegistry ? [config.image.base.repository] : []
    })
    const pushed = await pushImage({
      client,
      baseRepository: sameRegistry ? config.image.base.repository : undefined,
      baseClient,
      image: prepared.image,
      tags: image.tags
    })
    core.info(
      `Pushed ${image.name}@${pushed.digest}: blobs ${pushed.blobs.uploaded} uploaded, ${pushed.blobs.exists} already there, ${pushed.blobs.mounted} mounted, ${pushed.blobs.copied} copied`
    )
    return {
      pushed: true,
      blobs: pushed.blobs,
      references: image.tags.map(tag => `${image.name}:${tag}`)
    }
  }
}

const layout: ImageDestination = {
  perPlatform: false,
  async deliver(prepared, plan, image) {
    const dir = plan.output.imageLayout as string
    await writeImageLayout(dir, prepared.image, image.tags, prepared.baseClient)
    core.info(
      `Wrote the image as an OCI layout to ${dir} (${prepared.image.top.descriptor.digest})`
    )
    return { layoutDir: dir }
  }
}

const legLayouts: ImageDestination = {
  perPlatform: true,
  async deliver(prepared, plan) {
    const input = prepared.input as ImageInput
    const name = `image-${input.spec.replace(/\//g, '_')}`
    const { descriptor } = prepared.image.top
    await writeImageLayout(
      path.join(plan.output.dir.dir, name),
      prepared.image,
      [name],
      prepared.baseClient
    )
    return {
      legs: [
        { target: input.spec, platform: input.platform, layout: name, digest: descriptor.digest }
      ]
    }
  }
}

export const IMAGE_DESTINATIONS: Record<ImagePlanned['destination'], ImageDestination> = {
  registry,
  layout,
  'leg-layouts': legLayouts
}

function result(prepared: Prepared, image: ImagePlanned): ImageResult {
  return {
    name: image.name,
    digest: prepared.image.top.descriptor.digest,
    mediaType: prepared.image.top.descriptor.mediaType,
    platforms: pushedPlatforms(prepared.image),
    tags: image.tags,
    references: [],
    pushed: false,
    why: image.why,
    base: prepared.base,
    builder: prepared.builder
  }
}

/** The image of the plan from the build's linux binaries, delivered where the plan says. */
export async function buildImage(plan: Plan, build: BuildResult): Promise<ImageResult> {
  const image = plan.image as ImagePlanned
  const destination = IMAGE_DESTINATIONS[image.destination]
  const inputs = imageInputs(build.targets, image.binary)
  core.info(`Image ${image.name}: ${inputs.map(i => i.spec).join(', ')}`)
  if (!destination.perPlatform) {
    const prepared = await prepareImage(plan, inputs)
    return { ...result(prepared, image), ...(await destination.deliver(prepared, plan, image)) }
  }
  const legs: LegImage[] = []
  const platforms: PushedPlatform[] = []
  let last: ImageResult | undefined
  for (const input of inputs) {
    const prepared = { ...(await prepareImage(plan, [input])), input }
    const delivered = await destination.deliver(prepared, plan, image)
    legs.push(...(delivered.legs ?? []))
    platforms.push(...pushedPlatforms(prepared.image))
    last = result(prepared, image)
  }
  if (!last) throw new Error('no linux binary to put in the image')
  // Each platform is its own image until the publish job makes them one index.
  return { ...last, digest: '', mediaType: '', platforms, legs }
}

/** mode: publish: the legs' per-platform layouts, as one image, delivered where the plan says. */
export async function publishLegImages(plan: Plan): Promise<ImageResult> {
  const image = plan.image as ImagePlanned
  const legs = plan.legs?.images ?? []
  const prepared: Prepared = {
    image: await loadLegImages(plan.output.dir.dir, legs),
    builder: 'native'
  }
  const destination = IMAGE_DESTINATIONS[image.destination]
  return { ...result(prepared, image), ...(await destination.deliver(prepared, plan, image)) }
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
