// Starts Debian's docker-registry (CNCF distribution 2.8) on 127.0.0.1 for the image tests, with
// its own storage directory and config, optionally behind htpasswd Basic auth. A small proxy in
// front of it records every request, so tests can count blob uploads.
//
// Usage:
//   const registry = await startRegistry({ htpasswd: { user: 'ci', password: 'secret' } })
//   // push to `${registry.host}/hello:1` over plain http, then look at registry.requests
//   await registry.stop()
//
// docker-registry missing is an error, never a skip: `sudo apt-get install docker-registry`.
// The htpasswd line is bcrypt made by perl's crypt() (perl-base is essential on Debian; glibc's
// libxcrypt does $2b$), so neither apache2-utils nor a Go build is needed.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { spawnDaemon } from './daemon.js'
import { startForwardingProxy } from './forward.js'
import { ISSUER, SERVICE, startTokenServer, type TokenServer } from './token-server.js'

export const REGISTRY_BINARY = '/usr/bin/docker-registry'

export interface RegistryRequest {
  method: string
  /** Path and query as the client sent them. */
  url: string
  status: number
}

export interface Registry {
  /** `127.0.0.1:PORT`: the name to put in image references. */
  host: string
  /** `http://127.0.0.1:PORT` */
  url: string
  /** The token server, with `token`. */
  tokenServer?: TokenServer
  /** Every request answered so far, in order; a test may empty it with `requests.length = 0`. */
  requests: RegistryRequest[]
  /**
   * The next request that matches is answered with `status` by the proxy and never reaches the
   * registry (a 500 once, for a client's retry to get past).
   */
  failNext(match: (method: string, url: string) => boolean, status: number): void
  /**
   * The registry dies at a chosen request: from the first request that matches (that one
   * included), every request is answered by the proxy and never reaches the registry, until
   * `revive()`. `status` answers each with that status (with `retry-after: <retryAfter>` when
   * given: 0 makes a client's retries give up at once instead of after their backoff); `'drop'`
   * destroys each connection unanswered. Such requests are recorded with their status, 0 for a
   * drop. `match` is asked once per request until it says yes, so it may count.
   */
  dieAt(
    match: (method: string, url: string) => boolean,
    answer: { status: number | 'drop'; retryAfter?: number }
  ): void
  /** Ends the outage of dieAt (and forgets one that has not begun). */
  revive(): void
  stop(): Promise<void>
}

export interface RegistryOptions {
  htpasswd?: { user: string; password: string }
  /** Bearer tokens from a token server of ours that takes these credentials. */
  token?: { user: string; password: string }
}

const START_TIMEOUT_MS = 30_000

