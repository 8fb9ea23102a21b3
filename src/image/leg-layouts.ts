// The publish job's side of matrix legs' images: each leg wrote one OCI layout per platform; read
// back, they are assembled into the one index, with the very manifests the legs made (checked by
// digest), so what was built in the legs is what gets pushed.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../errors.js'
import { sha256Hex } from '../util/hash.js'
import { type AssembledImage, type PlatformParts, assemble } from './assemble.js'
import type { Descriptor, Platform } from './oci.js'

export interface LegLayout {
  target: string
  platform: Platform
  /** Folder in output-dir. */
  layout: string
  digest: string
}

async function blob(dir: string, digest: string): Promise<Buffer> {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1]
  if (!hex) throw new ActionError(`${dir}: ${digest} is not a sha256 digest`)
  const bytes = await readFile(path.join(dir, 'blobs', 'sha256', hex)).catch(() => {
    throw new ActionError(`${dir} lacks blob ${digest}: was the leg's output-dir uploaded whole?`)
  })
  if (sha256Hex(bytes) !== hex) throw new ActionError(`${dir}: blob ${digest} is damaged`)
  return bytes
}

export async function loadLegImages(
  outputDir: string,
  legs: readonly LegLayout[]
): Promise<AssembledImage> {
  const parts: PlatformParts[] = []
  let annotations: Record<string, string> = {}
  for (const leg of legs) {
    const dir = path.join(outputDir, leg.layout)
    const manifest = JSON.parse((await blob(dir, leg.digest)).toString('utf8')) as {
      config: Descriptor
      layers: Descriptor[]
      annotations?: Record<string, string>
    }
    annotations = manifest.annotations ?? {}
    parts.push({
      platform: leg.platform,
      config: await blob(dir, manifest.config.digest),
      layers: await Promise.all(
        manifest.layers.map(async l => ({
          digest: l.digest,
          size: l.size,
          data: await blob(dir, l.digest)
        }))
      ),
      layerTypes: manifest.layers.map(l => l.mediaType)
    })
  }
  const image = assemble(parts, annotations)
  for (const [i, p] of image.platforms.entries()) {
    const leg = legs[i] as LegLayout
    if (p.descriptor.digest !== leg.digest) {
      throw new ActionError(
        `${leg.layout}: its manifest does not rebuild to ${leg.digest}; the legs' images differ in their annotations`
      )
    }
  }
  return image
}
