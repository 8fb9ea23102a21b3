// dockerfile: mode. Docker builds each platform from the user's Dockerfile, with that platform's
// prebuilt binaries as the build context; `docker save` hands us config and layers, and the image
// is then assembled and pushed like a native one: one index, tags last, our registry client and
// credentials. Dates in the config are set to SOURCE_DATE_EPOCH (Docker writes the build time).
import { copyFile, mkdir, mkdtemp, readFile, rm, utimes } from 'node:fs/promises'
import path from 'node:path'
import zlib from 'node:zlib'
import tar from 'tar-stream'
import { ActionError } from '../errors.js'
import { execCapture, type ExecResult } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'
import { gzipBytes } from '../util/gzip.js'
import { sha256Hex } from '../util/hash.js'
import { type AssembledImage, type PlatformParts, assemble } from './assemble.js'
import type { ImageInput } from './image-platforms.js'
import { OCI_LAYER_GZIP } from './media-types.js'
import { type Platform, canonicalJson, ociPlatform, rfc3339 } from './oci.js'

export interface DockerBuildOptions {
  dockerfile: string
  mtimeSeconds: number
  labels: Record<string, string>
  annotations: Record<string, string>
  buildArgs: Record<string, string>
  tempDir: string
}

/** A docker command that ran out of its time limit (util/limits) is an error that says so. */
function checkTimedOut(what: string, result: ExecResult): ExecResult {
  if (result.timedOutMs === undefined) return result
  throw new ActionError(
    `${what} did not finish within ${formatDuration(result.timedOutMs)} and was stopped ` +
      `(a Docker daemon or registry that does not answer?); if it is only slow, raise ${COMMAND_VARIABLE}`
  )
}

type Builder = { kind: 'buildx' | 'classic'; command: string[]; env: Record<string, string> }

/** buildx when the CLI has it (BuildKit, --load into the daemon); the classic builder otherwise. */
async function chooseBuilder(): Promise<Builder> {
  const env = process.env as Record<string, string>
  const version = await execCapture('docker', ['version', '--format', '{{.Server.Version}}'], {
    env,
    timeoutMs: commandLimitMs('probe')
  })
    .then(result => checkTimedOut('docker version', result))
    .catch((error: unknown) => {
      if (error instanceof ActionError) throw error
      return { code: -1, stdout: '', stderr: String(error) }
    })
  if (version.code !== 0) {
    throw new ActionError(
      `dockerfile needs a Docker daemon, and docker could not reach one: ${version.stderr.trim().slice(0, 300)}`
    )
  }
  const buildx = checkTimedOut(
    'docker buildx version',
    await execCapture('docker', ['buildx', 'version'], { env, timeoutMs: commandLimitMs('probe') })
  )
  if (buildx.code === 0) return { kind: 'buildx', command: ['buildx', 'build', '--load'], env }
  return { kind: 'classic', command: ['build'], env: { ...env, DOCKER_BUILDKIT: '0' } }
}

function platformString(p: Platform): string {
  const oci = ociPlatform(p)
  return [oci.os, oci.architecture, oci.variant].filter(Boolean).join('/')
}

export async function dockerBuild(
  inputs: readonly ImageInput[],
  opts: DockerBuildOptions
): Promise<{ image: AssembledImage; builder: Builder['kind'] }> {
  const builder = await chooseBuilder()
  const parts: PlatformParts[] = []
  for (const input of inputs) {
    parts.push(await buildPlatform(input, opts, builder))
  }
  return { image: assemble(parts, opts.annotations), builder: builder.kind }
}

