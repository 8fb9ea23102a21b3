/** What the build stage produces: the `artifacts` output lists these (JSON, fixed key order). */
export interface Artifact {
  name: string
  /** Absolute path on the runner. */
  path: string
  kind: 'binary' | 'archive' | 'checksums'
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
