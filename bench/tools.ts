// The other contenders' programs, built with the machine's Go from the module proxy into a folder
// the benchmark keeps between runs (.local/bench-tools), as `go install` would put them on a runner.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT } from '../__tests__/helpers/run-action.js'

const run = promisify(execFile)
const BIN = path.join(REPO_ROOT, '.local', 'bench-tools', 'bin')

/** What each contender installs; staticcheck at the version the action builds by default. */
export const TOOLS = {
  staticcheck: 'honnef.co/go/tools/cmd/staticcheck@v0.8.2',
  crane: 'github.com/google/go-containerregistry/cmd/crane@v0.22.1',
  goreleaser: 'github.com/goreleaser/goreleaser/v2@v2.15.1'
} as const

export type ToolName = keyof typeof TOOLS

/** Path of each tool, built now unless a previous run left it there. */
export async function installTools(log: (line: string) => void): Promise<Record<ToolName, string>> {
  const paths = {} as Record<ToolName, string>
  for (const [name, module] of Object.entries(TOOLS) as Array<[ToolName, string]>) {
    const binary = path.join(BIN, name)
    if (!existsSync(binary)) {
      log(`Installing ${module} (go install, once)…`)
      await run('go', ['install', module], {
        env: { ...process.env, GOBIN: BIN, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
        maxBuffer: 64 * 1024 * 1024
      })
    }
    paths[name] = binary
  }
  return paths
}
