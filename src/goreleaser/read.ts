/**
 * readGoReleaserConfig: a GoReleaser file, as it is in the repository, into GoReleaserConfig.
 * Every key is read, warned about (a step the action does not do that ships nothing different)
 * or refused (it would change what ships and the action does not do it, or GoReleaser v2 has no
 * such key). Defaults are GoReleaser v2.15.1's, each with the source file it comes from.
 */
import { parseTemplate } from '../template/index.js'
import { replacementTemplate } from './replacements.js'
import {
  DEFAULT_GOARCH,
  DEFAULT_GOOS,
  DEFAULT_VARIANTS,
  expandTargets,
  type GoReleaserTarget,
  type IgnoreRule,
  InvalidTargetValue,
  parseTargetEntry,
  targetName,
  VARIANT_FIELDS,
  type VariantField
} from './targets.js'
import {
  type Archive,
  type ArchiveFile,
  type ArchiveFormat,
  type Build,
  type Checksum,
  type FileInfo,
  type GoReleaserConfig,
  GoReleaserConfigError,
  type Nfpm,
  type NfpmContent,
  type NfpmOverridable,
  type NfpmPackagerSection,
  type NfpmScripts,
  type Release,
  type ReleaseNotesMode,
  type Snapshot,
  type Templated,
  type TemplatedBool
} from './types.js'
import {
  eachItem,
  isNull,
  join,
  readBool,
  readFlagArray,
  readInt,
  readList,
  readMode,
  Reader,
  readString,
  readStringArray,
  readStringMap,
  readTemplate,
  readTemplatedBool,
  type Rule,
  templates,
  walk
} from './values.js'
import { parseYamlTree, type YEntry, type YMap, type YNode, YamlProblem } from './yaml-tree.js'

/**
 * The names GoReleaser looks for when no --config is given, in its order (GoReleaser v2.15.1,
 * cmd/config.go loadConfigCheck).
 */
export const GORELEASER_FILES = [
  '.config/goreleaser.yml',
  '.config/goreleaser.yaml',
  '.goreleaser.yml',
  '.goreleaser.yaml',
  'goreleaser.yml',
  'goreleaser.yaml'
] as const

/** internal/builders/golang/build.go WithDefaults. */
export const DEFAULT_LDFLAGS =
  '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser'

/** internal/pipe/archive/archive.go. */
const ARCHIVE_NAME_SUFFIX =
  '{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
export const DEFAULT_ARCHIVE_NAME = '{{ .ProjectName }}_' + ARCHIVE_NAME_SUFFIX
export const DEFAULT_BINARY_ARCHIVE_NAME = '{{ .Binary }}_' + ARCHIVE_NAME_SUFFIX
/** internal/pipe/archive/archive.go: the files every archive gets when `files` is not set. */
export const DEFAULT_ARCHIVE_FILES = [
  'license*',
  'LICENSE*',
  'readme*',
  'README*',
  'changelog*',
  'CHANGELOG*'
]
/** internal/pipe/checksums/checksums.go. */
export const DEFAULT_CHECKSUM_NAME = '{{ .ProjectName }}_{{ .Version }}_checksums.txt'
/** internal/pipe/nfpm/nfpm.go defaultNameTemplate. */
export const DEFAULT_NFPM_FILE_NAME =
  '{{ .PackageName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
/** internal/pipe/snapshot/snapshot.go. */
export const DEFAULT_SNAPSHOT_VERSION = '{{ .Version }}-SNAPSHOT-{{ .ShortCommit }}'
/** internal/pipe/release/release.go. */
export const DEFAULT_RELEASE_NAME = '{{.Tag}}'

const SUPPORTED_FORMATS: readonly ArchiveFormat[] = ['tar.gz', 'tgz', 'tar', 'zip', 'binary']
/** pkg/archive/archive.go: what GoReleaser writes. */
const GORELEASER_FORMATS = [
  'tar.gz',
  'tgz',
  'tar',
  'gz',
  'tar.xz',
  'txz',
  'tar.zst',
  'tzst',
  'zip',
  'binary'
]
const NFPM_FORMATS = ['apk', 'deb', 'rpm', 'termux.deb', 'archlinux', 'ipk']

const NOT_DONE = 'not done by go-package-action; this key is ignored'
const IMAGE = `building container images from this key is ${NOT_DONE} (the action's image input builds the image)`

/** A warning: `what` ends with "is" or "are" ("publishing a Homebrew cask is"). */
function ignored(what: string): { warn: string } {
  return { warn: `${what} ${NOT_DONE}` }
}

export interface ReadResult {
  readonly config: GoReleaserConfig
  readonly warnings: string[]
}

/**
 * Reads a GoReleaser file. `file` is the name shown in messages (".goreleaser.yml").
 * Throws GoReleaserConfigError listing every problem, each with its line and key path.
 */
export function readGoReleaserConfig(text: string, file: string): ReadResult {
  const r = new Reader(file)
  let root: YMap
  try {
    root = parseYamlTree(text)
  } catch (e) {
    if (!(e instanceof YamlProblem)) throw e
    throw new GoReleaserConfigError(file, [
      { line: e.line, keyPath: e.keyPath, problem: e.problem }
    ])
  }
  const config = readRoot(r, root)
  if (r.problems.length > 0) {
    const problems = [...r.problems].sort((a, b) => a.line - b.line)
    throw new GoReleaserConfigError(file, problems)
  }
  return { config, warnings: r.warnings }
}

function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.find(e => e.key === key)
}

