// Go's own text/template, for comparing the action's template engine (src/template) with it: the
// small program in gotemplate/ (standard library only, so it builds offline) renders a batch of
// cases, JSON on stdin and stdout. It is built once per machine, per source and Go version (the
// name carries their hash), into the temporary folder the other test binaries use.
import { execFile, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
const SOURCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gotemplate')
const SOURCE_FILES = ['main.go', 'go.mod']
const BIN_DIR = path.join(os.tmpdir(), 'gpa-test-bin')
/** Go's offline settings: no toolchain switch, no module proxy, no go.work from above. */
const GO_ENV = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOWORK: 'off', GOFLAGS: '' }

export interface GoTemplateCase {
  template: string
  data?: unknown
  /** What envOrDefault and isEnvSet see; default: data.Env. */
  env?: Record<string, string>
  /** RFC 3339 time for the time function; default 2026-01-02T03:04:05.678Z. */
  now?: string
  /** 'error' (default, GoReleaser's missingkey=error) or 'default'. */
  missingKey?: 'error' | 'default'
}

export interface GoTemplateResult {
  ok: boolean
  output: string
  error?: string
}

let binaryPromise: Promise<string> | undefined

function goTemplateBinary(): Promise<string> {
  binaryPromise ??= buildBinary().catch((err: unknown) => {
    binaryPromise = undefined // let a later call retry
    throw err
  })
  return binaryPromise
}

async function buildBinary(): Promise<string> {
  const hash = createHash('sha256')
  const { stdout: goVersion } = await execFileAsync('go', ['env', 'GOVERSION'], { env: GO_ENV })
  hash.update(goVersion.trim()).update('\0')
  for (const name of SOURCE_FILES)
    hash
      .update(name)
      .update('\0')
      .update(await readFile(path.join(SOURCE_DIR, name)))
      .update('\0')
  const binary = path.join(BIN_DIR, `gotemplate-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(binary)) return binary
  await mkdir(BIN_DIR, { recursive: true })
  // Build to a private name, then rename: jest workers building at once each make a whole binary.
  const temp = `${binary}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await execFileAsync('go', ['build', '-mod=readonly', '-buildvcs=false', '-o', temp, '.'], {
      cwd: SOURCE_DIR,
      env: GO_ENV,
      timeout: 10 * 60_000
    })
    await rename(temp, binary)
  } finally {
    await rm(temp, { force: true })
  }
  return binary
}

/** Renders every case with Go's text/template; one result per case, in order. */
export async function renderWithGo(cases: readonly GoTemplateCase[]): Promise<GoTemplateResult[]> {
  const binary = await goTemplateBinary()
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', code => {
      if (code !== 0)
        reject(new Error(`gotemplate exited with ${code}: ${Buffer.concat(err).toString()}`))
      else resolve(JSON.parse(Buffer.concat(out).toString()) as GoTemplateResult[])
    })
    child.stdin.end(JSON.stringify({ cases }))
  })
}
