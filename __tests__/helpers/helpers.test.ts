// Proves the e2e fixtures are faithful before anything relies on them.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { promisify } from 'node:util'
import { standardReleases, startDlServer, type DlServer } from './dl-server.js'
import { goArchive, goArchiveBuildInfo, machineGo, sha256File } from './go-archive.js'
import { annotations, assertExit, describeRun, expectSuccess, runAction } from './run-action.js'

const execFileAsync = promisify(execFile)

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-helpers-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

describe('dl-server', () => {
  let server: DlServer
  beforeAll(async () => {
    server = await startDlServer(await standardReleases())
  })
  afterAll(async () => {
    await server.stop()
  })

  test('serves the full index newest first, with go.dev field names', async () => {
    const { version } = await machineGo()
    const res = await fetch(`${server.url}/?mode=json&include=all`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const index = (await res.json()) as Array<{
      version: string
      stable: boolean
      files: Array<Record<string, unknown>>
    }>

    expect(index.map(r => [r.version, r.stable])).toEqual([
      [expect.stringMatching(/^go1\.\d+rc1$/), false],
      [version, true],
      [expect.stringMatching(/^go1\.\d+\.9$/), true]
    ])
    const current = index[1]!
    for (const f of current.files) {
      expect(Object.keys(f)).toEqual([
        'filename',
        'os',
        'arch',
        'version',
        'sha256',
        'size',
        'kind'
      ])
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
    expect(new Set(current.files.map(f => f.kind))).toEqual(
      new Set(['archive', 'installer', 'source'])
    )
    const archive = await goArchive()
    expect(current.files).toContainEqual({
      filename: `${version}.linux-amd64.tar.gz`,
      os: 'linux',
      arch: 'amd64',
      version,
      sha256: archive.sha256,
      size: archive.size,
      kind: 'archive'
    })
  })

  test('without include=all lists only the latest stable releases', async () => {
    const index = (await (await fetch(`${server.url}/?mode=json`)).json()) as Array<{
      stable: boolean
    }>
    expect(index).toHaveLength(2)
    expect(index.every(r => r.stable)).toBe(true)
  })

  test('serves the archive with the listed sha256; listed-only files 404; records requests', async () => {
    const archive = await goArchive()
    const before = server.requests.length
    const res = await fetch(`${server.url}/${archive.filename}`)
    expect(res.status).toBe(200)
    const file = path.join(tmp, archive.filename)
    await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(file))
    expect(await sha256File(file)).toBe(archive.sha256)

    const { version } = await machineGo()
    expect((await fetch(`${server.url}/${version}.darwin-arm64.tar.gz`)).status).toBe(404)
    expect(server.requests.slice(before)).toEqual([
      `/${archive.filename}`,
      `/${version}.darwin-arm64.tar.gz`
    ])
  })

  test('corruptSha lists a wrong checksum for the real archive', async () => {
    const archive = await goArchive()
    const releases = await standardReleases({ corruptSha: true })
    const listed = releases.flatMap(r => r.files).find(f => f.filename === archive.filename)
    expect(listed?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(listed?.sha256).not.toBe(archive.sha256)
    expect(listed?.path).toBe(archive.path)
  })
})

describe('go-archive', () => {
  test('extracts to a working go/ toolchain of the machine version', async () => {
    const archive = await goArchive()
    const { version } = await machineGo()
    console.log(
      `go archive: ${archive.size} bytes, built in ${(await goArchiveBuildInfo())?.buildMs} ms`
    )
    expect(archive.filename).toBe(`${version}.linux-amd64.tar.gz`)

    const dest = await realpath(await mkdtemp(path.join(tmp, 'extract-')))
    await execFileAsync('tar', ['-xzf', archive.path, '-C', dest])
    const goBin = path.join(dest, 'go', 'bin', 'go')
    // No GOROOT: the extracted go must locate its own root, as after a real download.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, GOTOOLCHAIN: 'local' }

    const { stdout: ver } = await execFileAsync(goBin, ['version'], { env })
    expect(ver).toContain(`go version ${version} linux/amd64`)
    const { stdout: goroot } = await execFileAsync(goBin, ['env', 'GOROOT'], { env })
    expect(goroot.trim()).toBe(path.join(dest, 'go'))

    // And it can build a program from scratch (fresh cache: nothing borrowed from the machine's Go).
    const mod = path.join(dest, 'hello')
    await execFileAsync('mkdir', [mod])
    await writeFile(path.join(mod, 'go.mod'), 'module hello\n\ngo 1.21\n')
    await writeFile(path.join(mod, 'main.go'), 'package main\n\nfunc main() { println("hi") }\n')
    const buildEnv = {
      ...env,
      GOCACHE: path.join(dest, 'gocache'),
      GOPATH: path.join(dest, 'gopath'),
      CGO_ENABLED: '0'
    }
    await execFileAsync(goBin, ['build', '-o', 'hello', '.'], { env: buildEnv, cwd: mod })
    const { stderr } = await execFileAsync(path.join(mod, 'hello'))
    expect(stderr).toBe('hi\n')
  })
})

describe('run-action (against a stand-in bundle)', () => {
  // Writes what @actions/core would write, so the parsing is tested without dist/.
  const fakeAction = `
import { appendFileSync } from 'node:fs'
const e = process.env
const put = (file, name, value) => appendFileSync(file, name + '<<ghadelimiter_1\\n' + value + '\\nghadelimiter_1\\n')
put(e.GITHUB_OUTPUT, 'version', e['INPUT_GO-VERSION'])
put(e.GITHUB_OUTPUT, 'multi', 'a\\nb')
appendFileSync(e.GITHUB_OUTPUT, 'plain=x=y\\n')
put(e.GITHUB_OUTPUT, 'cache', String(e.ACTIONS_CACHE_URL))
put(e.GITHUB_OUTPUT, 'workspace', e.GITHUB_WORKSPACE + '|' + process.cwd())
put(e.GITHUB_ENV, 'GOROOT', e.RUNNER_TOOL_CACHE + '/go')
appendFileSync(e.GITHUB_PATH, e.RUNNER_TOOL_CACHE + '/go/bin\\n')
appendFileSync(e.GITHUB_STEP_SUMMARY, '# Summary\\n')
console.log('::error file=main.go,line=3,title=a%3Ab%2Cc::bad%0Anews 100%25')
console.error('to stderr')
console.log('::warning::careful')
process.exitCode = Number(e.INPUT_EXIT ?? 0)
`

  test('passes inputs, parses file commands and annotations', async () => {
    const entry = path.join(tmp, 'fake-action.mjs')
    await writeFile(entry, fakeAction)
    const cwd = await mkdtemp(path.join(tmp, 'ws-'))
    const run = await runAction({
      entry,
      cwd,
      inputs: { 'go-version': '1.26', exit: '0' },
      env: { ACTIONS_CACHE_URL: 'http://cache', GITHUB_REF_NAME: '' }
    })
    expectSuccess(run)
    expect(run.outputs).toEqual({
      version: '1.26',
      multi: 'a\nb',
      plain: 'x=y',
      cache: 'http://cache',
      workspace: `${cwd}|${cwd}`
    })
    expect(run.env.GOROOT).toMatch(/tool-cache\/go$/)
    expect(run.path).toEqual([expect.stringMatching(/tool-cache\/go\/bin$/)])
    expect(run.summary).toBe('# Summary\n')
    expect(run.log).toContain('to stderr')
    expect(annotations(run, 'error')).toEqual([
      {
        level: 'error',
        props: { file: 'main.go', line: '3', title: 'a:b,c' },
        message: 'bad\nnews 100%'
      }
    ])
    expect(annotations(run).map(a => a.level)).toEqual(['error', 'warning'])
  })

  test('a failed run reports its log', async () => {
    const entry = path.join(tmp, 'fake-action.mjs')
    await writeFile(entry, fakeAction)
    const run = await runAction({ entry, inputs: { exit: '3' } })
    expect(run.code).toBe(3)
    expect(run.outputs.cache).toBe('undefined')
    expect(() => assertExit(run, 0)).toThrow(/exit code: 3[\s\S]*to stderr/)
    expect(describeRun(run)).toContain('::warning::careful')
  })
})