function readRoot(r: Reader, root: YMap): GoReleaserConfig {
  // The version decides which spellings are accepted, so it is read first.
  let version: 1 | 2 = 1
  const v = entry(root, 'version')
  if (v) {
    const n = readInt(r, v.value, 'version')
    if (n === 2 || n === 1) version = n
    else if (n !== undefined)
      r.error(v.keyLine, 'version', `must be 2 (or 1 for a GoReleaser v1 file), not ${n}`)
  }
  r.version = version

  // project_name, else release.github.name, as internal/pipe/project does before the other pipes.
  let projectName: string | undefined
  const pn = entry(root, 'project_name')
  if (pn) projectName = readString(r, pn.value, 'project_name') || undefined
  const rel = entry(root, 'release')
  if (projectName === undefined && rel?.value.kind === 'map') {
    const gh = entry(rel.value, 'github')
    const name = gh?.value.kind === 'map' ? entry(gh.value, 'name') : undefined
    if (name?.value.kind === 'scalar' && !isNull(name.value)) projectName = name.value.value
  }

  let env: Templated[] = []
  let beforeHooks: Templated[] = []
  let buildNodes: { node: YNode; path: string }[] = []
  let archiveNodes: { node: YNode; path: string }[] | undefined
  let checksum: Checksum | undefined
  const nfpms: Nfpm[] = []
  const nfpmLines: number[] = []
  let release: Release | undefined
  let snapshot: Snapshot | undefined
  let dist: string | undefined

  const inside = (
    e: YEntry,
    path: string,
    removed: Readonly<Record<string, string>>,
    list: boolean
  ) => checkRemovedInside(r, e, path, removed, list)

  const rules: Record<string, Rule> = {
    version: () => undefined,
    project_name: () => undefined,
    pro: { warn: `GoReleaser Pro features are not read; only GoReleaser's own keys are` },
    env: (e, p) => {
      env = templates(r, e.value, p, readList)
    },
    before: (e, p) => {
      walk(r, e.value, p, {
        hooks: (h, hp) => {
          beforeHooks = []
          eachItem(r, h.value, hp, (item, ip) => {
            if (item.kind !== 'scalar') {
              r.error(
                item.line,
                ip,
                `must be a command string (the object form of before hooks is GoReleaser Pro's)`
              )
              return
            }
            const s = readString(r, item, ip)
            if (s) beforeHooks.push(r.template(s, item.line, ip))
          })
        }
      })
    },
    builds: (e, p) => {
      buildNodes = []
      eachItem(r, e.value, p, (item, ip) => buildNodes.push({ node: item, path: ip }))
    },
    build: {
      removed: 'write `builds:` with a list of builds instead of `build:`',
      v1: (e, p) => {
        if (!isNull(e.value)) buildNodes.push({ node: e.value, path: p })
      }
    },
    archives: (e, p) => {
      archiveNodes = []
      eachItem(r, e.value, p, (item, ip) => archiveNodes?.push({ node: item, path: ip }))
    },
    checksum: (e, p) => {
      checksum = readChecksum(r, e.value, p)
    },
    nfpms: (e, p) => {
      eachItem(r, e.value, p, (item, ip, line) => {
        const n = readNfpm(r, item, ip)
        if (n) {
          nfpms.push(n)
          nfpmLines.push(line)
        }
      })
    },
    release: (e, p) => {
      release = readRelease(r, e.value, p)
    },
    snapshot: (e, p) => {
      snapshot = readSnapshot(r, e.value, p)
    },
    dist: (e, p) => {
      dist = readString(r, e.value, p) || undefined
    },

    // Steps the action does not take, and that ship nothing different: warnings.
    changelog: (e, p) => {
      r.warn(
        e.keyLine,
        p,
        `writing GoReleaser's changelog is ${NOT_DONE} (the action writes the release notes its own way)`
      )
      inside(e, p, { skip: 'write `disable` instead of `skip`' }, false)
    },
    brews: (e, p) => {
      r.warn(e.keyLine, p, `publishing a Homebrew formula is ${NOT_DONE}`)
      inside(
        e,
        p,
        {
          tap: 'write `repository` instead of `tap`',
          folder: 'write `directory` instead of `folder`',
          plist: 'write `service` instead of `plist`'
        },
        true
      )
    },
    homebrew_casks: ignored('publishing a Homebrew cask is'),
    scoops: (e, p) => {
      r.warn(e.keyLine, p, `publishing a Scoop manifest is ${NOT_DONE}`)
      inside(
        e,
        p,
        {
          bucket: 'write `repository` instead of `bucket`',
          folder: 'write `directory` instead of `folder`'
        },
        true
      )
    },
    scoop: {
      removed:
        'write `scoops:` with a list instead of `scoop:` (publishing to Scoop is not done by go-package-action)',
      v1: (e, p) => r.warn(e.keyLine, p, `publishing a Scoop manifest is ${NOT_DONE}`)
    },
    krews: (e, p) => {
      r.warn(e.keyLine, p, `publishing a Krew plugin manifest is ${NOT_DONE}`)
      inside(e, p, { index: 'write `repository` instead of `index`' }, true)
    },
    blobs: (e, p) => {
      r.warn(e.keyLine, p, `uploading to blob storage is ${NOT_DONE}`)
      inside(
        e,
        p,
        {
          folder: 'write `directory` instead of `folder`',
          kmskey: 'write `kms_key` instead of `kmskey`',
          disableSSL: 'write `disable_ssl` instead of `disableSSL`'
        },
        true
      )
    },
    nix: ignored('publishing a Nix package is'),
    winget: ignored('publishing a winget manifest is'),
    aurs: ignored('publishing to the AUR is'),
    aur_sources: ignored('publishing to the AUR is'),
    chocolateys: ignored('publishing a Chocolatey package is'),
    mcp: ignored('publishing to the MCP registry is'),
    milestones: ignored('closing milestones is'),
    announce: ignored('announcing the release is'),
    artifactories: ignored('uploading to Artifactory is'),
    uploads: ignored('uploading to HTTP servers is'),
    publishers: ignored('running custom publishers is'),
    signs: ignored('signing artifacts is'),
    docker_signs: ignored('signing images is'),
    binary_signs: ignored('signing binaries is'),
    notarize: ignored('signing and notarizing macOS binaries is'),
    sboms: ignored('writing SBOMs is'),
    dockers: { warn: IMAGE },
    dockers_v2: { warn: IMAGE },
    docker_manifests: { warn: IMAGE },
    docker_digest: { warn: IMAGE },
    kos: { warn: IMAGE },
    gomod: ignored('building from the module proxy (gomod) is'),
    git: {
      warn: `GoReleaser's git settings (tag sorting, ignored tags) are not read: the version comes from the workflow's ref; this key is ignored`
    },
    report_sizes: ignored('reporting sizes is'),
    metadata: ignored('GoReleaser metadata files are'),
    env_files: ignored('token files are'),
    force_token: ignored('choosing a token kind is'),
    github_urls: {
      warn: `the action uses the workflow's GitHub (GITHUB_API_URL), not these URLs; this key is ignored`
    },
    gitlab_urls: ignored('releasing to GitLab is'),
    gitea_urls: ignored('releasing to Gitea is'),

    // Steps that would ship something else or more: refused unless switched off.
    source: (e, p) => {
      const m = e.value.kind === 'map' ? e.value : undefined
      const enabled = m && entry(m, 'enabled')
      if (enabled && readBool(r, enabled.value, join(p, 'enabled'))) {
        r.error(
          enabled.keyLine,
          join(p, 'enabled'),
          `a source archive is not made by go-package-action; remove the source section or set enabled: false`
        )
      }
      inside(e, p, { rlcp: 'remove it: it is the default' }, false)
    },
    srpm: (e, p) => {
      const m = e.value.kind === 'map' ? e.value : undefined
      const enabled = m && entry(m, 'enabled')
      if (enabled && readBool(r, enabled.value, join(p, 'enabled'))) {
        r.error(
          enabled.keyLine,
          join(p, 'enabled'),
          'a source RPM is not made by go-package-action; remove the srpm section'
        )
      }
    },
    snapcrafts: activeList(
      'snap packages are not made by go-package-action; remove the snapcrafts section'
    ),
    flatpak: activeList(
      'Flatpak bundles are not made by go-package-action; remove the flatpak section'
    ),
    makeselfs: activeList(
      'makeself installers are not made by go-package-action; remove the makeselfs section'
    ),
    universal_binaries: activeList(
      'macOS universal binaries are not made by go-package-action (it ships one binary per target); remove universal_binaries'
    ),
    upx: (e, p) => {
      eachItem(r, e.value, p, (item, ip, line) => {
        const m = item.kind === 'map' ? item : undefined
        const en = m && entry(m, 'enabled')
        const s = en ? readString(r, en.value, join(ip, 'enabled')) : undefined
        if (s !== undefined && s !== '' && s !== 'false') {
          r.error(
            en?.keyLine ?? line,
            ip,
            'compressing binaries with UPX changes the binaries, and go-package-action does not do it; remove the upx section'
          )
        }
      })
    }
  }

  function activeList(problem: string): Rule {
    return (e, p) => {
      eachItem(r, e.value, p, (item, ip, line) => {
        const m = item.kind === 'map' ? item : undefined
        const disable = m && entry(m, 'disable')
        const off =
          disable?.value.kind === 'scalar' && ['true', 'True', 'TRUE'].includes(disable.value.value)
        if (!off) r.error(line, ip, problem)
      })
    }
  }

  walk(r, root, '', rules)

  const builds = buildNodes
    .map(({ node, path }) => readBuild(r, node, path, projectName))
    .filter((b): b is Build => b !== undefined)
  if (buildNodes.length === 0) builds.push(defaultBuild(r, projectName))
  checkUniqueIds(
    r,
    'builds',
    builds.map((b, i) => ({
      id: b.id ?? '(the project name)',
      line: buildNodes[i]?.node.line ?? 0
    }))
  )

  const archives: Archive[] = []
  if (archiveNodes === undefined || archiveNodes.length === 0) {
    archives.push(readArchive(r, { kind: 'map', line: 0, entries: [] }, 'archives[0]'))
  } else {
    for (const { node, path } of archiveNodes) {
      if (isNull(node))
        archives.push(readArchive(r, { kind: 'map', line: node.line, entries: [] }, path))
      else if (node.kind !== 'map') r.error(node.line, path, 'must be a mapping')
      else archives.push(readArchive(r, node, path))
    }
  }
  checkUniqueIds(
    r,
    'archives',
    archives.map((a, i) => ({ id: a.id, line: archiveNodes?.[i]?.node.line ?? 0 }))
  )
  checkUniqueIds(
    r,
    'nfpms',
    nfpms.map((n, i) => ({ id: n.id, line: nfpmLines[i] ?? 0 }))
  )

  return deepFreeze({
    version,
    ...(projectName !== undefined ? { projectName } : {}),
    env,
    beforeHooks,
    builds,
    archives,
    checksum: checksum ?? readChecksum(r, { kind: 'map', line: 0, entries: [] }, 'checksum'),
    nfpms,
    release: release ?? readRelease(r, { kind: 'map', line: 0, entries: [] }, 'release'),
    snapshot: snapshot ?? readSnapshot(r, { kind: 'map', line: 0, entries: [] }, 'snapshot'),
    ...(dist !== undefined ? { dist } : {})
  })
}

