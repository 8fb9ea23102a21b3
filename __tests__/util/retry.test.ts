import { describe, expect, test } from '@jest/globals'
import { backoffDelay, type RetryOptions, withRetry } from '../../src/util/retry.js'

describe('backoffDelay', () => {
  const lowest = () => 0
  const highest = () => 0.999999

  test('attempt n has a ceiling of base·2^(n−1); jitter keeps it between half and all of that', () => {
    for (const [attempt, ceiling] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800]
    ] as const) {
      expect(backoffDelay(attempt, 100, 60_000, lowest)).toBe(ceiling / 2)
      expect(backoffDelay(attempt, 100, 60_000, highest)).toBe(ceiling)
      expect(backoffDelay(attempt, 100, 60_000, () => 0.5)).toBe((ceiling * 3) / 4)
    }
  })

  test('the ceiling is capped by the maximum', () => {
    expect(backoffDelay(10, 100, 5_000, highest)).toBe(5_000)
    expect(backoffDelay(10, 100, 5_000, lowest)).toBe(2_500)
    expect(backoffDelay(50, 1_000, 30_000, highest)).toBe(30_000)
  })

  test('with real randomness it stays within the bounds', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(10_000, 250 * 2 ** (attempt - 1))
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, 250, 10_000)
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2)
        expect(delay).toBeLessThanOrEqual(ceiling)
        expect(Number.isInteger(delay)).toBe(true)
      }
    }
  })
})

describe('withRetry', () => {
  class Transient extends Error {}
  class Fatal extends Error {}
  class RateLimited extends Error {
    constructor(readonly afterMs: number) {
      super('429')
    }
  }

  interface Harness {
    options: RetryOptions
    slept: number[]
    retries: Array<{ error: unknown; attempt: number; delayMs: number }>
  }

  function harness(overrides: Partial<RetryOptions> = {}): Harness {
    const slept: number[] = []
    const retries: Harness['retries'] = []
    const options: RetryOptions = {
      attempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      retryable: error =>
        error instanceof RateLimited ? { afterMs: error.afterMs } : error instanceof Transient,
      onRetry: (error, attempt, delayMs) => retries.push({ error, attempt, delayMs }),
      sleep: async ms => {
        slept.push(ms)
      },
      ...overrides
    }
    return { options, slept, retries }
  }

  /** An operation that throws the given errors in turn, then returns 'ok'. */
  function failing(...errors: Error[]): {
    op: (attempt: number) => Promise<string>
    calls: number[]
  } {
    const calls: number[] = []
    return {
      calls,
      op: async attempt => {
        calls.push(attempt)
        const error = errors[calls.length - 1]
        if (error) throw error
        return 'ok'
      }
    }
  }

  test('returns the first success without sleeping', async () => {
    const h = harness()
    const { op, calls } = failing()
    await expect(withRetry(op, h.options)).resolves.toBe('ok')
    expect(calls).toEqual([1])
    expect(h.slept).toEqual([])
    expect(h.retries).toEqual([])
  })

  test('retries retryable errors with backoff, passing the attempt number', async () => {
    const h = harness()
    const { op, calls } = failing(new Transient('a'), new Transient('b'))
    await expect(withRetry(op, h.options)).resolves.toBe('ok')
    expect(calls).toEqual([1, 2, 3])
    expect(h.slept).toHaveLength(2)
    expect(h.slept[0]).toBeGreaterThanOrEqual(50)
    expect(h.slept[0]).toBeLessThanOrEqual(100)
    expect(h.slept[1]).toBeGreaterThanOrEqual(100)
    expect(h.slept[1]).toBeLessThanOrEqual(200)
  })

  test('calls onRetry with the error, the failed attempt and the delay it sleeps', async () => {
    const h = harness()
    const first = new Transient('first')
    const second = new Transient('second')
    const { op } = failing(first, second)
    await withRetry(op, h.options)
    expect(h.retries.map(r => [r.error, r.attempt])).toEqual([
      [first, 1],
      [second, 2]
    ])
    expect(h.retries.map(r => r.delayMs)).toEqual(h.slept)
  })

  test('stops at the first non-retryable error and throws it', async () => {
    const h = harness()
    const fatal = new Fatal('404')
    const { op, calls } = failing(new Transient('x'), fatal, new Transient('never reached'))
    await expect(withRetry(op, h.options)).rejects.toBe(fatal)
    expect(calls).toEqual([1, 2])
    expect(h.slept).toHaveLength(1)
    expect(h.retries).toHaveLength(1)
  })

  test('gives up after the last attempt and throws its error', async () => {
    const h = harness({ attempts: 3 })
    const last = new Transient('3')
    const { op, calls } = failing(new Transient('1'), new Transient('2'), last, new Transient('4'))
    await expect(withRetry(op, h.options)).rejects.toBe(last)
    expect(calls).toEqual([1, 2, 3])
    expect(h.slept).toHaveLength(2) // no sleep after the last attempt
    expect(h.retries.map(r => r.attempt)).toEqual([1, 2])
  })

  test('attempts: 1 means no retry at all', async () => {
    const h = harness({ attempts: 1 })
    const only = new Transient('only')
    const { op, calls } = failing(only)
    await expect(withRetry(op, h.options)).rejects.toBe(only)
    expect(calls).toEqual([1])
    expect(h.slept).toEqual([])
  })

  test('honours a requested delay (Retry-After), capped at maxDelayMs', async () => {
    const h = harness({ maxDelayMs: 1_000 })
    const { op } = failing(new RateLimited(300), new RateLimited(120_000), new RateLimited(0))
    await expect(withRetry(op, h.options)).resolves.toBe('ok')
    expect(h.slept).toEqual([300, 1_000, 0])
    expect(h.retries.map(r => r.delayMs)).toEqual([300, 1_000, 0])
  })

  test('uses a real timer when no sleep is given', async () => {
    const { op, calls } = failing(new Transient('x'))
    const started = Date.now()
    await expect(
      withRetry(op, {
        attempts: 2,
        baseDelayMs: 20,
        maxDelayMs: 20,
        retryable: () => true
      })
    ).resolves.toBe('ok')
    expect(calls).toEqual([1, 2])
    expect(Date.now() - started).toBeGreaterThanOrEqual(9)
  })
})

describe('withRetry onGiveUp', () => {
  test('the last failure goes through onGiveUp with the attempts and the time taken', async () => {
    const seen: Array<[number, number]> = []
    const error = await withRetry(() => Promise.reject(new Error('down')), {
      attempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 1,
      retryable: () => true,
      sleep: () => Promise.resolve(),
      onGiveUp: (e, attempts, elapsedMs) => {
        seen.push([attempts, elapsedMs])
        return new Error(`${(e as Error).message} after ${attempts}`)
      }
    }).catch((e: unknown) => e as Error)
    expect(error.message).toBe('down after 3')
    expect(seen[0]?.[0]).toBe(3)
    expect(seen[0]?.[1]).toBeGreaterThanOrEqual(0)
  })
})
