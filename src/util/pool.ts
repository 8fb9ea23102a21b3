import os from 'node:os'

/** How many builds run at once: one per CPU, as each go build is itself parallel inside. */
export const CPU_COUNT = Math.max(1, os.availableParallelism())

/** Maps with at most `limit` calls in flight; results keep the input order; the first error wins. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
