// Linux packages (.deb, .rpm, .apk) written by nfpm from a typed description, reproducibly.
//
// What makes two runs byte-identical, whatever the folder, the clock, the host or the checkout:
// - every date is the commit time: nfpm's `mtime` (files, directories, the deb's ar members, the
//   rpm's build time) and SOURCE_DATE_EPOCH for nfpm's own fallbacks; the package file is dated
//   with it too;
// - the rpm's build host is fixed ("reproducible", as Fedora's reproducible builds name it), not
//   os.Hostname();
// - apk scripts are dated with their file's mtime by nfpm, so they are copied into tempDir and
//   dated with the commit time first (deb and rpm scripts carry no date of their own);
// - modes: binaries 0755; other files their source's mode under umask 022 (so a checkout under
//   umask 002 gives 0644/0755 like one under 022); symlinks 0777, because nfpm otherwise takes
//   the mode (and, for a directory, the type) of whatever the link target names on the build host;
// - owner and group root unless the spec says otherwise; nfpm sorts the entries by destination;
// - no signing (apk, deb and rpm signatures are absent), no changelog.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../errors.js'
import { execCapture } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'

export type PackageFormat = 'deb' | 'rpm' | 'apk'

export const PACKAGE_FORMATS: readonly PackageFormat[] = ['deb', 'rpm', 'apk']

export type ContentType = 'config' | 'config|noreplace' | 'doc' | 'symlink' | 'dir' | 'ghost'

export interface PackageContent {
  /** A file (or glob, as nfpm expands them) relative to cwd; for a symlink, its target. */
  src?: string
  dst: string
  type?: ContentType
  mode?: number
  owner?: string
  group?: string
}

/** One package, everything already rendered (no templates here). */
export interface PackageSpec {
  format: PackageFormat
  name: string
  /** SemVer without v, e.g. 1.2.3 or 1.2.3-rc.1: nfpm splits off the prerelease and metadata. */
  version: string
  release?: string
  epoch?: string
  prerelease?: string
  versionMetadata?: string
  /** As Go names them: amd64, arm64, arm with goarm 7, … nfpm maps them per format. */
  goarch: string
  goarm?: string
  /** Recorded for the caller; like GoReleaser, not part of the package's architecture. */
  goamd64?: string
  maintainer: string
  description: string
  vendor?: string
  homepage?: string
  license?: string
  section?: string
  priority?: string
  /** Default /usr/bin. */
  bindir: string
  /** Installed as <bindir>/<name>, mode 0755. */
  binaries: { source: string; name: string }[]
  contents: PackageContent[]
  dependencies?: string[]
  recommends?: string[]
  suggests?: string[]
  conflicts?: string[]
  replaces?: string[]
  provides?: string[]
  /** File paths, relative to cwd. */
  scripts?: { preinstall?: string; postinstall?: string; preremove?: string; postremove?: string }
  /** Unix seconds (the commit time): every file and the package itself are dated with it. */
  mtime: number
}

/** The rpm build host every package records, instead of the machine's name. */
export const RPM_BUILD_HOST = 'reproducible'

/** Umask for files whose mode comes from their source: group and others never write. */
const UMASK = 0o022

/**
 * The architecture string nfpm is given, as GoReleaser builds it: GOARCH, then GOARM (arm7), never
 * GOAMD64 (amd64v3 is no architecture any of the three formats knows).
 */
export function nfpmArch(spec: Pick<PackageSpec, 'goarch' | 'goarm'>): string {
  const goarm = spec.goarm?.split(',')[0] ?? ''
  return spec.goarch === 'arm' ? `arm${goarm}` : spec.goarch
}

// nfpm v2.45.2's tables (deb/deb.go archToDebian, rpm/rpm.go archToRPM, apk/apk.go archToAlpine);
// a name not in a table is passed on as it is.
const ARCH: Record<PackageFormat, Record<string, string>> = {
  deb: {
    '386': 'i386',
    arm64: 'arm64',
    arm5: 'armel',
    arm6: 'armhf',
    arm7: 'armhf',
    mips64le: 'mips64el',
    mipsle: 'mipsel',
    ppc64le: 'ppc64el',
    s390: 's390x',
    x86_64: 'amd64',
    aarch64: 'arm64'
  },
  rpm: {
    all: 'noarch',
    amd64: 'x86_64',
    '386': 'i386',
    arm64: 'aarch64',
    arm5: 'armv5tel',
    arm6: 'armv6hl',
    arm7: 'armv7hl',
    mips64le: 'mips64el',
    mipsle: 'mipsel',
    mips: 'mips',
    loong64: 'loongarch64'
  },
  apk: {
    all: 'noarch',
    '386': 'x86',
    amd64: 'x86_64',
    arm64: 'aarch64',
    arm6: 'armhf',
    arm7: 'armv7',
    ppc64le: 'ppc64le',
    s390: 's390x',
    loong64: 'loongarch64',
    aarch64: 'aarch64',
    x86_64: 'x86_64',
    i386: 'x86',
    i686: 'x86'
  }
}

