import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'

/** Go refreshes an entry's mtime when it uses it, but only if the mtime is over an hour old. */
const GO_MTIME_INTERVAL_MS = 60 * 60 * 1000

export interface TrimResult {
  removedFiles: number
  removedBytes: number
  keptBytes: number
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined
  throw error
}

/**
 * Drops build-cache entries this run did not use, so a saved cache holds what the job needs and
 * does not grow run after run. An entry older than an hour that Go used now has a fresh mtime;
 * one still older than that was not used. trim.txt goes too: restored, it would stop Go's own trim.
 */
export async function trimBuildCache(gocache: string, runStartedMs: number): Promise<TrimResult> {
  const result: TrimResult = { removedFiles: 0, removedBytes: 0, keptBytes: 0 }
  const cutoff = runStartedMs - GO_MTIME_INTERVAL_MS
  let entries
  try {
    entries = await readdir(gocache, { withFileTypes: true })
  } catch {
    return result
  }
  await rm(path.join(gocache, 'trim.txt'), { force: true })
  for (const dir of entries) {
    // Entries live in two-hex-digit folders; fuzz corpora and other files are kept.
    if (!dir.isDirectory() || !/^[0-9a-f]{2}$/.test(dir.name)) continue
    const folder = path.join(gocache, dir.name)
    for (const name of await readdir(folder)) {
      const file = path.join(folder, name)
      // On a GOCACHE shared with other jobs (a self-hosted runner), an entry can go between the two.
      const info = await stat(file).catch(ignoreMissing)
      if (!info) continue
      if (info.mtimeMs < cutoff) {
        await rm(file, { force: true })
        result.removedFiles++
        result.removedBytes += info.size
      } else {
        result.keptBytes += info.size
      }
    }
  }
  return result
}
