import * as core from '@actions/core'
import type { RestoredCache } from './go-caches.js'

/** What the main step hands to the post step about the caches it restored. */
export interface PendingCaches {
  jobStartedMs: number
  save: boolean
  caches: RestoredCache[]
}

const STATE = 'caches'

export function savePendingCaches(pending: PendingCaches): void {
  core.saveState(STATE, JSON.stringify(pending))
}

export function readPendingCaches(): PendingCaches | undefined {
  const state = core.getState(STATE)
  return state ? (JSON.parse(state) as PendingCaches) : undefined
}
