import { statSync } from 'node:fs'
import path from 'node:path'
import { sha256File } from '../util/hash.js'
import type { Target } from './target.js'

/** What the build stage produces: the `artifacts` output lists these (JSON, fixed key order). */
export interface Artifact {
  name: string
  /** Absolute path on the runner. */
  path: string
  kind: 'binary' | 'archive' | 'package' | 'checksums'
  os?: string
  arch?: string
  variant?: string
  size: number
  sha256: string
}

/** A file to put in an archive, under `name`, with a fixed mode. */
export interface ArchiveEntry {
  name: string
  /** Absolute path of the file's content. */
  source: string
  /** 0o755 for binaries, 0o644 for documents. */
  mode: number
}

/** A file the build wrote, with its size and sha256. */
export async function artifact(
  file: string,
  kind: Artifact['kind'],
  target?: Target
): Promise<Artifact> {
  return {
    name: path.basename(file),
    path: file,
    kind,
    os: target?.os,
    arch: target?.arch,
    variant: target?.variant,
    size: statSync(file).size,
    sha256: await sha256File(file)
  }
}