/** A v1-only key inside a section the action only warns about is still refused in a v2 file. */
function checkRemovedInside(
  r: Reader,
  e: YEntry,
  path: string,
  removed: Readonly<Record<string, string>>,
  list: boolean
): void {
  if (r.version !== 2) return
  const maps: { node: YNode; path: string }[] = []
  if (list && e.value.kind === 'seq')
    e.value.items.forEach((n, i) => maps.push({ node: n, path: `${path}[${i}]` }))
  if (!list) maps.push({ node: e.value, path })
  for (const { node, path: p } of maps) {
    if (node.kind !== 'map') continue
    for (const k of node.entries) {
      const hint = removed[k.key]
      if (hint) r.error(k.keyLine, join(p, k.key), `removed in GoReleaser v2; ${hint}`)
    }
  }
}

/** ids.Validate (internal/ids): two entries with one id are refused. */
function checkUniqueIds(r: Reader, section: string, ids: { id: string; line: number }[]): void {
  const seen = new Map<string, number>()
  ids.forEach(({ id, line }, i) => {
    const first = seen.get(id)
    if (first !== undefined) {
      r.error(
        line,
        `${section}[${i}].id`,
        `found 2 ${section} with the ID ${JSON.stringify(id)} (also ${section}[${first}]); give each its own id`
      )
    } else seen.set(id, i)
  })
}

// ---------------------------------------------------------------------------------------------
// builds

interface BuildDraft {
  id?: string
  skip: TemplatedBool
  dir?: string
  main?: string
  binary?: Templated
  goos: string[]
  goarch: string[]
  variants: Partial<Record<VariantField, string[]>>
  targets?: { value: string; line: number; path: string }[]
  ignore: IgnoreRule[]
  flags: Templated[]
  ldflags: Templated[]
  tags: Templated[]
  asmflags: Templated[]
  gcflags: Templated[]
  env: Templated[]
  buildmode: '' | 'pie'
  modTimestamp?: Templated
  matrixLine: number
  matrixPath: string
  matrixKeys: { key: string; line: number }[]
}

function defaultBuild(r: Reader, projectName: string | undefined): Build {
  return finishBuild(
    r,
    {
      ...(projectName !== undefined ? { id: projectName } : {}),
      skip: false,
      goos: [],
      goarch: [],
      variants: {},
      ignore: [],
      flags: [],
      ldflags: [],
      tags: [],
      asmflags: [],
      gcflags: [],
      env: [],
      buildmode: '',
      matrixLine: 0,
      matrixPath: 'builds[0]',
      matrixKeys: []
    },
    'builds[0]'
  )
}

