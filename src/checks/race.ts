import * as io from '@actions/io'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'

/** Platforms whose Go ships a race detector runtime (cmd/internal/sys RaceDetectorSupported). */
const RACE_PLATFORMS = new Set([
  'linux/amd64',
  'linux/arm64',
  'linux/ppc64le',
  'linux/s390x',
  'linux/loong64',
  'darwin/amd64',
  'darwin/arm64',
  'freebsd/amd64',
  'netbsd/amd64',
  'windows/amd64'
])

export type RaceSupport = { enabled: true } | { enabled: false; reason: string }

/** -race needs a supported platform, cgo and a C compiler; find out which is missing, if any. */
export async function detectRaceSupport(go: GoToolchain, cwd: string): Promise<RaceSupport> {
  const result = await execCapture(
    go.goBinary,
    ['env', '-json', 'GOOS', 'GOARCH', 'CGO_ENABLED', 'CC'],
    { cwd }
  )
  if (result.code !== 0) return { enabled: false, reason: `go env failed: ${result.stderr.trim()}` }
  const env = JSON.parse(result.stdout) as Record<string, string>
  const platform = `${env.GOOS}/${env.GOARCH}`
  if (!RACE_PLATFORMS.has(platform))
    return { enabled: false, reason: `Go has no race detector for ${platform}` }
  if (env.CGO_ENABLED !== '1') {
    return { enabled: false, reason: 'cgo is off (CGO_ENABLED=0), and the race detector needs cgo' }
  }
  const cc = (env.CC || 'gcc').split(/\s+/)[0] as string
  if (!(await io.which(cc, false))) {
    return {
      enabled: false,
      reason: `the race detector needs a C compiler, and ${cc} (go env CC) is not on PATH`
    }
  }
  return { enabled: true }
}
