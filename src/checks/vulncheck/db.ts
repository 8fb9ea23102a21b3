// The vulnerability database govulncheck reads (`vulncheck-db`): vuln.go.dev, a mirror in the same
// layout (https, or http on this machine), or a folder on disk (file://). Checked as an input before
// anything runs, and probed before govulncheck is built: a database that cannot be read is a warning
// and no scan, never a failed job.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { InputError } from '../../errors.js'
import { describe, getBytesOnce } from '../../util/http.js'
import { boundedFetch, requestLimits } from '../../util/limits.js'

/** The Go vulnerability database, as govulncheck names it by default. */
export const DEFAULT_VULN_DB = 'https://vuln.go.dev'

const INPUT = 'vulncheck-db'

/** Hosts plain http is allowed to: this machine (a test server, a local mirror). */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

function isAbsolutePath(value: string): boolean {
  return path.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value) || /^\\\\/.test(value)
}

/**
 * The vulncheck-db input as the URL govulncheck's -db takes: empty is vuln.go.dev; https://…;
 * http://… on a loopback host only; file:///absolute/folder. A plain path is taken as a folder
 * too: absolute as it is, relative inside the workspace. The folder's existence is the probe's
 * business (probeVulnDb). Credentials in the URL are refused without echoing the URL, so they
 * never reach a log; so are queries and fragments (govulncheck appends paths to the URL).
 */
export function parseVulnDb(value: string, workspace: string): string {
  const text = value.trim()
  if (text === '') return DEFAULT_VULN_DB
  if (/\s|\p{Cc}/u.test(text))
    throw new InputError(INPUT, 'must be one URL or folder, without spaces or line breaks')

  if (isAbsolutePath(text)) return fileUrl(text)
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(text)) {
    const dir = path.resolve(workspace, text)
    const rel = path.relative(workspace, dir)
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))
      throw new InputError(
        INPUT,
        `${text} is outside the workspace; give a folder inside it, an absolute path or a file:// URL`
      )
    return fileUrl(dir)
  }

  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(INPUT, 'is not a URL; give https://…, or file:///absolute/folder')
  }
  if (url.username || url.password)
    throw new InputError(
      INPUT,
      'has credentials in the URL (user:password@); they would end up in logs — ' +
        'serve the database without them, or copy it into a folder and give file:///that/folder'
    )
  const shown = `${url.protocol}//${url.host}${url.pathname}`
  if (url.search || url.hash)
    throw new InputError(INPUT, `${shown}: a query or fragment is not allowed in the database URL`)
  switch (url.protocol) {
    case 'https:':
      return stripSlashes(`${url.origin}${url.pathname}`)
    case 'http:':
      if (!isLoopbackHost(url.hostname))
        throw new InputError(
          INPUT,
          `${shown}: plain http is only allowed to this machine (localhost, 127.0.0.1, [::1]); use https`
        )
      return stripSlashes(`${url.origin}${url.pathname}`)
    case 'file:': {
      if (url.host && url.host !== 'localhost')
        throw new InputError(
          INPUT,
          `${shown}: a file:// URL names a folder on this machine, no host`
        )
      let dir: string
      try {
        dir = fileURLToPath(url)
      } catch (error) {
        throw new InputError(INPUT, `${shown}: ${(error as Error).message}`)
      }
      if (!isAbsolutePath(dir))
        throw new InputError(INPUT, `${shown}: the folder must be absolute (file:///path/to/db)`)
      return fileUrl(dir)
    }
    default:
      throw new InputError(
        INPUT,
        `${url.protocol} is not a database source; give https://…, http://127.0.0.1:…/ or file:///absolute/folder`
      )
  }
}

function stripSlashes(url: string): string {
  return url.replace(/\/+$/, '')
}

function fileUrl(dir: string): string {
  return stripSlashes(pathToFileURL(path.resolve(dir)).href)
}

export type VulnDbProbe = { ok: true; modified?: string } | { ok: false; why: string }

function modifiedOf(json: string): string | undefined {
  const meta = JSON.parse(json) as { modified?: unknown }
  if (typeof meta !== 'object' || meta === null || typeof meta.modified !== 'string')
    return undefined
  return Number.isNaN(Date.parse(meta.modified)) ? undefined : meta.modified
}

/**
 * Whether govulncheck can read the database at url (as parseVulnDb gives it): its index/db.json
 * read and parsed, as govulncheck reads it first. A folder needs index/db.json and
 * index/modules.json; a server index/db.json.gz (and, unless it is vuln.go.dev, index/modules.json.gz,
 * which govulncheck asks for to recognise a database). Over http each request is tried once within
 * the request limits: a database that does not answer is a warning, not minutes of retries.
 * Never throws for a database that is missing, unreachable or broken: it says why.
 */
export async function probeVulnDb(url: string): Promise<VulnDbProbe> {
  try {
    return url.startsWith('file:') ? await probeFolder(url) : await probeServer(url)
  } catch (error) {
    return { ok: false, why: `${url}: ${describe(error)}` }
  }
}

async function probeFolder(url: string): Promise<VulnDbProbe> {
  const dir = fileURLToPath(url)
  const info = await stat(dir).catch(() => undefined)
  if (!info) return { ok: false, why: `${dir} does not exist` }
  if (!info.isDirectory()) return { ok: false, why: `${dir} is not a folder` }
  const db = path.join(dir, 'index', 'db.json')
  const text = await readFile(db, 'utf8').catch(() => undefined)
  if (text === undefined)
    return {
      ok: false,
      why: `${dir} holds no index/db.json: it is not a Go vulnerability database`
    }
  let modified: string | undefined
  try {
    modified = modifiedOf(text)
  } catch {
    modified = undefined
  }
  if (!modified) return { ok: false, why: `${db} does not give a "modified" time` }
  if (!(await stat(path.join(dir, 'index', 'modules.json')).catch(() => undefined)))
    return { ok: false, why: `${dir} holds no index/modules.json` }
  return { ok: true, modified }
}

async function probeServer(url: string): Promise<VulnDbProbe> {
  const dbUrl = `${url}/index/db.json.gz`
  let modified: string | undefined
  try {
    const bytes = await getBytesOnce(dbUrl)
    modified = modifiedOf(gunzipSync(bytes).toString('utf8'))
  } catch (error) {
    return { ok: false, why: (error as Error).message || describe(error) }
  }
  if (!modified) return { ok: false, why: `${dbUrl} does not give a "modified" time` }
  if (url !== DEFAULT_VULN_DB) {
    const modulesUrl = `${url}/index/modules.json.gz`
    try {
      const response = await boundedFetch(modulesUrl, { method: 'HEAD' }, requestLimits())
      await response.body?.cancel()
      if (response.status !== 200)
        return { ok: false, why: `HEAD ${modulesUrl} answered ${response.status}` }
    } catch (error) {
      return { ok: false, why: `HEAD ${modulesUrl}: ${describe(error)}` }
    }
  }
  return { ok: true, modified }
}
