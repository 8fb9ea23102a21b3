// The registry client against Debian's docker-registry (CNCF distribution), open and with htpasswd.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { ActionError } from '../../src/errors.js'
import { RegistryClient } from '../../src/image/registry/client.js'
import { parseReference } from '../../src/image/registry/reference.js'
import { type Registry, startRegistry } from '../helpers/registry.js'

const digestOf = (data: Uint8Array): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

/** A minimal OCI image: an empty-ish config and one layer blob. */
function minimalImage(layer: Uint8Array) {
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })
  )
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: digestOf(config),
        size: config.length
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: digestOf(layer),
          size: layer.length
        }
      ]
    })
  )
  return { config, manifest }
}

let open: Registry
let locked: Registry
let tokens: Registry

beforeAll(async () => {
  open = await startRegistry()
  locked = await startRegistry({ htpasswd: { user: 'ci', password: 's3cret' } })
  tokens = await startRegistry({ token: { user: 'ci', password: 's3cret' } })
}, 60_000)

afterAll(async () => {
  await open?.stop()
  await locked?.stop()
  await tokens?.stop()
})

describe('parseReference', () => {
  test.each([
    [
      '127.0.0.1:5000/octo/hello:1.2.3',
      { registry: '127.0.0.1:5000', repository: 'octo/hello', tag: '1.2.3' }
    ],
    ['ghcr.io/octo-org/hello', { registry: 'ghcr.io', repository: 'octo-org/hello' }],
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    [
      'localhost/x@sha256:' + 'a'.repeat(64),
      { registry: 'localhost', repository: 'x', digest: 'sha256:' + 'a'.repeat(64) }
    ]
  ])('%s', (text, expected) => expect(parseReference(text)).toEqual(expected))

  test('an uppercase repository is an error naming the input', () => {
    expect(() => parseReference('ghcr.io/Octo/Hello')).toThrow(/^image: "ghcr.io\/Octo\/Hello"/)
  })
})

describe('RegistryClient', () => {
  test('pushes blobs once, puts a manifest and reads back the same bytes', async () => {
    const client = new RegistryClient({ registry: open.host, repository: 'octo/hello' })
    const layer = new Uint8Array(Buffer.from('layer bytes ' + Date.now()))
    const { config, manifest } = minimalImage(layer)
    expect(await client.pushBlob(digestOf(layer), layer)).toBe('uploaded')
    expect(await client.pushBlob(digestOf(config), config)).toBe('uploaded')
    expect(await client.pushBlob(digestOf(layer), layer)).toBe('exists')
    const digest = await client.putManifest('v1', OCI_MANIFEST, manifest)
    expect(digest).toBe(digestOf(manifest))
    const read = await client.getManifest('v1', [OCI_MANIFEST])
    expect(Buffer.from(read?.bytes ?? []).toString()).toBe(manifest.toString())
    expect(read?.digest).toBe(digest)
    expect(Buffer.from(await client.getBlob(digestOf(layer))).toString()).toBe(
      Buffer.from(layer).toString()
    )
    expect(await client.getManifest('missing', [OCI_MANIFEST])).toBeUndefined()
  })

  test('a second repository in the same registry mounts the blob instead of uploading it', async () => {
    const first = new RegistryClient({ registry: open.host, repository: 'octo/source' })
    const blob = new Uint8Array(Buffer.from('shared ' + Date.now()))
    await first.pushBlob(digestOf(blob), blob)
    const second = new RegistryClient({ registry: open.host, repository: 'octo/target' })
    expect(await second.mountBlob(digestOf(blob), 'octo/source')).toBe(true)
    expect(second.requests.filter(r => r.startsWith('PUT'))).toEqual([])
  })

  test('with htpasswd: Basic credentials work; a wrong password or none is a clear error', async () => {
    const blob = new Uint8Array(Buffer.from('private ' + Date.now()))
    const good = new RegistryClient({
      registry: locked.host,
      repository: 'octo/private',
      credentials: { username: 'ci', password: 's3cret' }
    })
    expect(await good.pushBlob(digestOf(blob), blob)).toBe('uploaded')

    const wrong = new RegistryClient({
      registry: locked.host,
      repository: 'octo/private',
      credentials: { username: 'ci', password: 'nope' }
    })
    await expect(wrong.hasBlob(digestOf(blob))).rejects.toThrow(
      new RegExp(
        `^registry ${locked.host} refused access to octo/private: HEAD answered 401; check registry-username and registry-password`
      )
    )
    const anonymous = new RegistryClient({ registry: locked.host, repository: 'octo/private' })
    await expect(anonymous.hasBlob(digestOf(blob))).rejects.toThrow(
      /needs credentials \(registry-username and registry-password\)/
    )
  })

  test('a registry that answers 500 once for a blob upload is retried, and the upload succeeds once', async () => {
    // The first PUT of an upload fails as an overloaded registry would.
    open.failNext((method, url) => method === 'PUT' && url.includes('/blobs/uploads/'), 500)
    open.requests.length = 0
    const client = new RegistryClient({ registry: open.host, repository: 'octo/flaky' })
    const blob = new Uint8Array(Buffer.from('flaky ' + Date.now()))
    expect(await client.pushBlob(digestOf(blob), blob)).toBe('uploaded')
    const puts = open.requests.filter(r => r.method === 'PUT').map(r => r.status)
    expect(puts).toEqual([500, 201])
    expect(await client.hasBlob(digestOf(blob))).toBe(true)
  })

  test('a registry that is down is a clear error', async () => {
    // A port that was free a moment ago: nothing listens there. (Not 9: fetch refuses that port itself.)
    const probe = http.createServer()
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise(resolve => probe.close(resolve))
    const client = new RegistryClient({ registry: `127.0.0.1:${port}`, repository: 'octo/hello' })
    await expect(client.hasBlob(digestOf(new Uint8Array()))).rejects.toThrow(ActionError)
    await expect(client.hasBlob(digestOf(new Uint8Array()))).rejects.toThrow(
      new RegExp(`^registry 127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\)`)
    )
  }, 60_000)

  test('Bearer: a token for push and pull from the realm, with pull on the mount source; a wrong password is refused there', async () => {
    const credentials = { username: 'ci', password: 's3cret' }
    const source = new RegistryClient({
      registry: tokens.host,
      repository: 'octo/source',
      credentials
    })
    const blob = new Uint8Array(Buffer.from('tokened ' + Date.now()))
    expect(await source.pushBlob(digestOf(blob), blob)).toBe('uploaded')
    const target = new RegistryClient({
      registry: tokens.host,
      repository: 'octo/target',
      credentials,
      mountFrom: ['octo/source']
    })
    expect(await target.mountBlob(digestOf(blob), 'octo/source')).toBe(true)
    const base = new RegistryClient({
      registry: tokens.host,
      repository: 'octo/source',
      credentials,
      access: 'pull'
    })
    expect(await base.hasBlob(digestOf(blob))).toBe(true)
    expect(tokens.tokenServer?.requests).toEqual([
      { user: 'ci', scopes: ['repository:octo/source:push,pull'] },
      { user: 'ci', scopes: ['repository:octo/target:push,pull', 'repository:octo/source:pull'] },
      { user: 'ci', scopes: ['repository:octo/source:pull'] }
    ])

    const wrong = new RegistryClient({
      registry: tokens.host,
      repository: 'octo/target',
      credentials: { username: 'ci', password: 'nope' }
    })
    await expect(wrong.hasBlob(digestOf(blob))).rejects.toThrow(
      `registry ${tokens.host} refused access to octo/target: its token service answered 401`
    )
  })
})
