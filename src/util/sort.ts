/** Orders by the names' UTF-8 bytes, as Go and sort(1) with LC_ALL=C do: the same on every machine. */
export function byNameBytes<T extends { name: string }>(a: T, b: T): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))
}

/** Sorted by name bytes; a name listed twice is an error (an archive or list must not hold it twice). */
export function sortedUniqueByName<T extends { name: string }>(
  items: readonly T[],
  what: string
): T[] {
  const sorted = [...items].sort(byNameBytes)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.name === sorted[i - 1]?.name)
      throw new Error(`${what} ${sorted[i]?.name} is listed twice`)
  }
  return sorted
}