function readBuild(
  r: Reader,
  node: YNode,
  path: string,
  projectName: string | undefined
): Build | undefined {
  if (node.kind !== 'map' && !isNull(node)) {
    r.error(node.line, path, 'must be a mapping')
    return undefined
  }
  const d: BuildDraft = {
    ...(projectName !== undefined ? { id: projectName } : {}),
    skip: false,
    goos: [],
    goarch: [],
    variants: {},
    ignore: [],
    flags: [],
    ldflags: [],
    tags: [],
    asmflags: [],
    gcflags: [],
    env: [],
    buildmode: '',
    matrixLine: node.line,
    matrixPath: path,
    matrixKeys: []
  }
  const matrix =
    (key: 'goos' | 'goarch' | VariantField): Rule =>
    (e, p) => {
      const values = readList(r, e.value, p)
      d.matrixKeys.push({ key, line: e.keyLine })
      if (key === 'goos') d.goos = values
      else if (key === 'goarch') d.goarch = values
      else d.variants[key] = values
    }
  const goBinary = (what: string) => (e: YEntry, p: string) => {
    const s = readString(r, e.value, p)
    if (s && s !== 'go') {
      r.error(
        e.keyLine,
        p,
        `${what} ${JSON.stringify(s)}: go-package-action builds with the Go it sets up (go-version); remove ${p.split('.').pop()}`
      )
    }
  }
  walk(r, node, path, {
    id: (e, p) => {
      const s = readString(r, e.value, p)
      if (s) d.id = s
    },
    goos: matrix('goos'),
    goarch: matrix('goarch'),
    goamd64: matrix('goamd64'),
    go386: matrix('go386'),
    goarm: matrix('goarm'),
    goarm64: matrix('goarm64'),
    gomips: matrix('gomips'),
    goppc64: matrix('goppc64'),
    goriscv64: matrix('goriscv64'),
    targets: (e, p) => {
      d.targets = []
      if (isNull(e.value)) return
      if (e.value.kind !== 'seq') {
        readList(r, e.value, p)
        return
      }
      e.value.items.forEach((item, i) => {
        const s = readString(r, item, `${p}[${i}]`)
        if (s !== undefined) d.targets?.push({ value: s, line: item.line, path: `${p}[${i}]` })
      })
    },
    ignore: (e, p) => {
      d.matrixKeys.push({ key: 'ignore', line: e.keyLine })
      eachItem(r, e.value, p, (item, ip) => {
        const rule: Record<string, string> = {}
        const field =
          (k: string): Rule =>
          (f, fp) => {
            const s = readString(r, f.value, fp)
            if (s !== undefined) rule[k] = s
          }
        walk(
          r,
          item,
          ip,
          Object.fromEntries(['goos', 'goarch', ...VARIANT_FIELDS].map(k => [k, field(k)]))
        )
        d.ignore.push(rule)
      })
    },
    dir: (e, p) => {
      d.dir = readString(r, e.value, p) || undefined
    },
    main: (e, p) => {
      d.main = readString(r, e.value, p) || undefined
    },
    binary: (e, p) => {
      d.binary = readTemplate(r, e.value, p)
    },
    hooks: (e, p) => {
      const m = walk(r, e.value, p, { pre: () => undefined, post: () => undefined })
      if (
        m &&
        m.entries.some(
          h => !isNull(h.value) && !(h.value.kind === 'seq' && h.value.items.length === 0)
        )
      ) {
        r.error(
          e.keyLine,
          p,
          'build hooks run commands that can change the binaries, and go-package-action does not run them; run the commands in a workflow step before the action, and remove the hooks'
        )
      }
    },
    builder: (e, p) => {
      const s = readString(r, e.value, p)
      if (s && s !== 'go')
        r.error(e.keyLine, p, `builder ${JSON.stringify(s)}: go-package-action builds Go only`)
    },
    tool: goBinary('tool'),
    gobinary: {
      deprecated: 'write `tool` instead of `gobinary`',
      read: goBinary('gobinary')
    },
    command: (e, p) => {
      const s = readString(r, e.value, p)
      if (s && s !== 'build')
        r.error(e.keyLine, p, `command ${JSON.stringify(s)}: go-package-action runs go build only`)
    },
    mod_timestamp: (e, p) => {
      d.modTimestamp = readTemplate(r, e.value, p)
    },
    skip: (e, p) => {
      d.skip = readTemplatedBool(r, e.value, p)
    },
    no_unique_dist_dir: {
      warn: `GoReleaser's dist layout does not apply: the action writes to its output-dir; this key is ignored`
    },
    no_main_check: ignored('skipping the main package check is'),
    buildmode: (e, p) => {
      const s = readString(r, e.value, p) ?? ''
      if (s === '' || s === 'pie') d.buildmode = s
      else
        r.error(
          e.keyLine,
          p,
          `buildmode ${JSON.stringify(s)} is not supported by go-package-action (it builds executables: leave it empty or write pie)`
        )
    },
    ldflags: (e, p) => {
      d.ldflags = templates(r, e.value, p, readStringArray)
    },
    tags: (e, p) => {
      d.tags = templates(r, e.value, p, readFlagArray)
    },
    flags: (e, p) => {
      d.flags = templates(r, e.value, p, readFlagArray)
    },
    asmflags: (e, p) => {
      d.asmflags = templates(r, e.value, p, readStringArray)
    },
    gcflags: (e, p) => {
      d.gcflags = templates(r, e.value, p, readStringArray)
    },
    env: (e, p) => {
      d.env = templates(r, e.value, p, readList)
    },
    overrides: (e, p) => {
      if (!isNull(e.value) && !(e.value.kind === 'seq' && e.value.items.length === 0)) {
        r.error(
          e.keyLine,
          p,
          'per-target overrides are not supported by go-package-action; write a separate build for those targets'
        )
      }
    }
  })
  return finishBuild(r, d, path)
}

function finishBuild(r: Reader, d: BuildDraft, path: string): Build {
  let targets: GoReleaserTarget[] = []
  if (d.targets && d.targets.length > 0) {
    // WithDefaults: targets wins; the other target keys are ignored (warnIfTargetsAndOtherOptionTogether).
    for (const k of d.matrixKeys) {
      r.warn(
        k.line,
        join(path, k.key),
        `ignored because ${path}.targets is set (as GoReleaser does)`
      )
    }
    const seen = new Set<string>()
    for (const t of d.targets) {
      try {
        for (const target of parseTargetEntry(t.value)) {
          const name = targetName(target)
          if (!seen.has(name)) {
            seen.add(name)
            targets.push(target)
          }
        }
      } catch (e) {
        if (!(e instanceof InvalidTargetValue)) throw e
        r.error(
          t.line,
          t.path,
          `${JSON.stringify(t.value)} is not a valid build target (${e.message}; write goos_goarch or goos_goarch_variant, e.g. linux_arm_7)`
        )
      }
    }
  } else {
    const variants = Object.fromEntries(
      VARIANT_FIELDS.map(f => [f, d.variants[f]?.length ? d.variants[f] : [DEFAULT_VARIANTS[f]]])
    ) as Record<VariantField, string[]>
    try {
      targets = expandTargets({
        goos: d.goos.length ? d.goos : DEFAULT_GOOS,
        goarch: d.goarch.length ? d.goarch : DEFAULT_GOARCH,
        variants,
        ignore: d.ignore
      })
    } catch (e) {
      if (!(e instanceof InvalidTargetValue)) throw e
      const line = d.matrixKeys.find(k => k.key === e.field)?.line ?? d.matrixLine
      r.error(line, join(path, e.field), `invalid ${e.field}: ${e.value} (GoReleaser refuses it)`)
    }
  }
  return {
    ...(d.id !== undefined ? { id: d.id } : {}),
    skip: d.skip,
    dir: d.dir ?? '.',
    main: d.main ?? '.',
    binary: d.binary ?? r.defaultTemplate('{{ .ProjectName }}', join(path, 'binary')),
    targets,
    flags: d.flags,
    ldflags: d.ldflags.length
      ? d.ldflags
      : [r.defaultTemplate(DEFAULT_LDFLAGS, join(path, 'ldflags'))],
    tags: d.tags,
    asmflags: d.asmflags,
    gcflags: d.gcflags,
    env: d.env,
    buildmode: d.buildmode,
    ...(d.modTimestamp ? { modTimestamp: d.modTimestamp } : {})
  }
}

// ---------------------------------------------------------------------------------------------
// archives

function readFormat(
  r: Reader,
  value: string,
  line: number,
  path: string,
  allowNone: boolean
): ArchiveFormat | 'none' | undefined {
  if ((SUPPORTED_FORMATS as readonly string[]).includes(value)) return value as ArchiveFormat
  if (allowNone && value === 'none') return 'none'
  if (GORELEASER_FORMATS.includes(value)) {
    r.error(
      line,
      path,
      `archive format ${JSON.stringify(value)} is not supported by go-package-action (it writes ${SUPPORTED_FORMATS.join(', ')})`
    )
  } else {
    r.error(
      line,
      path,
      `invalid archive format ${JSON.stringify(value)} (GoReleaser knows ${GORELEASER_FORMATS.join(', ')}${allowNone ? ', none' : ''})`
    )
  }
  return undefined
}

