// A proxy in front of a local server, forwarding every request unchanged (Host included, so the
// server's Location headers still point through it), for counting requests or injecting faults.
import http from 'node:http'

export interface ForwardOptions {
  /** The server forwarded to. */
  host: string
  port: number
  /** Answers a request itself (a fault) by returning true; it is then not forwarded. */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean
  /** Called with each forwarded request when its answer's status arrives. */
  answered?: (req: http.IncomingMessage, status: number) => void
}

/** Listens on `host`, port chosen by the system; read it with server.address(). */
export async function startForwardingProxy(opts: ForwardOptions): Promise<http.Server> {
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((req, res) => {
    if (opts.intercept?.(req, res)) return
    const upstream = http.request(
      {
        host: opts.host,
        port: opts.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent
      },
      answer => {
        opts.answered?.(req, answer.statusCode ?? 0)
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
        answer.pipe(res)
      }
    )
    upstream.on('error', error => {
      if (!res.headersSent) res.writeHead(502).end(String(error))
      else res.destroy()
    })
    req.pipe(upstream)
  })
  server.on('close', () => agent.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, opts.host, () => resolve())
  })
  return server
}
