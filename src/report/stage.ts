import * as core from '@actions/core'
import type { Report } from './summary.js'

export interface StageResult<T> {
  value: T
  /** One line for the summary: what the stage did. */
  detail: string
  /** The stage ran to its end but failed (checks that found problems): recorded, then thrown. */
  failure?: Error
}

/** Runs a stage in its own log group, timed, and records its outcome in the report. */
export async function runStage<T>(
  report: Report,
  name: string,
  body: () => Promise<StageResult<T>>
): Promise<T> {
  const started = Date.now()
  try {
    const { value, detail, failure } = await core.group(name, body)
    report.record({
      name,
      outcome: failure ? 'failure' : 'success',
      durationMs: Date.now() - started,
      detail
    })
    if (failure) throw failure
    return value
  } catch (error) {
    if (report.stages.at(-1)?.name === name) throw error
    const detail = error instanceof Error ? error.message : String(error)
    report.record({ name, outcome: 'failure', durationMs: Date.now() - started, detail })
    throw error
  }
}

export function skipStage(report: Report, name: string, why: string): void {
  core.info(`${name}: skipped (${why})`)
  report.record({ name, outcome: 'skipped', durationMs: 0, detail: why })
}
