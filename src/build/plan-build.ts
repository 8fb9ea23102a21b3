import path from 'node:path'
import { ActionError, InputError } from '../errors.js'
import type { BuildVersion } from '../plan/version.js'
import type {
  ArchiveFile,
  ArchiveFormat,
  PackageFormat,
  ShipBuild,
  ShipSpec,
  Templated
} from '../ship/spec.js'
import {
  baseFields,
  envLines,
  type Fields,
  literal,
  renderAt,
  targetFields,
  type Scope,
  variantValue
} from '../ship/template-data.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture, processEnv } from '../util/exec.js'
import { archiveName, checksumsName } from './archive-name.js'
import { parseLdflags } from './ldflags.js'
import { type MainPackage, resolveBuildUnits, resolveMain } from './main-packages.js'
import type { Target } from './target.js'
import { parseTargets } from './targets.js'
import { conventionalFileName, type PackageSpec } from '../packages/nfpm.js'

/** One binary for one target, every flag rendered. */
export interface PlannedBinary {
  /** The build (GoReleaser's builds[].id; the binary's name from the inputs). */
  build: string
  target: Target
  pkg: Omit<MainPackage, 'binary'>
  /** The folder go build runs in (absolute). */
  cwd: string
  /** What go build compiles: the package's import path, or the .go file main names. */
  main: string
  /** Without .exe. */
  binary: string
  /** The file name (binary plus .exe on windows). */
  name: string
  /** Relative to output-dir. */
  path: string
  ldflags: string
  flags: string[]
  env: Record<string, string>
  tags: string[]
  cgo: boolean
  /** The binary's file time (Unix seconds): mod_timestamp, else the commit's. */
  modTime: number
}

export interface PlannedArchive {
  id: string
  /** For messages: where the archives entry was written. */
  where: string
  target: Target
  /** The file name in output-dir. */
  name: string
  format: ArchiveFormat
  binaries: PlannedBinary[]
  files: Array<ArchiveFile & { src: string }> | 'documents'
  /** The folder everything is put in, if any. */
  wrap?: string
  stripBinaryDirectory: boolean
}

export interface PlannedPackage {
  id: string
  target: Target
  format: PackageFormat
  /** The file name in output-dir. */
  name: string
  binaries: PlannedBinary[]
  /** Rendered; the binaries are added when they exist. */
  spec: PackageSpec
}

/** What the build stage will do, decided (and every name rendered) before the checks run. */
export type BuildPlan =
  | {
      kind: 'build'
      project: string
      /** Every target any build has, once each, in the order first seen. */
      targets: Target[]
      binaries: PlannedBinary[]
      archives: PlannedArchive[]
      packages: PlannedPackage[]
      /** Undefined when the checksums file is disabled. */
      checksum?: { name: string; algorithm: 'sha256' | 'sha512' }
    }
  | { kind: 'skip'; why: string }

export type BuildingPlan = Extract<BuildPlan, { kind: 'build' }>

/** `go tool dist list`: the GOOS/GOARCH pairs this Go builds for. */
export async function distList(go: GoToolchain, cwd: string): Promise<Set<string>> {
  const result = await execCapture(go.goBinary, ['tool', 'dist', 'list'], { cwd })
  return new Set(
    result.stdout
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean)
  )
}

export interface BuildInputs {
  targets: readonly string[]
  main: readonly string[]
  binaryName: string
  ldflags: string
  buildTags: readonly string[]
  cgo: boolean
}

