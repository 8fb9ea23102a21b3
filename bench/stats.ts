// The arithmetic of the benchmark: medians of repeated timings and the ratios the targets are about.

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface Ratio {
  /** numerator / denominator, of medians. */
  value: number
  /** The target the ratio must not exceed, when there is one. */
  target?: number
  met?: boolean
}

export function ratio(numerator: number, denominator: number, target?: number): Ratio {
  if (denominator <= 0) throw new Error(`ratio over ${denominator}`)
  const value = numerator / denominator
  return target === undefined ? { value } : { value, target, met: value <= target }
}

/** `12.3 s`, `850 ms`: seconds from one second up, milliseconds below. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 100_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`
  return `${bytes} B`
}

/**
 * The order the contenders run in for each repetition: rotated by one each time, so that no
 * contender always runs first (on the coldest page cache) or last.
 */
export function rotation<T>(items: readonly T[], repetition: number): T[] {
  if (items.length === 0) return []
  const k = repetition % items.length
  return [...items.slice(k), ...items.slice(0, k)]
}
