// GoReleaser's before.hooks, run as GoReleaser runs them: each rendered, split into arguments
// without a shell (quotes group, nothing is expanded), in the project's folder, before the build,
// with their output in the log. A hook that fails (or outlives the command limit) stops the run.
import * as core from '@actions/core'
import { splitArgs } from '../config.js'
import { ActionError } from '../errors.js'
import type { Plan } from '../plan/plan.js'
import type { Templated } from '../ship/spec.js'
import { type Fields, renderAt } from '../ship/template-data.js'
import type { BuildVersion } from '../plan/version.js'
import { execCapture } from '../util/exec.js'
import { COMMAND_VARIABLE, commandLimitMs, formatDuration } from '../util/limits.js'

export interface Hook {
  args: string[]
  where: string
}

/** Renders and splits each hook now, so a bad one fails before anything runs. */
export function planHooks(
  hooks: readonly Templated[],
  fields: Fields,
  version: BuildVersion
): Hook[] {
  return hooks.map(h => {
    const args = splitArgs(renderAt(h, fields, version), h.where)
    if (args.length === 0) throw new ActionError(`${h.where}: the hook is empty`)
    return { args, where: h.where }
  })
}

export async function runHooks(plan: Plan): Promise<number> {
  for (const hook of plan.hooks) {
    const [command, ...args] = hook.args as [string, ...string[]]
    core.info(`running ${hook.args.join(' ')} (${hook.where})`)
    const result = await execCapture(command, args, {
      cwd: plan.config.workingDirectory,
      echo: true,
      timeoutMs: commandLimitMs()
    }).catch((e: unknown) => {
      throw new ActionError(`${hook.where}: ${hook.args.join(' ')} could not start: ${String(e)}`)
    })
    if (result.timedOutMs !== undefined)
      throw new ActionError(
        `${hook.where}: ${hook.args.join(' ')} did not finish within ${formatDuration(result.timedOutMs)} and was stopped; if it is only slow, raise ${COMMAND_VARIABLE}`
      )
    if (result.code !== 0)
      throw new ActionError(
        `${hook.where}: ${hook.args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-5).join('\n')}`
      )
  }
  return plan.hooks.length
}