/** Decides every binary, archive, package and the checksums file's name; renders all templates. */
export async function planBuild(
  inputs: BuildInputs,
  ship: ShipSpec,
  version: BuildVersion,
  workDir: string,
  go: GoToolchain
): Promise<BuildPlan> {
  const platforms = await distList(go, workDir)
  const fromFile = ship.builds !== undefined
  if (!fromFile && inputs.targets.length === 0) return { kind: 'skip', why: 'targets: none' }
  let project = ship.projectName
  let builds: ShipBuild[]
  let mains: Map<string, Omit<MainPackage, 'binary'>>
  if (ship.builds === undefined) {
    // The targets input first: a bad one is refused before go list loads anything.
    parseTargets(inputs.targets, platforms, go.version)
    const units = await resolveBuildUnits(
      go,
      workDir,
      inputs.main,
      inputs.binaryName,
      inputs.buildTags
    )
    if (!units)
      return {
        kind: 'skip',
        why: 'the module has no main package (a library): there is nothing to build'
      }
    project = units.project
    mains = new Map(units.packages.map(p => [p.binary, p]))
    builds = units.packages.map(p => ({
      id: p.binary,
      main: p.importPath,
      dir: '',
      binary: literal(p.binary, 'binary-name'),
      targets: [...inputs.targets],
      flags: [],
      ldflags: [{ text: inputs.ldflags, where: 'ldflags' }],
      env: [],
      tags: inputs.buildTags.map(t => literal(t, 'build-tags'))
    }))
  } else {
    builds = ship.builds
    if (builds.length === 0) return { kind: 'skip', why: `${ship.source} has no builds` }
    if (ship.legTargets) builds = legShare(builds, ship.legTargets, ship.source)
    mains = new Map()
  }
  if (!project) throw new ActionError('the project has no name') // set by the caller for files
  const env = shipEnv(ship, version, project)
  const scope: Scope = { project, version, env: env.all }
  const base = baseFields(scope)

  const binaries: PlannedBinary[] = []
  const targets = new Map<string, Target>()
  for (const build of builds) {
    const buildTargets = parseBuildTargets(build, platforms, go, fromFile)
    const tags = build.tags.map(t => renderAt(t, base, version)).filter(Boolean)
    let pkg = mains.get(build.id)
    const cwd = path.resolve(workDir, build.dir)
    let main = pkg?.importPath ?? build.main
    if (!pkg) {
      const resolved = await resolveMain(go, cwd, build.main, tags, `${whereOf(build)} main`)
      pkg = resolved.pkg
      main = resolved.main
    }
    for (const target of buildTargets) {
      if (!targets.has(target.spec)) targets.set(target.spec, target)
      const fields = { ...base, ...targetFields(target) }
      const binary = renderAt(build.binary, fields, version)
      checkFileName(binary, build.binary.where)
      const withBinary = { ...fields, Binary: binary }
      const buildEnv = {
        ...env.file,
        ...envLines(
          build.env.map(e => renderAt(e, withBinary, version)),
          build.env[0]?.where ?? 'env'
        )
      }
      const ldflags = build.ldflags.map(l => renderAt(l, withBinary, version)).join(' ')
      if (ldflags.trim()) parseLdflags(ldflags, build.ldflags[0]?.where ?? 'ldflags')
      const name = `${binary}${target.os === 'windows' ? '.exe' : ''}`
      // GoReleaser's dist folders (greeter_linux_arm_7), which no archive name is likely to take.
      const folder = fromFile ? `${build.id}_${fields.Target as string}` : target.slug
      binaries.push({
        build: build.id,
        target,
        pkg,
        cwd,
        main,
        binary,
        name,
        path: `${folder}/${name}`,
        ldflags,
        flags: build.flags.map(f => renderAt(f, withBinary, version)).filter(Boolean),
        env: buildEnv,
        tags,
        cgo: fromFile ? buildEnv.CGO_ENABLED === '1' : inputs.cgo,
        modTime: build.modTimestamp
          ? modTime(renderAt(build.modTimestamp, withBinary, version), build.modTimestamp.where)
          : version.timestamp
      })
    }
  }
  const archives = planArchives(ship, binaries, base, version, project)
  const packages = planPackages(ship, binaries, base, version)
  let checksum: { name: string; algorithm: 'sha256' | 'sha512' } | undefined
  if (!ship.checksum.disable) {
    const name = ship.checksum.nameTemplate
      ? renderAt(ship.checksum.nameTemplate, base, version)
      : checksumsName(project, version.version)
    checkFileName(name, ship.checksum.nameTemplate?.where ?? 'the checksums file')
    checksum = { name, algorithm: ship.checksum.algorithm }
  }
  return {
    kind: 'build',
    project,
    targets: [...targets.values()],
    binaries,
    archives,
    packages,
    checksum
  }
}