/** The architecture the package declares: amd64 → x86_64 for rpm, arm7 → armhf for deb, … */
export function packageArch(
  spec: Pick<PackageSpec, 'format' | 'goarch' | 'goarm' | 'goamd64'>
): string {
  const arch = nfpmArch(spec)
  return ARCH[spec.format][arch] ?? arch
}

// Masterminds/semver's loose form, which nfpm parses the version with.
const SEMVER =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/

/** The version as nfpm splits it (version_schema semver): 1.2.3-rc.1 → 1.2.3 and prerelease rc.1. */
export function splitVersion(
  spec: Pick<PackageSpec, 'version' | 'prerelease' | 'versionMetadata'>
): {
  version: string
  prerelease: string
  metadata: string
} {
  const m = SEMVER.exec(spec.version)
  if (!m)
    return {
      version: spec.version,
      prerelease: spec.prerelease ?? '',
      metadata: spec.versionMetadata ?? ''
    }
  const part = (s: string | undefined): number => Number((s ?? '.0').slice(1))
  return {
    version: `${Number(m[1])}.${part(m[2])}.${part(m[3])}`,
    prerelease: spec.prerelease || (m[5] ?? ''),
    metadata: spec.versionMetadata || (m[8] ?? '')
  }
}

/** nfpm's ConventionalFileName for the spec's format, ported from v2.45.2. */
export function conventionalFileName(spec: PackageSpec): string {
  const arch = packageArch(spec)
  const { version, prerelease, metadata } = splitVersion(spec)
  const release = spec.release ?? ''
  switch (spec.format) {
    case 'deb': {
      // https://manpages.debian.org/dpkg-name: package_version_architecture.deb
      let v = version
      if (prerelease) v += `~${prerelease}`
      if (metadata) v += `+${metadata}`
      if (release) v += `-${release}`
      return `${spec.name}_${v}_${arch}.deb`
    }
    case 'rpm': {
      // name-version-release.architecture.rpm
      let v = version
      if (prerelease) v += `~${prerelease.replaceAll('-', '_')}`
      if (metadata) v += `+${metadata}`
      return `${spec.name}-${v}-${release || '1'}.${arch}.rpm`
    }
    case 'apk': {
      let v = version
      if (prerelease) v += `_${prerelease}`
      if (release) v += `-${release.startsWith('r') ? release : `r${release}`}`
      if (metadata) {
        const known = ['p', 'cvs', 'svn', 'git', 'hg'].some(p => metadata.startsWith(p))
        v += `-${known ? metadata : `p${metadata}`}`
      }
      return `${spec.name}_${v}_${arch}.apk`
    }
  }
}

interface NfpmContent {
  src?: string
  dst: string
  type?: string
  file_info?: { mode?: number; owner?: string; group?: string }
}

/** A spec's content as nfpm reads it; `doc` is a plain file outside rpm, where it is %doc. */
function nfpmContent(format: PackageFormat, c: PackageContent): NfpmContent {
  let type: string | undefined = c.type
  if (type === 'doc' && format !== 'rpm') type = undefined
  let mode = c.mode
  if (type === 'symlink') mode = 0o777
  const fileInfo = {
    ...(mode !== undefined ? { mode } : {}),
    owner: c.owner ?? 'root',
    group: c.group ?? 'root'
  }
  return {
    ...(c.src !== undefined ? { src: c.src } : {}),
    dst: c.dst,
    ...(type ? { type } : {}),
    file_info: fileInfo
  }
}

function isoSeconds(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/\.000Z$/, 'Z')
}

function nonEmpty<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)
    )
  ) as Partial<T>
}

