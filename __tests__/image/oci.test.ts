import { describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  DOCKER_LAYER_GZIP,
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  SCRATCH,
  canonicalJson,
  descriptor,
  imageConfig,
  imageIndex,
  imageManifest,
  isImageIndex,
  isImageManifest,
  ociPlatform,
  rfc3339,
  type BaseConfig
} from '../../src/image/oci.js'

const D = (c: string): string => `sha256:${c.repeat(64)}`

/** A distroless-like base config, with fields we must drop (Cmd, User). */
const BASE: BaseConfig = JSON.parse(
  JSON.stringify({
    architecture: 'arm64',
    os: 'linux',
    variant: 'v8',
    config: {
      Env: ['PATH=/usr/bin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'],
      Cmd: ['/bin/sh'],
      User: '65532',
      WorkingDir: '/home/nonroot',
      Labels: { 'org.example.base': 'yes', 'org.opencontainers.image.version': 'base' }
    },
    rootfs: { type: 'layers', diff_ids: [D('1'), D('2')] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'bazel build' }]
  })
)

const LABELS = {
  'org.opencontainers.image.version': '1.2.3',
  'org.opencontainers.image.source': 'https://github.com/o/r'
}

describe('imageConfig', () => {
  test('golden: keeps Env and WorkingDir, drops Cmd, sets User and Entrypoint, appends our layer', () => {
    const config = imageConfig(BASE, {
      diffId: D('3'),
      created: rfc3339(1_700_000_000),
      labels: LABELS,
      platform: { os: 'linux', architecture: 'arm64' }
    })
    expect(canonicalJson(config).toString()).toBe(
      '{"created":"2023-11-14T22:13:20Z","architecture":"arm64","os":"linux","variant":"v8",' +
        '"config":{"User":"65532:65532",' +
        '"Env":["PATH=/usr/bin:/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"],' +
        '"Entrypoint":["/app"],"WorkingDir":"/home/nonroot",' +
        '"Labels":{"org.example.base":"yes","org.opencontainers.image.source":"https://github.com/o/r",' +
        '"org.opencontainers.image.version":"1.2.3"}},' +
        `"rootfs":{"type":"layers","diff_ids":["${D('1')}","${D('2')}","${D('3')}"]},` +
        '"history":[{"created":"1970-01-01T00:00:00Z","created_by":"bazel build"},' +
        '{"created":"2023-11-14T22:13:20Z","created_by":"COPY app /app # go-package-action"}]}'
    )
  })

  test('from scratch: only our layer, no Env or WorkingDir, no variant on amd64', () => {
    const config = imageConfig(SCRATCH, {
      diffId: D('3'),
      created: rfc3339(0),
      labels: {},
      platform: { os: 'linux', architecture: 'amd64' }
    })
    expect(canonicalJson(config).toString()).toBe(
      '{"created":"1970-01-01T00:00:00Z","architecture":"amd64","os":"linux",' +
        '"config":{"User":"65532:65532","Entrypoint":["/app"]},' +
        `"rootfs":{"type":"layers","diff_ids":["${D('3')}"]},` +
        '"history":[{"created":"1970-01-01T00:00:00Z","created_by":"COPY app /app # go-package-action"}]}'
    )
  })

  test('the label order of the caller does not change the bytes; the base is not modified', () => {
    const before = JSON.stringify(BASE)
    const opts = {
      diffId: D('3'),
      created: rfc3339(1),
      platform: { os: 'linux', architecture: 'arm64' }
    }
    const reversed = Object.fromEntries(Object.entries(LABELS).reverse())
    expect(canonicalJson(imageConfig(BASE, { ...opts, labels: reversed }))).toEqual(
      canonicalJson(imageConfig(BASE, { ...opts, labels: LABELS }))
    )
    expect(JSON.stringify(BASE)).toBe(before)
  })

  test('rejects a base for another platform and a diffId that is no digest', () => {
    const opts = { diffId: D('3'), created: rfc3339(1), labels: {} }
    expect(() =>
      imageConfig(BASE, { ...opts, platform: { os: 'linux', architecture: 'amd64' } })
    ).toThrow('architecture arm64, not amd64')
    expect(() =>
      imageConfig(SCRATCH, {
        ...opts,
        diffId: 'sha256:abc',
        platform: { os: 'linux', architecture: 'amd64' }
      })
    ).toThrow('diffId')
  })
})

