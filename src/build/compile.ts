import { ActionError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import type { MainPackage } from './main-packages.js'
import type { Target } from './target.js'

export interface CompileJob {
  target: Target
  pkg: MainPackage
  output: string
  ldflags: string
}

export interface CompileOptions {
  workDir: string
  tags: readonly string[]
  cgo: boolean
  /** SOURCE_DATE_EPOCH for anything in the build that reads it. */
  timestamp: number
}

/**
 * One binary for one target. Reproducible: -trimpath drops local paths, -buildid= empties the
 * build ID, and -buildvcs=false keeps git state (a dirty output folder, say) out of the binary.
 */
export async function compile(
  go: GoToolchain,
  job: CompileJob,
  options: CompileOptions
): Promise<void> {
  const args = [
    'build',
    '-trimpath',
    '-buildvcs=false',
    ...(options.tags.length ? [`-tags=${options.tags.join(',')}`] : []),
    `-ldflags=${job.ldflags} -buildid=`,
    '-o',
    job.output,
    job.pkg.importPath
  ]
  const env = {
    ...(process.env as Record<string, string>),
    ...job.target.env,
    CGO_ENABLED: options.cgo ? '1' : '0',
    SOURCE_DATE_EPOCH: String(options.timestamp)
  }
  const result = await execCapture(go.goBinary, args, { cwd: options.workDir, env })
  if (result.code !== 0) {
    throw new ActionError(
      `go build of ${job.pkg.importPath} for ${job.target.spec} failed:\n${result.stderr.trim()}`
    )
  }
}
