// The layout `push: false` writes, read back by an independent client (skopeo), then copied by it
// into a real registry with its digests preserved: proof that other tools accept our exact bytes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { access, constants, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { buildAppLayer, type Layer } from '../../src/image/layer.js'
import {
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  SCRATCH,
  canonicalJson,
  descriptor,
  imageConfig,
  imageManifest,
  rfc3339,
  type Descriptor
} from '../../src/image/oci.js'
import { writeOciLayout, type BlobSource } from '../../src/image/oci-layout.js'
import { cleanupTempDirs, tempDir } from '../helpers/fixtures.js'
import { startRegistry, type Registry } from '../helpers/registry.js'
import { REPO_ROOT } from '../helpers/run-action.js'

const execFileAsync = promisify(execFile)
const SKOPEO = '/usr/bin/skopeo'
const HELLO_SOURCE = path.join(REPO_ROOT, 'testdata', 'image', 'hello')
const EPOCH = 1_700_000_000

async function skopeo(...args: string[]): Promise<string> {
  // --insecure-policy: no dependence on the machine's /etc/containers/policy.json.
  const { stdout } = await execFileAsync(SKOPEO, ['--insecure-policy', ...args], {
    maxBuffer: 64 * 1024 * 1024
  })
  return stdout
}

interface Image {
  layer: Layer
  config: Buffer
  configDescriptor: Descriptor
  manifest: Buffer
  manifestDescriptor: Descriptor
}

/** A FROM-scratch linux/amd64 image of the hello binary, every document made by src/image. */
async function helloImage(binary: string): Promise<Image> {
  const layer = await buildAppLayer(binary, EPOCH)
  const config = canonicalJson(
    imageConfig(SCRATCH, {
      diffId: layer.diffId,
      created: rfc3339(EPOCH),
      labels: { 'org.opencontainers.image.version': '1.2.3' },
      platform: { os: 'linux', architecture: 'amd64' }
    })
  )
  const configDescriptor = descriptor(OCI_CONFIG, config)
  const manifest = canonicalJson(
    imageManifest(configDescriptor, [descriptor(OCI_LAYER_GZIP, layer.tarGz)], {
      'org.opencontainers.image.version': '1.2.3'
    })
  )
  return {
    layer,
    config,
    configDescriptor,
    manifest,
    manifestDescriptor: descriptor(OCI_MANIFEST, manifest)
  }
}

function blobsOf(image: Image, layerSource: BlobSource): Map<string, BlobSource> {
  return new Map<string, BlobSource>([
    [image.layer.digest, layerSource],
    [image.configDescriptor.digest, image.config],
    [image.manifestDescriptor.digest, image.manifest]
  ])
}

let work: string
let binary: string
let image: Image
let registry: Registry | undefined

beforeAll(async () => {
  try {
    await access(SKOPEO, constants.X_OK)
  } catch {
    throw new Error(`${SKOPEO} is missing: install it with \`sudo apt-get install skopeo\``)
  }
  work = await tempDir('gpa-oci-layout-')
  binary = path.join(work, 'hello')
  await execFileAsync(
    'go',
    ['build', '-trimpath', '-ldflags', '-s -w -X main.version=1.2.3', '-o', binary, '.'],
    {
      cwd: HELLO_SOURCE,
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOOS: 'linux',
        GOARCH: 'amd64',
        GOWORK: 'off',
        GOFLAGS: '-mod=readonly -buildvcs=false'
      }
    }
  )
  image = await helloImage(binary)
})

afterAll(async () => {
  await registry?.stop()
  await cleanupTempDirs()
})

