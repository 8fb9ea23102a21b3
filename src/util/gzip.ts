// fflate is the chosen deflate library: pure JavaScript at a pinned version, so the compressed
// bytes (and so archive checksums and image layer digests) do not change with the Node release
// the way node:zlib's have.
import { Gzip } from 'fflate'

/**
 * Level 6, not 9: on a 15 MB Go binary fflate's level 9 is 0.14% smaller and takes about
 * twice as long; machine code gives the longer match search little to find.
 */
const GZIP_LEVEL = 6
/** RFC 1952 OS byte "unknown": the header then says nothing about the machine that wrote it. */
const GZIP_OS_UNKNOWN = 255
/**
 * fflate's streaming deflate ends its blocks where the pushed chunks fall, so callers push blocks
 * of this fixed size: the output then depends on the input bytes alone, not on how they arrived.
 */
export const GZIP_BLOCK = 64 * 1024

/** A gzip compressor with a fixed header: mtime 0, no file name, OS 255. */
export function deterministicGzip(onChunk: (chunk: Uint8Array) => void): Gzip {
  let first = true
  // fflate writes the 10-byte header at the start of its first chunk, with OS = 3 (Unix).
  return new Gzip({ level: GZIP_LEVEL, mtime: 0 }, chunk => {
    if (first) chunk[9] = GZIP_OS_UNKNOWN
    first = false
    onChunk(chunk)
  })
}

/** Gzips bytes in memory, deterministically: same input, same output, on any Node. */
export function gzipBytes(data: Uint8Array): Buffer {
  const output: Uint8Array[] = []
  const compressor = deterministicGzip(chunk => output.push(chunk))
  let offset = 0
  for (; offset + GZIP_BLOCK < data.length; offset += GZIP_BLOCK) {
    compressor.push(data.subarray(offset, offset + GZIP_BLOCK), false)
  }
  compressor.push(data.subarray(offset), true)
  return Buffer.concat(output)
}