/** A matrix leg's share of the file's targets: those the targets input names, each one the file has. */
function legShare(builds: ShipBuild[], wanted: readonly string[], source: string): ShipBuild[] {
  const all = new Set(builds.flatMap(b => b.targets))
  // The file's targets carry their variant (linux/amd64/v1); targets may leave the default out.
  const matches = (spec: string, want: string): boolean =>
    spec === want || spec.startsWith(`${want}/`)
  for (const want of wanted)
    if (![...all].some(spec => matches(spec, want)))
      throw new InputError(
        'targets',
        `"${want}" is not one of the targets ${source} builds (${[...all].join(' ')})`
      )
  return builds.map(b => ({
    ...b,
    targets: b.targets.filter(spec => wanted.some(want => matches(spec, want)))
  }))
}

function whereOf(build: ShipBuild): string {
  return build.binary.where.replace(/\.binary$/, '')
}

/** The environment templates see (the runner's, then the file's top-level env) and the file's alone. */
function shipEnv(
  ship: ShipSpec,
  version: BuildVersion,
  project: string
): { all: Record<string, string>; file: Record<string, string> } {
  const all: Record<string, string> = processEnv()
  const file: Record<string, string> = {}
  for (const line of ship.env) {
    // Each line sees the ones before it, as GoReleaser's env does.
    const set = envLines(
      [renderAt(line, baseFields({ project, version, env: all }), version)],
      line.where
    )
    Object.assign(all, set)
    Object.assign(file, set)
  }
  return { all, file }
}

function parseBuildTargets(
  build: ShipBuild,
  platforms: ReadonlySet<string>,
  go: GoToolchain,
  fromFile: boolean
): Target[] {
  try {
    return parseTargets(build.targets, platforms, go.version)
  } catch (e) {
    if (fromFile && e instanceof InputError)
      throw new ActionError(`${whereOf(build)}: ${e.message.replace(/^targets: /, '')}`)
    throw e
  }
}

/** A name that becomes a file: one path element, no control characters. */
function checkFileName(name: string, where: string): void {
  if (!name || name === '.' || name === '..' || /[/\\]/.test(name) || /\p{Cc}/u.test(name))
    throw new ActionError(`${where}: renders to ${JSON.stringify(name)}, which is not a file name`)
}

function modTime(rendered: string, where: string): number {
  const n = Number(rendered.trim())
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ActionError(`${where}: renders to "${rendered}", not Unix seconds`)
  return n
}

const EXTENSION: Record<ArchiveFormat, string> = {
  'tar.gz': '.tar.gz',
  tgz: '.tgz',
  tar: '.tar',
  zip: '.zip',
  binary: ''
}

/** The binaries of the builds an entry names (all without ids), grouped by target. */
function byTarget(
  binaries: readonly PlannedBinary[],
  ids: readonly string[] | undefined
): Map<string, PlannedBinary[]> {
  const groups = new Map<string, PlannedBinary[]>()
  for (const b of binaries) {
    if (ids && !ids.includes(b.build)) continue
    const key = b.target.slug
    groups.set(key, [...(groups.get(key) ?? []), b])
  }
  return groups
}

