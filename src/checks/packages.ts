import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'

/** Import path → directory of every package under ./..., so test output can be placed in files. */
export async function listPackageDirs(
  go: GoToolchain,
  cwd: string
): Promise<Record<string, string>> {
  // -e: a package that does not compile is still listed; the checks report why.
  const result = await execCapture(go.goBinary, ['list', '-e', '-json=ImportPath,Dir', './...'], {
    cwd
  })
  const dirs: Record<string, string> = {}
  // The output is a stream of JSON objects, one per package.
  for (const chunk of result.stdout.split(/\n(?=\{)/)) {
    if (!chunk.trim()) continue
    const pkg = JSON.parse(chunk) as { ImportPath?: string; Dir?: string }
    if (pkg.ImportPath && pkg.Dir) dirs[pkg.ImportPath] = pkg.Dir
  }
  return dirs
}
