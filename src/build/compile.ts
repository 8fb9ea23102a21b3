import { ActionError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'
import type { PlannedBinary } from './plan-build.js'

// After a flag it cannot parse, the linker prints `usage: link [options] main.o` and ~3 KB of
// indented flag list, which say nothing about the flag that was wrong.
const LINK_USAGE = /^usage: link \[options\]/
// The linker names itself by its path: /usr/local/go/pkg/tool/linux_amd64/link: -X flag requires …
const LINK_TOOL = /^(?:\S*[\\/])?link(?:\.exe)?: /

/**
 * What a failed go build said, for the error message. Compiler errors are kept as they are. A
 * failure in the link step keeps the linker's own lines, without its usage text, the tool's path
 * or the `# pkg` header, and points at ldflags when any were given.
 */
export function buildFailureMessage(
  stderr: string,
  job: { pkg: { importPath: string }; target: { spec: string }; ldflags: string }
): string {
  const what = `go build of ${job.pkg.importPath} for ${job.target.spec} failed`
  const lines = stderr.trim().split(/\r?\n/)
  let linking = false
  const said: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (LINK_USAGE.test(line)) {
      linking = true
      // The flag list: every line after the usage line is indented.
      while (i + 1 < lines.length && /^\s/.test(lines[i + 1] as string)) i++
    } else if (LINK_TOOL.test(line)) {
      linking = true
      said.push(line.replace(LINK_TOOL, ''))
    } else {
      said.push(line)
    }
  }
  if (!linking) return `${what}:\n${stderr.trim()}`
  const linker = said.filter(l => l.trim() && !l.startsWith('#'))
  const hint = job.ldflags.trim() ? ' (check ldflags)' : ''
  return `${what} while linking${hint}: ${linker.join('\n') || 'the linker failed'}`
}

/**
 * One binary for one target. Reproducible: -trimpath drops local paths, -buildid= empties the
 * build ID, and -buildvcs=false keeps git state (a dirty output folder, say) out of the binary.
 * The build's own flags (a GoReleaser file's flags) come first, as GoReleaser passes them.
 */
export async function compile(
  go: GoToolchain,
  job: PlannedBinary,
  output: string,
  timestamp: number
): Promise<void> {
  const args = [
    'build',
    ...job.flags,
    '-trimpath',
    '-buildvcs=false',
    ...(job.tags.length ? [`-tags=${job.tags.join(',')}`] : []),
    `-ldflags=${job.ldflags} -buildid=`,
    '-o',
    output,
    job.main
  ]
  const env = {
    ...(process.env as Record<string, string>),
    ...job.env,
    ...job.target.env,
    CGO_ENABLED: job.cgo ? '1' : '0',
    SOURCE_DATE_EPOCH: String(timestamp)
  }
  const result = await execCapture(go.goBinary, args, { cwd: job.cwd, env })
  if (result.code !== 0) {
    throw new ActionError(buildFailureMessage(result.stderr, job))
  }
}
