// A server on 127.0.0.1 that misbehaves the ways a real one does when it hangs, for the tests that
// show every wait of the action is bounded. It stands in front of a stand-in (the upstream: dl-server,
// the registry, GitHub's uploads host…) and answers the requests a test picks in one of four modes:
//
//   silent       accepts the connection, reads the request, never answers;
//   headers      answers 200 with its headers (a content-length it never sends), then nothing;
//   trickle      forwards, but sends the answer slowly: a pause, the headers, then `chunkBytes`
//                every `intervalMs` (within the action's limits, so the request still succeeds);
//   reset-after  destroys the connection once `bytes` have passed (of the request's body for a
//                request with one, of the answer otherwise), then forwards like nothing happened.
//
// Requests the mode does not apply to (`match`, or after a reset) are forwarded unchanged, Host
// included, so an upstream's Location headers still point through this server.
import http from 'node:http'
import type net from 'node:net'

export type StallMode =
  | { kind: 'silent' }
  | { kind: 'headers' }
  | { kind: 'trickle'; chunkBytes: number; intervalMs: number }
  | { kind: 'reset-after'; bytes: number }

export interface StallServerOptions {
  mode: StallMode
  /** Where requests go that are not stalled, e.g. `http://127.0.0.1:PORT`; settable later. */
  upstream?: string
  /** Which requests get the mode (method, path with query); default all. */
  match?: (method: string, url: string) => boolean
}

export interface StallServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT` */
  host: string
  /** Every request, `METHOD /path?query`, in order of arrival. */
  requests: string[]
  /** How many requests got the mode (a reset counts once). */
  faults: number
  setUpstream(url: string): void
  stop(): Promise<void>
}

export async function startStallServer(opts: StallServerOptions): Promise<StallServer> {
  let upstream = opts.upstream ? new URL(opts.upstream) : undefined
  const sockets = new Set<net.Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }
  let resetDone = false
  const state = { requests: [] as string[], faults: 0 }

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    onAnswer?: (answer: http.IncomingMessage) => void,
    body?: Buffer
  ): void => {
    if (!upstream) {
      res.writeHead(502).end('stall server: no upstream\n')
      return
    }
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers
      },
      answer => {
        if (onAnswer) onAnswer(answer)
        else {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
          answer.pipe(res)
        }
      }
    )
    out.on('error', error => {
      if (!res.headersSent) res.writeHead(502).end(String(error))
      else res.destroy()
    })
    if (body) out.end(body)
    else req.pipe(out)
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET'
    const url = req.url ?? '/'
    state.requests.push(`${method} ${url}`)
    const mode = opts.mode
    const applies =
      (opts.match?.(method, url) ?? true) && !(mode.kind === 'reset-after' && resetDone)
    if (!applies) {
      forward(req, res)
      return
    }
    switch (mode.kind) {
      case 'silent':
        state.faults++
        req.resume()
        return
      case 'headers':
        state.faults++
        req.resume()
        req.on('end', () => {
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': String(1024 * 1024)
          })
          res.flushHeaders()
        })
        return
      case 'trickle':
        state.faults++
        forward(req, res, answer => {
          // Whatever has come from the upstream goes out `chunkBytes` at a time, one chunk every
          // `intervalMs`, the headers after a first pause.
          let pending = Buffer.alloc(0)
          let ended = false
          answer.on('data', (c: Buffer) => (pending = Buffer.concat([pending, c])))
          answer.on('end', () => (ended = true))
          const next = (): void => {
            if (res.destroyed) return
            if (pending.length > 0) {
              res.write(pending.subarray(0, mode.chunkBytes))
              pending = pending.subarray(mode.chunkBytes)
            } else if (ended) {
              res.end()
              return
            }
            later(next, mode.intervalMs)
          }
          later(() => {
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
            res.flushHeaders()
            later(next, mode.intervalMs)
          }, mode.intervalMs)
        })
        return
      case 'reset-after': {
        const hasBody = ['PUT', 'POST', 'PATCH'].includes(method)
        if (hasBody) {
          // Take the body, and cut the connection once `bytes` of it have come: the upstream never
          // sees this attempt.
          let received = 0
          const chunks: Buffer[] = []
          req.on('data', (c: Buffer) => {
            received += c.length
            chunks.push(c)
            if (received >= mode.bytes && !resetDone) {
              resetDone = true
              state.faults++
              req.socket.destroy()
            }
          })
          req.on('end', () => {
            if (!resetDone) forward(req, res, undefined, Buffer.concat(chunks))
          })
          return
        }
        forward(req, res, answer => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
          let sent = 0
          answer.on('data', (c: Buffer) => {
            if (resetDone) return
            if (sent + c.length >= mode.bytes) {
              resetDone = true
              state.faults++
              res.write(c.subarray(0, Math.max(0, mode.bytes - sent)), () => res.socket?.destroy())
              answer.destroy()
              return
            }
            sent += c.length
            res.write(c)
          })
          answer.on('end', () => {
            if (!res.destroyed && !resetDone) res.end()
          })
        })
        return
      }
    }
  })
  // Nothing here may end a stall early: no time limits on the requests it is sent.
  server.requestTimeout = 0
  server.headersTimeout = 0
  server.keepAliveTimeout = 60_000
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get requests() {
      return state.requests
    },
    get faults() {
      return state.faults
    },
    setUpstream: (url: string) => {
      upstream = new URL(url)
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t)
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