function readFormats(
  r: Reader,
  node: YNode,
  path: string,
  allowNone: boolean
): (ArchiveFormat | 'none')[] {
  const values = readStringArray(r, node, path)
  const out: (ArchiveFormat | 'none')[] = []
  values.forEach((v, i) => {
    const line = node.kind === 'seq' ? (node.items[i]?.line ?? node.line) : node.line
    const f = readFormat(r, v, line, node.kind === 'seq' ? `${path}[${i}]` : path, allowNone)
    if (f) out.push(f)
  })
  return out
}

export function readFileInfo(r: Reader, node: YNode, path: string): FileInfo {
  const info: { owner?: Templated; group?: Templated; mode?: number; mtime?: Templated } = {}
  walk(r, node, path, {
    owner: (e, p) => {
      const t = readTemplate(r, e.value, p)
      if (t) info.owner = t
    },
    group: (e, p) => {
      const t = readTemplate(r, e.value, p)
      if (t) info.group = t
    },
    mode: (e, p) => {
      const m = readMode(r, e.value, p)
      if (m !== undefined) info.mode = m
    },
    mtime: (e, p) => {
      const t = readTemplate(r, e.value, p)
      if (t) info.mtime = t
    }
  })
  return info
}

function readArchiveFile(r: Reader, node: YNode, path: string): ArchiveFile | undefined {
  // pkg/config/marshaler.go: a string is a src glob.
  if (node.kind === 'scalar') {
    const s = readString(r, node, path)
    return s ? { src: r.template(s, node.line, path), stripParent: false } : undefined
  }
  let src: Templated | undefined
  let dst: string | undefined
  let stripParent = false
  let info: FileInfo | undefined
  walk(r, node, path, {
    src: (e, p) => {
      src = readTemplate(r, e.value, p)
    },
    dst: (e, p) => {
      dst = readString(r, e.value, p) || undefined
    },
    strip_parent: (e, p) => {
      stripParent = readBool(r, e.value, p) ?? false
    },
    info: (e, p) => {
      info = readFileInfo(r, e.value, p)
    }
  })
  if (!src) {
    r.error(node.line, path, 'src is missing: name the files with a glob in src')
    return undefined
  }
  return { src, ...(dst !== undefined ? { dst } : {}), stripParent, ...(info ? { info } : {}) }
}

interface ReplacementsEntry {
  line: number
  path: string
  pairs: [string, string][]
}

function readReplacements(r: Reader, e: YEntry, p: string): ReplacementsEntry {
  const pairs: [string, string][] = []
  if (e.value.kind === 'map') {
    for (const kv of e.value.entries) {
      const to = readString(r, kv.value, `${p}.${kv.key}`)
      if (to !== undefined) pairs.push([kv.key, to])
    }
  }
  return { line: e.keyLine, path: p, pairs }
}

function replacementsProblem(rep: ReplacementsEntry, key: string, template: string): string {
  const { template: suggested, replaced } = replacementTemplate(template, rep.pairs)
  const how =
    replaced && parses(suggested)
      ? `write the name as a template instead: ${key}: ${JSON.stringify(suggested)}`
      : `write the replacements into ${key} with {{ if eq .Os "…" }}…{{ else }}{{ .Os }}{{ end }} (and the same for .Arch and .Arm)`
  return `removed in GoReleaser v2; ${how}`
}

function parses(text: string): boolean {
  try {
    parseTemplate(text)
    return true
  } catch {
    return false
  }
}

function readArchive(r: Reader, node: YMap, path: string): Archive {
  let id = 'default'
  const ids: string[] = []
  const builds: string[] = []
  let nameTemplate: Templated | undefined
  const formats: (ArchiveFormat | 'none')[] = []
  let format: ArchiveFormat | undefined
  const formatOverrides: { goos: string; formats: (ArchiveFormat | 'none')[] }[] = []
  let files: ArchiveFile[] | undefined
  let buildsInfo: FileInfo = {}
  let wrapInDirectory: TemplatedBool = false
  let stripBinaryDirectory = false
  let allowDifferentBinaryCount = false
  let meta = false
  let replacements: ReplacementsEntry | undefined

  const stripBinary = (e: YEntry, p: string) => {
    stripBinaryDirectory = readBool(r, e.value, p) ?? false
  }
  walk(r, node, path, {
    id: (e, p) => {
      id = readString(r, e.value, p) || 'default'
    },
    ids: (e, p) => {
      ids.push(...readList(r, e.value, p))
    },
    builds: {
      deprecated: 'write `ids` instead of `builds`',
      read: (e, p) => {
        builds.push(...readList(r, e.value, p))
      }
    },
    builds_info: (e, p) => {
      buildsInfo = readFileInfo(r, e.value, p)
    },
    name_template: (e, p) => {
      nameTemplate = readTemplate(r, e.value, p)
    },
    formats: (e, p) => {
      formats.push(...readFormats(r, e.value, p, false))
    },
    format: {
      deprecated: 'write `formats: [...]` instead of `format`',
      read: (e, p) => {
        const s = readString(r, e.value, p)
        const f = s ? readFormat(r, s, e.keyLine, p, false) : undefined
        if (f && f !== 'none') format = f
      }
    },
    format_overrides: (e, p) => {
      eachItem(r, e.value, p, (item, ip, line) => {
        let goos = ''
        const fs: (ArchiveFormat | 'none')[] = []
        const single: (ArchiveFormat | 'none')[] = []
        walk(r, item, ip, {
          goos: (f, fp) => {
            goos = readString(r, f.value, fp) ?? ''
          },
          formats: (f, fp) => {
            fs.push(...readFormats(r, f.value, fp, true))
          },
          format: {
            deprecated: 'write `formats: [...]` instead of `format`',
            read: (f, fp) => {
              const s = readString(r, f.value, fp)
              const v = s ? readFormat(r, s, f.keyLine, fp, true) : undefined
              if (v) single.push(v)
            }
          }
        })
        if (!goos) r.error(line, ip, 'goos is missing: name the GOOS the formats are for')
        // archive.go appends the deprecated format after formats.
        formatOverrides.push({ goos, formats: [...fs, ...single] })
      })
    },
    wrap_in_directory: (e, p) => {
      wrapInDirectory = readTemplatedBool(r, e.value, p)
    },
    strip_binary_directory: stripBinary,
    strip_parent_binary_folder: {
      removed: 'write `strip_binary_directory` instead',
      v1: stripBinary
    },
    rlcp: {
      removed: 'remove it: it is the default',
      v1: () => undefined
    },
    files: (e, p) => {
      files = []
      eachItem(r, e.value, p, (item, ip) => {
        const f = readArchiveFile(r, item, ip)
        if (f) files?.push(f)
      })
    },
    meta: (e, p) => {
      meta = readBool(r, e.value, p) ?? false
    },
    allow_different_binary_count: (e, p) => {
      allowDifferentBinaryCount = readBool(r, e.value, p) ?? false
    },
    replacements: (e, p) => {
      replacements = readReplacements(r, e, p)
    }
  })

  const allFormats = [...formats, ...(format ? [format] : [])].filter(
    (f): f is ArchiveFormat => f !== 'none'
  )
  const finalFormats: ArchiveFormat[] = allFormats.length ? allFormats : ['tar.gz']
  const name =
    nameTemplate ??
    r.defaultTemplate(
      finalFormats.includes('binary') ? DEFAULT_BINARY_ARCHIVE_NAME : DEFAULT_ARCHIVE_NAME,
      join(path, 'name_template')
    )
  if (replacements) {
    r.error(
      replacements.line,
      replacements.path,
      replacementsProblem(replacements, 'name_template', name.text)
    )
  }
  return {
    id,
    ids: [...ids, ...builds],
    nameTemplate: name,
    formats: finalFormats,
    formatOverrides,
    files:
      files && files.length > 0
        ? files
        : DEFAULT_ARCHIVE_FILES.map(src => ({
            src: r.defaultTemplate(src, join(path, 'files')),
            stripParent: false,
            defaulted: true as const
          })),
    buildsInfo: { ...buildsInfo, mode: 0o755 },
    wrapInDirectory,
    stripBinaryDirectory,
    allowDifferentBinaryCount,
    meta
  }
}

