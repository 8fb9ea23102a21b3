import * as core from '@actions/core'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { ActionError } from '../errors.js'
import {
  boundedFetch,
  gaveUpMessage,
  type Limits,
  requestLimits,
  scaled,
  StallError,
  transferLimits
} from './limits.js'
import { withRetry } from './retry.js'

/**
 * An HTTP answer we did not want, or none at all (status 0). 408, 429, 5xx and no answer are worth
 * another try; other statuses are not.
 */
export class HttpError extends ActionError {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly retryAfterMs?: number,
    message = `GET ${url} answered ${status}`
  ) {
    super(message)
  }
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date. */
export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** The retry decision for an HttpError, shared by downloads and the registry client. */
export function retryableHttpError(error: unknown): boolean | { afterMs: number } {
  if (!(error instanceof HttpError)) return false
  const transient =
    error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500
  if (!transient) return false
  return error.retryAfterMs !== undefined ? { afterMs: error.retryAfterMs } : true
}

function isRetryable(error: unknown): boolean | { afterMs: number } {
  if (error instanceof HttpError) return retryableHttpError(error)
  // Network failures (reset, refused, DNS, a body cut short) surface as TypeError from fetch, our
  // limits as StallError (TimeoutError).
  return error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError')
}

/** Says in the log why a request is tried again, and when. */
export function logRetry(error: unknown, attempt: number, delayMs: number): void {
  core.info(
    `${describe(error)}; retrying in ${Math.round(delayMs / 100) / 10}s (attempt ${attempt + 1})`
  )
}

/** The one retry rule: 4 attempts, backoff with jitter from 1 s to 20 s, Retry-After honoured. */
function retryPolicy(url: string) {
  return {
    attempts: 4,
    baseDelayMs: scaled(1000),
    maxDelayMs: scaled(20_000),
    retryable: isRetryable,
    onRetry: logRetry,
    // An answer with a status says so itself; no answer says what was waited for, and how long.
    onGiveUp: (error: unknown, attempts: number, elapsedMs: number) =>
      error instanceof HttpError && error.status !== 0
        ? error
        : new HttpError(url, 0, undefined, gaveUpMessage(`GET ${url}`, error, attempts, elapsedMs))
  }
}

/** What went wrong with a request, in a word: ECONNREFUSED, ENOTFOUND, or fetch's own message. */
export function describe(error: unknown): string {
  // Duck-typed, not instanceof: errors from another realm (a VM context, a worker) are still errors.
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error)
  // fetch wraps the socket error; connecting to several addresses wraps them again (AggregateError).
  const cause = (
    error as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } }
  ).cause
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? String(error.message)
}

async function fetchOk(url: string, limits: Limits): Promise<Response> {
  let response: Response
  try {
    response = await boundedFetch(url, { redirect: 'follow' }, limits)
  } catch (error) {
    if (error instanceof StallError) throw error
    // No answer at all (DNS, refused, reset): status 0, retried, then reported as such.
    throw new HttpError(url, 0, undefined, `cannot reach ${new URL(url).host} (${describe(error)})`)
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw new HttpError(url, response.status, retryAfter(response.headers.get('retry-after')))
  }
  return response
}

/** Fetches a URL's body as text, retrying transient failures; the body is read within the limits. */
export async function getText(url: string): Promise<string> {
  return withRetry(async () => (await fetchOk(url, requestLimits())).text(), retryPolicy(url))
}

/**
 * Fetches a URL's body as bytes once, within the request limits: for a probe whose failure is only
 * a warning, where retrying a silent server would hold the job for minutes.
 */
export async function getBytesOnce(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url, requestLimits())).arrayBuffer())
}

/** Fetches a URL's body as bytes, retrying transient failures. */
export async function getBytes(url: string): Promise<Uint8Array> {
  return withRetry(
    async () => new Uint8Array(await (await fetchOk(url, requestLimits())).arrayBuffer()),
    retryPolicy(url)
  )
}

/** Like getText, but a 404 or 410 gives undefined instead of an error. */
export async function getTextIfExists(url: string): Promise<string | undefined> {
  try {
    return await getText(url)
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 410))
      return undefined
    throw error
  }
}

/**
 * Streams a URL into a file, retrying transient failures (each attempt starts the file afresh);
 * a failed download leaves no file.
 */
export async function downloadFile(url: string, destination: string): Promise<void> {
  try {
    await withRetry(async () => {
      const response = await fetchOk(url, transferLimits())
      if (!response.body) throw new HttpError(url, response.status)
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream),
        createWriteStream(destination)
      )
    }, retryPolicy(url))
  } catch (error) {
    await rm(destination, { force: true })
    if (error instanceof ActionError) throw error
    throw new ActionError(`download of ${url} failed: ${describe(error)}`)
  }
}
