// What ships, from a GoReleaser file (read by src/goreleaser with GoReleaser's defaults applied):
// its builds, archives, checksums, nfpms and release, in the action's terms.
import { ActionError } from '../errors.js'
import {
  type Archive,
  type Build,
  type GoReleaserTarget,
  type Nfpm,
  type NfpmOverridable,
  readGoReleaserConfig,
  type TemplatedBool
} from '../goreleaser/index.js'
import type {
  ArchiveFormat,
  PackageFormat,
  ShipArchive,
  ShipBuild,
  ShipPackage,
  ShipPackageContent,
  ShipPackageFields,
  ShipSpec,
  Templated
} from './spec.js'

/** A GoReleaser target as the targets input writes it: linux/arm/v7 (variant always explicit). */
export function targetSpec(t: GoReleaserTarget): string {
  const variant =
    t.goarm ?? t.goamd64 ?? t.goarm64 ?? t.go386 ?? t.gomips ?? t.goppc64 ?? t.goriscv64
  if (variant === undefined) return `${t.goos}/${t.goarch}`
  return `${t.goos}/${t.goarch}/${t.goarch === 'arm' ? `v${variant}` : variant}`
}

/** A key GoReleaser reads as "true or a template" that the action needs to know now. */
function fixedBool(value: TemplatedBool, what: string): boolean {
  if (typeof value === 'boolean') return value
  const text = value.text.trim()
  if (text === 'true' || text === 'false') return text === 'true'
  throw new ActionError(
    `${value.where}: ${what} as a template is not supported by go-package-action; write true or false`
  )
}

function shipBuild(b: Build, project: string): ShipBuild | undefined {
  const where = b.binary.where.replace(/\.binary$/, '')
  if (fixedBool(b.skip, 'skip')) return undefined
  const prefixed = (flag: string, list: readonly Templated[]): Templated[] =>
    list.map(t => ({ text: `${flag}=${t.text}`, where: t.where }))
  return {
    id: b.id ?? project,
    main: b.main,
    dir: b.dir === '.' ? '' : b.dir,
    binary: b.binary,
    targets: b.targets.map(targetSpec),
    flags: [
      ...b.flags,
      ...(b.buildmode ? [{ text: `-buildmode=${b.buildmode}`, where }] : []),
      ...prefixed('-gcflags', b.gcflags),
      ...prefixed('-asmflags', b.asmflags)
    ],
    ldflags: [...b.ldflags],
    env: [...b.env],
    tags: [...b.tags],
    modTimestamp: b.modTimestamp
  }
}

function shipArchive(a: Archive, index: number, file: string): ShipArchive {
  const formats = (list: readonly string[]): ArchiveFormat[] =>
    list.filter((f): f is ArchiveFormat => f !== 'none')
  return {
    id: a.id,
    where: `${file} archives[${index}]`,
    ids: a.ids.length > 0 ? [...a.ids] : undefined,
    nameTemplate: a.nameTemplate,
    formats: formats(a.formats),
    formatOverrides: a.formatOverrides.map(o => ({ goos: o.goos, formats: formats(o.formats) })),
    files: a.files.map(f => ({
      src: f.src,
      dst: f.dst,
      stripParent: f.stripParent,
      defaulted: f.defaulted,
      info: f.info?.mode !== undefined ? { mode: f.info.mode } : undefined
    })),
    wrapInDirectory: a.wrapInDirectory,
    stripBinaryDirectory: a.stripBinaryDirectory
  }
}

const PACKAGE_FORMATS: readonly PackageFormat[] = ['deb', 'rpm', 'apk']

function contents(list: NfpmOverridable['contents']): ShipPackageContent[] | undefined {
  return list?.map(c => ({
    src: c.src,
    dst: c.dst,
    type: c.type as ShipPackageContent['type'],
    mode: c.fileInfo?.mode,
    owner: c.fileInfo?.owner?.text,
    group: c.fileInfo?.group?.text
  }))
}

