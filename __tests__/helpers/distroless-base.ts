// A distroless-like multi-platform base, like gcr.io/distroless/static:nonroot (which cannot be
// reached from here), made from this machine's Debian files and pushed to a test registry:
//
//   etc/passwd, etc/group    root 0, nobody 65534, nonroot 65532 (home /home/nonroot)
//   etc/nsswitch.conf        files for everything, then dns for hosts
//   etc/ssl/certs/ca-certificates.crt   this machine's bundle (Debian's ca-certificates)
//   usr/share/zoneinfo/      this machine's tzdata (see zoneinfoEntries for what is taken)
//   home/nonroot/            65532:65532, 0700
//   root/ 0700, tmp/ 01777, every other directory 0755 root
//
// One gzip layer (src/util/gzip.ts: the same bytes on every run), shared by linux/amd64,
// linux/arm64/v8 and linux/arm/v7 (the files are arch-independent); a config per platform with
// distroless's Env, User 65532 and WorkingDir /home/nonroot; an OCI index under the tag.
// Every mtime is 2026-01-01T00:00:00Z, so the digests change only when Debian's files do.
//
// Usage:
//   const base = await pushDistrolessBase(registry.host)
//   // FROM ${base.reference}   (127.0.0.1:PORT/distroless/static:nonroot)
import { lstat, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import tar from 'tar-stream'
import {
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  canonicalJson,
  descriptor,
  type Descriptor
} from '../../src/image/oci.js'
import { type Credentials, RegistryClient } from '../../src/image/registry/client.js'
import { gzipBytes } from '../../src/util/gzip.js'

/** 2026-01-01T00:00:00Z: every file's mtime and the configs' `created`. */
export const DISTROLESS_EPOCH = 1_767_225_600
const CREATED = '2026-01-01T00:00:00Z'

export const CA_CERTIFICATES = '/etc/ssl/certs/ca-certificates.crt'
export const ZONEINFO = '/usr/share/zoneinfo'

export const DISTROLESS_ENV = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
]

const PASSWD =
  'root:x:0:0:root:/root:/sbin/nologin\n' +
  'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' +
  'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n'
const GROUP = 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n'
const NSSWITCH =
  'passwd:         files\ngroup:          files\nshadow:         files\n' +
  'hosts:          files dns\nnetworks:       files\n' +
  'protocols:      files\nservices:       files\nethers:         files\nrpc:            files\n'

/** The platforms of the index, in its order, as `os/arch/variant`. */
export const DISTROLESS_PLATFORMS = ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']

export interface LayerEntry {
  /** Relative, directories with a trailing slash: `etc/`, `etc/passwd`. */
  name: string
  type: 'file' | 'directory'
  mode: number
  uid: number
  gid: number
  content?: Buffer
}

export interface DistrolessLayer {
  /** The uncompressed tar. */
  tar: Buffer
  /** The gzip of it: the blob. */
  gzip: Buffer
  /** The blob's descriptor (OCI gzip layer). */
  descriptor: Descriptor
  /** `sha256:…` of the tar: the config's rootfs.diff_ids entry. */
  diffId: string
  entries: LayerEntry[]
}

export interface DistrolessBase {
  /** `host/repository:tag` */
  reference: string
  /** The index's digest. */
  digest: string
  /** `linux/amd64`, `linux/arm64/v8`, `linux/arm/v7` */
  platforms: string[]
  /** The digest of each platform's manifest, by platform as in `platforms`. */
  manifests: Record<string, string>
  layer: Descriptor
  diffId: string
}

export interface PushDistrolessOptions {
  credentials?: Credentials
}

/** The files of the base, sorted by name (parents first), from this machine's Debian files. */
export async function distrolessEntries(): Promise<LayerEntry[]> {
  let certificates: Buffer
  try {
    certificates = await readFile(CA_CERTIFICATES)
  } catch {
    throw new Error(
      `${CA_CERTIFICATES} is missing: the distroless-like base copies it; ` +
        'install it with `sudo apt-get install ca-certificates`'
    )
  }
  const entries = new Map<string, LayerEntry>()
  const file = (name: string, content: Buffer | string, mode = 0o644): void => {
    entries.set(name, {
      name,
      type: 'file',
      mode,
      uid: 0,
      gid: 0,
      content: Buffer.from(content)
    })
  }
  const directory = (name: string, mode = 0o755, owner = 0): void => {
    entries.set(name, { name, type: 'directory', mode, uid: owner, gid: owner })
  }
  file('etc/passwd', PASSWD)
  file('etc/group', GROUP)
  file('etc/nsswitch.conf', NSSWITCH)
  file('etc/ssl/certs/ca-certificates.crt', certificates)
  for (const [name, content] of await zoneinfoEntries()) file(`usr/share/zoneinfo/${name}`, content)
  directory('home/nonroot/', 0o700, 65532)
  directory('root/', 0o700)
  directory('tmp/', 0o1777)
  // Every parent directory, 0755 root, unless listed above.
  for (const name of [...entries.keys()]) {
    const parts = name.replace(/\/$/, '').split('/')
    for (let i = 1; i < parts.length; i++) {
      const parent = `${parts.slice(0, i).join('/')}/`
      if (!entries.has(parent)) directory(parent)
    }
  }
  // Byte order puts every directory before what it holds (its name is a prefix of theirs).
  return [...entries.values()].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))
  )
}

