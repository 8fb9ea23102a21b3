/**
 * A GoReleaser file as the action reads it: GoReleaser v2's shape (v1 spellings mapped), with
 * GoReleaser v2.15.1's defaults applied. Each default names the GoReleaser source it comes from.
 */
import { ActionError } from '../errors.js'
import type { GoReleaserTarget } from './targets.js'

export type { GoReleaserTarget } from './targets.js'

/** A Go template from the file, its syntax checked; `where` is "<file>:<line> <key path>". */
export interface Templated {
  readonly text: string
  readonly where: string
}

/** A GoReleaser "string or boolean, templates allowed" field: `true`/`false` read as booleans. */
export type TemplatedBool = boolean | Templated

export interface GoReleaserConfig {
  /** 2 for `version: 2`; 1 for `version: 1` or no version (v1 spellings accepted). */
  readonly version: 1 | 2
  /** project_name, else release.github.name (internal/pipe/project); undefined: the caller's. */
  readonly projectName?: string
  readonly env: readonly Templated[]
  readonly beforeHooks: readonly Templated[]
  readonly builds: readonly Build[]
  readonly archives: readonly Archive[]
  readonly checksum: Checksum
  readonly nfpms: readonly Nfpm[]
  readonly release: Release
  readonly snapshot: Snapshot
  readonly dist?: string
}

export interface Build {
  /** Default: the project name (internal/pipe/build/build.go); undefined when that is unknown. */
  readonly id?: string
  /** Not built when true (or the template renders "true"). */
  readonly skip: TemplatedBool
  /** Default "." (internal/builders/golang/build.go WithDefaults). */
  readonly dir: string
  /** Default "." (build.go: cmp.Or(build.Main, ".")). */
  readonly main: string
  /** Default the project name, written as `{{ .ProjectName }}` (internal/pipe/build/build.go). */
  readonly binary: Templated
  /** Expanded as GoReleaser's Go builder does (targets.ts), in its order. */
  readonly targets: readonly GoReleaserTarget[]
  readonly flags: readonly Templated[]
  /** Default GoReleaser's `-s -w -X main.version={{.Version}} …` (WithDefaults). */
  readonly ldflags: readonly Templated[]
  readonly tags: readonly Templated[]
  readonly asmflags: readonly Templated[]
  readonly gcflags: readonly Templated[]
  readonly env: readonly Templated[]
  /** "" (an executable) or "pie". */
  readonly buildmode: '' | 'pie'
  readonly modTimestamp?: Templated
}

/** Formats go-package-action writes. */
export type ArchiveFormat = 'tar.gz' | 'tgz' | 'tar' | 'zip' | 'binary'

export interface FileInfo {
  readonly owner?: Templated
  readonly group?: Templated
  /** yaml.v3's reading of the number: `0644` and `0o644` are 420. */
  readonly mode?: number
  readonly mtime?: Templated
}

export interface ArchiveFile {
  /** A glob (templated, as internal/archivefiles does). */
  readonly src: Templated
  readonly dst?: string
  readonly stripParent: boolean
  readonly info?: FileInfo
  /** One of GoReleaser's default globs: matching nothing is not worth a warning. */
  readonly defaulted?: true
}

export interface Archive {
  /** Default "default" (internal/pipe/archive/archive.go). */
  readonly id: string
  /** v2 `ids`, with the deprecated `builds` appended as GoReleaser does. Empty: every build. */
  readonly ids: readonly string[]
  /** Default GoReleaser's (archive.go defaultNameTemplate, or defaultBinaryNameTemplate). */
  readonly nameTemplate: Templated
  /** Default ["tar.gz"]; the deprecated `format` appended. */
  readonly formats: readonly ArchiveFormat[]
  readonly formatOverrides: readonly {
    readonly goos: string
    readonly formats: readonly (ArchiveFormat | 'none')[]
  }[]
  /** Default: license*, LICENSE*, readme*, README*, changelog*, CHANGELOG* (archive.go). */
  readonly files: readonly ArchiveFile[]
  /** The binaries' file info; mode 0o755 always set (archive.go: BuildsInfo.Mode = 0o755). */
  readonly buildsInfo: FileInfo
  readonly wrapInDirectory: TemplatedBool
  readonly stripBinaryDirectory: boolean
  readonly allowDifferentBinaryCount: boolean
  readonly meta: boolean
}

export interface Checksum {
  /** Default "{{ .ProjectName }}_{{ .Version }}_checksums.txt" (internal/pipe/checksums). */
  readonly nameTemplate: Templated
  /** Default sha256 (internal/pipe/checksums). */
  readonly algorithm: 'sha256' | 'sha512'
  readonly disable: boolean
  /** Empty: every artifact. */
  readonly ids: readonly string[]
}

export interface NfpmContent {
  readonly src: Templated
  readonly dst: Templated
  readonly type?: string
  readonly packager?: string
  readonly fileInfo?: FileInfo
  readonly expand: boolean
}

export interface NfpmScripts {
  readonly preinstall?: Templated
  readonly postinstall?: Templated
  readonly preremove?: Templated
  readonly postremove?: Templated
}

