// vulncheck-db as an input, and the probe that decides whether govulncheck runs at all: a folder,
// a server on 127.0.0.1 that serves the same folder, and servers that refuse, fail, reset or never
// answer (the limits shortened with the test-only GO_PACKAGE_ACTION_TIMEOUT_SCALE).
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import type net from 'node:net'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { DEFAULT_VULN_DB, parseVulnDb, probeVulnDb } from '../../../src/checks/vulncheck/db.js'
import { InputError } from '../../../src/errors.js'
import { cleanupTempDirs, tempDir } from '../../helpers/fixtures.js'
import { type LocalServer, startLocalServer } from '../../helpers/local-server.js'
import { APP_VULNS, serveVulnDb, writeVulnDb } from '../../helpers/vulndb.js'

const WS = '/home/runner/work/repo/repo'

function refused(value: string): string {
  try {
    parseVulnDb(value, WS)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('vulncheck-db')
    return (error as Error).message
  }
  throw new Error(`${value} was accepted`)
}

describe('parseVulnDb', () => {
  test.each([
    ['', DEFAULT_VULN_DB],
    ['  ', DEFAULT_VULN_DB],
    ['https://vuln.go.dev', 'https://vuln.go.dev'],
    ['https://vuln.go.dev/', 'https://vuln.go.dev'],
    ['https://mirror.example.com/go/vulndb/', 'https://mirror.example.com/go/vulndb'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:8080/db', 'http://localhost:8080/db'],
    ['http://[::1]:9000/', 'http://[::1]:9000'],
    ['file:///srv/vulndb', 'file:///srv/vulndb'],
    ['file:///srv/vulndb/', 'file:///srv/vulndb'],
    ['file://localhost/srv/vulndb', 'file:///srv/vulndb'],
    ['/srv/vuln db'.replace(' ', '-'), 'file:///srv/vuln-db'],
    ['.vulndb', `file://${WS}/.vulndb`],
    ['ci/vulndb/', `file://${WS}/ci/vulndb`]
  ])('%j → %s', (value, url) => {
    expect(parseVulnDb(value, WS)).toBe(url)
  })

  test('a URL with credentials is refused without repeating them', () => {
    const message = refused('https://alice:s3cret@mirror.example.com/db')
    expect(message).toMatch(/^vulncheck-db: has credentials in the URL/)
    expect(message).not.toContain('s3cret')
    expect(message).not.toContain('alice')
    expect(refused('https://token@mirror.example.com')).not.toContain('token')
  })

  test.each([
    ['http://mirror.example.com/db', /plain http is only allowed to this machine/],
    ['http://10.0.0.1/db', /plain http is only allowed/],
    ['ftp://example.com/db', /ftp: is not a database source/],
    ['git+ssh://example.com/db', /is not a database source/],
    ['https://example.com/db?x=1', /query or fragment/],
    ['https://example.com/db#x', /query or fragment/],
    ['https://example.com/db\nhttps://other', /without spaces or line breaks/],
    ['https://example.com/a b', /without spaces or line breaks/],
    ['file://server/share/db', /no host/],
    ['../outside', /outside the workspace/],
    ['a/../../outside', /outside the workspace/],
    ['https://', /not a URL/]
  ])('%j is refused', (value, why) => {
    expect(refused(value)).toMatch(why)
  })
})

describe('probeVulnDb', () => {
  let dbDir: string
  let dbUrl: string
  const servers: LocalServer[] = []
  const scale = process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE

  beforeAll(async () => {
    dbDir = path.join(await tempDir('gpa-vulndb-'), 'db')
    dbUrl = await writeVulnDb(dbDir, APP_VULNS)
  })
  afterEach(() => {
    if (scale === undefined) delete process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE
    else process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE = scale
  })
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()))
    await cleanupTempDirs()
  })

  async function server(handler: Parameters<typeof startLocalServer>[0]): Promise<string> {
    const s = await startLocalServer(handler)
    servers.push(s)
    return s.base
  }

  /** Idle 0.6 s, a request 1.2 s, retry delays ×0.01: a stall ends in seconds. */
  function fast(): void {
    process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE = '0.01'
  }

  test('a database folder written by the helper is usable', async () => {
    expect(await probeVulnDb(dbUrl)).toEqual({ ok: true, modified: '2026-01-02T00:00:00Z' })
  })

  test('a missing folder, a file, a folder that is not a database', async () => {
    const missing = `${dbUrl}-missing`
    expect(await probeVulnDb(missing)).toEqual({
      ok: false,
      why: `${dbDir}-missing does not exist`
    })
    const file = path.join(dbDir, 'index', 'db.json')
    expect(await probeVulnDb(`file://${file}`)).toEqual({
      ok: false,
      why: `${file} is not a folder`
    })
    const empty = await tempDir('gpa-notadb-')
    expect(await probeVulnDb(`file://${empty}`)).toEqual({
      ok: false,
      why: `${empty} holds no index/db.json: it is not a Go vulnerability database`
    })
    await mkdir(path.join(empty, 'index'))
    await writeFile(path.join(empty, 'index', 'db.json'), '{"modified": "yesterday"}')
    expect(await probeVulnDb(`file://${empty}`)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/does not give a "modified" time/)
    })
  })

  test('the same folder served on 127.0.0.1 is usable, as govulncheck reads it', async () => {
    const served = await serveVulnDb(dbDir)
    servers.push(served)
    expect(await probeVulnDb(served.base)).toEqual({ ok: true, modified: '2026-01-02T00:00:00Z' })
    expect(served.requests).toEqual(['GET /index/db.json.gz', 'HEAD /index/modules.json.gz'])
  })

  test('a server without index/modules.json.gz is not a database govulncheck accepts', async () => {
    const base = await server((req, res) => {
      if (req.url === '/index/db.json.gz') {
        res.writeHead(200)
        res.end(gzipSync('{"modified":"2026-01-02T00:00:00Z"}'))
      } else res.writeHead(404).end()
    })
    expect(await probeVulnDb(base)).toEqual({
      ok: false,
      why: `HEAD ${base}/index/modules.json.gz answered 404`
    })
  })

  test('a closed port: refused, and said so', async () => {
    const s = await startLocalServer(() => undefined)
    await s.stop()
    fast()
    const result = await probeVulnDb(s.base)
    expect(result).toMatchObject({ ok: false, why: expect.stringMatching(/ECONNREFUSED/) })
  })

  test('a server answering 500 is asked once: the probe only decides a warning', async () => {
    let calls = 0
    const base = await server((_req, res) => {
      calls++
      res.writeHead(500).end('boom')
    })
    fast()
    const started = Date.now()
    const result = await probeVulnDb(base)
    expect(result).toEqual({
      ok: false,
      why: `GET ${base}/index/db.json.gz answered 500`
    })
    expect(calls).toBe(1)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('a server resetting every connection', async () => {
    const base = await server(req => (req.socket as net.Socket).destroy())
    fast()
    const result = await probeVulnDb(base)
    expect(result).toMatchObject({
      ok: false,
      why: expect.stringMatching(
        /cannot reach 127\.0\.0\.1:\d+ \((ECONNRESET|UND_ERR_SOCKET|other side closed)/
      )
    })
  })

  test('a server that never answers ends within the (scaled) limits', async () => {
    const base = await server(() => undefined)
    fast()
    const started = Date.now()
    const result = await probeVulnDb(base)
    const seconds = (Date.now() - started) / 1000
    expect(result).toMatchObject({
      ok: false,
      why: expect.stringMatching(/nothing received or sent for 0\.6s \(the idle limit\)/)
    })
    expect(seconds).toBeLessThan(10)
  })

  test('junk instead of a gzipped index', async () => {
    const base = await server((_req, res) => res.writeHead(200).end('<html>hello</html>'))
    expect(await probeVulnDb(base)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/incorrect header check|unexpected end|Z_DATA_ERROR/i)
    })
  })
})
