// A real project's release checkout, made from its module zip on the Go module proxy (the only
// source this machine reaches): the zip holds the whole tree, .goreleaser.yml, man pages and
// completions included. It is unpacked, optionally edited (the recorded "least change"), and
// committed and tagged at a fixed time by a fixed identity, so the same inputs give the same commit.
import { execFile, execFileSync } from 'node:child_process'
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { unzipSync } from 'fflate'
import { type Document, isMap, isScalar, parseDocument, YAMLSeq } from 'yaml'
import { gitEnv } from './fixtures.js'

const execFileAsync = promisify(execFile)

export const REAL_PROJECT_DATE = '2025-01-01T00:00:00Z'

export interface RealProjectOptions {
  /** Module path, e.g. github.com/schollz/croc/v10. */
  module: string
  /** Module version with its v, e.g. v10.7.0 (the tag made is this, as in the real repository). */
  version: string
  /** An empty or missing folder to unpack into. */
  dir: string
  /** The least change that lets the reference tool run (applied before the commit). */
  edit?: (dir: string) => void | Promise<void>
  /** Author and committer date of the commit (and the tag); default 2025-01-01T00:00:00Z. */
  time?: string
}

export interface RealProject {
  dir: string
  /** The commit's full sha. */
  commit: string
  /** The tag, e.g. v10.7.0. */
  tag: string
}

/**
 * The module zip, through `go mod download` (proxy + checksum database verified; kept in GOMODCACHE,
 * so later calls and later runs reuse it).
 */
export async function moduleZip(module: string, version: string): Promise<string> {
  const { stdout } = await execFileAsync(
    'go',
    ['mod', 'download', '-json', `${module}@${version}`],
    {
      cwd: os.tmpdir(),
      env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=mod' },
      maxBuffer: 16 * 1024 * 1024
    }
  ).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(
      `go mod download ${module}@${version} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`
    )
  })
  const info = JSON.parse(stdout) as { Zip?: string; Error?: string }
  if (!info.Zip) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? 'no zip'}`)
  return info.Zip
}

export async function realProject(opts: RealProjectOptions): Promise<RealProject> {
  const { module, version, dir } = opts
  const zip = unzipSync(new Uint8Array(await readFile(await moduleZip(module, version))))
  const prefix = `${module}@${version}/`
  await mkdir(dir, { recursive: true })
  if ((await readdir(dir)).length > 0) throw new Error(`realProject: ${dir} is not empty`)
  for (const [name, data] of Object.entries(zip)) {
    if (!name.startsWith(prefix)) throw new Error(`${module}@${version} zip: stray entry ${name}`)
    if (name.endsWith('/')) continue
    const file = path.join(dir, name.slice(prefix.length))
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, data)
    // Module zips carry no modes: every file is a plain 0644 one, whatever the umask.
    await chmod(file, 0o644)
  }
  await opts.edit?.(dir)

  const env = gitEnv(opts.time ?? REAL_PROJECT_DATE)
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
  git('init', '-q', '-b', 'main')
  // The remote a clone of the real repository has (GoReleaser's release defaults read it);
  // nothing is ever fetched from it.
  const repo = /^github\.com\/([^/]+\/[^/]+)/.exec(module)?.[1]
  if (repo) git('remote', 'add', 'origin', `https://github.com/${repo}.git`)
  git('add', '-A')
  git('-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', `Release ${version}`)
  git('-c', 'tag.gpgsign=false', 'tag', version)
  return { dir, commit: git('rev-parse', 'HEAD'), tag: version }
}

// ---- the two real projects of the acceptance test, and their recorded least changes ----

