import { execCapture } from './exec.js'
import { commandLimitMs } from './limits.js'

/** git's output, or undefined when git is missing, the folder is no repository or git fails. */
async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    // Local reads only, never the network: a probe's time limit.
    const result = await execCapture('git', args, { cwd: dir, timeoutMs: commandLimitMs('probe') })
    return result.code === 0 && result.timedOutMs === undefined ? result.stdout : undefined
  } catch {
    // No git on PATH, or no such folder.
    return undefined
  }
}

/** The output's non-empty lines, trimmed. */
function lines(output: string | undefined): string[] {
  return (output ?? '')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '')
}

/** The commit's SHA and committer time (Unix seconds), or undefined outside a git checkout. */
export async function gitCommit(
  dir: string,
  rev = 'HEAD'
): Promise<{ sha: string; time: number } | undefined> {
  const out = await git(dir, ['log', '-1', '--format=%H %ct', rev])
  const [sha, time] = (out ?? '').trim().split(' ')
  if (!sha || !time) return undefined
  return { sha, time: Number(time) }
}

/**
 * git's own abbreviation of the commit (`git rev-parse --short`: core.abbrev, 7 hex digits or more
 * when shorter ones are ambiguous), as GoReleaser's .ShortCommit (`git show --format=%h`).
 */
export async function gitShortCommit(dir: string, rev = 'HEAD'): Promise<string | undefined> {
  const out = await git(dir, ['rev-parse', '--short', '--verify', '--quiet', `${rev}^{commit}`])
  return lines(out)[0]
}

/**
 * How GoReleaser orders the tags at one commit (its `git.tag_sort`, default -version:refname, and
 * `git.prerelease_suffix`, passed as `-c versionsort.suffix=`). Without a suffix, git's version
 * sort puts v1.10.0-rc.1 before v1.10.0, as GoReleaser does.
 */
export interface TagOrder {
  sort?: string
  prereleaseSuffix?: string
}

export const DEFAULT_TAG_SORT = '-version:refname'

/** The tags pointing at the commit, first the one GoReleaser would take (`git tag --points-at`). */
export async function gitTagsAt(
  dir: string,
  rev = 'HEAD',
  order: TagOrder = {}
): Promise<string[]> {
  const config = order.prereleaseSuffix
    ? ['-c', `versionsort.suffix=${order.prereleaseSuffix}`]
    : []
  const sort = order.sort || DEFAULT_TAG_SORT
  return lines(await git(dir, [...config, 'tag', '--points-at', rev, '--sort', sort]))
}

/**
 * GoReleaser's previous tag: the nearest tag before the current one (`git describe --tags
 * --abbrev=0 tags/<current>^`), then the first of the tags at that tag's commit in its order.
 * Undefined when there is none, the tag is not in the repository or the history is cut (shallow).
 */
export async function gitPreviousTag(
  dir: string,
  current: string,
  order: TagOrder = {}
): Promise<string | undefined> {
  const nearest = lines(await git(dir, ['describe', '--tags', '--abbrev=0', `tags/${current}^`]))[0]
  if (!nearest) return undefined
  const sha = lines(await git(dir, ['rev-list', '-n1', nearest]))[0]
  if (!sha) return undefined
  return (await gitTagsAt(dir, sha, order))[0]
}

/** The branch checked out (`git rev-parse --abbrev-ref HEAD`); undefined when detached or no repo. */
export async function gitBranch(dir: string): Promise<string | undefined> {
  const branch = lines(await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD', '--quiet']))[0]
  return branch && branch !== 'HEAD' ? branch : undefined
}

/** Whether the repository is a shallow clone (part of the history, and maybe tags, missing). */
export async function gitIsShallow(dir: string): Promise<boolean> {
  return lines(await git(dir, ['rev-parse', '--is-shallow-repository']))[0] === 'true'
}
