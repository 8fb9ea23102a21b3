// Starts a real GitHub Actions cache service (protocol v1, the one @actions/cache
// uses when ACTIONS_CACHE_SERVICE_V2 is unset) for the end-to-end tests: the
// handler from github.com/nektos/act/pkg/artifactcache, wrapped by the small Go
// program in scripts/cache-server and built from the Go module proxy.
//
// Usage:
//   const server = await startCacheServer()
//   process.env.ACTIONS_CACHE_URL = server.url // verbatim, token path and trailing slash included
//   process.env.ACTIONS_RUNTIME_TOKEN = 'test' // @actions/cache sends it; act ignores it
//   delete process.env.ACTIONS_CACHE_SERVICE_V2
//   ...
//   await server.stop()
//
// A missing Go toolchain or a failed build is an error, never a skip.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startForwardingProxy } from './forward.js'
import { REPO_ROOT } from './run-action.js'

export interface CacheServer {
  /** Value for ACTIONS_CACHE_URL, e.g. `http://127.0.0.1:PORT/TOKEN/`. */
  url: string
  /** The server's fresh storage directory; removed by stop(). */
  dir: string
  /**
   * With `recordRequests`: every request that came through `url` (method and path with query), in
   * order; a test may empty it with `requests.length = 0`. Without it, always empty.
   */
  requests: string[]
  stop(): Promise<void>
}

export interface CacheServerOptions {
  /**
   * Put a recording proxy in front of the server: `url` then points at the proxy (same token path)
   * and `requests` lists what reached it. The archive URLs the server hands out still point at the
   * server itself, but every download is preceded by a lookup through the proxy.
   */
  recordRequests?: boolean
}

const SOURCE_DIR = path.join(REPO_ROOT, 'scripts', 'cache-server')
const SOURCE_FILES = ['main.go', 'go.mod', 'go.sum']
const BIN_DIR = path.join(os.tmpdir(), 'gpa-test-bin')
const BUILD_TIMEOUT_MS = 10 * 60_000
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000
const URL_LINE = /^ACTIONS_CACHE_URL=(\S+)$/
const MAX_LOG = 64 * 1024

let binaryPromise: Promise<string> | undefined

/** Builds scripts/cache-server once per machine (per source content) and returns the binary path. */
function cacheServerBinary(): Promise<string> {
  binaryPromise ??= buildBinary().catch((err: unknown) => {
    binaryPromise = undefined // let a later call retry
    throw err
  })
  return binaryPromise
}

async function buildBinary(): Promise<string> {
  const hash = createHash('sha256')
  for (const name of SOURCE_FILES) {
    const file = path.join(SOURCE_DIR, name)
    if (!existsSync(file)) {
      throw new Error(`cache server source missing: ${file}`)
    }
    hash.update(name).update('\0').update(readFileSync(file)).update('\0')
  }
  // The name carries the source hash, so an edit to the program or a bump of
  // github.com/nektos/act rebuilds instead of reusing a stale binary.
  const binary = path.join(BIN_DIR, `cache-server-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(binary)) return binary

  await mkdir(BIN_DIR, { recursive: true })
  // Build to a private name, then rename: concurrent jest workers (or machines
  // sharing a tmpdir) each produce a complete binary and the rename is atomic.
  const temp = `${binary}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const { code, signal, output } = await run(
      'go',
      // -mod=readonly beats a GOFLAGS=-mod=... from the environment (go.sum is
      // complete; the build must never rewrite it); GOWORK=off keeps any go.work
      // further up the tree out of it.
      ['build', '-mod=readonly', '-buildvcs=false', '-o', temp, '.'],
      SOURCE_DIR,
      BUILD_TIMEOUT_MS,
      { ...process.env, GOWORK: 'off' }
    )
    if (code !== 0) {
      throw new Error(
        `building the cache server failed (go build in ${SOURCE_DIR} exited with ` +
          `${code ?? signal}):\n${output}`
      )
    }
    await rename(temp, binary)
  } finally {
    await rm(temp, { force: true })
  }
  return binary
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = ''
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-MAX_LOG)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        err.code === 'ENOENT'
          ? new Error(
              `the Go toolchain ('${cmd}') is not on PATH; it is needed to build the ` +
                `cache server in ${cwd}`
            )
          : new Error(`could not run ${cmd} ${args.join(' ')}: ${err.message}`)
      )
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, output })
    })
  })
}

/** Starts act's cache server on 127.0.0.1 with a free port and a fresh storage directory. */
export async function startCacheServer(opts: CacheServerOptions = {}): Promise<CacheServer> {
  const binary = await cacheServerBinary()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gpa-cache-'))
  let child: ChildProcess
  try {
    // -exit-on-stdin-eof: the server exits when this process goes away, even
    // if a test never calls stop().
    child = spawn(binary, ['-dir', dir, '-port', '0', '-exit-on-stdin-eof'], {
      stdio: ['pipe', 'pipe', 'pipe']
    })
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }

  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-MAX_LOG)
  })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))

  let url: string
  try {
    url = await waitForUrl(child, () => stderr)
  } catch (err) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
    throw err
  }

  // Do not keep the test process alive because of the server.
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    ;(stream as { unref?: () => void } | null)?.unref?.()
  }

  const requests: string[] = []
  let proxy: http.Server | undefined
  if (opts.recordRequests) {
    try {
      ;({ proxy, url } = await startRecordingProxy(url, requests))
    } catch (err) {
      child.kill('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
      throw err
    }
  }

  let stopping: Promise<void> | undefined
  return {
    url,
    dir,
    requests,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (proxy) {
          const server = proxy
          server.closeAllConnections()
          await new Promise<void>(resolve => server.close(() => resolve()))
        }
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
          await exited
          clearTimeout(timer)
        }
        child.stdin?.destroy()
        await rm(dir, { recursive: true, force: true })
      })()
      return stopping
    }
  }
}

function waitForUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const fail = (why: string): void => {
      cleanup()
      reject(new Error(`cache server ${why}; its stderr:\n${stderr() || '(empty)'}`))
    }
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString()
      let newline: number
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        const match = URL_LINE.exec(line)
        if (match?.[1]) {
          cleanup()
          resolve(match[1])
          return
        }
      }
    }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited (${code ?? signal}) before printing ACTIONS_CACHE_URL`)
    const onError = (err: Error): void => fail(`could not be started: ${err.message}`)
    const timer = setTimeout(
      () => fail(`printed no ACTIONS_CACHE_URL line within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS
    )
    const cleanup = (): void => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('close', onExit)
      child.off('error', onError)
      // Keep draining stdout so the pipe never fills.
      child.stdout?.resume()
    }
    child.stdout?.on('data', onData)
    // 'close', not 'exit': by then all of stderr has been read.
    child.once('close', onExit)
    child.once('error', onError)
  })
}

/** Forwards every request to the server at `target` unchanged, recording `METHOD /path?query` first. */
async function startRecordingProxy(
  target: string,
  requests: string[]
): Promise<{ proxy: http.Server; url: string }> {
  const upstreamUrl = new URL(target)
  const proxy = await startForwardingProxy({
    host: upstreamUrl.hostname,
    port: Number(upstreamUrl.port),
    intercept: req => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`)
      return false
    }
  })
  proxy.unref()
  const { port } = proxy.address() as AddressInfo
  const url = new URL(target)
  url.port = String(port)
  return { proxy, url: url.toString() }
}
