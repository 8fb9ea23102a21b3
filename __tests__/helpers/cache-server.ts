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
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startForwardingProxy } from './forward.js'
import { goProgram } from './go-program.js'
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
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000
const URL_LINE = /^ACTIONS_CACHE_URL=(\S+)$/
const MAX_LOG = 64 * 1024

/** scripts/cache-server, built once per machine per source (a bump of nektos/act rebuilds it). */
const cacheServerBinary = goProgram({
  name: 'cache-server',
  dir: SOURCE_DIR,
  files: ['main.go', 'go.mod', 'go.sum']
})

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
