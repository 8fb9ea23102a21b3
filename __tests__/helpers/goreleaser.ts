// GoReleaser as the reference the action is compared with (issue 17): built once per machine from
// the module proxy, run offline on a checkout, and its dist/ read back into plain data.
//
// What this relies on, read in GoReleaser v2.15.1's source: internal/pipe/env skips the token check
// with --skip=publish; the release pipe's defaults need a git remote (internal/pipe/git); .Date is
// time.Now() when the context is made (pkg/context), so runs differ in it.
import { execFile, spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdir, readFile, readdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createGunzip } from 'node:zlib'
import { promisify } from 'node:util'
import tar from 'tar-stream'
import { tempDir } from './fixtures.js'

const execFileAsync = promisify(execFile)

export const GORELEASER_MODULE = 'github.com/goreleaser/goreleaser/v2'
export const GORELEASER_VERSION = 'v2.15.1'
/** Shared with go-program.ts's builds: one folder of test binaries per machine. */
const BIN_DIR = path.join(os.tmpdir(), 'gpa-test-bin')
const BUILD_TIMEOUT_MS = 30 * 60_000

/**
 * What `release` skips: everything that talks to the outside world or needs tools the machine
 * lacks (cosign, syft, docker). Validation (clean tree, tag on HEAD) stays on, as in CI.
 */
export const GORELEASER_SKIPS = [
  'publish',
  'announce',
  'sign',
  'sbom',
  'docker',
  'ko',
  'homebrew',
  'scoop',
  'winget',
  'chocolatey',
  'snapcraft',
  'nix',
  'aur',
  'aur-source',
  'notarize',
  'mcp'
] as const

let built: Promise<string> | undefined

/**
 * The GoReleaser binary, `go install`ed once per machine and Go version. Jest workers (and other
 * test runs) that ask at once queue on a flock(1) lock; the loser finds the binary already there.
 */
export function goreleaserBinary(): Promise<string> {
  built ??= buildGoreleaser().catch((error: unknown) => {
    built = undefined
    throw error
  })
  return built
}

async function buildGoreleaser(): Promise<string> {
  const env = { ...process.env, GOWORK: 'off', GOFLAGS: '-buildvcs=false' }
  const { stdout: goVersion } = await execFileAsync('go', ['env', 'GOVERSION'], { env })
  const binary = path.join(BIN_DIR, `goreleaser-${GORELEASER_VERSION}-${goVersion.trim()}`)
  await mkdir(BIN_DIR, { recursive: true })
  // Inside the lock: build into a private GOBIN, then rename (atomic) onto the shared name.
  const script =
    '[ -x "$1" ] && exit 0; tmp=$(mktemp -d "$1.tmp-XXXXXX") || exit 1; ' +
    'GOBIN="$tmp" go install "$2" && mv "$tmp/goreleaser" "$1"; rc=$?; rm -rf "$tmp"; exit $rc'
  await execFileAsync(
    'flock',
    [
      `${binary}.lock`,
      'sh',
      '-c',
      script,
      'sh',
      binary,
      `${GORELEASER_MODULE}@${GORELEASER_VERSION}`
    ],
    { cwd: os.tmpdir(), env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }
  ).catch((error: { stderr?: string; code?: unknown; signal?: unknown }) => {
    throw new Error(
      `go install ${GORELEASER_MODULE}@${GORELEASER_VERSION} failed ` +
        `(${String(error.code ?? error.signal)}):\n${error.stderr ?? ''}`
    )
  })
  return binary
}

export interface GoReleaserRun {
  code: number
  stdout: string
  stderr: string
  /** The dist folder (the config's `dist:` is not read: the harness always uses the default). */
  dist: string
}

/** Variables that could let GoReleaser publish or find a token, dropped from its environment. */
const DROPPED =
  /^(GITHUB_TOKEN|GITLAB_TOKEN|GITEA_TOKEN|GH_TOKEN|GORELEASER_KEY|GORELEASER_.*TAG|ACTIONS_.*|GITHUB_.*|RUNNER_.*|CI)$/

/**
 * Runs GoReleaser in dir. args default to a full local release: `release --clean --skip=<GORELEASER_SKIPS>`.
 * The environment keeps Go's (GOPROXY, GOCACHE, GOMODCACHE, GOFLAGS…) but has no token, no CI
 * variables, and a fresh HOME (GoReleaser reads ~/.config/goreleaser/github_token), removed by
 * cleanupTempDirs().
 */
export async function runGoReleaser(
  dir: string,
  args: string[] = ['release', '--clean', `--skip=${GORELEASER_SKIPS.join(',')}`],
  env: NodeJS.ProcessEnv = {}
): Promise<GoReleaserRun> {
  const binary = await goreleaserBinary()
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !DROPPED.test(name))
  )
  const home = await tempDir('gpa-goreleaser-home-')
  const goenv = await goEnvDefaults()
  const child = spawn(binary, args, {
    cwd: dir,
    env: {
      ...base,
      // Keep the machine's Go caches even though HOME moves (they default to $HOME/...).
      ...goenv,
      HOME: home,
      NO_COLOR: '1',
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c, signal) => resolve(c ?? 128 + (os.constants.signals[signal!] ?? 0)))
  })
  return { code, stdout, stderr, dist: path.join(dir, 'dist') }
}