async function buildPlatform(
  input: ImageInput,
  opts: DockerBuildOptions,
  builder: Builder
): Promise<PlatformParts> {
  const work = await mkdtemp(path.join(opts.tempDir, 'gpa-docker-'))
  try {
    const context = path.join(work, 'context')
    await mkdir(context)
    // The binaries under their own names, the image's one also as app; the mtime is the commit's,
    // so a COPY makes the same layer each time.
    const files = [
      ...input.binaryPaths.map(p => ({ from: p, to: path.basename(p) })),
      { from: input.binaryPath, to: 'app' }
    ]
    const when = new Date(opts.mtimeSeconds * 1000)
    for (const file of files) {
      await copyFile(file.from, path.join(context, file.to))
      await utimes(path.join(context, file.to), when, when)
    }
    const dockerfile = path.join(context, 'Dockerfile')
    await copyFile(opts.dockerfile, dockerfile)

    const platform = platformString(input.platform)
    const oci = ociPlatform(input.platform)
    // --pull: the daemon may hold the base for another platform under the same name.
    const args = [...builder.command, '--pull', '--platform', platform, '-f', dockerfile]
    const buildArgs: Record<string, string> = { ...opts.buildArgs }
    if (builder.kind === 'classic') {
      // BuildKit sets these itself; the classic builder does not.
      Object.assign(buildArgs, {
        TARGETPLATFORM: platform,
        TARGETOS: oci.os,
        TARGETARCH: oci.architecture,
        TARGETVARIANT: oci.variant ?? ''
      })
    }
    for (const [key, value] of Object.entries(buildArgs))
      args.push('--build-arg', `${key}=${value}`)
    for (const [key, value] of Object.entries(opts.labels)) args.push('--label', `${key}=${value}`)
    const iidFile = path.join(work, 'iid')
    args.push('--iidfile', iidFile, context)

    // docker build --pull reaches the registry of the base image: the longest wait of this mode.
    const built = checkTimedOut(
      `docker build for ${input.spec}`,
      await execCapture('docker', args, {
        env: builder.env,
        echo: true,
        timeoutMs: commandLimitMs()
      })
    )
    if (built.code !== 0) {
      throw new ActionError(
        `docker build for ${input.spec} failed (exit ${built.code}): ${lastLines(built.stderr || built.stdout)}`
      )
    }
    const id = (await readFile(iidFile, 'utf8')).trim()
    const archive = path.join(work, 'image.tar')
    try {
      const saved = checkTimedOut(
        `docker save ${id}`,
        await execCapture('docker', ['save', '-o', archive, id], {
          env: builder.env,
          timeoutMs: commandLimitMs()
        })
      )
      if (saved.code !== 0)
        throw new ActionError(`docker save ${id} failed: ${lastLines(saved.stderr)}`)
    } finally {
      // The daemon keeps no copy: the image lives on in the registry or the layout.
      await execCapture('docker', ['rmi', '--no-prune', id], {
        env: builder.env,
        timeoutMs: commandLimitMs('probe')
      })
    }
    return await fromSavedImage(await readFile(archive), input.platform, opts.mtimeSeconds)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n')
}

interface SavedManifest {
  Config: string
  Layers: string[]
}

/**
 * Reads `docker save` output (both the classic layout and Docker 25's OCI one list their config
 * and layers in manifest.json): the config with its dates set to SOURCE_DATE_EPOCH, and each
 * layer gzipped, checked against the config's diff_ids.
 */
export async function fromSavedImage(
  archive: Buffer,
  platform: Platform,
  mtimeSeconds: number
): Promise<PlatformParts> {
  const files = await untar(archive)
  const manifestBytes = files.get('manifest.json')
  if (!manifestBytes) throw new ActionError('docker save wrote no manifest.json')
  const [manifest] = JSON.parse(manifestBytes.toString('utf8')) as SavedManifest[]
  if (!manifest) throw new ActionError('docker save listed no image')
  const configBytes = files.get(manifest.Config)
  if (!configBytes) throw new ActionError(`docker save lacks its config ${manifest.Config}`)
  const config = JSON.parse(configBytes.toString('utf8')) as {
    created?: string
    history?: Array<{ created?: string }>
    rootfs?: { diff_ids?: string[] }
  }
  const created = rfc3339(mtimeSeconds)
  config.created = created
  for (const entry of config.history ?? []) entry.created = created
  const diffIds = config.rootfs?.diff_ids ?? []
  if (diffIds.length !== manifest.Layers.length) {
    throw new ActionError(
      `docker save: ${manifest.Layers.length} layers, but the config lists ${diffIds.length}`
    )
  }
  const layers = manifest.Layers.map((name, i) => {
    const bytes = files.get(name)
    if (!bytes) throw new ActionError(`docker save lacks layer ${name}`)
    const tarBytes = isGzip(bytes) ? Buffer.from(gunzip(bytes)) : bytes
    if (`sha256:${sha256Hex(tarBytes)}` !== diffIds[i]) {
      throw new ActionError(`docker save: layer ${name} does not match diff_id ${diffIds[i]}`)
    }
    const data = gzipBytes(tarBytes)
    return { digest: `sha256:${sha256Hex(data)}`, size: data.length, data }
  })
  return {
    platform,
    config: canonicalJson(config),
    layers,
    layerTypes: layers.map(() => OCI_LAYER_GZIP)
  }
}

function isGzip(bytes: Buffer): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b
}

function gunzip(bytes: Buffer): Buffer {
  // Node's zlib: only for reading, where determinism does not matter.
  return zlib.gunzipSync(bytes)
}

async function untar(archive: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const extract = tar.extract()
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = []
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk)
      if (entry.header.type === 'file')
        files.set(entry.header.name.replace(/^\.\//, ''), Buffer.concat(chunks))
    }
  })()
  extract.end(archive)
  await done
  return files
}
