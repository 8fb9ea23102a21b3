// An OCI image layout (image-spec "image-layout.md"): what `push: false` writes into output-dir
// instead of pushing, readable by skopeo, crane, podman and `docker buildx imagetools`.
import { copyFile, mkdir, rename, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { sha256File, sha256Hex } from '../util/hash.js'
import { canonicalJson } from './canonical-json.js'
import { OCI_INDEX, type Descriptor } from './oci.js'

/** The annotation by which `oci:<dir>:<ref>` clients find an image in index.json. */
export const REF_NAME = 'org.opencontainers.image.ref.name'

/** A blob's content: in memory, or a file on disk (a layer written by an earlier stage). */
export type BlobSource = Buffer | { path: string }

/** A top-level entry of index.json: an image manifest or index, under the name clients use. */
export interface LayoutRef {
  descriptor: Descriptor
  refName: string
}

const DIGEST = /^sha256:([0-9a-f]{64})$/

/**
 * Writes `oci-layout`, `blobs/sha256/<hex>` for every blob and `index.json` listing the refs.
 * Every blob's bytes are checked against its digest, and every ref must name a blob given here.
 * Blobs already in the directory are kept: their name is their content. index.json is written
 * last, so a layout that has one is complete.
 */
export async function writeOciLayout(
  dir: string,
  blobs: ReadonlyMap<string, BlobSource>,
  refs: readonly LayoutRef[]
): Promise<void> {
  for (const ref of refs) {
    if (!blobs.has(ref.descriptor.digest)) {
      throw new Error(
        `OCI layout ref ${ref.refName} names ${ref.descriptor.digest}, which is not among the blobs`
      )
    }
  }
  const blobDir = path.join(dir, 'blobs', 'sha256')
  await mkdir(blobDir, { recursive: true })
  await writeFile(path.join(dir, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }))
  // Sorted, so that a failure names the same blob each time.
  for (const digest of [...blobs.keys()].sort()) {
    await writeBlob(blobDir, digest, blobs.get(digest) as BlobSource)
  }
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: refs.map(ref => ({
      mediaType: ref.descriptor.mediaType,
      digest: ref.descriptor.digest,
      size: ref.descriptor.size,
      annotations: { [REF_NAME]: ref.refName }
    }))
  }
  await writeFile(path.join(dir, 'index.json'), canonicalJson(index))
}

async function writeBlob(blobDir: string, digest: string, source: BlobSource): Promise<void> {
  const hex = DIGEST.exec(digest)?.[1]
  if (hex === undefined) throw new Error(`not a sha256 digest: ${digest}`)
  const target = path.join(blobDir, hex)
  const actual = Buffer.isBuffer(source) ? sha256Hex(source) : await sha256File(source.path)
  if (actual !== hex) {
    const what = Buffer.isBuffer(source) ? 'blob' : source.path
    throw new Error(`${what} has digest sha256:${actual}, not ${digest}`)
  }
  if (await exists(target)) return
  // Through a temporary name, so an interrupted write never leaves a wrong blob under its digest.
  const temp = `${target}.partial-${process.pid}`
  if (Buffer.isBuffer(source)) await writeFile(temp, source)
  else await copyFile(source.path, temp)
  await rename(temp, target)
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}