let goEnvCache: Promise<Record<string, string>> | undefined
function goEnvDefaults(): Promise<Record<string, string>> {
  goEnvCache ??= execFileAsync(
    'go',
    ['env', '-json', 'GOCACHE', 'GOMODCACHE', 'GOPATH', 'GOPROXY'],
    {
      env: { ...process.env, GOWORK: 'off' }
    }
  ).then(({ stdout }) => JSON.parse(stdout) as Record<string, string>)
  return goEnvCache
}

// ---- reading dist/ ----

/** One entry of dist/artifacts.json (the fields the comparison uses; the rest stay in `extra`). */
export interface GoReleaserArtifact {
  name: string
  /** Absolute (readDist resolves artifacts.json's relative paths). */
  path: string
  type: string
  goos?: string
  goarch?: string
  goarm?: string
  goamd64?: string
  goarm64?: string
  target?: string
  extra?: Record<string, unknown>
}

export interface ArchiveEntry {
  name: string
  /** Permission bits and file type as `ls -l` shows them, e.g. -rwxr-xr-x. */
  mode: string
  size: number
  /** Only for tar: what the header says (uid/gid/uname/gname/mtime). */
  uid?: number
  gid?: number
  uname?: string
  gname?: string
  mtime?: Date
}

export interface DistArchive extends GoReleaserArtifact {
  format: string
  entries: ArchiveEntry[]
}

export interface Dist {
  /** metadata.json: project_name, tag, previous_tag, version, commit, date, runtime. */
  metadata: Record<string, unknown>
  artifacts: GoReleaserArtifact[]
  archives: DistArchive[]
  /** nfpm output: .deb, .rpm, .apk (type "Linux Package"). */
  packages: GoReleaserArtifact[]
  binaries: GoReleaserArtifact[]
  checksums?: { name: string; lines: string[] }
  /** Every file under dist/, relative, sorted. */
  files: string[]
}

/** Reads GoReleaser's dist/: artifacts.json, metadata.json, and every archive's listing. */
export async function readDist(dist: string): Promise<Dist> {
  // artifacts.json paths are relative to the project folder (dist/...): made absolute here.
  const artifacts = (
    JSON.parse(await readFile(path.join(dist, 'artifacts.json'), 'utf8')) as GoReleaserArtifact[]
  ).map(a => ({ ...a, path: path.resolve(path.dirname(dist), a.path) }))
  const metadata = JSON.parse(await readFile(path.join(dist, 'metadata.json'), 'utf8')) as Record<
    string,
    unknown
  >
  const archives: DistArchive[] = []
  for (const a of artifacts.filter(x => x.type === 'Archive')) {
    const format = String(a.extra?.Format ?? path.extname(a.name).slice(1))
    archives.push({ ...a, format, entries: await listArchive(a.path) })
  }
  const sums = artifacts.find(a => a.type === 'Checksum')
  return {
    metadata,
    artifacts,
    archives,
    packages: artifacts.filter(a => a.type === 'Linux Package'),
    binaries: artifacts.filter(a => a.type === 'Binary'),
    checksums: sums && {
      name: sums.name,
      lines: (await readFile(sums.path, 'utf8')).split('\n').filter(Boolean)
    },
    files: await listFiles(dist)
  }
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)))
    else out.push(rel)
  }
  return out.sort()
}

/** The entries of a .tar.gz (read with tar-stream) or .zip (read with zipinfo), in archive order. */
export async function listArchive(file: string): Promise<ArchiveEntry[]> {
  if (file.endsWith('.zip')) return listZip(file)
  if (file.endsWith('.tar.gz') || file.endsWith('.tgz')) return listTarGz(file)
  throw new Error(`listArchive: unsupported archive ${file}`)
}

async function listTarGz(file: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = []
  const extract = tar.extract()
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      entries.push({
        name: h.name,
        mode: modeString(h.type ?? 'file', h.mode ?? 0),
        size: h.size ?? 0,
        uid: h.uid,
        gid: h.gid,
        uname: h.uname,
        gname: h.gname,
        mtime: h.mtime
      })
      stream.on('end', next)
      stream.resume()
    })
    extract.on('finish', resolve)
    extract.on('error', reject)
  })
  createReadStream(file).pipe(createGunzip()).pipe(extract)
  await done
  return entries
}

async function listZip(file: string): Promise<ArchiveEntry[]> {
  // zipinfo -l: "-rwxr-xr-x  2.0 unx  9154744 b- 3203283 defN 25-Jan-01 00:00 croc.exe"
  const { stdout } = await execFileAsync('zipinfo', ['-l', file], { maxBuffer: 16 * 1024 * 1024 })
  const entries: ArchiveEntry[] = []
  for (const line of stdout.split('\n')) {
    const m =
      /^([-dl][-rwxsStT]{9})\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line)
    if (m) entries.push({ name: m[3]!, mode: m[1]!, size: Number(m[2]) })
  }
  return entries
}

const TYPE_CHAR: Record<string, string> = { file: '-', directory: 'd', symlink: 'l' }

function modeString(type: string, mode: number): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => (mode & (1 << (8 - i)) ? c : '-'))
    .join('')
  return (TYPE_CHAR[type] ?? '?') + bits
}
