// The modules the benchmark packages: examples/hello, and a well-known CLI with dependencies whose
// tests pass offline, each as a git checkout committed at a fixed time and tagged with its version.
import { execFile } from 'node:child_process'
import { chmod, cp, readdir, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gitEnv, HELLO, tempDir } from '../__tests__/helpers/fixtures.js'

const run = promisify(execFile)

export interface BenchModule {
  /** Short name used in repository names and the report. */
  name: string
  /** What it is, for the report: the module path and version. */
  title: string
  tag: string
  /** The main package, as the action's `main` input takes it. */
  main: string
  binary: string
}

export const MODULES: readonly BenchModule[] = [
  { name: 'hello', title: 'examples/hello', tag: 'v1.2.3', main: '.', binary: 'hello' },
  {
    name: 'gojq',
    title: 'github.com/itchyny/gojq v0.12.19 (jq in Go, 8 dependencies)',
    tag: 'v0.12.19',
    main: './cmd/gojq',
    binary: 'gojq'
  }
]

export interface Checkout {
  dir: string
  sha: string
}

/** The module's source: examples/hello from this repository, others from the module proxy. */
async function source(module: BenchModule): Promise<string> {
  if (module.name === 'hello') return HELLO
  const { stdout } = await run(
    'go',
    ['mod', 'download', '-json', `github.com/itchyny/${module.name}@${module.tag}`],
    { cwd: os.tmpdir(), env: { ...process.env, GOFLAGS: '-mod=mod' } }
  )
  return (JSON.parse(stdout) as { Dir: string }).Dir
}

/** Module cache files are read-only; a checkout is not. */
async function makeWritable(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name)
    await chmod(file, (await stat(file)).mode | 0o200)
  }
  await chmod(dir, 0o755)
}

/** A fresh git checkout of the module, as actions/checkout leaves one: same source, same commit. */
export async function checkout(module: BenchModule): Promise<Checkout> {
  const dir = await tempDir(`gpa-bench-${module.name}-`)
  await cp(await source(module), dir, {
    recursive: true,
    filter: src => path.basename(src) !== 'dist'
  })
  await makeWritable(dir)
  const env = gitEnv()
  const git = async (...args: string[]): Promise<string> =>
    (await run('git', args, { cwd: dir, env })).stdout.trim()
  await git('init', '-q')
  await git('add', '.')
  await git('commit', '-q', '-m', module.tag)
  await git('tag', '-a', '-m', module.tag, module.tag)
  return { dir, sha: await git('rev-parse', 'HEAD') }
}
