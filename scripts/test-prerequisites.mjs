#!/usr/bin/env node
// What the end-to-end tests need, checked in seconds before `npm test` starts jest: Go on PATH,
// the commands of the Debian packages in .ci/packages.txt (the list .ci/run installs), root (the
// tests start their own dockerd and register qemu with binfmt_misc), and the Go module proxy.
// Prints what is missing with the one command that installs it, and exits 1; exits 0 otherwise.
// `npm run test:unit` needs none of this and does not run it.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PACKAGES_FILE = path.join(root, '.ci', 'packages.txt')
const GO_TIMEOUT_MS = 10_000
const PROXY_TIMEOUT_MS = 5_000
const DEFAULT_PROXY = 'https://proxy.golang.org'

/** .ci/packages.txt: `package [command | /absolute/file]...` a line, `#` comments. */
export function readPackages(file = PACKAGES_FILE) {
  const packages = []
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    const [name, ...needs] = line.split(/\s+/)
    packages.push({ name, needs })
  }
  return packages
}

/** The first executable file named `command` in PATH's directories, or undefined. */
function onPath(command, pathVar = process.env.PATH ?? '') {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, command)
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK)
        return candidate
      }
    } catch {
      // not here
    }
  }
  return undefined
}

/** Runs a command with a deadline; never throws. */
function run(command, args, timeoutMs) {
  return new Promise(resolve => {
    let out = ''
    let child
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs })
    } catch (error) {
      resolve({ code: -1, out: error.message })
      return
    }
    child.stdout.on('data', d => (out += d))
    child.stderr.on('data', d => (out += d))
    child.on('error', error => resolve({ code: -1, out: error.message }))
    child.on('close', (code, signal) =>
      resolve({ code: code ?? -1, out: signal ? `killed by ${signal} after ${timeoutMs} ms` : out })
    )
  })
}

async function checkGo() {
  if (!onPath('go')) {
    const hint = existsSync('/usr/local/go/bin/go')
      ? 'Go is in /usr/local/go: export PATH="$PATH:/usr/local/go/bin"'
      : 'install Go from https://go.dev/dl/ and put its bin directory on PATH'
    return { problem: `go is not on PATH (the tests build and test Go modules with it): ${hint}` }
  }
  const { code, out } = await run('go', ['version'], GO_TIMEOUT_MS)
  if (code !== 0) return { problem: `\`go version\` failed: ${out.trim().split('\n')[0]}` }
  const proxy = await run('go', ['env', 'GOPROXY'], GO_TIMEOUT_MS)
  return { goproxy: proxy.code === 0 ? proxy.out.trim() : undefined }
}

/** The module proxy answers a list request for golang.org/x/mod within PROXY_TIMEOUT_MS. */
async function checkProxy(goproxy) {
  const setting = goproxy ?? process.env.GOPROXY ?? DEFAULT_PROXY
  const url = (setting || DEFAULT_PROXY).split(/[,|]/).find(p => /^https?:\/\//.test(p))
  if (!url) {
    return (
      `GOPROXY is "${setting}", which names no module proxy: the end-to-end tests download Go ` +
      `and modules through one; unset GOPROXY or set it to ${DEFAULT_PROXY}`
    )
  }
  const list = `${url.replace(/\/+$/, '')}/golang.org/x/mod/@v/list`
  try {
    const res = await fetch(list, { signal: globalThis.AbortSignal.timeout(PROXY_TIMEOUT_MS) })
    await res.body?.cancel()
    if (!res.ok) return `the Go module proxy answered ${list} with HTTP ${res.status}`
    return undefined
  } catch (error) {
    const why =
      error.name === 'TimeoutError'
        ? `no answer in ${PROXY_TIMEOUT_MS / 1000} s`
        : (error.cause?.code ?? error.cause?.message ?? error.message)
    return (
      `the Go module proxy ${url} cannot be reached (${why}): the end-to-end tests download ` +
      'modules and Go through it; check the network, or set GOPROXY to a proxy that can be reached'
    )
  }
}

/** Every problem, as lines; empty when the end-to-end tests have what they need. */
export async function findProblems({ pathVar = process.env.PATH ?? '' } = {}) {
  const problems = []
  const missingPackages = []
  if (!existsSync(path.join(root, 'node_modules', 'jest', 'package.json'))) {
    problems.push('node_modules has no jest: run npm ci')
  }
  for (const { name, needs } of readPackages()) {
    const lacking = needs.filter(n => (path.isAbsolute(n) ? !existsSync(n) : !onPath(n, pathVar)))
    if (lacking.length === 0) continue
    missingPackages.push(name)
    const commands = lacking.filter(n => !path.isAbsolute(n))
    const files = lacking.filter(n => path.isAbsolute(n))
    const what = [
      commands.length > 0
        ? `${commands.join(', ')} ${commands.length > 1 ? 'are' : 'is'} not on PATH`
        : '',
      files.length > 0 ? `${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} missing` : ''
    ]
    problems.push(`${what.filter(Boolean).join('; ')} (Debian package ${name})`)
  }
  const go = await checkGo()
  if (go.problem) problems.push(go.problem)
  const proxyProblem = await checkProxy(go.goproxy)
  if (proxyProblem) problems.push(proxyProblem)
  const uid = process.getuid?.()
  if (uid !== undefined && uid !== 0) {
    problems.push(
      `root: the end-to-end tests start their own dockerd and register qemu with binfmt_misc, ` +
        `which needs root, and this is uid ${uid}: run the tests as root (sudo -E npm test)`
    )
  }
  return { problems, missingPackages }
}

export function report({ problems, missingPackages }) {
  const lines = ['npm test: the end-to-end tests need what this machine lacks:']
  for (const p of problems) lines.push(`  - ${p}`)
  if (missingPackages.length > 0) {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo '
    lines.push(
      'Install the missing Debian packages with:',
      `  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missingPackages.join(' ')}`,
      `(${path.relative(root, PACKAGES_FILE)} lists every package the tests need; .ci/run installs them.)`
    )
  }
  lines.push('The unit tests alone need none of this: npm run test:unit')
  return lines.join('\n')
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = await findProblems()
  if (found.problems.length > 0) {
    console.error(report(found))
    process.exit(1)
  }
}
