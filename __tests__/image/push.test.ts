// resolveBase and pushImage against Debian's docker-registry, read back with skopeo. The base is a
// distroless-like multi-platform image the test pushes first (gcr.io cannot be reached here).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import tar from 'tar-stream'
import { ActionError } from '../../src/errors.js'
import { type ResolvedBase, platformKey, resolveBase } from '../../src/image/base.js'
import {
  DOCKER_CONFIG,
  DOCKER_LAYER_GZIP,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  canonicalJson,
  descriptor,
  type Platform
} from '../../src/image/oci.js'
import { assembleNative } from '../../src/image/assemble.js'
import { pushImage } from '../../src/image/push.js'
import { RegistryClient } from '../../src/image/registry/client.js'
import { pushDistrolessBase } from '../helpers/distroless-base.js'
import { type Registry, startRegistry } from '../helpers/registry.js'

const run = promisify(execFile)
const HELLO = path.resolve('testdata/image/hello')
const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64' }
const EPOCH = 1_700_000_000
const LABELS = {
  'org.opencontainers.image.source': 'https://github.com/octo/hello',
  'org.opencontainers.image.version': '1.2.3',
  'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567'
}

interface Entry {
  name: string
  type: 'file' | 'directory'
  mode: number
  uid: number
  gid: number
  content?: string
}

async function listTar(bytes: Buffer): Promise<Array<Omit<Entry, 'content'> & { size: number }>> {
  const extract = tar.extract()
  const listed: Array<Omit<Entry, 'content'> & { size: number }> = []
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header
      listed.push({
        name: h.name,
        type: h.type as 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? -1,
        gid: h.gid ?? -1,
        size: h.size ?? 0
      })
      entry.resume()
    }
  })()
  extract.end(bytes)
  await done
  return listed
}

/** The distroless-like base, plus its amd64 image alone under its own tag (a single-platform base). */
async function pushBase(registry: Registry): Promise<{ layerDigest: string; digest: string }> {
  const pushed = await pushDistrolessBase(registry.host, 'base', 'nonroot')
  const client = new RegistryClient({ registry: registry.host, repository: 'base' })
  const amd64 = await client.getManifest(pushed.manifests['linux/amd64']!, [OCI_MANIFEST])
  await client.putManifest('amd64-only', OCI_MANIFEST, amd64!.bytes)
  return { layerDigest: pushed.layer.digest, digest: pushed.digest }
}

async function goBuild(dir: string, arch: string): Promise<string> {
  const out = path.join(dir, `hello-${arch}`)
  await run(
    'go',
    ['build', '-trimpath', '-ldflags', '-s -w -buildid= -X main.version=1.2.3', '-o', out, '.'],
    {
      cwd: HELLO,
      env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: arch, GOTOOLCHAIN: 'local' }
    }
  )
  return out
}

async function skopeo(...args: string[]): Promise<unknown> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', ...args])
  return JSON.parse(stdout) as unknown
}

