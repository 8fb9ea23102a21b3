import type { BuildConfig } from '../config.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import { type BuildUnits, resolveBuildUnits } from './main-packages.js'
import type { Target } from './target.js'
import { parseTargets } from './targets.js'

/** What the build stage will do, decided (and checked) before the checks run. */
export type BuildPlan =
  { kind: 'build'; targets: Target[]; units: BuildUnits } | { kind: 'skip'; why: string }

async function distList(go: GoToolchain, cwd: string): Promise<Set<string>> {
  const result = await execCapture(go.goBinary, ['tool', 'dist', 'list'], { cwd })
  return new Set(
    result.stdout
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean)
  )
}

export async function planBuild(
  config: BuildConfig,
  workDir: string,
  go: GoToolchain
): Promise<BuildPlan> {
  if (config.targets.length === 0) return { kind: 'skip', why: 'targets: none' }
  const targets = parseTargets(config.targets, await distList(go, workDir), go.version)
  const units = await resolveBuildUnits(
    go,
    workDir,
    config.main,
    config.binaryName,
    config.buildTags
  )
  if (!units)
    return {
      kind: 'skip',
      why: 'the module has no main package (a library): there is nothing to build'
    }
  return { kind: 'build', targets, units }
}
