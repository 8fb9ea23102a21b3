import { rm } from 'node:fs/promises'
import type { AssembledImage } from './assemble.js'
import { type BlobSource, writeOciLayout } from './oci-layout.js'
import type { RegistryClient } from './registry/client.js'

/**
 * push: false: the image as an OCI layout, every blob in it (base layers fetched from the base's
 * registry), each tag a ref name: `skopeo copy oci:<dir>:<tag> docker://…` pushes it later.
 */
export async function writeImageLayout(
  dir: string,
  image: AssembledImage,
  tags: readonly string[],
  baseClient?: RegistryClient
): Promise<void> {
  const blobs = new Map<string, BlobSource>()
  for (const blob of image.blobs) {
    if (blob.data) blobs.set(blob.digest, blob.data)
    else if (baseClient) blobs.set(blob.digest, Buffer.from(await baseClient.getBlob(blob.digest)))
    else throw new Error(`no way to read base layer ${blob.digest} for the OCI layout`)
  }
  for (const platform of image.platforms) blobs.set(platform.descriptor.digest, platform.manifest)
  blobs.set(image.top.descriptor.digest, image.top.bytes)
  // A layout holds one build: the blobs of an earlier run would only grow it.
  await rm(dir, { recursive: true, force: true })
  await writeOciLayout(
    dir,
    blobs,
    tags.map(tag => ({ descriptor: image.top.descriptor, refName: tag }))
  )
}