describe('pushImage', () => {
  let registry: Registry
  let dir: string
  let baseClient: RegistryClient
  let base: ResolvedBase
  let baseLayer: string
  let baseDigest: string
  const binaries: Record<string, string> = {}

  beforeAll(async () => {
    registry = await startRegistry()
    dir = await mkdtemp(path.join(os.tmpdir(), 'gpa-push-'))
    const pushed = await pushBase(registry)
    baseLayer = pushed.layerDigest
    baseDigest = pushed.digest
    baseClient = new RegistryClient({ registry: registry.host, repository: 'base' })
    base = await resolveBase(baseClient, 'nonroot', [AMD64, ARM64])
    binaries.amd64 = await goBuild(dir, 'amd64')
    binaries.arm64 = await goBuild(dir, 'arm64')
  })

  afterAll(async () => {
    await registry?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function options(tags: string[], platforms = [AMD64, ARM64]) {
    const client = new RegistryClient({ registry: registry.host, repository: 'octo/hello' })
    const image = await assembleNative(
      platforms.map(platform => ({
        platform,
        base: base.perPlatform.get(platformKey(platform))!,
        binaryPath: binaries[platform.architecture]!
      })),
      {
        mtimeSeconds: EPOCH,
        labels: { ...LABELS, 'org.opencontainers.image.base.digest': base.indexDigest },
        annotations: { ...LABELS, 'org.opencontainers.image.base.digest': base.indexDigest }
      }
    )
    return { client, baseRepository: 'base', baseClient, image, tags }
  }

  test('resolveBase finds each platform in the index, arm64 as v8', () => {
    expect(base.indexDigest).toBe(baseDigest)
    expect(base.mediaType).toBe(OCI_INDEX)
    expect([...base.perPlatform.keys()].sort()).toEqual(['linux/amd64', 'linux/arm64/v8'])
    const arm = base.perPlatform.get('linux/arm64/v8')!
    expect(arm.config.architecture).toBe('arm64')
    expect(arm.config.config?.WorkingDir).toBe('/home/nonroot')
    expect(arm.layers.map(l => l.digest)).toEqual([baseLayer])
  })

  test('a platform the base lacks is an ActionError naming the base and the platform', async () => {
    const error = await resolveBase(
      baseClient,
      'nonroot',
      [{ os: 'linux', architecture: 's390x' }],
      `${registry.host}/base:nonroot`
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toContain(`${registry.host}/base:nonroot`)
    expect((error as Error).message).toContain('linux/s390x')
  })

  test('a single-platform base serves only its own platform', async () => {
    const one = await resolveBase(baseClient, 'amd64-only', [AMD64])
    expect(one.mediaType).toBe(OCI_MANIFEST)
    expect([...one.perPlatform.keys()]).toEqual(['linux/amd64'])
    await expect(resolveBase(baseClient, 'amd64-only', [ARM64])).rejects.toThrow(
      /base image amd64-only .*linux\/arm64\/v8/
    )
    // By digest too.
    const byDigest = await resolveBase(baseClient, baseDigest, [ARM64])
    expect(byDigest.indexDigest).toBe(baseDigest)
  })

  let firstDigest = ''

  test('pushes an index over two platforms, mounting the base layer, read back by skopeo', async () => {
    registry.requests.length = 0
    const result = await pushImage(await options(['1.2.3', 'latest']))
    firstDigest = result.digest
    expect(result.mediaType).toBe(OCI_INDEX)
    expect(result.blobs).toEqual({ exists: 0, mounted: 1, copied: 0, uploaded: 4 })
    expect(result.platforms.map(p => p.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])

    // Tags come last, after every manifest and the index.
    const puts = registry.requests
      .filter(r => r.method === 'PUT' && r.url.includes('/manifests/'))
      .map(r => r.url.replace(/^.*\/manifests\//, ''))
    expect(puts.slice(0, 3).every(ref => ref.startsWith('sha256:'))).toBe(true)
    expect(puts.slice(3)).toEqual(['1.2.3', 'latest'])

    const ref = `docker://${registry.host}/octo/hello:1.2.3`
    const index = (await skopeo('--raw', ref)) as {
      mediaType: string
      manifests: Array<{ digest: string; platform: Platform }>
      annotations: Record<string, string>
    }
    expect(index.mediaType).toBe(OCI_INDEX)
    expect(index.manifests.map(m => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])
    expect(index.manifests.map(m => m.digest)).toEqual(result.platforms.map(p => p.digest))
    expect(index.annotations['org.opencontainers.image.version']).toBe('1.2.3')

    const latest = (await skopeo('--raw', `docker://${registry.host}/octo/hello:latest`)) as object
    expect(latest).toEqual(index)

    const config = (await skopeo(
      '--override-os',
      'linux',
      '--override-arch',
      'arm64',
      '--config',
      ref
    )) as {
      architecture: string
      created: string
      config: {
        Entrypoint: string[]
        Cmd?: string[]
        User: string
        WorkingDir: string
        Env: string[]
        Labels: Record<string, string>
      }
      rootfs: { diff_ids: string[] }
    }
    expect(config.architecture).toBe('arm64')
    expect(config.created).toBe('2023-11-14T22:13:20Z')
    expect(config.config.Entrypoint).toEqual(['/app'])
    expect(config.config.Cmd).toBeUndefined()
    expect(config.config.User).toBe('65532:65532')
    expect(config.config.WorkingDir).toBe('/home/nonroot')
    expect(config.config.Env).toContain('SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt')
    expect(config.config.Labels).toMatchObject(LABELS)
    expect(config.config.Labels['org.opencontainers.image.base.digest']).toBe(baseDigest)
    expect(config.rootfs.diff_ids).toHaveLength(2)

    const manifest = (await skopeo(
      '--raw',
      `docker://${registry.host}/octo/hello@${result.platforms[1]!.digest}`
    )) as { layers: Array<{ digest: string; mediaType: string }> }
    expect(manifest.layers).toHaveLength(2)
    expect(manifest.layers[0]!.digest).toBe(baseLayer)

    // Our layer: one file, app, 0755, owned by nonroot, and it is the arm64 binary.
    const client = new RegistryClient({ registry: registry.host, repository: 'octo/hello' })
    const ours = Buffer.from(await client.getBlob(manifest.layers[1]!.digest))
    const listed = await listTar(gunzipSync(ours))
    expect(listed).toEqual([
      { name: 'app', type: 'file', mode: 0o755, uid: 65532, gid: 65532, size: expect.any(Number) }
    ])
    const file = await run('file', [binaries.arm64!]).catch(() => undefined)
    if (file) expect(file.stdout).toMatch(/aarch64|ARM aarch64/)

    // The amd64 binary in it runs and prints its injected version.
    const { stdout } = await run(binaries.amd64!, [])
    expect(stdout.trim()).toBe('hello 1.2.3')
  })

  test('pushing the same inputs again gives the same digest and uploads no blob', async () => {
    expect(firstDigest).not.toBe('')
    registry.requests.length = 0
    const result = await pushImage(await options(['1.2.3', 'latest']))
    expect(result.digest).toBe(firstDigest)
    expect(result.blobs).toEqual({ exists: 5, mounted: 0, copied: 0, uploaded: 0 })
    const uploads = registry.requests.filter(
      r => (r.method === 'PUT' || r.method === 'POST') && r.url.includes('/blobs/uploads/')
    )
    expect(uploads).toEqual([])
    for (const r of registry.requests) {
      expect(
        r.method === 'HEAD' ||
          r.method === 'GET' ||
          (r.method === 'PUT' && r.url.includes('/manifests/sha256:'))
      ).toBe(true)
    }
  })

  test('one platform gives a plain manifest, no index', async () => {
    const result = await pushImage(await options(['amd64'], [AMD64]))
    expect(result.mediaType).toBe(OCI_MANIFEST)
    expect(result.digest).toBe(result.platforms[0]!.digest)
    const raw = (await skopeo('--raw', `docker://${registry.host}/octo/hello:amd64`)) as {
      mediaType: string
      layers: unknown[]
    }
    expect(raw.mediaType).toBe(OCI_MANIFEST)
    expect(raw.layers).toHaveLength(2)
    const config = (await skopeo('--config', `docker://${registry.host}/octo/hello:amd64`)) as {
      architecture: string
      config: { Entrypoint: string[] }
    }
    expect(config.architecture).toBe('amd64')
    expect(config.config.Entrypoint).toEqual(['/app'])
  })

  test('a base in another repository without mount is copied', async () => {
    // No baseRepository: the layer is read through baseClient and uploaded.
    const client = new RegistryClient({ registry: registry.host, repository: 'other/hello' })
    const result = await pushImage({
      ...(await options(['1'], [ARM64])),
      client,
      baseRepository: undefined
    })
    expect(result.blobs).toEqual({ exists: 0, mounted: 0, copied: 1, uploaded: 2 })
  })

  test('a mount the registry refuses (202) falls back to a copy', async () => {
    const client = new RegistryClient({ registry: registry.host, repository: 'third/hello' })
    registry.requests.length = 0
    const result = await pushImage({
      ...(await options(['1'], [AMD64])),
      client,
      baseRepository: 'nowhere'
    })
    expect(result.blobs).toEqual({ exists: 0, mounted: 0, copied: 1, uploaded: 2 })
    expect(registry.requests.some(r => r.method === 'POST' && r.url.includes('mount='))).toBe(true)
    expect(registry.requests.some(r => r.method === 'DELETE')).toBe(true)
  })

  test('a registry that drops every connection from the second tag PUT on: the error splits the tags; a re-run completes them', async () => {
    const client = new RegistryClient({ registry: registry.host, repository: 'partial/hello' })
    const tags = ['latest', '1', '1.2.3']
    const old = await pushImage({ ...(await options(tags, [AMD64])), client })
    const digestOf = async (tag: string) =>
      ((await skopeo(`docker://${registry.host}/partial/hello:${tag}`)) as { Digest: string })
        .Digest
    const tagPut = (method: string, url: string) =>
      method === 'PUT' && /\/manifests\/(?!sha256:)/.test(url)
    let puts = 0
    registry.dieAt((method, url) => tagPut(method, url) && ++puts === 2, { status: 'drop' })
    const error = await pushImage({ ...(await options(tags)), client }).catch((e: unknown) => e)
    registry.revive()
    expect(error).toBeInstanceOf(ActionError)
    const fresh = /The image (sha256:[0-9a-f]{64})/.exec((error as Error).message)?.[1]
    // The cause as the client words it (a dropped connection, after its retries), then the state.
    expect((error as Error).message).toMatch(
      new RegExp(
        `^pushing tag 1 failed: registry ${registry.host.replace(/\./g, '\\.')}\\b.*\\. ` +
          `The image ${fresh} is complete in the registry \\(5 blobs, 2 platform manifests and the index, by digest\\), ` +
          'but a registry moves tags one by one, and only some were moved\\. Naming it now: 1\\.2\\.3\\. ' +
          'Not moved \\(still naming the image they named before, if any\\): ' +
          '1 \\(unless the registry stored it before failing\\), latest\\. Running the job again moves the rest'
      )
    )
    expect(await digestOf('1.2.3')).toBe(fresh)
    expect(await digestOf('1')).toBe(old.digest)
    expect(await digestOf('latest')).toBe(old.digest)

    registry.requests.length = 0
    const again = await pushImage({ ...(await options(tags)), client })
    expect(again.digest).toBe(fresh)
    expect(again.blobs.uploaded).toBe(0)
    expect(
      registry.requests.filter(r => tagPut(r.method, r.url)).map(r => r.url.replace(/^.*\//, ''))
    ).toEqual(['1', 'latest'])
    for (const tag of tags) expect(await digestOf(tag)).toBe(fresh)
  })

  test('a Docker schema2 base (manifest list, no arm64 variant) is accepted and renamed to OCI', async () => {
    const client = new RegistryClient({ registry: registry.host, repository: 'dockerbase' })
    const arm = base.perPlatform.get('linux/arm64/v8')!
    const layer = await baseClient.getBlob(baseLayer)
    await client.pushBlob(baseLayer, layer)
    const config = canonicalJson({ ...arm.config })
    const configDescriptor = descriptor(DOCKER_CONFIG, config)
    await client.pushBlob(configDescriptor.digest, config)
    const manifest = canonicalJson({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: configDescriptor,
      layers: [{ mediaType: DOCKER_LAYER_GZIP, digest: baseLayer, size: layer.length }]
    })
    const manifestDigest = descriptor(DOCKER_MANIFEST, manifest).digest
    await client.putManifest(manifestDigest, DOCKER_MANIFEST, manifest)
    const list = canonicalJson({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST_LIST,
      manifests: [
        {
          mediaType: DOCKER_MANIFEST,
          digest: manifestDigest,
          size: manifest.length,
          platform: { architecture: 'arm64', os: 'linux' }
        }
      ]
    })
    const listDigest = await client.putManifest('latest', DOCKER_MANIFEST_LIST, list)

    const docker = await resolveBase(client, 'latest', [ARM64])
    expect(docker.indexDigest).toBe(listDigest)
    expect(docker.mediaType).toBe(DOCKER_MANIFEST_LIST)
    const target = new RegistryClient({ registry: registry.host, repository: 'fromdocker/hello' })
    const result = await pushImage({
      tags: ['1'],
      client: target,
      baseRepository: 'dockerbase',
      baseClient: client,
      image: await assembleNative(
        [
          {
            platform: ARM64,
            base: docker.perPlatform.get('linux/arm64/v8')!,
            binaryPath: binaries.arm64!
          }
        ],
        { mtimeSeconds: EPOCH, labels: LABELS, annotations: LABELS }
      )
    })
    expect(result.blobs.mounted).toBe(1)
    const raw = (await skopeo('--raw', `docker://${registry.host}/fromdocker/hello:1`)) as {
      mediaType: string
      layers: Array<{ mediaType: string; digest: string }>
    }
    expect(raw.mediaType).toBe(OCI_MANIFEST)
    expect(raw.layers.map(l => l.mediaType)).toEqual([OCI_LAYER_GZIP, OCI_LAYER_GZIP])
    expect(raw.layers[0]!.digest).toBe(baseLayer)
  })
})