describe('writeOciLayout', () => {
  test('writes oci-layout, index.json with the ref name, and every blob under its digest', async () => {
    const dir = path.join(work, 'layout-files')
    await writeOciLayout(dir, blobsOf(image, image.layer.tarGz), [
      { descriptor: image.manifestDescriptor, refName: '1.2.3' }
    ])
    expect(await readFile(path.join(dir, 'oci-layout'), 'utf8')).toBe(
      '{"imageLayoutVersion":"1.0.0"}'
    )
    const { digest, size } = image.manifestDescriptor
    expect(await readFile(path.join(dir, 'index.json'), 'utf8')).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[' +
        `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"${digest}","size":${size},` +
        '"annotations":{"org.opencontainers.image.ref.name":"1.2.3"}}]}'
    )
    const names = (await readdir(path.join(dir, 'blobs', 'sha256'))).sort()
    expect(names).toEqual(
      [image.layer.digest, image.configDescriptor.digest, digest].map(d => d.slice(7)).sort()
    )
    const layerBlob = await readFile(path.join(dir, 'blobs', 'sha256', image.layer.digest.slice(7)))
    expect(layerBlob.equals(image.layer.tarGz)).toBe(true)
  })

  test('the same inputs give the same manifest digest (a second build of the image)', async () => {
    const again = await helloImage(binary)
    expect(again.manifest.equals(image.manifest)).toBe(true)
    expect(again.config.equals(image.config)).toBe(true)
  })

  test('refuses a blob whose bytes do not match its digest, and a ref to a missing blob', async () => {
    const dir = path.join(work, 'layout-bad')
    const wrong = new Map<string, BlobSource>([[image.layer.digest, Buffer.from('not the layer')]])
    await expect(writeOciLayout(dir, wrong, [])).rejects.toThrow(`not ${image.layer.digest}`)
    await expect(
      writeOciLayout(dir, new Map(), [{ descriptor: image.manifestDescriptor, refName: 'x' }])
    ).rejects.toThrow('not among the blobs')
  })

  test('skopeo reads the layout: entrypoint, user, platform, our layer and our manifest bytes', async () => {
    const dir = path.join(work, 'layout-skopeo')
    // The layer from a file on disk, as a stage that wrote it earlier would pass it.
    const layerFile = path.join(work, 'layer.tar.gz')
    await writeFile(layerFile, image.layer.tarGz)
    await writeOciLayout(dir, blobsOf(image, { path: layerFile }), [
      { descriptor: image.manifestDescriptor, refName: 'hello' }
    ])
    const ref = `oci:${dir}:hello`
    const config = JSON.parse(await skopeo('inspect', '--config', ref))
    expect(config.config.Entrypoint).toEqual(['/app'])
    expect(config.config.User).toBe('65532:65532')
    expect(config.config).not.toHaveProperty('Cmd')
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.version': '1.2.3' })
    expect(config.rootfs.diff_ids).toEqual([image.layer.diffId])
    expect(config.created).toBe('2023-11-14T22:13:20Z')
    const inspected = JSON.parse(await skopeo('inspect', ref))
    expect(inspected.Digest).toBe(image.manifestDescriptor.digest)
    expect(inspected.Layers).toEqual([image.layer.digest])
    expect(inspected.Architecture).toBe('amd64')
    expect(inspected.Os).toBe('linux')
    expect(await skopeo('inspect', '--raw', ref)).toBe(image.manifest.toString())
  })

  test('skopeo copies the layout into a registry with digests preserved and reads it back', async () => {
    const dir = path.join(work, 'layout-skopeo')
    registry = await startRegistry()
    const remote = `docker://${registry.host}/hello:1`
    await skopeo(
      'copy',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${dir}:hello`,
      remote
    )
    const raw = await skopeo('inspect', '--raw', '--tls-verify=false', remote)
    expect(raw).toBe(image.manifest.toString())
    const config = JSON.parse(await skopeo('inspect', '--config', '--tls-verify=false', remote))
    expect(config.config.Entrypoint).toEqual(['/app'])
    expect(config.config.User).toBe('65532:65532')
    const inspected = JSON.parse(await skopeo('inspect', '--tls-verify=false', remote))
    expect(inspected.Digest).toBe(image.manifestDescriptor.digest)
    expect(inspected.Layers).toEqual([image.layer.digest])
    // The layer went up as our exact bytes.
    const blob = await fetch(`${registry.url}/v2/hello/blobs/${image.layer.digest}`)
    expect(Buffer.from(await blob.arrayBuffer()).equals(image.layer.tarGz)).toBe(true)
    expect(
      registry.requests.some(r => r.method === 'PUT' && r.url === '/v2/hello/manifests/1')
    ).toBe(true)
  })
})
