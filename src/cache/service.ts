import * as core from '@actions/core'
import { withRetry } from '../util/retry.js'
import { AsyncLocalStorage } from 'node:async_hooks'
import diagnostics from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'
import { CACHE_VARIABLE, cacheLimits, formatDuration, IDLE_VARIABLE } from '../util/limits.js'

/** The Actions cache service, behind the little we need of it: failures become warnings, never errors. */
export interface CacheService {
  available(): Promise<boolean>
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  save(paths: string[], key: string): Promise<boolean>
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// @actions/cache brings the Azure storage SDK, half the bundle: it loads when a cache is used.
const actionsCache = () => import('@actions/cache')

/**
 * One restore or save in progress: the HTTP requests @actions/cache makes for it, and how to give
 * up on it. @actions/cache bounds little by itself: SEGMENT_DOWNLOAD_TIMEOUT_MINS only bounds
 * each 128 MB segment of a download through the Azure SDK, and its http-client only stops a
 * download whose body goes quiet for 5 s; the cache API calls (look-up, reserve, commit), a
 * download whose headers never come, an upload, and a body that stops after the headers (its
 * http-client then waits for an end that never comes) are not bounded at all.
 */
interface CacheOperation {
  what: string
  idleMs: number
  requests: Set<ClientRequest>
  gaveUp?: Error
  giveUp(error: Error): void
}

const operations = new AsyncLocalStorage<CacheOperation>()
let watching = false

/**
 * Every HTTP request started inside a cache operation (found through the async context it was
 * started in) gets the idle limit: no byte sent or received on its socket for that long gives up
 * the whole operation, since @actions/cache may never notice (see above).
 */
function watchCacheRequests(): void {
  if (watching) return
  watching = true
  diagnostics.subscribe('http.client.request.start', message => {
    const operation = operations.getStore()
    if (!operation) return
    const request = (message as { request: ClientRequest }).request
    if (operation.gaveUp) {
      request.destroy(operation.gaveUp)
      return
    }
    operation.requests.add(request)
    request.once('close', () => operation.requests.delete(request))
    // After the caller's own setTimeout (http-client sets 3 min right after creating the request):
    // the last one set is the socket's time-out.
    setImmediate(() =>
      request.setTimeout(operation.idleMs, () => {
        const host = String(request.getHeader('host') ?? request.host ?? 'the cache service')
        const path = request.path.split('?')[0] ?? ''
        operation.giveUp(
          new Error(
            `${request.method} ${path} on ${host}: nothing received or sent for ${formatDuration(operation.idleMs)} ` +
              `(the idle limit); if the cache service is only slow, raise ${IDLE_VARIABLE}`
          )
        )
      })
    )
  })
}

/**
 * Runs one @actions/cache call within the cache limits: a request idle too long, or the whole call
 * taking longer than the overall budget, gives it up (its requests destroyed) with a warning, and
 * the job goes on without that cache. What the call leaves running after that (a tar already
 * unpacking) is not waited for.
 */
async function bounded<T>(what: string, fallback: T, call: () => Promise<T>): Promise<T> {
  watchCacheRequests()
  const { idleMs, totalMs } = cacheLimits()
  let giveUp!: (error: Error) => void
  const gaveUp = new Promise<Error>(resolve => (giveUp = resolve))
  const operation: CacheOperation = {
    what,
    idleMs,
    requests: new Set(),
    giveUp: error => {
      if (operation.gaveUp) return
      operation.gaveUp = error
      for (const request of operation.requests) request.destroy(error)
      giveUp(error)
    }
  }
  const timer = setTimeout(
    () =>
      operation.giveUp(
        new Error(
          `not done within ${formatDuration(totalMs)} (the overall limit of a cache restore or save); ` +
            `if the cache service is only slow, raise ${CACHE_VARIABLE}`
        )
      ),
    totalMs
  )
  const work = operations.run(operation, call)
  // Once given up, whatever the call still does is of no interest, its failure included.
  work.catch(() => undefined)
  try {
    const outcome = await Promise.race([work.then(value => ({ value })), gaveUp])
    if (outcome instanceof Error) {
      core.warning(`${what} gave up, continuing without it: ${outcome.message}`)
      return fallback
    }
    return outcome.value
  } finally {
    clearTimeout(timer)
  }
}

/** @actions/cache gave up on a save (it returned -1 and said why in a warning). */
const NOT_SAVED = new Error('not saved')

export const actionsCacheService: CacheService = {
  available: async () => (await actionsCache()).isFeatureAvailable(),
  async restore(paths, key, restoreKeys) {
    try {
      return await bounded(`Cache restore of ${key}`, undefined, async () =>
        (await actionsCache()).restoreCache(paths, key, restoreKeys)
      )
    } catch (error) {
      core.warning(`Cache restore of ${key} failed, continuing without it: ${reason(error)}`)
      return undefined
    }
  },
  async save(paths, key) {
    // A save fails when tar sees a file change under it: another job on the same machine sharing
    // the cache folder (self-hosted runners, act's host mode) is still compiling. The same save a
    // moment later usually succeeds. One that ran out of its time limit is not tried again.
    try {
      return await withRetry(
        async () => {
          const saved = await bounded<boolean | undefined>(
            `Cache save of ${key}`,
            undefined,
            async () => (await (await actionsCache()).saveCache(paths, key)) !== -1
          )
          if (saved === false) throw NOT_SAVED
          return saved === true
        },
        {
          attempts: 3,
          baseDelayMs: 3_000,
          maxDelayMs: 10_000,
          retryable: error => error === NOT_SAVED,
          onRetry: (_error, _attempt, delayMs) =>
            core.info(`Cache save of ${key}: trying again in ${(delayMs / 1000).toFixed(1)} s`)
        }
      )
    } catch (error) {
      if (error !== NOT_SAVED)
        core.warning(`Cache save of ${key} failed, continuing: ${reason(error)}`)
      return false
    }
  }
}
