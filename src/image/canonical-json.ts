/**
 * The bytes of a manifest, config or index. Registries store and hash exactly what we send, so
 * the key order is the order our code writes the keys in (never a parse-and-resort of someone
 * else's), with no whitespace. Maps whose keys come from users (labels, annotations) are sorted
 * by their builders, so the order callers add them in does not matter.
 */
export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** A copy of a string map with its keys in byte order, so JSON from it does not depend on insertion. */
export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const keys = Object.keys(record).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const sorted: Record<string, string> = {}
  for (const key of keys) sorted[key] = record[key] as string
  return sorted
}