/** A packager section (deb, rpm, apk, archlinux, ipk) as written, keys as GoReleaser's. */
export type NfpmPackagerSection = Readonly<Record<string, unknown>>

/** The part of an nfpm that `overrides` can change per packager. */
export interface NfpmOverridable {
  readonly fileNameTemplate?: Templated
  readonly packageName?: Templated
  readonly epoch?: string
  readonly release?: string
  readonly prerelease?: string
  readonly versionMetadata?: string
  readonly dependencies?: readonly string[]
  readonly recommends?: readonly string[]
  readonly suggests?: readonly string[]
  readonly conflicts?: readonly string[]
  readonly replaces?: readonly string[]
  readonly provides?: readonly string[]
  readonly umask?: number
  readonly contents?: readonly NfpmContent[]
  readonly scripts?: NfpmScripts
}

export interface Nfpm {
  /** Default "default" (internal/pipe/nfpm/nfpm.go). */
  readonly id: string
  readonly ids: readonly string[]
  /** Empty: GoReleaser skips this nfpm ("no output formats configured"). */
  readonly formats: readonly string[]
  /** Default the project name, written as `{{ .ProjectName }}` (nfpm.go). */
  readonly packageName: Templated
  /** Default nfpm.go's defaultNameTemplate (`{{ .PackageName }}_{{ .Version }}_{{ .Os }}_…`). */
  readonly fileNameTemplate: Templated
  readonly vendor?: string
  readonly homepage?: Templated
  readonly maintainer?: Templated
  readonly description?: Templated
  readonly license?: string
  /** Default "/usr/bin" (nfpm.go). */
  readonly bindir: Templated
  readonly section?: string
  readonly priority?: string
  readonly meta: boolean
  readonly epoch?: string
  readonly release?: string
  readonly prerelease?: string
  readonly versionMetadata?: string
  readonly umask?: number
  readonly mtime?: Templated
  readonly goamd64: readonly string[]
  readonly dependencies: readonly string[]
  readonly recommends: readonly string[]
  readonly suggests: readonly string[]
  readonly conflicts: readonly string[]
  readonly replaces: readonly string[]
  readonly provides: readonly string[]
  readonly contents: readonly NfpmContent[]
  readonly scripts: NfpmScripts
  readonly deb?: NfpmPackagerSection
  readonly rpm?: NfpmPackagerSection
  readonly apk?: NfpmPackagerSection
  readonly archlinux?: NfpmPackagerSection
  readonly ipk?: NfpmPackagerSection
  /** Per packager (deb, rpm, apk, …). */
  readonly overrides: Readonly<Record<string, NfpmOverridable>>
}

export type ReleaseNotesMode = 'keep-existing' | 'append' | 'prepend' | 'replace'

export interface Release {
  readonly disable: TemplatedBool
  readonly skipUpload: TemplatedBool
  readonly draft: boolean
  readonly replaceExistingDraft: boolean
  readonly useExistingDraft: boolean
  readonly replaceExistingArtifacts: boolean
  /** "auto": from the version's prerelease part (internal/pipe/release); default false. */
  readonly prerelease: 'auto' | boolean
  /** undefined when not set (GitHub's default). */
  readonly makeLatest?: 'auto' | boolean | Templated
  /** Default "{{.Tag}}" (internal/pipe/release/release.go). */
  readonly nameTemplate: Templated
  /** Default keep-existing (pkg/config: jsonschema default). */
  readonly mode: ReleaseNotesMode
  readonly header?: Templated
  readonly footer?: Templated
  readonly extraFiles: readonly { readonly glob: Templated; readonly nameTemplate?: Templated }[]
  readonly ids: readonly string[]
  /** Only informative: the action releases to the workflow's repository. */
  readonly github?: { readonly owner: string; readonly name: string }
}

export interface Snapshot {
  /** Default "{{ .Version }}-SNAPSHOT-{{ .ShortCommit }}" (internal/pipe/snapshot). */
  readonly versionTemplate: Templated
}

/** One problem: the message is `${file}:${line}: ${keyPath}: ${problem}`. */
export interface GoReleaserProblem {
  readonly line: number
  readonly keyPath: string
  readonly problem: string
}

/**
 * The file cannot be read as it is. The message is the first problem as
 * `${file}:${line}: ${keyPath}: ${problem}`, then every other one on its own line.
 */
export class GoReleaserConfigError extends ActionError {
  readonly line: number
  readonly keyPath: string
  readonly problem: string
  constructor(
    readonly file: string,
    readonly problems: readonly GoReleaserProblem[]
  ) {
    super(problems.map(p => formatProblem(file, p)).join('\n'))
    const first = problems[0] ?? { line: 0, keyPath: '', problem: 'unreadable' }
    this.line = first.line
    this.keyPath = first.keyPath
    this.problem = first.problem
  }
}

export function formatProblem(file: string, p: GoReleaserProblem): string {
  const where = p.line > 0 ? `${file}:${p.line}` : file
  return p.keyPath ? `${where}: ${p.keyPath}: ${p.problem}` : `${where}: ${p.problem}`
}
