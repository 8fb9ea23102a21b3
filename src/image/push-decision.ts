import type { ImageConfig } from '../config.js'
import type { RunContext } from '../context.js'

export interface PushDecision {
  push: boolean
  /** For the log and the summary. */
  why: string
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/**
 * push: auto publishes what is meant to ship: tags and the default branch. Never a pull request
 * (its code is not reviewed yet, and a fork's token could not push anyway), never a local run.
 */
export function decidePush(push: ImageConfig['push'], ctx: RunContext): PushDecision {
  if (push === 'true') return { push: true, why: 'push: true' }
  if (push === 'false') return { push: false, why: 'push: false' }
  if (ctx.local) return { push: false, why: 'a local run (push: auto)' }
  if (PULL_REQUEST_EVENTS.includes(ctx.eventName))
    return { push: false, why: 'a pull request (push: auto)' }
  if (ctx.ref.startsWith('refs/tags/')) return { push: true, why: 'a tag (push: auto)' }
  if (ctx.defaultBranch && ctx.ref === `refs/heads/${ctx.defaultBranch}`)
    return { push: true, why: `the default branch ${ctx.defaultBranch} (push: auto)` }
  const where = ctx.defaultBranch
    ? `not a tag or the default branch (${ctx.defaultBranch})`
    : 'not a tag, and the event names no default branch'
  return { push: false, why: `${ctx.ref || 'the ref'} is ${where} (push: auto)` }
}
