// The Linux packages of the build (.deb, .rpm, .apk), written by nfpm once the binaries exist.
import * as core from '@actions/core'
import path from 'node:path'
import { installNfpm } from '../packages/nfpm-install.js'
import { writePackage } from '../packages/nfpm.js'
import type { Plan } from '../plan/plan.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { mapBounded, CPU_COUNT } from '../util/pool.js'
import { type Artifact, artifact } from './artifacts.js'
import type { PlannedBinary, PlannedPackage } from './plan-build.js'

export async function writePackages(
  plan: Plan,
  packages: readonly PlannedPackage[],
  pathOf: (b: PlannedBinary) => string
): Promise<Artifact[]> {
  if (packages.length === 0) return []
  const nfpm = await installNfpm(plan.ctx, plan.go as GoToolchain)
  core.info(`nfpm ${nfpm.version} (${nfpm.origin}): ${packages.length} packages`)
  const outputDir = plan.output.dir.dir
  return mapBounded([...packages], CPU_COUNT, async p => {
    const spec = { ...p.spec, binaries: p.binaries.map(b => ({ source: pathOf(b), name: b.name })) }
    const file = path.join(outputDir, p.name)
    await writePackage(nfpm.binary, spec, file, {
      tempDir: plan.ctx.tempDir,
      cwd: plan.config.workingDirectory
    })
    core.info(`packaged ${p.name}`)
    return artifact(file, 'package', p.target)
  })
}
