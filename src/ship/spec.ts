// What a run ships, described once: from the inputs (targets, main, binary-name, ldflags, …) or
// from the project's GoReleaser file. The Plan renders every name in it before anything is built.

/** A template and where it was written, so a render error names the input or the file's key. */
export interface Templated {
  text: string
  /** `ldflags` (an input) or `.goreleaser.yml:12 archives[0].name_template`. */
  where: string
}

export interface ShipBuild {
  id: string
  /** The main package, as go build takes it (., ./cmd/tool, an import path), relative to dir. */
  main: string
  /** The folder go build runs in, relative to working-directory ('' = the module). */
  dir: string
  binary: Templated
  /** As the targets input writes them: linux/amd64, linux/arm/v7. */
  targets: string[]
  flags: Templated[]
  ldflags: Templated[]
  /** KEY=value, each a template. */
  env: Templated[]
  tags: Templated[]
  /** A template giving the binaries' file time (Unix seconds); unset: the commit time. */
  modTimestamp?: Templated
}

export type ArchiveFormat = 'tar.gz' | 'tgz' | 'tar' | 'zip' | 'binary'

export interface ArchiveFile {
  /** A glob relative to working-directory (** matches folders); rendered by the plan. */
  src: string | Templated
  /** Folder in the archive; unset: the path as found. */
  dst?: string
  stripParent?: boolean
  info?: { mode?: number }
  /** One of GoReleaser's default globs: matching nothing is expected. */
  defaulted?: boolean
}

export interface ShipArchive {
  id: string
  /** For messages: `archives` (the inputs) or `.goreleaser.yml:30 archives[0]`. */
  where: string
  /** The builds it takes binaries from; undefined: all. */
  ids?: string[]
  /** Undefined: the action's own names (<project>_<version>_<os>_<arch><variant>). */
  nameTemplate?: Templated
  formats: ArchiveFormat[]
  formatOverrides: Array<{ goos: string; formats: ArchiveFormat[] }>
  /** 'documents': README*, LICENSE*, CHANGELOG* beside the module, else at the repository root. */
  files: ArchiveFile[] | 'documents'
  /** true: a folder named as the archive; a template: that folder. */
  wrapInDirectory?: Templated | boolean
  stripBinaryDirectory?: boolean
}

export interface ShipChecksum {
  /** Undefined: <project>_<version>_checksums.txt. */
  nameTemplate?: Templated
  algorithm: 'sha256' | 'sha512'
  disable: boolean
}

export type PackageFormat = 'deb' | 'rpm' | 'apk'

export interface ShipPackageContent {
  /** A file or glob relative to working-directory; a symlink's target. */
  src?: Templated
  dst: Templated
  type?: 'config' | 'config|noreplace' | 'doc' | 'symlink' | 'dir' | 'ghost'
  mode?: number
  owner?: string
  group?: string
}

/** What an nfpms entry may set per packager (its overrides). */
export interface ShipPackageFields {
  packageName: Templated
  /** Undefined: the packager's conventional name. */
  fileNameTemplate?: Templated
  epoch?: string
  release?: string
  prerelease?: string
  versionMetadata?: string
  dependencies: string[]
  recommends: string[]
  suggests: string[]
  conflicts: string[]
  replaces: string[]
  provides: string[]
  contents: ShipPackageContent[]
  scripts: {
    preinstall?: Templated
    postinstall?: Templated
    preremove?: Templated
    postremove?: Templated
  }
}

/** One nfpms entry (or the packages input): Linux packages of the linux binaries. */
export interface ShipPackage extends ShipPackageFields {
  id: string
  where: string
  /** The builds whose binaries it installs; undefined: all. */
  ids?: string[]
  formats: PackageFormat[]
  maintainer?: Templated
  description?: Templated
  homepage?: Templated
  vendor?: string
  license?: string
  section?: string
  priority?: string
  bindir: Templated
  overrides: Partial<Record<PackageFormat, Partial<ShipPackageFields>>>
}

export interface ShipRelease {
  nameTemplate?: Templated
  header?: Templated
  footer?: Templated
  draft?: boolean
  prerelease?: 'auto' | boolean
  makeLatest?: 'auto' | boolean
  mode?: 'keep-existing' | 'append' | 'prepend' | 'replace'
  /** More files for the release (GoReleaser's release.extra_files): globs, each optionally renamed. */
  extraFiles: Array<{ glob: Templated; nameTemplate?: Templated }>
  disable?: boolean
}

export interface ShipSpec {
  /** 'inputs', or the GoReleaser file as named in messages. */
  source: string
  /** Undefined until known: binary-name, the file's project_name, else the module's name. */
  projectName?: string
  /** Top-level env of the file (KEY=value templates), seen by every template and build. */
  env: Templated[]
  beforeHooks: Templated[]
  /** Undefined: from the inputs, one build per main package (resolved with Go). */
  builds?: ShipBuild[]
  archives: ShipArchive[]
  checksum: ShipChecksum
  packages: ShipPackage[]
  release: ShipRelease
  snapshotVersionTemplate?: Templated
  /** mode: build with a GoReleaser file: the targets input picks this leg's share of the file's. */
  legTargets?: string[]
  /** Things the file asks for that the action does not do and that ship nothing different. */
  warnings: string[]
}