function planArchives(
  ship: ShipSpec,
  binaries: readonly PlannedBinary[],
  base: Fields,
  version: BuildVersion,
  project: string
): PlannedArchive[] {
  const planned: PlannedArchive[] = []
  for (const spec of ship.archives) {
    for (const group of byTarget(binaries, spec.ids).values()) {
      const target = (group[0] as PlannedBinary).target
      const formats =
        // As GoReleaser: the first override whose goos is a prefix of the target's.
        spec.formatOverrides.find(o => target.os.startsWith(o.goos))?.formats ?? spec.formats
      for (const format of formats) {
        const fields: Fields = {
          ...base,
          ...targetFields(target),
          Binary: (group[0] as PlannedBinary).binary,
          ArtifactName: ''
        }
        if (format === 'binary') {
          for (const b of group) {
            const stem = spec.nameTemplate
              ? renderAt(spec.nameTemplate, { ...fields, Binary: b.binary }, version)
              : `${b.binary}_${target.slug}`
            const name = `${stem}${target.os === 'windows' && !stem.endsWith('.exe') ? '.exe' : ''}`
            checkFileName(name, spec.nameTemplate?.where ?? 'archive')
            planned.push({
              id: spec.id,
              where: spec.where,
              target,
              name,
              format,
              binaries: [b],
              files: [],
              stripBinaryDirectory: true
            })
          }
          continue
        }
        const stem = spec.nameTemplate
          ? renderAt(spec.nameTemplate, fields, version)
          : archiveName(project, version.version, target.slug, target.os).replace(
              /\.(tar\.gz|zip)$/,
              ''
            )
        const name = `${stem}${EXTENSION[format]}`
        checkFileName(name, spec.nameTemplate?.where ?? 'archive')
        let wrap: string | undefined
        if (spec.wrapInDirectory === true) wrap = stem
        else if (spec.wrapInDirectory && typeof spec.wrapInDirectory === 'object')
          wrap = renderAt(spec.wrapInDirectory, fields, version) || undefined
        planned.push({
          id: spec.id,
          where: spec.where,
          target,
          name,
          format,
          binaries: group,
          files:
            spec.files === 'documents'
              ? 'documents'
              : spec.files.map(f => ({
                  ...f,
                  src: typeof f.src === 'string' ? f.src : renderAt(f.src, fields, version)
                })),
          wrap,
          stripBinaryDirectory: spec.stripBinaryDirectory ?? false
        })
      }
    }
  }
  return planned
}

function planPackages(
  ship: ShipSpec,
  binaries: readonly PlannedBinary[],
  base: Fields,
  version: BuildVersion
): PlannedPackage[] {
  const planned: PlannedPackage[] = []
  for (const entry of ship.packages) {
    const linux = binaries.filter(b => b.target.os === 'linux')
    for (const group of byTarget(linux, entry.ids).values()) {
      const target = (group[0] as PlannedBinary).target
      const fields: Fields = { ...base, ...targetFields(target) }
      for (const format of entry.formats) {
        const p = { ...entry, ...entry.overrides[format] }
        const r = (t: Templated | undefined): string | undefined =>
          t === undefined ? undefined : renderAt(t, fields, version)
        const packageName = r(p.packageName) as string
        const variant = variantValue(target)
        const spec: PackageSpec = {
          format,
          name: packageName,
          version: version.version,
          release: p.release,
          epoch: p.epoch,
          prerelease: p.prerelease,
          versionMetadata: p.versionMetadata,
          goarch: target.arch,
          goarm: target.arch === 'arm' ? variant : undefined,
          goamd64: target.arch === 'amd64' ? variant : undefined,
          maintainer: r(p.maintainer) ?? '',
          description: r(p.description) ?? '',
          vendor: p.vendor,
          homepage: r(p.homepage),
          license: p.license,
          section: p.section,
          priority: p.priority,
          bindir: r(p.bindir) as string,
          binaries: [],
          contents: p.contents.map(c => ({
            src: r(c.src),
            dst: r(c.dst) as string,
            type: c.type,
            mode: c.mode,
            owner: c.owner,
            group: c.group
          })),
          dependencies: p.dependencies,
          recommends: p.recommends,
          suggests: p.suggests,
          conflicts: p.conflicts,
          replaces: p.replaces,
          provides: p.provides,
          scripts: {
            preinstall: r(p.scripts.preinstall),
            postinstall: r(p.scripts.postinstall),
            preremove: r(p.scripts.preremove),
            postremove: r(p.scripts.postremove)
          },
          mtime: version.timestamp
        }
        const conventional = conventionalFileName(spec)
        let name = conventional
        if (p.fileNameTemplate) {
          const withNames: Fields = {
            ...fields,
            PackageName: packageName,
            ConventionalFileName: conventional,
            ConventionalExtension: `.${format}`,
            Format: format
          }
          name = renderAt(p.fileNameTemplate, withNames, version)
          if (!name.endsWith(`.${format}`)) name += `.${format}`
        }
        checkFileName(name, p.fileNameTemplate?.where ?? entry.where)
        planned.push({ id: entry.id, target, format, name, binaries: group, spec })
      }
    }
  }
  return planned
}

export type { Templated }
