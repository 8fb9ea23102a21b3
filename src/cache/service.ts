import * as cache from '@actions/cache'
import * as core from '@actions/core'

/** The Actions cache service, behind the little we need of it: failures become warnings, never errors. */
export interface CacheService {
  available(): boolean
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  save(paths: string[], key: string): Promise<boolean>
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export const actionsCacheService: CacheService = {
  available: () => cache.isFeatureAvailable(),
  async restore(paths, key, restoreKeys) {
    try {
      return await cache.restoreCache(paths, key, restoreKeys)
    } catch (error) {
      core.warning(`Cache restore of ${key} failed, continuing without it: ${reason(error)}`)
      return undefined
    }
  },
  async save(paths, key) {
    try {
      return (await cache.saveCache(paths, key)) !== -1
    } catch (error) {
      core.warning(`Cache save of ${key} failed, continuing: ${reason(error)}`)
      return false
    }
  }
}
