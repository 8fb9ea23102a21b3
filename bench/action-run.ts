// One run of the bundled action (dist/index.js under Node 24, its post step included), the way a
// runner runs it, on a benchmark checkout; returns the action's own stage times.
import { goHome } from '../__tests__/helpers/fixtures.js'
import { describeRun, runAction } from '../__tests__/helpers/run-action.js'
import type { Checkout, BenchModule } from './modules.js'

export type GoHome = Awaited<ReturnType<typeof goHome>>

export interface BundleRun {
  module: BenchModule
  checkout: Checkout
  inputs: Record<string, string>
  /** RUNNER_TOOL_CACHE */
  toolCache: string
  /** HOME and the Go caches in it: empty on a fresh runner. */
  home: GoHome
  /** ACTIONS_CACHE_URL, when a cache service is there. */
  cacheUrl?: string
}

/**
 * Each stage's time from the job summary's stage table (`| Build | ✅ success | 3.2 s | … |`), in
 * milliseconds; skipped stages are left out.
 */
export function stageTimes(summary: string): Record<string, number> {
  const times: Record<string, number> = {}
  for (const line of summary.split('\n')) {
    const m = /^\| ([^|]+?) \| \S+ (success|failure) \| ([\d.]+) s \|/u.exec(line)
    if (m) times[m[1] as string] = Number(m[3]) * 1000
  }
  return times
}

export async function runBundle(opts: BundleRun): Promise<Record<string, number>> {
  const { module, checkout } = opts
  const run = await runAction({
    inputs: {
      'working-directory': '.',
      main: module.main,
      'binary-name': module.binary,
      ...opts.inputs
    },
    cwd: checkout.dir,
    toolCache: opts.toolCache,
    timeoutMs: 30 * 60_000,
    env: {
      ...opts.home,
      GITHUB_SHA: checkout.sha,
      GITHUB_REF: `refs/tags/${module.tag}`,
      GITHUB_REF_NAME: module.tag,
      GITHUB_REF_TYPE: 'tag',
      ACTIONS_CACHE_URL: opts.cacheUrl,
      ACTIONS_RUNTIME_TOKEN: opts.cacheUrl ? 'bench' : undefined
    }
  })
  if (run.code !== 0 || (run.post && run.post.code !== 0)) {
    throw new Error(`The action failed on ${module.name}:\n${describeRun(run)}`)
  }
  return stageTimes(run.summary)
}