// ---------------------------------------------------------------------------------------------
// checksum, snapshot, release

function readChecksum(r: Reader, node: YNode, path: string): Checksum {
  let nameTemplate: Templated | undefined
  let algorithm: 'sha256' | 'sha512' = 'sha256'
  let disable = false
  const ids: string[] = []
  walk(r, node, path, {
    name_template: (e, p) => {
      nameTemplate = readTemplate(r, e.value, p)
    },
    algorithm: (e, p) => {
      const s = readString(r, e.value, p) ?? ''
      if (s === '' || s === 'sha256' || s === 'sha512') algorithm = s || 'sha256'
      else
        r.error(
          e.keyLine,
          p,
          `checksum algorithm ${JSON.stringify(s)} is not supported by go-package-action (it writes sha256 or sha512)`
        )
    },
    split: (e, p) => {
      if (readBool(r, e.value, p))
        r.error(
          e.keyLine,
          p,
          'a checksum file per artifact is not supported by go-package-action (it writes one checksums file); remove split'
        )
    },
    ids: (e, p) => {
      ids.push(...readList(r, e.value, p))
    },
    disable: (e, p) => {
      disable = readBool(r, e.value, p) ?? false
    },
    extra_files: (e, p) => {
      if (!isNull(e.value) && !(e.value.kind === 'seq' && e.value.items.length === 0)) {
        r.error(
          e.keyLine,
          p,
          'checksums of extra files are not supported by go-package-action; remove extra_files'
        )
      }
    }
  })
  return {
    nameTemplate:
      nameTemplate ?? r.defaultTemplate(DEFAULT_CHECKSUM_NAME, join(path, 'name_template')),
    algorithm,
    disable,
    ids
  }
}

function readSnapshot(r: Reader, node: YNode, path: string): Snapshot {
  let versionTemplate: Templated | undefined
  let nameTemplate: Templated | undefined
  walk(r, node, path, {
    version_template: (e, p) => {
      versionTemplate = readTemplate(r, e.value, p)
    },
    name_template: {
      deprecated: 'write `version_template` instead of `name_template`',
      read: (e, p) => {
        nameTemplate = readTemplate(r, e.value, p)
      }
    }
  })
  // internal/pipe/snapshot: a name_template, when set, replaces version_template.
  return {
    versionTemplate:
      nameTemplate ??
      versionTemplate ??
      r.defaultTemplate(DEFAULT_SNAPSHOT_VERSION, join(path, 'version_template'))
  }
}

const MODES: readonly ReleaseNotesMode[] = ['keep-existing', 'append', 'prepend', 'replace']

function readRelease(r: Reader, node: YNode, path: string): Release {
  let disable: TemplatedBool = false
  let skipUpload: TemplatedBool = false
  let draft = false
  let replaceExistingDraft = false
  let useExistingDraft = false
  let replaceExistingArtifacts = false
  let prerelease: 'auto' | boolean = false
  let makeLatest: 'auto' | boolean | Templated | undefined
  let nameTemplate: Templated | undefined
  let mode: ReleaseNotesMode = 'keep-existing'
  let header: Templated | undefined
  let footer: Templated | undefined
  const extraFiles: { glob: Templated; nameTemplate?: Templated }[] = []
  const ids: string[] = []
  let github: { owner: string; name: string } | undefined
  const bool = (set: (b: boolean) => void) => (e: YEntry, p: string) =>
    set(readBool(r, e.value, p) ?? false)
  walk(r, node, path, {
    github: (e, p) => {
      const repo = { owner: '', name: '' }
      walk(r, e.value, p, {
        owner: (f, fp) => {
          repo.owner = readString(r, f.value, fp) ?? ''
        },
        name: (f, fp) => {
          repo.name = readString(r, f.value, fp) ?? ''
        }
      })
      github = repo
      r.warn(
        e.keyLine,
        p,
        `go-package-action releases to the workflow's repository; ${p} is not used to choose it`
      )
    },
    gitlab: ignored('releasing to GitLab is'),
    gitea: ignored('releasing to Gitea is'),
    draft: bool(b => (draft = b)),
    replace_existing_draft: bool(b => (replaceExistingDraft = b)),
    use_existing_draft: bool(b => (useExistingDraft = b)),
    replace_existing_artifacts: bool(b => (replaceExistingArtifacts = b)),
    target_commitish: { warn: `the release is made for the workflow's ref; ${NOT_DONE}` },
    discussion_category_name: ignored('opening a release discussion is'),
    disable: (e, p) => {
      disable = readTemplatedBool(r, e.value, p)
    },
    skip_upload: (e, p) => {
      skipUpload = readTemplatedBool(r, e.value, p)
    },
    prerelease: (e, p) => {
      const s = readString(r, e.value, p) ?? ''
      if (s === 'auto') prerelease = 'auto'
      else if (s === 'true') prerelease = true
      else if (s === 'false' || s === '') prerelease = false
      else r.error(e.keyLine, p, `must be auto, true or false, not ${JSON.stringify(s)}`)
    },
    make_latest: (e, p) => {
      const s = readString(r, e.value, p) ?? ''
      if (s === 'auto') makeLatest = 'auto'
      else if (s === 'true') makeLatest = true
      else if (s === 'false') makeLatest = false
      else if (s.includes('{{')) makeLatest = r.template(s, e.value.line, p)
      else if (s !== '')
        r.error(e.keyLine, p, `must be auto, true, false or a template, not ${JSON.stringify(s)}`)
    },
    name_template: (e, p) => {
      nameTemplate = readTemplate(r, e.value, p)
    },
    ids: (e, p) => {
      ids.push(...readList(r, e.value, p))
    },
    extra_files: (e, p) => {
      eachItem(r, e.value, p, (item, ip, line) => {
        let glob: Templated | undefined
        let name: Templated | undefined
        walk(r, item, ip, {
          glob: (f, fp) => {
            glob = readTemplate(r, f.value, fp)
          },
          name_template: (f, fp) => {
            name = readTemplate(r, f.value, fp)
          }
        })
        if (!glob) r.error(line, ip, 'glob is missing')
        else extraFiles.push({ glob, ...(name ? { nameTemplate: name } : {}) })
      })
    },
    header: (e, p) => {
      header = readTemplate(r, e.value, p)
    },
    footer: (e, p) => {
      footer = readTemplate(r, e.value, p)
    },
    mode: (e, p) => {
      const s = readString(r, e.value, p) ?? ''
      if ((MODES as readonly string[]).includes(s)) mode = s as ReleaseNotesMode
      else if (s !== '')
        r.error(e.keyLine, p, `must be one of ${MODES.join(', ')}, not ${JSON.stringify(s)}`)
    },
    include_meta: (e, p) => {
      if (readBool(r, e.value, p)) {
        r.error(
          e.keyLine,
          p,
          `uploading GoReleaser's metadata.json and artifacts.json is not done by go-package-action; remove include_meta`
        )
      }
    }
  })
  return {
    disable,
    skipUpload,
    draft,
    replaceExistingDraft,
    useExistingDraft,
    replaceExistingArtifacts,
    prerelease,
    ...(makeLatest !== undefined ? { makeLatest } : {}),
    nameTemplate:
      nameTemplate ?? r.defaultTemplate(DEFAULT_RELEASE_NAME, join(path, 'name_template')),
    mode,
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
    extraFiles,
    ids,
    ...(github ? { github } : {})
  }
}

