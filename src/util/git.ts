import { execCapture } from './exec.js'

/** The commit's SHA and committer time (Unix seconds), or undefined outside a git checkout. */
export async function gitCommit(
  dir: string,
  rev = 'HEAD'
): Promise<{ sha: string; time: number } | undefined> {
  try {
    const result = await execCapture('git', ['log', '-1', '--format=%H %ct', rev], { cwd: dir })
    const [sha, time] = result.stdout.trim().split(' ')
    if (result.code !== 0 || !sha || !time) return undefined
    return { sha, time: Number(time) }
  } catch {
    // No git on PATH.
    return undefined
  }
}
