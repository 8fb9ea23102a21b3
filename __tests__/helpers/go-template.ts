// Go's own text/template, for comparing the action's template engine (src/template) with it: the
// small program in gotemplate/ (standard library only, so it builds offline) renders a batch of
// cases, JSON on stdin and stdout. It is built once per machine, per source and Go version (the
// name carries their hash), into the temporary folder the other test binaries use.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { goProgram } from './go-program.js'

const SOURCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gotemplate')
/** Go's offline settings: no toolchain switch, no module proxy. */
const GO_ENV = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '' }

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

const goTemplateBinary = goProgram({
  name: 'gotemplate',
  dir: SOURCE_DIR,
  files: ['main.go', 'go.mod'],
  env: GO_ENV
})

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
