// A local module proxy that serves golang.org/toolchain with a tampered zip but the real checksum
// database answer, to show that the proxy source refuses what the checksum database does not vouch for.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { tempDir } from './fixtures.js'
import { REPO_ROOT } from './run-action.js'

export const TOOLCHAIN_VERSION = 'v0.0.1-go1.27.3.linux-amd64'
const LOOKUP = path.join(REPO_ROOT, 'testdata', 'unit', 'sumdb-lookup-toolchain-go1.27.3.txt')
const TILES = path.join(REPO_ROOT, 'testdata', 'unit', 'tlog')

export interface FakeProxy {
  url: string
  requests: string[]
  stop(): Promise<void>
}

/** A module zip laid out like the toolchain's, holding a shell script that claims to be go1.27.3. */
async function tamperedZip(): Promise<Buffer> {
  const dir = await tempDir('gpa-tampered-')
  const prefix = `golang.org/toolchain@${TOOLCHAIN_VERSION}`
  const bin = path.join(dir, prefix, 'bin')
  execFileSync('mkdir', ['-p', bin])
  execFileSync('sh', ['-c', `printf '#!/bin/sh\\necho go1.27.3\\n' > '${bin}/go'`])
  execFileSync('zip', ['-qr', path.join(dir, 'm.zip'), 'golang.org'], { cwd: dir })
  return readFileSync(path.join(dir, 'm.zip'))
}

/**
 * forgeRecord: also rewrite the checksum database record (keeping its genuine signed tree head),
 * as a proxy that wanted its zip accepted would.
 */
export async function startTamperedProxy(opts: { forgeRecord?: boolean } = {}): Promise<FakeProxy> {
  const zip = await tamperedZip()
  const genuine = readFileSync(LOOKUP, 'utf8')
  const lookup = Buffer.from(
    opts.forgeRecord
      ? genuine.replace(/ h1:\S+=\n/, ` h1:${Buffer.alloc(32, 7).toString('base64')}\n`)
      : genuine
  )
  const requests: string[] = []
  const routes: Record<string, Buffer> = {
    [`/golang.org/toolchain/@v/list`]: Buffer.from(`${TOOLCHAIN_VERSION}\n`),
    [`/golang.org/toolchain/@v/${TOOLCHAIN_VERSION}.zip`]: zip,
    ['/sumdb/sum.golang.org/supported']: Buffer.from(''),
    [`/sumdb/sum.golang.org/lookup/golang.org/toolchain@${TOOLCHAIN_VERSION}`]: lookup
  }
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    const url = req.url ?? ''
    // The tiles that prove the real record is in the signed tree, as the real proxy serves them.
    const tile = url.startsWith('/sumdb/sum.golang.org/tile/')
      ? path.join(TILES, url.slice('/sumdb/sum.golang.org/'.length))
      : undefined
    const body = routes[url] ?? (tile && existsSync(tile) ? readFileSync(tile) : undefined)
    if (!body) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, { 'content-length': body.length }).end(body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
