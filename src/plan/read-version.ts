import * as core from '@actions/core'
import type { RunContext } from '../context.js'
import { gitCommit } from '../util/git.js'
import { type BuildVersion, buildVersion } from './version.js'

/**
 * The commit and its time come from git (GITHUB_SHA names the commit on a runner). A
 * SOURCE_DATE_EPOCH the user set wins, as reproducible-builds.org asks of every tool.
 */
export async function readBuildVersion(ctx: RunContext, workDir: string): Promise<BuildVersion> {
  const head = await gitCommit(workDir, ctx.sha || 'HEAD')
  const commit = ctx.sha || head?.sha || ''
  const epoch = process.env.SOURCE_DATE_EPOCH
  let timestamp = epoch && /^\d+$/.test(epoch) ? Number(epoch) : head?.time
  if (timestamp === undefined) {
    core.warning(
      'No git commit to take the build time from, and no SOURCE_DATE_EPOCH: using 0 (1970-01-01).'
    )
    timestamp = 0
  }
  return buildVersion(ctx.ref, commit, timestamp)
}
