import { ActionError } from '../../errors.js'
import { sha256Hex } from '../../util/hash.js'
import { describe, HttpError, logRetry, retryAfter, retryableHttpError } from '../../util/http.js'
import {
  attemptsSummary,
  boundedFetch,
  gaveUpMessage,
  type Limits,
  requestLimits,
  scaled,
  StallError,
  transferLimits
} from '../../util/limits.js'
import { withRetry } from '../../util/retry.js'
import { parseChallenge } from './challenge.js'
import { isLoopback } from './reference.js'

export interface Credentials {
  username: string
  password: string
}

export interface RegistryOptions {
  registry: string
  repository: string
  credentials?: Credentials
  /** Plain http for a registry that is not on loopback, when the user asks for it. */
  insecure?: boolean
  /** pull for a base image: a token service may refuse push to a repository that is not ours. */
  access?: 'push' | 'pull'
  /** Repositories of the same registry that blobs are mounted from: the token must allow pulling them. */
  mountFrom?: readonly string[]
}

const sha256 = (data: Uint8Array): string => `sha256:${sha256Hex(data)}`

/**
 * A registry client for one repository on fetch (OCI distribution spec): token or Basic auth from
 * the registry's challenge, blobs that are skipped when present, single-request uploads, manifests
 * checked against their digest, and retries with backoff on 408, 429, 5xx and network errors.
 */
export class RegistryClient {
  private readonly base: string
  private authorization?: string
  /** Counts requests by method and kind, so tests (and logs) can show what a push cost. */
  readonly requests: string[] = []

  constructor(private readonly options: RegistryOptions) {
    const host = options.registry === 'docker.io' ? 'registry-1.docker.io' : options.registry
    const scheme = isLoopback(host) || options.insecure ? 'http' : 'https'
    this.base = `${scheme}://${host}/v2/${options.repository}`
  }

  private basic(): string | undefined {
    const c = this.options.credentials
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined
  }