function overridable(o: NfpmOverridable): Partial<ShipPackageFields> {
  const fields: Partial<ShipPackageFields> = {
    packageName: o.packageName,
    fileNameTemplate: o.fileNameTemplate,
    epoch: o.epoch,
    release: o.release,
    prerelease: o.prerelease,
    versionMetadata: o.versionMetadata,
    dependencies: o.dependencies && [...o.dependencies],
    recommends: o.recommends && [...o.recommends],
    suggests: o.suggests && [...o.suggests],
    conflicts: o.conflicts && [...o.conflicts],
    replaces: o.replaces && [...o.replaces],
    provides: o.provides && [...o.provides],
    contents: contents(o.contents),
    scripts: o.scripts && { ...o.scripts }
  }
  // Only what the override sets replaces the entry's.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
}

function shipPackage(n: Nfpm, index: number, file: string): ShipPackage {
  const where = `${file} nfpms[${index}]`
  const formats: PackageFormat[] = []
  for (const f of n.formats) {
    if (!(PACKAGE_FORMATS as readonly string[]).includes(f))
      throw new ActionError(
        `${where}.formats: ${f} packages are not made by go-package-action (deb, rpm and apk are)`
      )
    formats.push(f as PackageFormat)
  }
  const overrides: ShipPackage['overrides'] = {}
  for (const [format, o] of Object.entries(n.overrides))
    if ((PACKAGE_FORMATS as readonly string[]).includes(format))
      overrides[format as PackageFormat] = overridable(o)
  return {
    id: n.id,
    where,
    ids: n.ids.length > 0 ? [...n.ids] : undefined,
    formats,
    packageName: n.packageName,
    fileNameTemplate: n.fileNameTemplate,
    maintainer: n.maintainer,
    description: n.description,
    homepage: n.homepage,
    vendor: n.vendor,
    license: n.license,
    section: n.section,
    priority: n.priority,
    bindir: n.bindir,
    epoch: n.epoch,
    release: n.release,
    prerelease: n.prerelease,
    versionMetadata: n.versionMetadata,
    dependencies: [...n.dependencies],
    recommends: [...n.recommends],
    suggests: [...n.suggests],
    conflicts: [...n.conflicts],
    replaces: [...n.replaces],
    provides: [...n.provides],
    contents: contents(n.contents) ?? [],
    scripts: { ...n.scripts },
    overrides
  }
}

/** Keys read but not acted on (they change no file that ships): a warning each, when written. */
function notActedOn(config: ReturnType<typeof readGoReleaserConfig>['config']): string[] {
  const written = (t: Templated | undefined): t is Templated =>
    t !== undefined && !t.where.includes("(GoReleaser's default)")
  const warnings: string[] = []
  const snapshot = config.snapshot.versionTemplate
  if (written(snapshot))
    warnings.push(
      `${snapshot.where}: not used by go-package-action: a run without a tag builds a Go pseudo-version (0.0.0-<time>-<commit>)`
    )
  if (config.release.mode !== 'keep-existing')
    warnings.push(
      `release.mode ${config.release.mode}: not used by go-package-action: a release it creates gets its notes; one that exists keeps its body and gets the artifacts table`
    )
  return warnings
}

/** Reads the file's text (named `file` in messages) into what ships; its errors name key and line. */
export function shipFromGoReleaser(text: string, file: string, fallbackProject: string): ShipSpec {
  const { config, warnings } = readGoReleaserConfig(text, file)
  const project = config.projectName ?? fallbackProject
  const builds = config.builds
    .map(b => shipBuild(b, project))
    .filter((b): b is ShipBuild => b !== undefined)
  const r = config.release
  const disable = fixedBool(r.disable, 'release.disable')
  return {
    source: file,
    projectName: project,
    env: [...config.env],
    beforeHooks: [...config.beforeHooks],
    builds,
    archives: config.archives.map((a, i) => shipArchive(a, i, file)),
    checksum: {
      nameTemplate: config.checksum.nameTemplate,
      algorithm: config.checksum.algorithm,
      disable: config.checksum.disable
    },
    packages: config.nfpms.filter(n => n.formats.length > 0).map((n, i) => shipPackage(n, i, file)),
    release: {
      nameTemplate: r.nameTemplate,
      header: r.header,
      footer: r.footer,
      draft: r.draft,
      prerelease: r.prerelease,
      makeLatest: typeof r.makeLatest === 'object' ? undefined : r.makeLatest,
      mode: r.mode,
      extraFiles: r.extraFiles.map(e => ({ glob: e.glob, nameTemplate: e.nameTemplate })),
      disable
    },
    snapshotVersionTemplate: config.snapshot.versionTemplate,
    warnings: [...warnings, ...notActedOn(config)]
  }
}
