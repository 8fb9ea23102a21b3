// A local stand-in for https://go.dev/dl: the JSON release index plus the
// downloadable files, so toolchain tests never touch the internet.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { goArchive, machineGo } from './go-archive.js'

export type DlFileKind = 'archive' | 'installer' | 'source'

export interface DlFile {
  filename: string
  os: string
  arch: string
  kind: DlFileKind
  sha256: string
  size: number
  /** Defaults to the release's version, as on go.dev. */
  version?: string
  /** File on disk to serve; without it the file is listed in the index but 404s. */
  path?: string
}

export interface DlRelease {
  version: string
  stable: boolean
  files: DlFile[]
}

export interface DlServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** Every request's path with query, in arrival order (e.g. `/?mode=json&include=all`). */
  requests: string[]
  stop(): Promise<void>
}

/**
 * Serves `releases` (give them newest first, as go.dev does) at:
 *   GET /?mode=json&include=all  every release
 *   GET /?mode=json              the newest stable release of the two newest minor lines
 *   GET /<filename>              the file's `path`, or 404
 */
export async function startDlServer(releases: DlRelease[]): Promise<DlServer> {
  const requests: string[] = []
  const files = new Map(releases.flatMap(r => r.files.map(f => [f.filename, f] as const)))

  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    handle(req, res, releases, files).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(err))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from the action's HTTP client would otherwise hold close() open.
        server.closeAllConnections()
        server.close(err => (err ? reject(err) : resolve()))
      })
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  releases: DlRelease[],
  files: Map<string, DlFile>
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end()
    return
  }

  if (url.pathname === '/') {
    if (url.searchParams.get('mode') !== 'json') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Downloads</h1>\n')
      return
    }
    const listed = url.searchParams.get('include') === 'all' ? releases : latestStable(releases)
    // go.dev indents with one space; field order matches its File struct.
    const body = JSON.stringify(listed.map(toIndexEntry), null, 1)
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body)
    })
    res.end(req.method === 'HEAD' ? undefined : body)
    return
  }

  const file = files.get(decodeURIComponent(url.pathname.slice(1)))
  if (!file?.path) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n')
    return
  }
  const { size } = await stat(file.path)
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(file.path as string)
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('close', resolve) // client hung up early
  })
}

/** Without include=all go.dev lists only the newest stable patch of the two newest minor lines. */
function latestStable(releases: DlRelease[]): DlRelease[] {
  const byMinor = new Map<string, DlRelease>()
  for (const r of releases) {
    const minor = /^go\d+\.\d+/.exec(r.version)?.[0] ?? r.version
    if (r.stable && !byMinor.has(minor)) byMinor.set(minor, r)
  }
  return [...byMinor.values()].slice(0, 2)
}

function toIndexEntry(r: DlRelease): object {
  return {
    version: r.version,
    stable: r.stable,
    files: r.files.map(f => ({
      filename: f.filename,
      os: f.os,
      arch: f.arch,
      version: f.version ?? r.version,
      sha256: f.sha256,
      size: f.size,
      kind: f.kind
    }))
  }
}

/**
 * The machine's Go for linux/amd64 (downloadable, real archive) plus realistic
 * entries that are listed but 404: other platforms, the source tarball, an
 * older stable minor (for `oldstable`) and an rc of the next minor.
 */
export async function standardReleases(opts: { corruptSha?: boolean } = {}): Promise<DlRelease[]> {
  const archive = await goArchive()
  const { version } = await machineGo()
  const [major, minor] = parseMinor(version)
  const next = `go${major}.${minor + 1}rc1`
  const older = `go${major}.${minor - 1}.9`

  const sha256 = opts.corruptSha ? flipFirstHexDigit(archive.sha256) : archive.sha256
  return [
    { version: next, stable: false, files: [fake(next, 'linux', 'amd64', 'tar.gz', 'archive')] },
    {
      version,
      stable: true,
      files: [
        fake(version, '', '', 'src.tar.gz', 'source'),
        fake(version, 'darwin', 'arm64', 'tar.gz', 'archive'),
        {
          filename: archive.filename,
          os: 'linux',
          arch: 'amd64',
          kind: 'archive',
          sha256,
          size: archive.size,
          path: archive.path
        },
        fake(version, 'windows', 'amd64', 'zip', 'archive'),
        fake(version, 'windows', 'amd64', 'msi', 'installer')
      ]
    },
    { version: older, stable: true, files: [fake(older, 'linux', 'amd64', 'tar.gz', 'archive')] }
  ]
}

function parseMinor(version: string): [number, number] {
  const m = /^go(\d+)\.(\d+)/.exec(version)
  if (!m) throw new Error(`cannot parse Go version ${version}`)
  return [Number(m[1]), Number(m[2])]
}

/** A listed-only file with a deterministic, plausible sha256 and size. */
function fake(version: string, goos: string, arch: string, ext: string, kind: DlFileKind): DlFile {
  // The source tarball is named go1.x.y.src.tar.gz and has empty os/arch on go.dev.
  const filename = goos ? `${version}.${goos}-${arch}.${ext}` : `${version}.${ext}`
  const sha256 = Buffer.from(filename.padEnd(32, '.').slice(0, 32)).toString('hex')
  return { filename, os: goos, arch, kind, sha256, size: 70_000_000 + filename.length }
}

function flipFirstHexDigit(sha: string): string {
  return (sha[0] === '0' ? '1' : '0') + sha.slice(1)
}
