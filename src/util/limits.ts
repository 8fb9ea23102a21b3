// Every wait the action makes on something outside it is bounded, by one rule:
//
//   HTTP (go.dev/dl, the module proxy, the checksum database, registries and their token services,
//   the GitHub API and its uploads host) goes through boundedFetch:
//     - connect: Node's fetch (undici) gives up on a connection after 10 s; that failure is a
//       network error like any other, so it is retried;
//     - idle: nothing received (headers or body), or for an upload no progress sending it, for
//       60 s: the server is stalled, whatever the size of the transfer;
//     - overall: 2 min for a request (an index, a manifest, an API call: ~2 MB at most), 30 min for
//       a download or an upload (a 150 MB Go archive at 85 KB/s), whichever budget the caller asks.
//     Each attempt gets these; util/http's one retry rule (408, 429, 5xx, network errors and these
//     time-outs, Retry-After honoured) tries again, and the error after the last attempt names the
//     host, the method and path, how long it waited and the variable that changes the limit.
//   The Actions cache: every socket @actions/cache opens gets the same idle limit, and each restore
//   or save an overall 15 min (cache/service.ts); a cache that hangs is a warning, not a failure.
//   Commands that reach the network (go install, go list -m, docker build) get 20 min, and are
//   killed with their process group (util/exec.ts).
//
// Users change them through GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS, GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES,
// GO_PACKAGE_ACTION_CACHE_TIMEOUT_MINUTES and GO_PACKAGE_ACTION_COMMAND_TIMEOUT_MINUTES.
//
// TEST-ONLY: GO_PACKAGE_ACTION_TIMEOUT_SCALE (a factor, e.g. 0.01) shortens every limit above and
// the delays between retries, so the tests can show a stall ending in seconds. Nobody else sets it.
import type { ReadableStream as WebReadableStream } from 'node:stream/web'

/** Idle: nothing received (or, uploading, no progress sending) for this long ends the attempt. */
export const IDLE_MS = 60_000
/** The overall budget of a small request: an index, a manifest, a token, an API call. */
export const REQUEST_MS = 2 * 60_000
/** The overall budget of one download or upload: a Go archive, an image layer, a release asset. */
export const TRANSFER_MS = 30 * 60_000
/** The overall budget of one cache restore or save (download or upload plus tar). */
export const CACHE_MS = 15 * 60_000
/** The overall budget of a command that reaches the network (go install, docker build). */
export const COMMAND_MS = 20 * 60_000
/** The overall budget of a quick command (docker version, docker rmi). */
export const PROBE_COMMAND_MS = 2 * 60_000
/** Node's fetch (undici) gives up connecting after this long; not ours to change, stated here. */
export const CONNECT_MS = 10_000

export const IDLE_VARIABLE = 'GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS'
export const TRANSFER_VARIABLE = 'GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES'
export const CACHE_VARIABLE = 'GO_PACKAGE_ACTION_CACHE_TIMEOUT_MINUTES'
export const COMMAND_VARIABLE = 'GO_PACKAGE_ACTION_COMMAND_TIMEOUT_MINUTES'
/** Test-only: multiplies every limit and retry delay (see the top of this file). */
export const SCALE_VARIABLE = 'GO_PACKAGE_ACTION_TIMEOUT_SCALE'

/** The test-only factor; 1 unless GO_PACKAGE_ACTION_TIMEOUT_SCALE is a positive number. */
export function timeoutScale(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[SCALE_VARIABLE])
  return Number.isFinite(value) && value > 0 ? value : 1
}

/** A delay or limit in milliseconds, shortened by the test-only factor. */
export function scaled(ms: number, env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.round(ms * timeoutScale(env)))
}

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = Number(env[name])
  return env[name] && Number.isFinite(value) && value > 0 ? value : undefined
}

export interface Limits {
  /** Nothing received, nor progress sending, for this long ends the attempt. */
  idleMs: number
  /** The attempt's overall budget. */
  totalMs: number
  /** What a user sets to change the overall budget (named in the error). */
  totalVariable: string
}

/** Limits of a small request: idle 60 s, overall 2 min (twice the idle limit, so raising one raises both). */
export function requestLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const idle = (positive(env, IDLE_VARIABLE) ?? IDLE_MS / 1000) * 1000
  return {
    idleMs: scaled(idle, env),
    totalMs: scaled(Math.max(REQUEST_MS, 2 * idle), env),
    totalVariable: IDLE_VARIABLE
  }
}

/** Limits of a download or upload: idle 60 s, overall 30 min. */
export function transferLimits(env: NodeJS.ProcessEnv = process.env): Limits {
  const idle = (positive(env, IDLE_VARIABLE) ?? IDLE_MS / 1000) * 1000
  const total = (positive(env, TRANSFER_VARIABLE) ?? TRANSFER_MS / 60_000) * 60_000
  return {
    idleMs: scaled(idle, env),
    totalMs: scaled(total, env),
    totalVariable: TRANSFER_VARIABLE
  }
}

/** The idle limit of a cache socket and the overall budget of one restore or save. */
export function cacheLimits(env: NodeJS.ProcessEnv = process.env): {
  idleMs: number
  totalMs: number
} {
  const idle = (positive(env, IDLE_VARIABLE) ?? IDLE_MS / 1000) * 1000
  const total = (positive(env, CACHE_VARIABLE) ?? CACHE_MS / 60_000) * 60_000
  return { idleMs: scaled(idle, env), totalMs: scaled(total, env) }
}

