// A real Go release archive, repackaged from the machine's Go installation, so
// e2e tests can exercise download + verify + extract without the internet.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { GoToolchain } from '../../src/toolchain/setup-go.js'

const execFileAsync = promisify(execFile)

/** Shared across jest workers and test files; one archive per Go version. */
export const FIXTURE_DIR = path.join(os.tmpdir(), 'gpa-test-fixtures')

export interface GoArchive {
  version: string
  filename: string
  path: string
  sha256: string
  size: number
}

/** What is stored next to the archive; written last, so its presence marks a complete build. */
interface ArchiveMeta {
  sha256: string
  size: number
  goroot: string
  buildMs: number
}

// GOTOOLCHAIN=local stops `go` from switching to (and downloading) another toolchain.
const goEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' })

let machineGoPromise: Promise<{ version: string; goroot: string }> | undefined
let archivePromise: Promise<GoArchive> | undefined

/** The Go on PATH, e.g. `{ version: 'go1.26.8', goroot: '/usr/local/go' }`. */
export async function machineGo(): Promise<{ version: string; goroot: string }> {
  machineGoPromise ??= (async () => {
    const { stdout } = await execFileAsync('go', ['env', 'GOVERSION', 'GOROOT'], { env: goEnv() })
    const [version, goroot] = stdout.trim().split('\n')
    if (!version?.startsWith('go') || !goroot) {
      throw new Error(`unexpected \`go env GOVERSION GOROOT\` output: ${JSON.stringify(stdout)}`)
    }
    return { version, goroot }
  })()
  return await machineGoPromise
}

/**
 * `go<version>.linux-amd64.tar.gz` with a top-level `go/` directory holding the
 * whole GOROOT, like the official archive. Built once per machine and version.
 */
export async function goArchive(): Promise<GoArchive> {
  archivePromise ??= buildOrReuseArchive()
  return await archivePromise
}

async function buildOrReuseArchive(): Promise<GoArchive> {
  const { version, goroot } = await machineGo()
  await assertLinuxAmd64()
  const filename = `${version}.linux-amd64.tar.gz`
  const archivePath = path.join(FIXTURE_DIR, filename)
  const metaPath = `${archivePath}.json`
  await mkdir(FIXTURE_DIR, { recursive: true })

  for (;;) {
    const meta = await readMeta(archivePath, metaPath)
    if (meta) return { version, filename, path: archivePath, sha256: meta.sha256, size: meta.size }
    if (await tryLock(`${archivePath}.lock`)) {
      try {
        const meta = await buildArchive(goroot, archivePath)
        await writeAtomically(metaPath, JSON.stringify(meta, null, 2))
        return { version, filename, path: archivePath, sha256: meta.sha256, size: meta.size }
      } finally {
        await rm(`${archivePath}.lock`, { recursive: true, force: true })
      }
    }
    // Another worker is building it: wait for its metadata file to appear.
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

/** Time and metadata of the cached archive's build, for reporting. */
export async function goArchiveBuildInfo(): Promise<ArchiveMeta | undefined> {
  const archive = await goArchive()
  return readMeta(archive.path, `${archive.path}.json`)
}

async function assertLinuxAmd64(): Promise<void> {
  // The fake runner reports RUNNER_OS=Linux / RUNNER_ARCH=X64, so the action
  // will ask for linux-amd64; a toolchain for anything else would not run.
  const { stdout } = await execFileAsync('go', ['env', 'GOHOSTOS', 'GOHOSTARCH'], { env: goEnv() })
  const host = stdout.trim().split('\n').join('/')
  if (host !== 'linux/amd64')
    throw new Error(`go-archive fixture needs a linux/amd64 Go, found ${host}`)
}

async function readMeta(archivePath: string, metaPath: string): Promise<ArchiveMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as ArchiveMeta
    // A size mismatch means someone touched the cache: rebuild rather than serve junk.
    if ((await stat(archivePath)).size === meta.size) return meta
  } catch {
    // missing or half-written: treat as not built
  }
  return undefined
}

/** mkdir is atomic, so it doubles as a cross-process lock; stale locks of dead builders are broken. */
export async function tryLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir)
    await writeFile(path.join(lockDir, 'pid'), String(process.pid))
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const pid = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''))
  const age = Date.now() - (await stat(lockDir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs
  // No pid yet is normal for a few ms after mkdir; only give up on it after a while.
  if ((pid > 0 && !isAlive(pid)) || (!pid && age > 30_000)) {
    await rm(lockDir, { recursive: true, force: true })
  }
  return false
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function buildArchive(goroot: string, archivePath: string): Promise<ArchiveMeta> {
  const started = Date.now()
  const tmp = `${archivePath}.${process.pid}.tmp`
  try {
    // gzip -1 trades ~10% size for several times the speed; -n and --sort make
    // the bytes reproducible, so a rebuild yields the same sha256.
    // The transform renames the GOROOT directory to `go/` but (S) leaves symlink targets alone.
    await execFileAsync(
      'tar',
      [
        '-C',
        path.dirname(goroot),
        '--sort=name',
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '--transform=s,^[^/]*,go,S',
        '--use-compress-program=gzip -1 -n',
        '-cf',
        tmp,
        path.basename(goroot)
      ],
      { maxBuffer: 16 * 1024 * 1024 }
    )
    const [sha256, { size }] = await Promise.all([sha256File(tmp), stat(tmp)])
    await rename(tmp, archivePath)
    return { sha256, size, goroot, buildMs: Date.now() - started }
  } finally {
    await rm(tmp, { force: true })
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, content)
  await rename(tmp, file)
}

/** The machine's Go as the action's GoToolchain, for tests that call a stage's code directly. */
export async function machineToolchain(): Promise<GoToolchain> {
  const { version, goroot } = await machineGo()
  return {
    version: version.replace(/^go/, ''),
    goroot,
    goBinary: path.join(goroot, 'bin', 'go'),
    origin: 'PATH'
  }
}