// ---------------------------------------------------------------------------------------------
// nfpms

type Spec =
  | 'string'
  | 'list'
  | 'bool'
  | 'int'
  | 'map'
  | 'signature'
  | { readonly [key: string]: Spec }
  | readonly [Spec]

const SCRIPTS_UPGRADE: Spec = { preupgrade: 'string', postupgrade: 'string' }
/** pkg/config/config.go NFPMDeb, NFPMRPM, NFPMAPK, NFPMArchLinux, NFPMIPK. */
const PACKAGER_SPECS: Readonly<Record<string, Spec>> = {
  deb: {
    scripts: { rules: 'string', templates: 'string', config: 'string' },
    triggers: {
      interest: 'list',
      interest_await: 'list',
      interest_noawait: 'list',
      activate: 'list',
      activate_await: 'list',
      activate_noawait: 'list'
    },
    breaks: 'list',
    signature: 'signature',
    lintian_overrides: 'list',
    compression: 'string',
    fields: 'map',
    predepends: 'list'
  },
  rpm: {
    summary: 'string',
    group: 'string',
    compression: 'string',
    signature: 'signature',
    scripts: { pretrans: 'string', posttrans: 'string' },
    prefixes: 'list',
    packager: 'string',
    buildhost: 'string'
  },
  apk: { scripts: SCRIPTS_UPGRADE, signature: 'signature' },
  archlinux: { pkgbase: 'string', packager: 'string', scripts: SCRIPTS_UPGRADE },
  ipk: {
    abi_version: 'string',
    alternatives: [{ priority: 'int', target: 'string', link_name: 'string' }],
    auto_installed: 'bool',
    essential: 'bool',
    predepends: 'list',
    tags: 'list',
    fields: 'map'
  }
}

function readSpec(r: Reader, node: YNode, path: string, spec: Spec): unknown {
  if (spec === 'string') return readString(r, node, path)
  if (spec === 'list') return readList(r, node, path)
  if (spec === 'bool') return readBool(r, node, path)
  if (spec === 'int') return readInt(r, node, path)
  if (spec === 'map') return readStringMap(r, node, path)
  if (spec === 'signature') {
    if (!isNull(node) && !(node.kind === 'map' && node.entries.length === 0)) {
      r.error(
        node.line,
        path,
        'signing packages is not done by go-package-action, so the package would ship unsigned; remove the signature'
      )
    }
    return undefined
  }
  if (Array.isArray(spec)) {
    const out: unknown[] = []
    eachItem(r, node, path, (item, ip) =>
      out.push(readSpec(r, item, ip, (spec as readonly [Spec])[0]))
    )
    return out
  }
  const obj: Record<string, unknown> = {}
  const rules: Record<string, Rule> = {}
  for (const [k, s] of Object.entries(spec as Record<string, Spec>)) {
    rules[k] = (e, p) => {
      const v = readSpec(r, e.value, p, s)
      if (v !== undefined) obj[k] = v
    }
  }
  walk(r, node, path, rules)
  return obj
}

function readContents(r: Reader, node: YNode, path: string): NfpmContent[] {
  const out: NfpmContent[] = []
  eachItem(r, node, path, (item, ip, line) => {
    const c: {
      src?: Templated
      dst?: Templated
      type?: string
      packager?: string
      fileInfo?: FileInfo
      expand: boolean
    } = { expand: false }
    walk(r, item, ip, {
      src: (e, p) => {
        c.src = readTemplate(r, e.value, p)
      },
      dst: (e, p) => {
        c.dst = readTemplate(r, e.value, p)
      },
      type: (e, p) => {
        const s = readString(r, e.value, p)
        if (s) c.type = s
      },
      packager: (e, p) => {
        const s = readString(r, e.value, p)
        if (s) c.packager = s
      },
      file_info: (e, p) => {
        c.fileInfo = readFileInfo(r, e.value, p)
      },
      expand: (e, p) => {
        c.expand = readBool(r, e.value, p) ?? false
      }
    })
    if (!c.dst) r.error(line, ip, 'dst is missing: every content needs a destination')
    else {
      out.push({
        src: c.src ?? r.template('', line, join(ip, 'src')),
        dst: c.dst,
        ...(c.type ? { type: c.type } : {}),
        ...(c.packager ? { packager: c.packager } : {}),
        ...(c.fileInfo ? { fileInfo: c.fileInfo } : {}),
        expand: c.expand
      })
    }
  })
  return out
}

type MutableOverridable = { -readonly [K in keyof NfpmOverridable]: NfpmOverridable[K] }

/** The rules of NFPMOverridables shared by an nfpm and its overrides (without the packager sections). */
function overridableRules(r: Reader, o: MutableOverridable): Record<string, Rule> {
  const list =
    (k: 'dependencies' | 'recommends' | 'suggests' | 'conflicts' | 'replaces' | 'provides'): Rule =>
    (e, p) => {
      o[k] = readList(r, e.value, p)
    }
  const str =
    (k: 'epoch' | 'release' | 'prerelease' | 'versionMetadata'): Rule =>
    (e, p) => {
      const s = readString(r, e.value, p)
      if (s) o[k] = s
    }
  return {
    file_name_template: (e, p) => {
      o.fileNameTemplate = readTemplate(r, e.value, p)
    },
    package_name: (e, p) => {
      o.packageName = readTemplate(r, e.value, p)
    },
    epoch: str('epoch'),
    release: str('release'),
    prerelease: str('prerelease'),
    version_metadata: str('versionMetadata'),
    dependencies: list('dependencies'),
    recommends: list('recommends'),
    suggests: list('suggests'),
    conflicts: list('conflicts'),
    replaces: list('replaces'),
    provides: list('provides'),
    umask: (e, p) => {
      const m = readMode(r, e.value, p)
      if (m !== undefined) o.umask = m
    },
    contents: (e, p) => {
      o.contents = readContents(r, e.value, p)
    },
    scripts: (e, p) => {
      const s: { -readonly [K in keyof NfpmScripts]: NfpmScripts[K] } = {}
      walk(r, e.value, p, {
        preinstall: (f, fp) => {
          s.preinstall = readTemplate(r, f.value, fp)
        },
        postinstall: (f, fp) => {
          s.postinstall = readTemplate(r, f.value, fp)
        },
        preremove: (f, fp) => {
          s.preremove = readTemplate(r, f.value, fp)
        },
        postremove: (f, fp) => {
          s.postremove = readTemplate(r, f.value, fp)
        }
      })
      o.scripts = Object.fromEntries(
        Object.entries(s).filter(([, v]) => v !== undefined)
      ) as NfpmScripts
    }
  }
}