  /** Answers a 401 challenge: a Bearer token for push and pull on this repository, or Basic. */
  private async authenticate(header: string | null): Promise<void> {
    const challenge = parseChallenge(header)
    if (!challenge)
      throw new ActionError(
        `registry ${this.options.registry} asked for authentication it did not describe`
      )
    if (challenge.scheme === 'basic') {
      const basic = this.basic()
      if (!basic)
        throw this.denied('it needs credentials (registry-username and registry-password)')
      this.authorization = basic
      return
    }
    const url = new URL(challenge.params.realm ?? '')
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service)
    const access = this.options.access === 'pull' ? 'pull' : 'push,pull'
    url.searchParams.append('scope', `repository:${this.options.repository}:${access}`)
    for (const source of this.options.mountFrom ?? []) {
      url.searchParams.append('scope', `repository:${source}:pull`)
    }
    const basic = this.basic()
    // The token service is a request like any other: bounded, and retried on 408, 429, 5xx and
    // no answer (the caller's retry takes it round again).
    const response = await this.send('GET', url.toString(), {
      headers: basic ? { authorization: basic } : {}
    })
    if (response.status === 408 || response.status === 429 || response.status >= 500)
      throw new HttpError(
        url.toString(),
        response.status,
        retryAfter(response.headers.get('retry-after')),
        `registry ${this.options.registry}: its token service ${url.host} answered ${response.status}`
      )
    if (!response.ok) throw this.denied(`its token service answered ${response.status}`)
    let body: { token?: string; access_token?: string }
    try {
      body = JSON.parse(new TextDecoder().decode(await response.arrayBuffer())) as typeof body
    } catch {
      throw this.denied('its token service answered something that is not JSON')
    }
    const token = body.token ?? body.access_token
    if (!token) throw this.denied('its token service gave no token')
    this.authorization = `Bearer ${token}`
  }

  private denied(why: string): ActionError {
    return new ActionError(
      `registry ${this.options.registry} refused access to ${this.options.repository}: ${why}`
    )
  }

  /**
   * One attempt, bounded (util/limits: idle, overall) and read to the end within those limits, so
   * that a body cut short or stalled is a failure of this attempt, which the caller retries. The
   * answer comes back with its body in memory (manifests, tokens, small JSON; blobs are in memory
   * anyway).
   */
  private async send(
    method: string,
    url: string,
    init: { body?: Uint8Array; headers?: Record<string, string> },
    limits: Limits = requestLimits()
  ): Promise<Response> {
    const host = new URL(url).host
    try {
      const response = await boundedFetch(
        url,
        { method, headers: init.headers, body: init.body, redirect: 'follow' },
        limits
      )
      let bytes: Uint8Array | null = null
      if (method === 'HEAD' || [204, 205, 304].includes(response.status))
        await response.body?.cancel()
      else bytes = new Uint8Array(await response.arrayBuffer())
      return new Response(bytes, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers
      })
    } catch (error) {
      if (error instanceof StallError) throw error
      const where = host === this.options.registry ? '' : ` (${host})`
      throw new HttpError(
        url,
        0,
        undefined,
        `registry ${this.options.registry}${where} cannot be reached (${describe(error)}) for ${method} ${new URL(url).pathname}`
      )
    }
  }

  /** One request with auth and retries; `path` is relative to /v2/<repository>, or an absolute Location. */
  async request(
    method: string,
    path: string,
    init: { body?: Uint8Array; headers?: Record<string, string> } = {}
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`
    // Blobs (layers) are transfers with the transfer budget; everything else is a small request.
    const limits =
      /\/blobs\/sha256:/.test(url) || (init.body?.byteLength ?? 0) > 1024 * 1024
        ? transferLimits()
        : requestLimits()
    return withRetry(
      async () => {
        for (let attempt = 0; ; attempt++) {
          const headers: Record<string, string> = { ...init.headers }
          if (this.authorization) headers.authorization = this.authorization
          if (init.body) headers['content-length'] = String(init.body.byteLength)
          this.requests.push(`${method} ${new URL(url).pathname}`)
          const response = await this.send(method, url, { headers, body: init.body }, limits)
          if (response.status === 401 && attempt === 0) {
            await this.authenticate(response.headers.get('www-authenticate'))
            continue
          }
          if (response.status === 401 || response.status === 403) {
            throw this.denied(
              `${method} answered ${response.status}; check registry-username and registry-password`
            )
          }
          if (response.status === 408 || response.status === 429 || response.status >= 500) {
            const text = await response.text()
            throw new HttpError(
              url,
              response.status,
              retryAfter(response.headers.get('retry-after')),
              `registry ${this.options.registry}: ${method} ${new URL(url).pathname} answered ${response.status} ${text.trim().slice(0, 200)}`
            )
          }
          return response
        }
      },
      {
        attempts: 5,
        baseDelayMs: scaled(500),
        maxDelayMs: scaled(10_000),
        retryable: (error: unknown) =>
          error instanceof StallError ? true : retryableHttpError(error),
        onRetry: logRetry,
        onGiveUp: (error: unknown, attempts: number, elapsedMs: number) => {
          if (error instanceof StallError)
            return new ActionError(
              `registry ${this.options.registry}: ${gaveUpMessage('', error, attempts, elapsedMs)}`
            )
          if (error instanceof HttpError && error.status === 0)
            return new ActionError(`${error.message}; ${attemptsSummary(attempts, elapsedMs)}`)
          return error
        }
      }
    )
  }

  async hasBlob(digest: string): Promise<boolean> {
    const response = await this.request('HEAD', `/blobs/${digest}`)
    return response.ok
  }

  /** Uploads a blob unless the registry has it. */
  async pushBlob(digest: string, data: Uint8Array): Promise<'exists' | 'uploaded'> {
    if (await this.hasBlob(digest)) return 'exists'
    const started = await this.request('POST', '/blobs/uploads/', { body: new Uint8Array() })
    await started.body?.cancel()
    const location = started.headers.get('location')
    if (started.status !== 202 || !location)
      throw new ActionError(
        `registry ${this.options.registry}: starting an upload answered ${started.status}`
      )
    // Location may be relative and carries its own query (an upload state); keep it and add the digest.
    const url = new URL(location, `${this.base}/`)
    url.searchParams.set('digest', digest)
    const done = await this.request('PUT', url.toString(), {
      body: data,
      headers: { 'content-type': 'application/octet-stream' }
    })
    await done.body?.cancel()
    if (done.status !== 201)
      throw new ActionError(
        `registry ${this.options.registry}: uploading ${digest} answered ${done.status}`
      )
    return 'uploaded'
  }

  /**
   * Mounts a blob from another repository of this registry; false when the registry would not
   * (no pull access to the source, another storage), and the upload it opened instead is abandoned.
   */
  async mountBlob(digest: string, from: string): Promise<boolean> {
    const query = `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`
    const response = await this.request('POST', `/blobs/uploads/${query}`, {
      body: new Uint8Array()
    })
    await response.body?.cancel()
    if (response.status === 201) return true
    const location = response.headers.get('location')
    if (response.status === 202 && location) {
      const cancelled = await this.request(
        'DELETE',
        new URL(location, `${this.base}/`).toString()
      ).catch(() => undefined)
      await cancelled?.body?.cancel()
    }
    return false
  }

  /** Puts a manifest or index under a tag or digest and checks the registry stored these very bytes. */
  async putManifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<string> {
    const digest = sha256(bytes)
    const response = await this.request('PUT', `/manifests/${reference}`, {
      body: bytes,
      headers: { 'content-type': mediaType }
    })
    const text = await response.text()
    if (response.status !== 201)
      throw new ActionError(
        `registry ${this.options.registry}: PUT manifest ${reference} answered ${response.status} ${text.slice(0, 300)}`
      )
    const stored = response.headers.get('docker-content-digest')
    if (stored && stored !== digest)
      throw new ActionError(
        `registry ${this.options.registry} stored manifest ${reference} as ${stored}, not ${digest}`
      )
    return digest
  }

  /** A manifest or index as stored, with its media type and digest (a plain list of Accept types: some registries mis-parse q=). */
  async getManifest(
    reference: string,
    accept: readonly string[]
  ): Promise<{ mediaType: string; bytes: Uint8Array; digest: string } | undefined> {
    const response = await this.request('GET', `/manifests/${reference}`, {
      headers: { accept: accept.join(', ') }
    })
    if (response.status === 404) {
      await response.body?.cancel()
      return undefined
    }
    if (!response.ok)
      throw new ActionError(
        `registry ${this.options.registry}: GET manifest ${reference} answered ${response.status}`
      )
    const bytes = new Uint8Array(await response.arrayBuffer())
    return { mediaType: response.headers.get('content-type') ?? '', bytes, digest: sha256(bytes) }
  }

  async getBlob(digest: string): Promise<Uint8Array> {
    const response = await this.request('GET', `/blobs/${digest}`)
    if (!response.ok)
      throw new ActionError(
        `registry ${this.options.registry}: GET blob ${digest} answered ${response.status}`
      )
    const bytes = new Uint8Array(await response.arrayBuffer())
    if (sha256(bytes) !== digest)
      throw new ActionError(
        `registry ${this.options.registry}: blob ${digest} does not match its digest`
      )
    return bytes
  }
}