/** The nfpm configuration of one package (JSON, which nfpm reads as YAML). */
export function nfpmConfig(
  spec: PackageSpec,
  scripts: PackageSpec['scripts'] = spec.scripts
): Record<string, unknown> {
  const bindir = spec.bindir || '/usr/bin'
  const contents: NfpmContent[] = [
    ...spec.binaries.map(b => ({
      src: b.source,
      dst: path.posix.join(bindir, b.name),
      file_info: { mode: 0o755, owner: 'root', group: 'root' }
    })),
    ...spec.contents.map(c => nfpmContent(spec.format, c))
  ]
  const list = (items: string[] | undefined): string[] | undefined => items?.map(literal)
  return nonEmpty({
    name: literal(spec.name),
    arch: literal(nfpmArch(spec)),
    platform: 'linux',
    version: literal(spec.version),
    version_schema: 'semver',
    release: spec.release && literal(spec.release),
    epoch: spec.epoch,
    prerelease: spec.prerelease && literal(spec.prerelease),
    version_metadata: spec.versionMetadata,
    section: spec.section,
    priority: spec.priority,
    maintainer: literal(spec.maintainer),
    description: literal(spec.description),
    vendor: spec.vendor && literal(spec.vendor),
    homepage: spec.homepage && literal(spec.homepage),
    license: spec.license,
    mtime: isoSeconds(spec.mtime),
    umask: UMASK,
    depends: list(spec.dependencies),
    recommends: list(spec.recommends),
    suggests: list(spec.suggests),
    conflicts: list(spec.conflicts),
    replaces: list(spec.replaces),
    provides: list(spec.provides),
    contents,
    scripts: scripts && nonEmpty(scripts),
    rpm: { buildhost: RPM_BUILD_HOST }
  })
}

/**
 * nfpm expands $VAR and ${VAR} from its environment in these fields (name, version, release,
 * prerelease, arch, maintainer, description, vendor, homepage, the relations): a `$` in them is
 * written as ${DOLLAR_VARIABLE}, which writePackage sets to `$`, so that the text stays as it is
 * and no variable of the runner's leaks into a package.
 */
export const DOLLAR_VARIABLE = 'GO_PACKAGE_ACTION_DOLLAR'

function literal(text: string): string {
  return text.replaceAll('$', () => `\${${DOLLAR_VARIABLE}}`)
}

const SCRIPT_NAMES = ['preinstall', 'postinstall', 'preremove', 'postremove'] as const

/**
 * Writes one package with nfpm: its configuration goes to tempDir, relative paths resolve against
 * cwd (the project folder), and the package is written beside `file` and renamed into place.
 */
export async function writePackage(
  nfpm: string,
  spec: PackageSpec,
  file: string,
  opts: { tempDir: string; cwd: string }
): Promise<void> {
  const label = `${spec.format} package ${conventionalFileName(spec)}`
  if (!existsSync(nfpm))
    throw new ActionError(`packages: nfpm is not at ${nfpm}, so the ${label} cannot be written`)
  await mkdir(opts.tempDir, { recursive: true })
  const work = await mkdtemp(path.join(opts.tempDir, `nfpm-${spec.format}-`))
  // Absolute, since nfpm runs in cwd: a relative `file` means the same place to nfpm and to us.
  const target = path.resolve(file)
  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    // Copies of the scripts, dated with the commit time (nfpm dates apk scripts with their file's).
    const scripts: NonNullable<PackageSpec['scripts']> = {}
    for (const name of SCRIPT_NAMES) {
      const source = spec.scripts?.[name]
      if (!source) continue
      const from = path.resolve(opts.cwd, source)
      if (!existsSync(from))
        throw new ActionError(
          `packages: the ${name} script ${source} of the ${label} does not exist`
        )
      const copy = path.join(work, `${name}.sh`)
      await copyFile(from, copy)
      await utimes(copy, spec.mtime, spec.mtime)
      scripts[name] = copy
    }
    const config = path.join(work, 'nfpm.json')
    await writeFile(config, `${JSON.stringify(nfpmConfig(spec, scripts), null, 2)}\n`)
    await mkdir(path.dirname(target), { recursive: true })

    const args = ['pkg', '--packager', spec.format, '--config', config, '--target', partial]
    const result = await execCapture(nfpm, args, {
      cwd: opts.cwd,
      env: {
        ...(process.env as Record<string, string>),
        SOURCE_DATE_EPOCH: String(spec.mtime),
        [DOLLAR_VARIABLE]: '$'
      },
      timeoutMs: commandLimitMs()
    }).catch((error: unknown) => {
      throw new ActionError(
        `packages: could not run nfpm (${nfpm}) for the ${label}: ${(error as Error).message}`
      )
    })
    if (result.timedOutMs !== undefined)
      throw new ActionError(
        `packages: nfpm did not write the ${label} within ${formatDuration(result.timedOutMs)} and was ` +
          `stopped; if it is only slow, raise ${COMMAND_VARIABLE}`
      )
    if (result.code !== 0) {
      const message = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' ')
      throw new ActionError(`packages: nfpm could not write the ${label}: ${message}`)
    }
    await utimes(partial, spec.mtime, spec.mtime)
    await rename(partial, target)
  } finally {
    await rm(partial, { force: true })
    await rm(work, { recursive: true, force: true })
  }
}
