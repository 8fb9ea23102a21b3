import * as core from '@actions/core'
import { saveCaches } from './cache/go-caches.js'
import { readPendingCaches } from './cache/pending.js'
import { actionsCacheService, type CacheService } from './cache/service.js'

/** The post step: saves the caches the main step restored, now that the whole job has used them. */
export async function post(service: CacheService = actionsCacheService): Promise<void> {
  try {
    const pending = readPendingCaches()
    if (!pending || pending.caches.length === 0) return
    if (!pending.save) {
      core.info('cache-save: false, so the caches are restored only, never saved.')
      return
    }
    await saveCaches(pending.caches, service, pending.jobStartedMs)
  } catch (error) {
    // A cache is an optimisation: failing to save one must not fail the job.
    core.warning(
      `Saving the caches failed: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