function readNfpm(r: Reader, node: YNode, path: string): Nfpm | undefined {
  if (node.kind !== 'map') {
    r.error(node.line, path, 'must be a mapping')
    return undefined
  }
  const o: MutableOverridable = {}
  const n: {
    id: string
    ids: string[]
    builds: string[]
    formats: string[]
    vendor?: string
    homepage?: Templated
    maintainer?: Templated
    description?: Templated
    license?: string
    bindir?: Templated
    section?: string
    priority?: string
    meta: boolean
    mtime?: Templated
    goamd64: string[]
    packagers: Record<string, NfpmPackagerSection>
    overrides: Record<string, NfpmOverridable>
  } = {
    id: 'default',
    ids: [],
    builds: [],
    formats: [],
    meta: false,
    goamd64: [],
    packagers: {},
    overrides: {}
  }
  let replacements: ReplacementsEntry | undefined
  const str =
    (k: 'vendor' | 'license' | 'section' | 'priority'): Rule =>
    (e, p) => {
      const s = readString(r, e.value, p)
      if (s) n[k] = s
    }
  const tmpl =
    (k: 'homepage' | 'maintainer' | 'description' | 'bindir' | 'mtime'): Rule =>
    (e, p) => {
      n[k] = readTemplate(r, e.value, p)
    }
  const packagers: Record<string, Rule> = {}
  for (const [k, spec] of Object.entries(PACKAGER_SPECS)) {
    packagers[k] = (e, p) => {
      n.packagers[k] = readSpec(r, e.value, p, spec) as NfpmPackagerSection
    }
  }
  walk(r, node, path, {
    ...overridableRules(r, o),
    ...packagers,
    id: (e, p) => {
      n.id = readString(r, e.value, p) || 'default'
    },
    ids: (e, p) => {
      n.ids = readList(r, e.value, p)
    },
    builds: {
      deprecated: 'write `ids` instead of `builds`',
      read: (e, p) => {
        n.builds = readList(r, e.value, p)
      }
    },
    formats: (e, p) => {
      n.formats = readList(r, e.value, p)
      n.formats.forEach((f, i) => {
        if (!NFPM_FORMATS.includes(f)) {
          const item = e.value.kind === 'seq' ? e.value.items[i] : undefined
          r.error(
            item?.line ?? e.keyLine,
            `${p}[${i}]`,
            `invalid package format ${JSON.stringify(f)} (GoReleaser knows ${NFPM_FORMATS.join(', ')})`
          )
        }
      })
    },
    section: str('section'),
    priority: str('priority'),
    vendor: str('vendor'),
    homepage: tmpl('homepage'),
    maintainer: tmpl('maintainer'),
    description: tmpl('description'),
    license: str('license'),
    bindir: tmpl('bindir'),
    mtime: tmpl('mtime'),
    meta: (e, p) => {
      n.meta = readBool(r, e.value, p) ?? false
    },
    goamd64: (e, p) => {
      n.goamd64 = readList(r, e.value, p)
    },
    libdirs: {
      warn: 'only used for c-archive and c-shared builds, which go-package-action does not make; ignored'
    },
    changelog: (e, p) => {
      if (readString(r, e.value, p)) {
        r.error(
          e.keyLine,
          p,
          'a changelog inside the package is not supported by go-package-action; remove it'
        )
      }
    },
    overrides: (e, p) => {
      if (isNull(e.value)) return
      if (e.value.kind !== 'map') {
        r.error(e.keyLine, p, 'must be a mapping of packager (deb, rpm, apk, …) to settings')
        return
      }
      for (const pk of e.value.entries) {
        const op = join(p, pk.key)
        if (!NFPM_FORMATS.includes(pk.key)) {
          r.error(
            pk.keyLine,
            op,
            `unknown packager ${JSON.stringify(pk.key)} (GoReleaser knows ${NFPM_FORMATS.join(', ')})`
          )
          continue
        }
        const ov: MutableOverridable = {}
        const refused: Record<string, Rule> = {}
        for (const k of Object.keys(PACKAGER_SPECS)) {
          refused[k] = {
            error: `packager settings inside overrides are not supported by go-package-action; write them in ${path}.${k}`
          }
        }
        walk(r, pk.value, op, { ...overridableRules(r, ov), ...refused })
        n.overrides[pk.key] = ov
      }
    },
    replacements: (e, p) => {
      replacements = readReplacements(r, e, p)
    }
  })
  const fileNameTemplate =
    o.fileNameTemplate ??
    r.defaultTemplate(DEFAULT_NFPM_FILE_NAME, join(path, 'file_name_template'))
  if (replacements) {
    // The suggestion is written for the name as it is given, {{ .ProjectName }} left as it is.
    r.error(
      replacements.line,
      replacements.path,
      replacementsProblem(replacements, 'file_name_template', fileNameTemplate.text)
    )
  }
  return {
    id: n.id,
    ids: [...n.ids, ...n.builds],
    formats: n.formats,
    packageName:
      o.packageName ?? r.defaultTemplate('{{ .ProjectName }}', join(path, 'package_name')),
    fileNameTemplate,
    ...(n.vendor ? { vendor: n.vendor } : {}),
    ...(n.homepage ? { homepage: n.homepage } : {}),
    ...(n.maintainer ? { maintainer: n.maintainer } : {}),
    ...(n.description ? { description: n.description } : {}),
    ...(n.license ? { license: n.license } : {}),
    bindir: n.bindir ?? r.defaultTemplate('/usr/bin', join(path, 'bindir')),
    ...(n.section ? { section: n.section } : {}),
    ...(n.priority ? { priority: n.priority } : {}),
    meta: n.meta,
    ...(o.epoch ? { epoch: o.epoch } : {}),
    ...(o.release ? { release: o.release } : {}),
    ...(o.prerelease ? { prerelease: o.prerelease } : {}),
    ...(o.versionMetadata ? { versionMetadata: o.versionMetadata } : {}),
    ...(o.umask !== undefined ? { umask: o.umask } : {}),
    ...(n.mtime ? { mtime: n.mtime } : {}),
    goamd64: n.goamd64,
    dependencies: o.dependencies ?? [],
    recommends: o.recommends ?? [],
    suggests: o.suggests ?? [],
    conflicts: o.conflicts ?? [],
    replaces: o.replaces ?? [],
    provides: o.provides ?? [],
    contents: o.contents ?? [],
    scripts: o.scripts ?? {},
    ...n.packagers,
    overrides: n.overrides
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as object)) deepFreeze(v)
  }
  return value
}