/**
 * Debian's tzdata as regular files and directories (all of it but posix/: about 1.6 MB, under the
 * 5 MB budget). Every regular file is taken, right/ (the leap-second variants) included; a
 * relative symlink to a file inside the tree (aliases such as UTC → Etc/UTC, US/Eastern →
 * ../America/New_York) becomes a copy of that file, so time.LoadLocation finds every name
 * tzdata has. Not taken: posix/ (nothing but links back to the top-level zones: the same zones
 * twice), symlinks to directories, and absolute links (localtime → /etc/localtime is this
 * machine's setting, not tzdata's). Names relative to the zoneinfo directory, sorted.
 */
export async function zoneinfoEntries(root = ZONEINFO): Promise<Array<[string, Buffer]>> {
  try {
    await stat(path.join(root, 'Etc/UTC'))
  } catch {
    throw new Error(
      `${root}/Etc/UTC is missing: the distroless-like base copies the time zones; ` +
        'install them with `sudo apt-get install tzdata`'
    )
  }
  const realRoot = await realpath(root)
  const found: Array<[string, Buffer]> = []
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(path.join(root, relative))).sort()
    for (const name of names) {
      const rel = relative ? `${relative}/${name}` : name
      if (rel === 'posix') continue
      const full = path.join(root, rel)
      const info = await lstat(full)
      if (info.isDirectory()) {
        await walk(rel)
      } else if (info.isFile()) {
        found.push([rel, await readFile(full)])
      } else if (info.isSymbolicLink()) {
        // tzdata's own links are relative; an absolute one is this machine's (localtime).
        if (path.isAbsolute(await readlink(full))) continue
        let target: string
        try {
          target = await realpath(full)
        } catch {
          continue // dangling
        }
        if (!target.startsWith(`${realRoot}/`) || !(await stat(target)).isFile()) continue
        found.push([rel, await readFile(target)])
      }
    }
  }
  await walk('')
  return found
}

/** A tar of entries, every mtime DISTROLESS_EPOCH, no user or group names. */
export async function tarEntries(entries: readonly LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk)
  })()
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name: entry.name,
          type: entry.type,
          mode: entry.mode,
          uid: entry.uid,
          gid: entry.gid,
          mtime: new Date(DISTROLESS_EPOCH * 1000)
        },
        entry.content ?? '',
        error => (error ? reject(error) : resolve())
      )
    )
  }
  pack.finalize()
  await collected
  return Buffer.concat(chunks)
}

/** The base's one layer: the same bytes on every run on this machine. */
export async function distrolessLayer(): Promise<DistrolessLayer> {
  const entries = await distrolessEntries()
  const layerTar = await tarEntries(entries)
  const gzip = gzipBytes(layerTar)
  return {
    tar: layerTar,
    gzip,
    descriptor: descriptor(OCI_LAYER_GZIP, gzip),
    diffId: descriptor('', layerTar).digest,
    entries
  }
}

/** The platform's config, keys in the order distroless (and the OCI image spec) have them. */
export function distrolessConfig(platform: string, diffId: string): Buffer {
  const [os, architecture, variant] = platform.split('/') as [string, string, string?]
  return canonicalJson({
    created: CREATED,
    architecture,
    os,
    ...(variant ? { variant } : {}),
    config: {
      User: '65532',
      Env: DISTROLESS_ENV,
      WorkingDir: '/home/nonroot'
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [
      {
        created: CREATED,
        created_by: `distroless-like test base from this machine's Debian files (${platform})`
      }
    ]
  })
}

/**
 * Pushes the base to `registryHost/repository:tag` (plain http on loopback): the layer, a config
 * and manifest per platform (manifests by digest), then the OCI index under the tag.
 */
export async function pushDistrolessBase(
  registryHost: string,
  repository = 'distroless/static',
  tag = 'nonroot',
  opts: PushDistrolessOptions = {}
): Promise<DistrolessBase> {
  const client = new RegistryClient({
    registry: registryHost,
    repository,
    ...(opts.credentials ? { credentials: opts.credentials } : {})
  })
  const layer = await distrolessLayer()
  await client.pushBlob(layer.descriptor.digest, layer.gzip)
  const manifests: Record<string, string> = {}
  const entries = []
  for (const platform of DISTROLESS_PLATFORMS) {
    const config = distrolessConfig(platform, layer.diffId)
    const configDescriptor = descriptor(OCI_CONFIG, config)
    await client.pushBlob(configDescriptor.digest, config)
    const manifest = canonicalJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: configDescriptor,
      layers: [layer.descriptor]
    })
    const manifestDescriptor = descriptor(OCI_MANIFEST, manifest)
    await client.putManifest(manifestDescriptor.digest, OCI_MANIFEST, manifest)
    manifests[platform] = manifestDescriptor.digest
    const [os, architecture, variant] = platform.split('/') as [string, string, string?]
    entries.push({
      ...manifestDescriptor,
      platform: { architecture, os, ...(variant ? { variant } : {}) }
    })
  }
  const index = canonicalJson({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries })
  const digest = await client.putManifest(tag, OCI_INDEX, index)
  return {
    reference: `${registryHost}/${repository}:${tag}`,
    digest,
    platforms: [...DISTROLESS_PLATFORMS],
    manifests,
    layer: layer.descriptor,
    diffId: layer.diffId
  }
}
