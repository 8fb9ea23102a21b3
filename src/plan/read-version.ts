import * as core from '@actions/core'
import type { RunContext } from '../context.js'
import {
  gitBranch,
  gitCommit,
  gitIsShallow,
  gitPreviousTag,
  gitShortCommit,
  gitTagsAt,
  type TagOrder
} from '../util/git.js'
import { type BuildVersion, buildVersion, decideTag } from './version.js'

/** The version, and what the caller logs about how it was found. */
export interface VersionReading {
  version: BuildVersion
  /** Worth knowing (core.notice): several SemVer tags at HEAD, which one was taken. */
  notices: string[]
  /** Probably wrong (core.warning): a shallow checkout's pseudo-version, no commit time. */
  warnings: string[]
}

/**
 * The version as GoReleaser decides it: the version input, else a SemVer GITHUB_REF, else the
 * first SemVer tag at the commit in GoReleaser's order, else a pseudo-version. The commit and its
 * time come from git (GITHUB_SHA names the commit on a runner). A SOURCE_DATE_EPOCH the user set
 * wins, as reproducible-builds.org asks of every tool.
 */
export async function readVersion(
  ctx: RunContext,
  workDir: string,
  versionInput?: { version: string; tag: string },
  order: TagOrder = {}
): Promise<VersionReading> {
  const notices: string[] = []
  const warnings: string[] = []
  const rev = ctx.sha || 'HEAD'
  const head = await gitCommit(workDir, rev)
  const commit = ctx.sha || head?.sha || ''
  const epoch = process.env.SOURCE_DATE_EPOCH
  let timestamp = epoch && /^\d+$/.test(epoch) ? Number(epoch) : head?.time
  if (timestamp === undefined) {
    warnings.push(
      'No git commit to take the build time from, and no SOURCE_DATE_EPOCH: using 0 (1970-01-01).'
    )
    timestamp = 0
  }

  const [headTags, shortCommit, branch, shallow] = head
    ? await Promise.all([
        gitTagsAt(workDir, rev, order),
        gitShortCommit(workDir, rev),
        gitBranch(workDir),
        gitIsShallow(workDir)
      ])
    : [[], undefined, undefined, false]
  const decided = decideTag(ctx.ref, versionInput, headTags)
  const previousTag =
    head && decided.tag !== undefined
      ? await gitPreviousTag(workDir, decided.tag, order)
      : undefined
  const version = buildVersion(ctx.ref, commit, timestamp, {
    input: versionInput,
    headTags,
    shortCommit,
    previousTag,
    gitBranch: branch
  })

  const choice = decided.head
  if (choice && choice.others.length > 0) {
    notices.push(
      `Several SemVer tags point at ${version.shortCommit}: ${[choice.tag, ...choice.others].join(', ')}. ` +
        `${choice.tag} decides the version (${choice.version}), the first in GoReleaser's order ` +
        `(git tag --sort=${order.sort || '-version:refname'}); set the version input to choose another.`
    )
  }
  if (version.source === 'pseudo-version' && shallow) {
    warnings.push(
      `The checkout is shallow and no tag was found at ${version.shortCommit || 'HEAD'}, so the ` +
        `version is the pseudo-version ${version.version}; tags may be missing from the clone. ` +
        `Set fetch-depth: 0 on actions/checkout, or run git fetch --tags before this step.`
    )
  }
  return { version, notices, warnings }
}

/**
 * readVersion, its notices and warnings logged: the version for the plan. `versionInput` is the
 * `version` input parsed by parseVersionInput.
 */
export async function readBuildVersion(
  ctx: RunContext,
  workDir: string,
  versionInput?: { version: string; tag: string }
): Promise<BuildVersion> {
  const { version, notices, warnings } = await readVersion(ctx, workDir, versionInput)
  for (const notice of notices) core.notice(notice)
  for (const warning of warnings) core.warning(warning)
  return version
}
