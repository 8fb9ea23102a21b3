// A throwaway HTTP server on 127.0.0.1 for unit tests of clients: stopping it also ends the
// connections a stalling handler left open, so the test run ends on its own.
import http from 'node:http'
import type net from 'node:net'

export interface LocalServer {
  /** http://127.0.0.1:<port> */
  base: string
  stop(): Promise<void>
}

export async function startLocalServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler)
  const sockets = new Set<net.Socket>()
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