describe('imageManifest', () => {
  test('golden: config, Docker layers renamed to OCI, order kept, sorted annotations', () => {
    const manifest = imageManifest(
      { mediaType: OCI_CONFIG, digest: D('c'), size: 1234 },
      [
        { mediaType: DOCKER_LAYER_GZIP, digest: D('a'), size: 100, extra: 1 } as never,
        { mediaType: OCI_LAYER_GZIP, digest: D('b'), size: 200 }
      ],
      {
        'org.opencontainers.image.revision': 'abc',
        'org.opencontainers.image.base.name': 'scratch'
      }
    )
    expect(canonicalJson(manifest).toString()).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' +
        `"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"${D('c')}","size":1234},` +
        '"layers":[' +
        `{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"${D('a')}","size":100},` +
        `{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"${D('b')}","size":200}],` +
        '"annotations":{"org.opencontainers.image.base.name":"scratch","org.opencontainers.image.revision":"abc"}}'
    )
  })

  test('no annotations key when there are none; a non-OCI config is refused', () => {
    const layer = { mediaType: OCI_LAYER_GZIP, digest: D('b'), size: 200 }
    const config = { mediaType: OCI_CONFIG, digest: D('c'), size: 1 }
    expect(imageManifest(config, [layer], {})).not.toHaveProperty('annotations')
    expect(() =>
      imageManifest(
        { ...config, mediaType: 'application/vnd.docker.container.image.v1+json' },
        [layer],
        {}
      )
    ).toThrow('OCI config')
  })
})

describe('imageIndex', () => {
  const m = (c: string, size: number) => ({ mediaType: OCI_MANIFEST, digest: D(c), size })

  test('golden: platforms sorted, arm → v7, arm64 → v8, an explicit variant kept', () => {
    const index = imageIndex(
      [
        { descriptor: m('d', 5), platform: { os: 'linux', architecture: 'arm64' } },
        { descriptor: m('c', 6), platform: { os: 'linux', architecture: 'amd64' } },
        { descriptor: m('e', 7), platform: { os: 'linux', architecture: 'arm' } },
        { descriptor: m('f', 8), platform: { os: 'linux', architecture: 'arm', variant: 'v6' } }
      ],
      { 'org.opencontainers.image.revision': 'abc' }
    )
    const entry = (c: string, size: number, platform: string): string =>
      `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"${D(c)}","size":${size},"platform":${platform}}`
    expect(canonicalJson(index).toString()).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[' +
        [
          entry('c', 6, '{"architecture":"amd64","os":"linux"}'),
          entry('f', 8, '{"architecture":"arm","os":"linux","variant":"v6"}'),
          entry('e', 7, '{"architecture":"arm","os":"linux","variant":"v7"}'),
          entry('d', 5, '{"architecture":"arm64","os":"linux","variant":"v8"}')
        ].join(',') +
        '],"annotations":{"org.opencontainers.image.revision":"abc"}}'
    )
  })

  test('a platform listed twice is an error', () => {
    expect(() =>
      imageIndex(
        [
          { descriptor: m('c', 1), platform: { os: 'linux', architecture: 'arm64' } },
          { descriptor: m('d', 1), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }
        ],
        {}
      )
    ).toThrow('linux/arm64/v8 is in the image index twice')
  })
})

describe('helpers', () => {
  test('descriptor is the sha256 and length of the bytes', () => {
    const bytes = canonicalJson({ b: 1, a: [2] })
    expect(bytes.toString()).toBe('{"b":1,"a":[2]}')
    expect(descriptor(OCI_CONFIG, bytes)).toEqual({
      mediaType: OCI_CONFIG,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: 15
    })
  })

  test('rfc3339 has no milliseconds and wants whole seconds', () => {
    expect(rfc3339(1_700_000_000)).toBe('2023-11-14T22:13:20Z')
    expect(() => rfc3339(1.5)).toThrow('whole seconds')
  })

  test('ociPlatform and the media type predicates', () => {
    expect(ociPlatform({ os: 'linux', architecture: 's390x' })).toEqual({
      architecture: 's390x',
      os: 'linux'
    })
    expect(isImageManifest('application/vnd.docker.distribution.manifest.v2+json')).toBe(true)
    expect(isImageIndex('application/vnd.docker.distribution.manifest.list.v2+json')).toBe(true)
    expect(isImageIndex(OCI_MANIFEST)).toBe(false)
  })
})
