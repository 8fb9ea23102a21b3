// A token server for docker-registry's `auth: token` (the Docker registry token protocol, as
// Docker Hub, ghcr.io and GAR speak it): Basic credentials in, a JWT out, signed by a key whose
// self-signed certificate (made by openssl) the registry trusts. Every request is recorded, so
// tests can see the scopes a client asked for.
import { execFile } from 'node:child_process'
import { createSign, randomBytes, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'

export const SERVICE = 'gpa-test-registry'
export const ISSUER = 'gpa-test-issuer'

export interface TokenServer {
  /** The realm: http://127.0.0.1:PORT/token */
  realm: string
  /** PEM file of the signing certificate, for the registry's rootcertbundle. */
  certFile: string
  /** The scope parameters of each token request, in order. */
  requests: Array<{ user: string; scopes: string[] }>
  stop(): Promise<void>
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

/** Starts the server; `dir` holds its key and certificate. */
export async function startTokenServer(
  dir: string,
  user: string,
  password: string
): Promise<TokenServer> {
  const keyFile = path.join(dir, 'token.key')
  const certFile = path.join(dir, 'token.crt')
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=gpa-test-token'
  ])
  const key = await readFile(keyFile, 'utf8')
  const cert = new X509Certificate(await readFile(certFile))
  const requests: TokenServer['requests'] = []

  const sign = (claims: object): string => {
    const header = { alg: 'RS256', typ: 'JWT', x5c: [cert.raw.toString('base64')] }
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    return `${body}.${b64url(createSign('RSA-SHA256').update(body).sign(key))}`
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const auth = req.headers.authorization ?? ''
    const [given, ...rest] = Buffer.from(auth.replace(/^Basic /, ''), 'base64')
      .toString()
      .split(':')
    const scopes = url.searchParams.getAll('scope')
    requests.push({ user: given ?? '', scopes })
    if (!auth.startsWith('Basic ') || given !== user || rest.join(':') !== password) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"details":"bad credentials"}')
      return
    }
    const now = Math.floor(Date.now() / 1000)
    const access = scopes.map(scope => {
      const [type, name, actions] = scope.split(':')
      return { type, name, actions: (actions ?? '').split(',') }
    })
    const token = sign({
      iss: ISSUER,
      sub: user,
      aud: url.searchParams.get('service'),
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access
    })
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300 }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certFile,
    requests,
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