/** The time limit of a command that reaches the network; `probe` for quick ones. */
export function commandLimitMs(kind: 'network' | 'probe' = 'network', env = process.env): number {
  const minutes = positive(env, COMMAND_VARIABLE)
  const base = kind === 'probe' ? PROBE_COMMAND_MS : COMMAND_MS
  return scaled(minutes ? Math.max(base, minutes * 60_000) : base, env)
}

/** 0.6s, 42s, 30 min: durations as the messages say them. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}s`
  if (ms < 180_000) return `${Math.round(ms / 1000)}s`
  return `${Math.round(ms / 6000) / 10} min`
}

/** One attempt that hit a limit: which, on which request, after how long. */
export class StallError extends Error {
  override readonly name = 'TimeoutError'
  constructor(
    readonly kind: 'idle' | 'total',
    readonly host: string,
    readonly method: string,
    readonly path: string,
    readonly waitedMs: number,
    readonly limits: Limits
  ) {
    super(
      kind === 'idle'
        ? `${method} ${path} on ${host}: nothing received or sent for ${formatDuration(limits.idleMs)} (the idle limit)`
        : `${method} ${path} on ${host}: not done within ${formatDuration(limits.totalMs)} (the overall limit)`
    )
  }

  /** The variable that changes the limit this attempt hit. */
  get variable(): string {
    return this.kind === 'idle' ? IDLE_VARIABLE : this.limits.totalVariable
  }
}

/**
 * The message after the last attempt: what was asked of which host, how long it waited in all, and
 * which variable changes the limit. `error` is the last attempt's failure.
 */
export function gaveUpMessage(
  what: string,
  error: unknown,
  attempts: number,
  elapsedMs: number
): string {
  const stall = findStall(error)
  const tried = attemptsSummary(attempts, elapsedMs)
  if (stall)
    return `${stall.message}; ${tried}; if the server is only slow, raise ${stall.variable}`
  return `${what}: ${describeError(error)}; ${tried}`
}

/** gave up after 4 attempts in 9.2s */
export function attemptsSummary(attempts: number, elapsedMs: number): string {
  return `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${formatDuration(elapsedMs)}`
}

/** A StallError anywhere in an error's cause chain (fetch and Octokit wrap it). */
export function findStall(error: unknown): StallError | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof StallError) return e
    e = typeof e === 'object' && 'cause' in e ? (e as { cause?: unknown }).cause : undefined
  }
  return undefined
}

function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error)
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const detail = cause?.code ?? cause?.message
  const message = String((error as { message: unknown }).message)
  return detail && !message.includes(detail) ? `${message} (${detail})` : message
}

/** Bodies larger than this are sent as a stream, so that each chunk taken counts as progress. */
const UPLOAD_CHUNK = 64 * 1024
const NULL_BODY = new Set([101, 204, 205, 304])

function timer(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, ms)
  // A response nobody reads to the end must not keep the process alive for 30 minutes.
  t.unref()
  return t
}

/**
 * fetch, bounded: an attempt ends with a StallError when nothing arrives (headers or body) and
 * nothing is sent for `idleMs`, or when it takes longer than `totalMs` altogether, body included.
 * The response's body is handed back wrapped, so the limits hold while the caller reads it.
 */
export async function boundedFetch(
  input: string | URL,
  init: RequestInit,
  limits: Limits,
  inner: typeof fetch = fetch
): Promise<Response> {
  const url = new URL(String(input))
  const method = (init.method ?? 'GET').toUpperCase()
  const started = Date.now()
  const controller = new AbortController()
  let failure: StallError | undefined
  let idle: NodeJS.Timeout | undefined
  const fail = (kind: 'idle' | 'total'): void => {
    const path = url.pathname + (url.search.length <= 40 ? url.search : '')
    failure ??= new StallError(kind, url.host, method, path, Date.now() - started, limits)
    controller.abort(failure)
  }
  const touch = (): void => {
    if (idle) clearTimeout(idle)
    idle = timer(() => fail('idle'), limits.idleMs)
  }
  const total = timer(() => fail('total'), limits.totalMs)
  const finish = (): void => {
    if (idle) clearTimeout(idle)
    clearTimeout(total)
  }
  touch()

  const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
  const request: RequestInit & { duplex?: 'half' } = { ...init, signal }
  const body = init.body
  if (body instanceof Uint8Array && body.byteLength > UPLOAD_CHUNK) {
    // Sent in chunks as the connection takes them: each one taken is progress, a stalled
    // receiver stops the taking, and the idle limit ends the attempt.
    const headers = new Headers(init.headers)
    if (!headers.has('content-length')) headers.set('content-length', String(body.byteLength))
    let offset = 0
    request.body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (offset >= body.byteLength) {
          c.close()
          return
        }
        const end = Math.min(offset + UPLOAD_CHUNK, body.byteLength)
        c.enqueue(body.subarray(offset, end))
        offset = end
        touch()
      }
    })
    request.headers = headers
    request.duplex = 'half'
  }

  let response: Response
  try {
    response = await inner(url, request)
  } catch (error) {
    finish()
    throw failure ?? error
  }
  touch()
  if (!response.body || NULL_BODY.has(response.status)) {
    finish()
    return response
  }
  const reader = (response.body as unknown as WebReadableStream<Uint8Array>).getReader()
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const chunk = await reader.read()
        if (chunk.done) {
          finish()
          c.close()
          return
        }
        touch()
        c.enqueue(chunk.value)
      } catch (error) {
        finish()
        c.error(failure ?? error)
      }
    },
    async cancel(reason) {
      finish()
      await reader.cancel(reason)
    }
  })
  const wrapped = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers
  })
  Object.defineProperty(wrapped, 'url', { value: response.url })
  return wrapped
}
