// A Go vulnerability database for the govulncheck tests, in the layout vuln.go.dev serves
// (go.dev/doc/security/vuln/database#api) and govulncheck's client reads: index/db.json
// {modified}, index/modules.json [{path, vulns: [{id, modified, fixed}]}], ID/<id>.json OSV
// entries — each also gzipped beside it (.json.gz), which is what govulncheck asks a server for.
// And the govulncheck the tests run, built once per machine into the shared test tool cache.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import {
  DEFAULT_GOVULNCHECK_VERSION,
  type Govulncheck,
  installGovulncheck
} from '../../src/checks/vulncheck/install.js'
import { findInToolCache } from '../../src/toolchain/tool-cache.js'
import { machineToolchain, tryLock } from './go-archive.js'
import { type LocalServer, startLocalServer } from './local-server.js'
import { TEST_TOOL_CACHE, toolContext } from './nfpm.js'
import { REPO_ROOT } from './run-action.js'

/**
 * testdata/vulncheck/app: requires github.com/google/uuid v1.3.0 (a real release, from the module
 * proxy); main.go calls uuid.NewString and fmt.Println, extra_windows.go calls uuid.MustParse, and
 * nothing calls uuid.ParseBytes.
 */
export const APP_DIR = path.join(REPO_ROOT, 'testdata', 'vulncheck', 'app')

/** The test database for APP_DIR: one entry per situation the tests show. */
export const APP_VULNS: readonly TestVuln[] = [
  {
    id: 'GO-2099-0001',
    module: 'github.com/google/uuid',
    package: 'github.com/google/uuid',
    symbols: ['NewString'],
    fixed: '1.3.1',
    aliases: ['CVE-2099-0001'],
    summary: 'Predictable UUIDs from NewString'
  },
  {
    id: 'GO-2099-0002',
    module: 'github.com/google/uuid',
    package: 'github.com/google/uuid',
    symbols: ['ParseBytes'],
    summary: 'ParseBytes reads past the end'
  },
  {
    id: 'GO-2099-0003',
    module: 'github.com/google/uuid',
    package: 'github.com/google/uuid',
    symbols: ['MustParse'],
    fixed: '1.3.1',
    summary: 'MustParse panics on windows'
  },
  {
    id: 'GO-2099-0004',
    module: 'stdlib',
    package: 'fmt',
    symbols: ['Println'],
    fixed: '1.99.0',
    summary: 'Println prints'
  },
  {
    // Fixed before the version the app requires: never reported.
    id: 'GO-2099-0005',
    module: 'github.com/google/uuid',
    package: 'github.com/google/uuid',
    symbols: ['NewString'],
    introduced: '1.0.0',
    fixed: '1.2.0',
    summary: 'Fixed long ago'
  }
]

/** One vulnerability: one module, one package, its vulnerable symbols, one SEMVER range. */
export interface TestVuln {
  id: string
  /** A module path, or `stdlib` for the standard library. */
  module: string
  /** The vulnerable package's import path (fmt for stdlib). */
  package: string
  symbols: string[]
  /** SemVer without v ("0" = from the start). */
  introduced?: string
  /** SemVer without v; none means no fixed version. */
  fixed?: string
  aliases?: string[]
  summary?: string
  details?: string
}

/** The time every entry and the database were modified: fixed, so the bytes are too. */
export const DB_MODIFIED = '2026-01-02T00:00:00Z'

/** The OSV entry (schema 1.3.1) as vuln.go.dev publishes one. */
export function osvEntry(v: TestVuln): Record<string, unknown> {
  const events: Array<Record<string, string>> = [{ introduced: v.introduced ?? '0' }]
  if (v.fixed) events.push({ fixed: v.fixed })
  return {
    schema_version: '1.3.1',
    id: v.id,
    modified: DB_MODIFIED,
    published: DB_MODIFIED,
    aliases: v.aliases ?? [],
    summary: v.summary ?? `Test vulnerability in ${v.package}`,
    details: v.details ?? `A vulnerability made up for the tests, in ${v.symbols.join(', ')}.`,
    affected: [
      {
        package: { name: v.module, ecosystem: 'Go' },
        ranges: [{ type: 'SEMVER', events }],
        ecosystem_specific: { imports: [{ path: v.package, symbols: v.symbols }] }
      }
    ],
    database_specific: { url: `https://pkg.go.dev/vuln/${v.id}` }
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
  await writeFile(`${file}.gz`, gzipSync(text))
}

/** Writes the database into dir (emptied first); returns its file:// URL, as govulncheck -db takes it. */
export async function writeVulnDb(dir: string, vulns: readonly TestVuln[]): Promise<string> {
  await rm(dir, { recursive: true, force: true })
  const modules = new Map<
    string,
    { path: string; vulns: Array<{ id: string; modified: string; fixed?: string }> }
  >()
  for (const v of vulns) {
    await writeJson(path.join(dir, 'ID', `${v.id}.json`), osvEntry(v))
    const m = modules.get(v.module) ?? { path: v.module, vulns: [] }
    m.vulns.push({ id: v.id, modified: DB_MODIFIED, ...(v.fixed ? { fixed: v.fixed } : {}) })
    modules.set(v.module, m)
  }
  const index = [...modules.values()].sort((a, b) => (a.path < b.path ? -1 : 1))
  for (const m of index) m.vulns.sort((a, b) => (a.id < b.id ? -1 : 1))
  await writeJson(path.join(dir, 'index', 'modules.json'), index)
  await writeJson(path.join(dir, 'index', 'db.json'), { modified: DB_MODIFIED })
  return pathToFileURL(dir).href
}

/** Serves a database folder on 127.0.0.1 as a static server (GET and HEAD; 404 otherwise). */
export async function serveVulnDb(dir: string): Promise<LocalServer & { requests: string[] }> {
  const requests: string[] = []
  const server = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    requests.push(`${req.method} ${url.pathname}`)
    const file = path.join(dir, ...url.pathname.split('/').filter(p => p && p !== '..'))
    readFile(file).then(
      body => {
        res.writeHead(200, { 'content-length': body.length })
        res.end(req.method === 'HEAD' ? undefined : body)
      },
      () => res.writeHead(404).end()
    )
  })
  return { ...server, requests }
}

let shared: Promise<Govulncheck> | undefined

/** The pinned govulncheck, built on first use (by whichever jest worker gets the lock first). */
export function sharedGovulncheck(): Promise<Govulncheck> {
  shared ??= buildOnce().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  return shared
}

async function buildOnce(): Promise<Govulncheck> {
  const go = await machineToolchain()
  const ctx = toolContext()
  const version = DEFAULT_GOVULNCHECK_VERSION
  const slot = `${process.arch}-go${go.version}`
  const lock = path.join(TEST_TOOL_CACHE, `govulncheck-${version}-${slot}.lock`)
  await mkdir(TEST_TOOL_CACHE, { recursive: true })
  for (;;) {
    if (findInToolCache(TEST_TOOL_CACHE, 'govulncheck', version, slot))
      return installGovulncheck(version, go, ctx)
    if (await tryLock(lock)) {
      try {
        return await installGovulncheck(version, go, ctx)
      } finally {
        await rm(lock, { recursive: true, force: true })
      }
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}
