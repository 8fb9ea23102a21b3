import { readFile } from 'node:fs/promises'
// tar-stream is the chosen tar writer, as for the build archives (ustar headers).
import tar from 'tar-stream'
import { sha256Hex } from '../util/hash.js'
import { gzipBytes } from '../util/gzip.js'
import { NONROOT_ID } from './oci.js'

/** Where the binary lands in the image; the config's Entrypoint points here. */
export const APP_PATH = 'app'

export interface Layer {
  /** The compressed layer, as pushed and as stored in an OCI layout. */
  tarGz: Buffer
  /** `sha256:…` of tarGz: the layer's descriptor digest. */
  digest: string
  /** `sha256:…` of the uncompressed tar: the config's rootfs.diff_ids entry. */
  diffId: string
  /** Bytes of tarGz. */
  size: number
}

/**
 * The image's one layer of our own: a tar holding the binary as `app`, mode 0755, owner
 * 65532:65532 with empty owner names, mtime = mtimeSeconds (SOURCE_DATE_EPOCH), gzipped with a
 * fixed header. The binary is held in memory: a Go binary is tens of megabytes at most.
 */
export async function buildAppLayer(binaryPath: string, mtimeSeconds: number): Promise<Layer> {
  if (!Number.isSafeInteger(mtimeSeconds) || mtimeSeconds < 0) {
    throw new Error(`layer mtime must be whole seconds since 1970, got ${mtimeSeconds}`)
  }
  const content = await readFile(binaryPath)
  const tarBytes = await tarOf(content, new Date(mtimeSeconds * 1000))
  const tarGz = gzipBytes(tarBytes)
  return {
    tarGz,
    digest: `sha256:${sha256Hex(tarGz)}`,
    diffId: `sha256:${sha256Hex(tarBytes)}`,
    size: tarGz.length
  }
}

async function tarOf(content: Buffer, mtime: Date): Promise<Buffer> {
  const pack = tar.pack()
  const header = {
    name: APP_PATH,
    type: 'file' as const,
    size: content.length,
    mode: 0o755,
    uid: NONROOT_ID,
    gid: NONROOT_ID,
    uname: '',
    gname: '',
    mtime
  }
  // Read while writing: the pack holds back once its buffer is full until someone consumes it.
  const chunks: Buffer[] = []
  const collected = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk)
  })()
  try {
    await new Promise<void>((resolve, reject) =>
      pack.entry(header, content, error => (error ? reject(error) : resolve()))
    )
    pack.finalize()
  } catch (error) {
    // Without an error argument: an 'error' event nobody listens to would crash the process.
    pack.destroy()
    await collected.catch(() => undefined)
    throw error
  }
  await collected
  return Buffer.concat(chunks)
}