/** Edits dir/.goreleaser.yml through yaml's Document API (order and comments kept). */
export async function editGoreleaserYaml(
  dir: string,
  change: (doc: Document) => void,
  file = '.goreleaser.yml'
): Promise<void> {
  const where = path.join(dir, file)
  const doc: Document = parseDocument(await readFile(where, 'utf8'))
  change(doc)
  if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.join('\n')}`)
  await writeFile(where, doc.toString({ lineWidth: 0 }))
}

/** Renames a top-level key in place (same position), optionally wrapping its value in a list. */
function renameTopKey(doc: Document, from: string, to: string, wrapInList = false): void {
  if (!isMap(doc.contents)) throw new Error('.goreleaser.yml: not a map')
  const pair = doc.contents.items.find(p => isScalar(p.key) && p.key.value === from)
  if (!pair) throw new Error(`.goreleaser.yml: no ${from}:`)
  pair.key = doc.createNode(to)
  if (wrapInList) pair.value = seqOf(pair.value)
}

function seqOf(node: unknown): YAMLSeq {
  const seq = new YAMLSeq()
  seq.items.push(node)
  return seq
}

/** A Go template giving v1's `replacements:` result for one field (.Os / .Arch). */
export function replacementTemplate(field: string, replacements: Record<string, string>): string {
  const cases = Object.entries(replacements)
    .map(([from, to], i) => `{{ ${i ? 'else if' : 'if'} eq ${field} "${from}" }}${to}`)
    .join('')
  return `${cases}{{ else }}{{ ${field} }}{{ end }}`
}

/** croc's v1 replacements (archives and nfpms had the same map), split by the field they hit. */
export const CROC_ARCH_REPLACEMENTS = { amd64: '64bit', '386': '32bit', arm: 'ARM', arm64: 'ARM64' }
export const CROC_OS_REPLACEMENTS = {
  darwin: 'macOS',
  linux: 'Linux',
  windows: 'Windows',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  freebsd: 'FreeBSD',
  dragonfly: 'DragonFlyBSD'
}

/**
 * The least change that lets GoReleaser v2.15.1 run croc v10.7.0's version-1 file, giving the names
 * the v1 file gave:
 * - `version: 2` (v2 only warns without it, but the file is then v2 in every other respect);
 * - `build:` (one build, removed in v2) → `builds:` holding that build;
 * - archives[0] and nfpms[0] `replacements:` (removed in v2) → the same names by templates on .Os/.Arch
 *   in name_template / file_name_template;
 * - brews[0] `tap:` → `repository:`, `folder:` → `directory:` (renamed in v2; strict parsing
 *   rejects the old keys even though homebrew is skipped);
 * - `scoop:` (one, removed) → `scoops:` holding it, `bucket:` → `repository:`;
 * - archives[0].files `zsh_autocomplete`/`bash_autocomplete` → `src/install/…` (where they are; v2 fails
 *   on a literal file path that matches nothing).
 */
export async function crocLeastChange(dir: string): Promise<void> {
  await editGoreleaserYaml(dir, doc => {
    if (!isMap(doc.contents)) throw new Error('croc .goreleaser.yml: not a map')
    doc.contents.items.unshift(doc.createPair('version', 2))
    renameTopKey(doc, 'build', 'builds', true)
    const names = (template: string): string =>
      template
        .replace('{{.Os}}', replacementTemplate('.Os', CROC_OS_REPLACEMENTS))
        .replace('{{.Arch}}', replacementTemplate('.Arch', CROC_ARCH_REPLACEMENTS))
    for (const [list, key] of [
      ['archives', 'name_template'],
      ['nfpms', 'file_name_template']
    ] as const) {
      doc.setIn([list, 0, key], names(String(doc.getIn([list, 0, key]))))
      doc.deleteIn([list, 0, 'replacements'])
    }
    doc.setIn(['brews', 0, 'repository'], doc.getIn(['brews', 0, 'tap']))
    doc.deleteIn(['brews', 0, 'tap'])
    doc.setIn(['brews', 0, 'directory'], doc.getIn(['brews', 0, 'folder']))
    doc.deleteIn(['brews', 0, 'folder'])
    // The completions live in src/install/: v2's file globbing fails on a literal path that does
    // not exist ("globbing failed for pattern zsh_autocomplete"), so point at where they are.
    const files = doc.getIn(['archives', 0, 'files']) as YAMLSeq
    files.items = files.items.map(f =>
      isScalar(f) && /^(zsh|bash)_autocomplete$/.test(String(f.value))
        ? doc.createNode(`src/install/${String(f.value)}`)
        : f
    )
    renameTopKey(doc, 'scoop', 'scoops', true)
    doc.setIn(['scoops', 0, 'repository'], doc.getIn(['scoops', 0, 'bucket']))
    doc.deleteIn(['scoops', 0, 'bucket'])
  })
}

/**
 * croc cut to the targets the comparison needs (CI time): linux amd64 (.deb, host), arm64 (qemu
 * version check), arm/7 (goarm naming), windows amd64 (zip override). windows/arm drops out by
 * GoReleaser's valid-target filter, windows/arm64 by an added ignore.
 */
export async function crocCutTargets(dir: string): Promise<void> {
  await editGoreleaserYaml(dir, doc => {
    doc.setIn(['builds', 0, 'goos'], doc.createNode(['linux', 'windows']))
    doc.setIn(['builds', 0, 'goarch'], doc.createNode(['amd64', 'arm', 'arm64']))
    const ignore = doc.getIn(['builds', 0, 'ignore']) as YAMLSeq
    ignore.add(doc.createNode({ goos: 'windows', goarch: 'arm64' }))
  })
}

/**
 * k9s cut to linux arm64 (qemu version check; deb/rpm/apk) and windows amd64 (zip override): the
 * freebsd and osx builds go, linux keeps arm64 (+ arm/7 with withArm), windows keeps amd64.
 */
export function k9sCutTargets(withArm = false): (dir: string) => Promise<void> {
  return dir =>
    editGoreleaserYaml(dir, doc => {
      const builds = doc.get('builds') as YAMLSeq
      builds.items = builds.items.filter(b => {
        const id = isMap(b) ? String(b.get('id')) : ''
        return id === 'linux' || id === 'windows'
      })
      doc.setIn(['builds', 0, 'goarch'], doc.createNode(withArm ? ['arm64', 'arm'] : ['arm64']))
      doc.setIn(['builds', 1, 'goarch'], doc.createNode(['amd64']))
    })
}

export const CROC = {
  module: 'github.com/schollz/croc/v10',
  version: 'v10.7.0',
  edit: async (dir: string): Promise<void> => {
    await crocLeastChange(dir)
    await crocCutTargets(dir)
  }
} as const

/** k9s's file is already v2: only the target cut. */
export const K9S = {
  module: 'github.com/derailed/k9s',
  version: 'v0.50.16',
  edit: k9sCutTargets()
} as const
