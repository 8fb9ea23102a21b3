// A stage is a name, a reason to skip, a run and the outputs it sets; a mode is an ordered list of
// stages, run by one loop (GoReleaser's pipes over a context, here over a frozen Plan).
import * as core from '@actions/core'
import type { Plan } from '../plan/plan.js'
import { runStage, skipStage, type StageResult } from '../report/stage.js'
import type { Report } from '../report/summary.js'

/** What the stages have produced so far, by stage key; later stages read earlier results here. */
export type Results = Record<string, unknown>

export interface Skip {
  why: string
  /** Also shown as a notice, for a skip the user probably did not expect. */
  notice?: string
}

export interface Stage<T = unknown> {
  /** As shown in the log group and the summary's stage table. */
  readonly name: string
  /** Where the result is kept in Results. */
  readonly key: string
  /** A reason not to run, or undefined. Read from the plan and earlier results only. */
  skip(plan: Plan, results: Results): Skip | string | undefined
  run(plan: Plan, results: Results): Promise<StageResult<T>>
  /** The action outputs set from the result. */
  outputs?(value: T, plan: Plan): Record<string, string>
  /** The action outputs set when the stage is skipped. */
  readonly skippedOutputs?: Record<string, string>
  /** A section of the job summary from the result (rendered within a character budget). */
  summary?(value: T, plan: Plan): ((budget: number) => string) | undefined
}

/** Keeps a list of differently typed stages typed at their definition. */
export function stage<T>(definition: Stage<T>): Stage<unknown> {
  return definition as Stage<unknown>
}

function setOutputs(outputs: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(outputs ?? {})) core.setOutput(name, value)
}

/**
 * Runs the stages in order: a skipped stage is recorded with its reason, a stage that fails stops
 * the ones after it (its error propagates, after its outputs and summary section are set).
 */
export async function runStages(
  stages: readonly Stage[],
  plan: Plan,
  report: Report,
  results: Results = {}
): Promise<Results> {
  for (const s of stages) {
    const skipped = s.skip(plan, results)
    if (skipped !== undefined) {
      const why = typeof skipped === 'string' ? skipped : skipped.why
      if (typeof skipped !== 'string' && skipped.notice) core.notice(skipped.notice)
      skipStage(report, s.name, why)
      setOutputs(s.skippedOutputs)
      continue
    }
    await runStage(report, s.name, async () => {
      const result = await s.run(plan, results)
      results[s.key] = result.value
      setOutputs(s.outputs?.(result.value, plan))
      const section = s.summary?.(result.value, plan)
      if (section) report.section(section)
      return result
    })
  }
  return results
}
