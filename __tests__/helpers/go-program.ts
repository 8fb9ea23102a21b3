// A small Go program the tests run (the cache server, Go's own text/template), built once per
// machine per source (and Go version) into one temporary folder: the name carries their hash, so
// an edit rebuilds instead of reusing a stale binary.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)
const BIN_DIR = path.join(os.tmpdir(), 'gpa-test-bin')
const BUILD_TIMEOUT_MS = 10 * 60_000

export interface GoProgram {
  /** Names the binary and the errors. */
  name: string
  /** The folder holding the program's main package and go.mod. */
  dir: string
  /** The files whose content decides whether a built binary is current. */
  files: readonly string[]
  /** For go build; GOWORK=off is always added, so a go.work further up stays out of it. */
  env?: NodeJS.ProcessEnv
}

/** A function giving the program's binary, built on the first call (a failed build is tried again). */
export function goProgram(program: GoProgram): () => Promise<string> {
  let built: Promise<string> | undefined
  return () => {
    built ??= build(program).catch((error: unknown) => {
      built = undefined
      throw error
    })
    return built
  }
}

async function build(program: GoProgram): Promise<string> {
  const env = { ...(program.env ?? process.env), GOWORK: 'off' }
  const hash = createHash('sha256')
  const { stdout: goVersion } = await execFileAsync('go', ['env', 'GOVERSION'], { env })
  hash.update(goVersion.trim()).update('\0')
  for (const name of program.files) {
    const file = path.join(program.dir, name)
    if (!existsSync(file)) throw new Error(`${program.name} source missing: ${file}`)
    hash
      .update(name)
      .update('\0')
      .update(await readFile(file))
      .update('\0')
  }
  const binary = path.join(BIN_DIR, `${program.name}-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(binary)) return binary
  await mkdir(BIN_DIR, { recursive: true })
  // Build to a private name, then rename: jest workers building at once each make a whole binary,
  // and the rename is atomic.
  const temp = `${binary}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    // -mod=readonly beats a GOFLAGS=-mod=... from the environment: go.sum is complete, and the
    // build must never rewrite it.
    await execFileAsync('go', ['build', '-mod=readonly', '-buildvcs=false', '-o', temp, '.'], {
      cwd: program.dir,
      env,
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024
    }).catch((error: { stderr?: string; code?: unknown; signal?: unknown }) => {
      throw new Error(
        `building ${program.name} failed (go build in ${program.dir} exited with ` +
          `${String(error.code ?? error.signal)}):\n${error.stderr ?? ''}`
      )
    })
    await rename(temp, binary)
  } finally {
    await rm(temp, { force: true })
  }
  return binary
}
