import * as core from '@actions/core'

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

export const actionsCacheService: CacheService = {
  available: async () => (await actionsCache()).isFeatureAvailable(),
  async restore(paths, key, restoreKeys) {
    try {
      return await (await actionsCache()).restoreCache(paths, key, restoreKeys)
    } catch (error) {
      core.warning(`Cache restore of ${key} failed, continuing without it: ${reason(error)}`)
      return undefined
    }
  },
  async save(paths, key) {
    try {
      return (await (await actionsCache()).saveCache(paths, key)) !== -1
    } catch (error) {
      core.warning(`Cache save of ${key} failed, continuing: ${reason(error)}`)
      return false
    }
  }
}