export async function startRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  try {
    await access(REGISTRY_BINARY, constants.X_OK)
  } catch {
    throw new Error(
      `${REGISTRY_BINARY} is missing: the image tests need a local registry; ` +
        'install it with `sudo apt-get install docker-registry`'
    )
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpa-registry-'))
  let child: ChildProcess | undefined
  let proxy: http.Server | undefined
  let tokenServer: TokenServer | undefined
  try {
    const port = await freePort()
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(path.join(dir, 'storage'))}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`
    ]
    if (opts.htpasswd) {
      const file = path.join(dir, 'htpasswd')
      await writeFile(file, await htpasswdLine(opts.htpasswd.user, opts.htpasswd.password))
      config.push('auth:', '  htpasswd:', '    realm: test', `    path: ${JSON.stringify(file)}`)
    }
    if (opts.token) {
      tokenServer = await startTokenServer(dir, opts.token.user, opts.token.password)
      config.push(
        'auth:',
        '  token:',
        `    realm: ${tokenServer.realm}`,
        `    service: ${SERVICE}`,
        `    issuer: ${ISSUER}`,
        `    rootcertbundle: ${JSON.stringify(tokenServer.certFile)}`
      )
    }
    const configFile = path.join(dir, 'config.yml')
    await writeFile(configFile, config.join('\n') + '\n')

    const daemon = spawnDaemon('docker-registry', REGISTRY_BINARY, ['serve', configFile])
    const spawned = daemon.child
    child = spawned
    const exited = daemon.exited
    await Promise.race([waitForV2(`http://127.0.0.1:${port}`), exited])

    const requests: RegistryRequest[] = []
    const faults: Fault[] = []
    const outage: Outage = {}
    proxy = await startProxy(port, requests, faults, outage)
    const address = proxy.address() as net.AddressInfo
    const host = `127.0.0.1:${address.port}`
    const server = proxy
    return {
      host,
      url: `http://${host}`,
      requests,
      tokenServer,
      failNext: (match, status) => faults.push({ match, status }),
      dieAt: (match, answer) => {
        outage.current = { match, ...answer, begun: false }
      },
      revive: () => {
        outage.current = undefined
      },
      stop: async () => {
        server.closeAllConnections()
        await new Promise<void>(resolve => server.close(() => resolve()))
        await kill(spawned)
        await tokenServer?.stop()
        await rm(dir, { recursive: true, force: true })
      }
    }
  } catch (error) {
    proxy?.closeAllConnections()
    proxy?.close()
    if (child) await kill(child)
    await tokenServer?.stop()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** A bcrypt htpasswd line (cost 5: fast, and tests need no strength). */
async function htpasswdLine(user: string, password: string): Promise<string> {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = randomBytes(22)
  // 22 characters hold 132 bits; bcrypt uses 128, so the last one must leave its low 4 bits zero.
  let salt = ''
  for (let i = 0; i < 21; i++) salt += alphabet[(bytes[i] as number) % 64]
  salt += '.Oeu'[(bytes[21] as number) % 4]
  const { code, stdout, stderr } = await run(
    'perl',
    ['-e', 'print crypt($ENV{GPA_PASSWORD}, $ENV{GPA_SALT})'],
    { ...process.env, GPA_PASSWORD: password, GPA_SALT: `$2b$05$${salt}` }
  )
  if (code !== 0 || !stdout.startsWith('$2b$05$')) {
    throw new Error(`perl crypt() made no bcrypt hash (exit ${code}): ${stdout}${stderr}`)
  }
  return `${user}:${stdout}\n`
}

interface Fault {
  match: (method: string, url: string) => boolean
  status: number
}

/** dieAt's outage: begun at the first request that matched. */
interface Outage {
  current?: {
    match: (method: string, url: string) => boolean
    status: number | 'drop'
    retryAfter?: number
    begun: boolean
  }
}

/** Forwards to the registry unchanged, counting requests and answering the injected faults. */
function startProxy(
  port: number,
  requests: RegistryRequest[],
  faults: Fault[],
  outage: Outage = {}
): Promise<http.Server> {
  return startForwardingProxy({
    host: '127.0.0.1',
    port,
    intercept(req, res) {
      const dead = outage.current
      if (dead && (dead.begun || dead.match(req.method ?? '', req.url ?? ''))) {
        dead.begun = true
        const status = dead.status === 'drop' ? 0 : dead.status
        requests.push({ method: req.method ?? '', url: req.url ?? '', status })
        if (dead.status === 'drop') {
          req.socket.destroy()
          return true
        }
        req.resume()
        const headers: Record<string, string> = { 'content-type': 'text/plain' }
        if (dead.retryAfter !== undefined) headers['retry-after'] = String(dead.retryAfter)
        res.writeHead(dead.status, headers).end('registry down (injected)\n')
        return true
      }
      const fault = faults.findIndex(f => f.match(req.method ?? '', req.url ?? ''))
      if (fault < 0) return false
      const [{ status }] = faults.splice(fault, 1) as [Fault]
      requests.push({ method: req.method ?? '', url: req.url ?? '', status })
      req.resume()
      res.writeHead(status, { 'content-type': 'text/plain' }).end('injected fault\n')
      return true
    },
    answered: (req, status) =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', status })
  })
}

async function waitForV2(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/v2/`)
      await response.arrayBuffer()
      if (response.status === 200 || response.status === 401) return
      last = new Error(`GET /v2/ answered ${response.status}`)
    } catch (error) {
      last = error
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(
    `docker-registry did not answer ${url}/v2/ within ${START_TIMEOUT_MS} ms: ${String(last)}`
  )
}

/** A port nobody listens on now; the registry binds it a moment later. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', code => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
