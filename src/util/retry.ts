export interface RetryOptions {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Decides whether an error is worth another try, and may ask for a specific delay (Retry-After). */
  retryable: (error: unknown) => boolean | { afterMs: number }
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  sleep?: (ms: number) => Promise<void>
  /**
   * The error to throw after the last attempt (or a failure not worth retrying), given the last
   * failure, the attempts made and the time taken: where the message says how long it waited.
   */
  onGiveUp?: (error: unknown, attempts: number, elapsedMs: number) => unknown
}

const realSleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Exponential backoff with full jitter, so that parallel jobs hitting one server spread out. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random = Math.random
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const sleep = options.sleep ?? realSleep
  const started = Date.now()
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      const verdict = options.retryable(error)
      if (attempt >= options.attempts || verdict === false)
        throw options.onGiveUp ? options.onGiveUp(error, attempt, Date.now() - started) : error
      const delay =
        typeof verdict === 'object'
          ? Math.min(verdict.afterMs, options.maxDelayMs)
          : backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs)
      options.onRetry?.(error, attempt, delay)
      await sleep(delay)
    }
  }
}
