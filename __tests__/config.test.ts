import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, symlinkSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import semver from 'semver'
import { type Config, type InputReader, readConfig, splitArgs, splitList } from '../src/config.js'
import type { RunContext } from '../src/context.js'
import { captureStdout } from './helpers/stdout.js'
import { InputError } from '../src/errors.js'

let base: string
let ctx: RunContext
/** What readConfig writes to stdout (workflow commands such as ::add-mask::), call by call. */
let stdout: string[]
let capturing = false

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'gpa-config-test-'))
  const workspace = path.join(base, 'workspace')
  await mkdir(workspace)
  await mkdir(path.join(base, 'toolcache'))
  await mkdir(path.join(base, 'temp'))
  ctx = {
    local: true,
    workspace,
    repository: 'octo/hello',
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    eventName: 'push',
    defaultBranch: 'main',
    actor: 'octocat',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    toolCacheDir: path.join(base, 'toolcache'),
    tempDir: path.join(base, 'temp'),
    runner: { os: 'linux', arch: 'x64' }
  }
  stdout = []
  // Only while readConfig runs (it is synchronous).
  captureStdout(() => capturing, stdout)
})

afterEach(async () => {
  jest.restoreAllMocks()
  await rm(base, { recursive: true, force: true })
})

/** An InputReader over a record, returning '' for anything not given (as core.getInput does). */
const inputs =
  (values: Record<string, string>): InputReader =>
  name =>
    values[name] ?? ''

/** readConfig over these inputs, capturing its stdout. */
function run(values: Record<string, string>): Config {
  capturing = true
  try {
    return readConfig(ctx, inputs(values))
  } finally {
    capturing = false
  }
}

async function put(rel: string, content: string): Promise<string> {
  const file = path.join(ctx.workspace, rel)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
  return file
}

/** Runs readConfig and returns the InputError it throws (failing the test if it throws none). */
function inputError(values: Record<string, string>): InputError {
  try {
    run(values)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error(`readConfig accepted ${JSON.stringify(values)}`)
}

function expectInputError(values: Record<string, string>, input: string, detail?: RegExp): void {
  const error = inputError(values)
  expect(error.input).toBe(input)
  expect(error.message.startsWith(`${input}: `)).toBe(true)
  if (detail) expect(error.message).toMatch(detail)
}

/** Everything under base (workspace, tool cache, temp), to prove readConfig writes nothing. */
async function listing(): Promise<string[]> {
  return (await readdir(base, { recursive: true })).map(String).sort()
}

describe('readConfig defaults', () => {
  test('a module with a go.mod and no inputs', async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
    const before = await listing()
    const config: Config = run({})
    expect(config.workingDirectory).toBe(ctx.workspace)
    expect(config.mode).toBe('all')
    expect(config.go.spec.kind).toBe('range')
    expect(config.go.specSource).toMatch(/go\.mod/)
    expect(config.go.downloadSource).toBe('dl')
    expect(config.go.downloadBaseUrl).toBe('https://go.dev/dl')
    expect(config.go.checkLatest).toBe(false)
    expect(config.cache).toEqual({ enabled: true, save: true })
    expect(config.checks).toMatchObject({
      vet: 'error',
      staticcheck: 'error',
      staticcheckVersion: 'v0.8.2',
      staticcheckChecks: '',
      golangciLintVersion: 'v2.15.0',
      test: 'error',
      race: true,
      vulncheck: 'error',
      vulncheckDb: 'https://vuln.go.dev',
      platforms: []
    })
    expect(config.checks.testArgs).toEqual([])
    expect(config.build.targets).toEqual([
      'linux/amd64',
      'linux/arm64',
      'darwin/amd64',
      'darwin/arm64',
      'windows/amd64',
      'windows/arm64'
    ])
    expect(config.build.main).toEqual(['.'])
    expect(config.build.outputDir).toBe(path.join(ctx.workspace, 'dist'))
    expect(config.image.name).toBe('')
    expect(config.image.repository).toBeUndefined()
    expect(config.release.release).toBe('auto')
    expect(config.warnings).toEqual([])
    expect(Object.isFrozen(config)).toBe(true)
    // Nothing is created (not even output-dir) and nothing is logged.
    expect(await listing()).toEqual(before)
    expect(stdout).toEqual([])
  })

  test('values are trimmed; booleans and choices accept any case', async () => {
    await put('go.mod', 'module m\n\ngo 1.26\n')
    const config = run({
      mode: ' ALL ',
      cache: 'False',
      'cache-save': 'FALSE',
      'check-latest': 'TRUE',
      'go-download-source': 'Proxy',
      'go-download-base-url': 'https://mirror.example.com/golang/',
      race: 'false',
      'test-args': "-run 'Test A' -count=1",
      'build-tags': 'netgo, osusergo',
      'output-dir': 'out',
      push: 'false',
      release: 'false'
    })
    expect(config.mode).toBe('all')
    expect(config.cache).toEqual({ enabled: false, save: false })
    expect(config.go.checkLatest).toBe(true)
    expect(config.go.downloadSource).toBe('proxy')
    expect(config.go.downloadBaseUrl).toBe('https://mirror.example.com/golang')
    expect(config.checks.race).toBe(false)
    expect(config.checks.testArgs).toEqual(['-run', 'Test A', '-count=1'])
    expect(config.build.buildTags).toEqual(['netgo', 'osusergo'])
    expect(config.build.outputDir).toBe(path.join(ctx.workspace, 'out'))
    expect(config.image.push).toBe('false')
    expect(config.release.release).toBe('false')
  })
  test('the defaults action.yml declares (what the runner passes) read the same as no input', async () => {
    await put('go.mod', 'module m\n\ngo 1.26\n')
    const yml = await readFile(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8')
    const inputsBlock = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'))
    const declared: Record<string, string> = {}
    for (const m of inputsBlock.matchAll(/^ {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: (.*)$/gm)) {
      const value = (m[2] as string).trim().replace(/^'(.*)'$/, '$1')
      if (!value.includes('${{')) declared[m[1] as string] = value
    }
    expect(Object.keys(declared)).toEqual(
      expect.arrayContaining(['mode', 'vet', 'targets', 'race'])
    )
    expect(run(declared)).toEqual(run({}))
  })
})

describe('readConfig input errors', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
    await mkdir(path.join(ctx.workspace, 'sub'))
  })

  interface ErrorCase {
    name: string
    values: Record<string, string>
    input: string
    detail?: RegExp
  }
  // Objects, not arrays: a row shorter than the callback's parameter list would hand it jest's done.
  const c = (name: string, values: Record<string, string>, input: string, detail?: RegExp) =>
    ({ name, values, input, detail }) as ErrorCase
  const cases: ErrorCase[] = [
    c('unknown mode', { mode: 'banana' }, 'mode', /"banana"/),
    c('go-version', { 'go-version': 'banana' }, 'go-version', /"banana"/),
    c('go-version *', { 'go-version': '*' }, 'go-version'),
    c('working-directory missing', { 'working-directory': 'nope' }, 'working-directory', /"nope"/),
    c('working-directory a file', { 'working-directory': 'go.mod' }, 'working-directory'),
    c('go-download-source', { 'go-download-source': 'ftp' }, 'go-download-source', /"ftp"/),
    c(
      'base URL not a URL',
      { 'go-download-base-url': 'not a url' },
      'go-download-base-url',
      /not a URL/
    ),
    c(
      'base URL ftp:',
      { 'go-download-base-url': 'ftp://mirror.example.com/go' },
      'go-download-base-url',
      /http or https/
    ),
    c('check-latest', { 'check-latest': 'yes' }, 'check-latest', /"yes"/),
    c('cache', { cache: 'on' }, 'cache', /"on"/),
    c('cache-save', { 'cache-save': '1' }, 'cache-save'),
    c('vet', { vet: 'maybe' }, 'vet'),
    c('vulncheck', { vulncheck: 'warning' }, 'vulncheck'),
    c('test warn with a line break', { test: 'warn\nx' }, 'test'),
    c('staticcheck-checks', { 'staticcheck-checks': 'SA1000;rm -rf' }, 'staticcheck-checks'),
    c('check-platforms', { 'check-platforms': 'linux' }, 'check-platforms'),
    c('check-platforms path', { 'check-platforms': '../linux/amd64' }, 'check-platforms'),
    c('staticcheck', { staticcheck: 'off' }, 'staticcheck'),
    c('test', { test: 'never' }, 'test'),
    c('race', { race: 'y' }, 'race'),
    c('draft', { draft: 'no' }, 'draft'),
    c('overwrite', { overwrite: 'always' }, 'overwrite'),
    c('push', { push: 'yes' }, 'push'),
    c('release', { release: 'yes' }, 'release'),
    c('prerelease', { prerelease: 'maybe' }, 'prerelease'),
    c('make-latest', { 'make-latest': 'sometimes' }, 'make-latest'),
    c('test-args', { 'test-args': "-run 'Test A" }, 'test-args', /unclosed quote/),
    c(
      'staticcheck-version',
      { 'staticcheck-version': 'master' },
      'staticcheck-version',
      /"master"/
    ),
    c('staticcheck-version 2', { 'staticcheck-version': '2025.1' }, 'staticcheck-version'),
    c('targets', { targets: 'linux/amd64 linux' }, 'targets', /"linux" is not GOOS\/GOARCH/),
    c('ldflags', { ldflags: '-X main.v={{.Nope}}' }, 'ldflags', /unknown field \.Nope/),
    c('image with a tag', { image: 'ghcr.io/octo/hello:1' }, 'image', /names a tag or digest/),
    c('image not a name', { image: 'ghcr.io/octo/he llo' }, 'image', /not a repository/),
    c(
      'image without a linux target',
      { image: 'ghcr.io/octo/hello', targets: 'windows/amd64' },
      'image',
      /needs a linux target/
    ),
    c('image-tags', { 'image-tags': 'v1 bad/tag' }, 'image-tags', /"bad\/tag" is not a tag/),
    c('image-tags empty list', { 'image-tags': ' , ' }, 'image-tags', /lists no tag/),
    c('base-image', { 'base-image': 'gcr.io/Distroless/static' }, 'base-image'),
    c('dockerfile without image', { dockerfile: 'Dockerfile' }, 'dockerfile', /needs image/),
    c(
      'dockerfile missing',
      { image: 'ghcr.io/octo/hello', dockerfile: 'Dockerfile' },
      'dockerfile',
      /^dockerfile: "Dockerfile" does not exist \(looked for Dockerfile\)$/
    ),
    c('registry-insecure', { 'registry-insecure': 'maybe' }, 'registry-insecure'),
    c(
      'registry-username alone',
      { image: 'ghcr.io/octo/hello', 'registry-username': 'ci' },
      'registry-password',
      /registry-username is set/
    ),
    c(
      'registry-password alone',
      { image: 'ghcr.io/octo/hello', 'registry-password': 'x' },
      'registry-username'
    )
    // release: true off a tag is the plan's to refuse: a tag at the commit or the version input
    // may still give it one (__tests__/release/policy.test.ts).
  ]

  test.each(cases)('$name → an error naming $input', async ({ values, input, detail }) => {
    const before = await listing()
    expectInputError(values, input, detail)
    // Before any side effect: no file or folder written, nothing logged but the masks of secrets.
    expect(await listing()).toEqual(before)
    expect(stdout.filter(line => !line.startsWith('::add-mask::'))).toEqual([])
  })

  test('image: lowercased, parsed; tags listed; dockerfile resolved; the password a secret', async () => {
    await put('build/Dockerfile', 'FROM scratch\n')
    const config = run({
      image: 'GHCR.io/Octo/Hello',
      'image-tags': 'edge, v1\nedge',
      dockerfile: 'build/Dockerfile',
      'registry-username': 'ci',
      'registry-password': 'pa55word'
    })
    expect(config.image.name).toBe('ghcr.io/octo/hello')
    expect(config.image.repository).toEqual({ registry: 'ghcr.io', repository: 'octo/hello' })
    expect(config.image.tags).toEqual(['edge', 'v1'])
    expect(config.image.dockerfile).toBe(path.join(ctx.workspace, 'build', 'Dockerfile'))
    expect(config.image.base).toEqual({
      registry: 'gcr.io',
      repository: 'distroless/static',
      tag: 'nonroot'
    })
    expect(config.image.insecure).toBe(false)
    expect(stdout.join('')).toContain('::add-mask::pa55word')
    expect(run({}).image.tags).toBe('auto')
  })

  test('a matrix leg of a darwin or windows target may name the image: other legs fill it', () => {
    const leg = run({ mode: 'build', image: 'ghcr.io/octo/hello', targets: 'windows/amd64' })
    expect(leg.image.name).toBe('ghcr.io/octo/hello')
  })

  test('targets: none, and release: auto or false, are fine', () => {
    expect(run({ targets: 'None' }).build.targets).toEqual([])
    expect(run({ release: 'auto' }).release.release).toBe('auto')
  })

  test('checks can be turned off one by one', () => {
    expect(run({ vet: 'false' }).checks).toMatchObject({
      vet: 'off',
      staticcheck: 'error',
      test: 'error'
    })
    expect(run({ staticcheck: 'false' }).checks).toMatchObject({
      vet: 'error',
      staticcheck: 'off'
    })
    expect(run({ test: 'false' }).checks).toMatchObject({ test: 'off', race: true })
    expect(run({ vulncheck: 'False' }).checks).toMatchObject({ vulncheck: 'off' })
  })

  test('warn reports a check’s findings as warnings', () => {
    expect(
      run({ vet: 'warn', staticcheck: 'WARN', test: 'warn', vulncheck: 'Warn' }).checks
    ).toMatchObject({
      vet: 'warning',
      staticcheck: 'warning',
      test: 'warning',
      vulncheck: 'warning'
    })
  })

  test('staticcheck-checks and check-platforms are lists', () => {
    expect(run({ 'staticcheck-checks': 'all, -ST1000\n-U1000' }).checks.staticcheckChecks).toBe(
      'all,-ST1000,-U1000'
    )
    expect(run({ 'staticcheck-checks': 'SA*,inherit' }).checks.staticcheckChecks).toBe(
      'SA*,inherit'
    )
    expect(run({ 'check-platforms': 'linux/amd64\nwindows/arm64' }).checks.platforms).toEqual([
      'linux/amd64',
      'windows/arm64'
    ])
  })

  test('staticcheck-version takes a release or latest', () => {
    for (const v of ['v0.8.1', '0.8.1', 'v0.9.0-rc.1', 'latest'])
      expect(run({ 'staticcheck-version': v }).checks.staticcheckVersion).toBe(v)
  })
})

describe('secrets', () => {
  beforeEach(async () => {
    await put('go.mod', 'module m\n\ngo 1.26\n')
  })

  const masked = (): string[] =>
    stdout.filter(line => line.startsWith('::add-mask::')).map(line => line.trim())

  test('github-token and registry-password are masked', () => {
    run({
      'github-token': 'ghs_secret1',
      'registry-username': 'ci',
      'registry-password': 'hunter2'
    })
    expect(masked()).toEqual(
      expect.arrayContaining(['::add-mask::ghs_secret1', '::add-mask::hunter2'])
    )
  })

  test('they are masked even when another input is wrong', () => {
    expect(() => run({ 'github-token': 'ghs_secret2', mode: 'banana' })).toThrow(InputError)
    expect(masked()).toContain('::add-mask::ghs_secret2')
  })

  test('an empty secret is not masked', () => {
    run({ 'github-token': '  ' })
    expect(masked()).toEqual([])
  })
})

describe('which Go version', () => {
  const resolvesTo = (config: Config, version: string): boolean =>
    config.go.spec.kind === 'exact'
      ? config.go.spec.version === version
      : config.go.spec.kind === 'range' && semver.satisfies(version, config.go.spec.range)

  test('go-version-file is read relative to working-directory first', async () => {
    await put('sub/.go-version', '1.26.8\n')
    await put('.go-version', '1.25.3\n')
    const config = run({ 'working-directory': 'sub', 'go-version-file': '.go-version' })
    expect(config.workingDirectory).toBe(path.join(ctx.workspace, 'sub'))
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(config.go.specSource).toMatch(/\.go-version/)
  })

  test('then relative to the workspace', async () => {
    await mkdir(path.join(ctx.workspace, 'sub'))
    await put('.tool-versions', 'nodejs 24.1.0\ngolang 1.25.3\n')
    const config = run({ 'working-directory': 'sub', 'go-version-file': '.tool-versions' })
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.25.3' })
  })

  test('a missing go-version-file is an error naming go-version-file', async () => {
    await put('go.mod', 'module m\n\ngo 1.26\n')
    expectInputError({ 'go-version-file': '.go-version' }, 'go-version-file', /\.go-version/)
  })

  test('a go-version-file without a version is an error naming go-version-file', async () => {
    await put('versions/go.mod', 'module m\n')
    expectInputError(
      { 'go-version-file': 'versions/go.mod' },
      'go-version-file',
      /neither a toolchain nor a go line/
    )
  })

  test('by default go.mod is read, and its toolchain line wins', async () => {
    await put('go.mod', 'module m\n\ngo 1.25\n\ntoolchain go1.26.8\n')
    await put('go.work', 'go 1.24\n\nuse .\n')
    const config = run({})
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(config.go.specSource).toMatch(/go\.mod/)
  })

  test('by default go.work is read when there is no go.mod', async () => {
    await put('go.work', 'go 1.24.2\n\nuse ./a\n')
    const config = run({})
    expect(config.go.specSource).toMatch(/go\.work/)
    expect(resolvesTo(config, '1.24.9')).toBe(true)
    expect(resolvesTo(config, '1.25.0')).toBe(false)
  })

  test('the default is read in working-directory, not the workspace', async () => {
    await put('go.mod', 'module root\n\ngo 1.24\n')
    await put('sub/go.mod', 'module sub\n\ngo 1.26\n')
    const config = run({ 'working-directory': 'sub' })
    expect(resolvesTo(config, '1.26.3')).toBe(true)
    expect(resolvesTo(config, '1.24.3')).toBe(false)
  })

  test('neither go-version nor go.mod nor go.work is an error', async () => {
    await put('main.go', 'package main\n')
    const error = inputError({})
    expect(error.input).toMatch(/^go-version/)
    expect(error.message).toMatch(/go\.mod/)
  })

  test('go-version wins over go-version-file, with a warning', async () => {
    await put('.go-version', '1.25.3\n')
    const config = run({ 'go-version': '1.26.8', 'go-version-file': '.go-version' })
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(config.warnings).toHaveLength(1)
    expect(config.warnings[0]).toMatch(/go-version-file/)
  })

  test('go-version alone needs no go.mod', () => {
    const config = run({ 'go-version': 'stable' })
    expect(config.go.spec).toMatchObject({ kind: 'alias', alias: 'stable' })
    expect(config.warnings).toEqual([])
    expect(existsSync(path.join(ctx.workspace, 'go.mod'))).toBe(false)
  })
})

describe('splitList', () => {
  test('splits on spaces, commas and newlines, dropping empties', () => {
    expect(splitList('linux/amd64, linux/arm64\n  windows/amd64,,darwin/arm64\n')).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64',
      'darwin/arm64'
    ])
    expect(splitList('')).toEqual([])
    expect(splitList(' , \n')).toEqual([])
  })
})

describe('splitArgs', () => {
  test('splits on whitespace', () => {
    expect(splitArgs('-count=1   -v\n-short')).toEqual(['-count=1', '-v', '-short'])
    expect(splitArgs('')).toEqual([])
  })

  test('single and double quotes group words and are removed', () => {
    expect(splitArgs(`-run 'Test A' -skip "Test B" -v`)).toEqual([
      '-run',
      'Test A',
      '-skip',
      'Test B',
      '-v'
    ])
    expect(splitArgs(`-run ''`)).toEqual(['-run', ''])
  })

  test('an unclosed quote is an error naming the input', () => {
    expect(() => splitArgs(`-run 'Test A`)).toThrow(InputError)
    expect(() => splitArgs(`-run "Test A`)).toThrow(/^test-args: .*unclosed quote/)
    expect(() => splitArgs(`'`, 'build-args')).toThrow(/^build-args: /)
  })

  // An apostrophe inside double quotes (or a double quote inside single quotes) is text.
  test('a quote character inside the other kind of quotes is text', () => {
    expect(splitArgs(`-run "TestIt's" -v`)).toEqual(['-run', "TestIt's", '-v'])
    expect(splitArgs(`-ldflags '-X "main.v=1"'`)).toEqual(['-ldflags', '-X "main.v=1"'])
  })

  // The common -run='^TestA$' must reach go test without its quotes, or the pattern matches nothing.
  test('quotes inside a word are removed, as a shell does', () => {
    expect(splitArgs(`-run='^TestA$' -count=1`)).toEqual(['-run=^TestA$', '-count=1'])
    expect(splitArgs(`-run="Test A|Test B"`)).toEqual(['-run=Test A|Test B'])
  })
})

describe('paths stay in the workspace, and are what the input needs', () => {
  let outside: string
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
    await mkdir(path.join(ctx.workspace, 'sub'))
    // A secret outside the workspace, which no message may quote.
    outside = path.join(base, 'outside')
    await mkdir(outside)
    await writeFile(path.join(outside, 'shadow'), 'root:$6$SECRETHASH:19000:0:99999:7:::\n')
  })

  const ws = (): string => ctx.workspace
  // Each FIFO gets a writer 3 s later, which would release a blocking open (one would hang the
  // test process, as openSync holds the thread): such an open then fails the time check instead.
  const writers: ChildProcess[] = []
  afterEach(() => {
    for (const w of writers.splice(0)) w.kill('SIGKILL')
  })
  const fifo = (rel: string) => () => {
    const file = path.join(ctx.workspace, rel)
    execFileSync('mkfifo', [file])
    writers.push(spawn('sh', ['-c', 'sleep 3; echo 1.26.8 > "$0"', file], { stdio: 'ignore' }))
  }
  const link = (target: () => string, rel: string) => () => {
    symlinkSync(target(), path.join(ctx.workspace, rel))
  }

  interface PathCase {
    name: string
    setup?: () => void | Promise<unknown>
    values: () => Record<string, string>
    message: () => string
  }
  const cases: PathCase[] = [
    // working-directory
    {
      name: 'working-directory: an absolute path outside',
      values: () => ({ 'working-directory': '/' }),
      message: () =>
        `working-directory: "/" is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'working-directory: ..',
      values: () => ({ 'working-directory': '..' }),
      message: () =>
        `working-directory: ".." is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'working-directory: a symlink out of the workspace',
      setup: link(() => outside, 'out'),
      values: () => ({ 'working-directory': 'out' }),
      message: () =>
        `working-directory: "out" leads out of the workspace through a symlink (to ${outside}); give a path inside ${ws()}`
    },
    {
      name: 'working-directory: missing',
      values: () => ({ 'working-directory': 'nope' }),
      message: () => 'working-directory: "nope" does not exist (looked for nope)'
    },
    {
      name: 'working-directory: a file',
      values: () => ({ 'working-directory': 'go.mod' }),
      message: () => 'working-directory: "go.mod" is a file, not a directory'
    },
    {
      name: 'working-directory: a FIFO',
      setup: fifo('pipe'),
      values: () => ({ 'working-directory': 'pipe' }),
      message: () => 'working-directory: "pipe" is not a directory (a FIFO)'
    },
    // go-version-file
    {
      name: 'go-version-file: /etc/shadow is refused unread',
      values: () => ({ 'go-version-file': '/etc/shadow' }),
      message: () =>
        `go-version-file: "/etc/shadow" is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'go-version-file: an absolute path outside',
      values: () => ({ 'go-version-file': path.join(outside, 'shadow') }),
      message: () =>
        `go-version-file: "${path.join(outside, 'shadow')}" is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'go-version-file: ../ out of the workspace',
      values: () => ({ 'go-version-file': '../outside/shadow' }),
      message: () =>
        `go-version-file: "../outside/shadow" is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'go-version-file: a symlink out of the workspace',
      setup: link(() => path.join(outside, 'shadow'), '.go-version'),
      values: () => ({ 'go-version-file': '.go-version' }),
      message: () =>
        `go-version-file: ".go-version" leads out of the workspace through a symlink (to ${path.join(outside, 'shadow')}); give a path inside ${ws()}`
    },
    {
      name: 'go-version-file: .',
      values: () => ({ 'go-version-file': '.' }),
      message: () => 'go-version-file: "." is a directory, not a file'
    },
    {
      name: 'go-version-file: . from working-directory sub',
      values: () => ({ 'working-directory': 'sub', 'go-version-file': '.' }),
      message: () => 'go-version-file: "." is a directory, not a file (sub)'
    },
    {
      name: 'go-version-file: a FIFO does not hang',
      setup: fifo('.go-version'),
      values: () => ({ 'go-version-file': '.go-version' }),
      message: () => 'go-version-file: ".go-version" is not a regular file (a FIFO)'
    },
    {
      name: 'go-version-file: missing, both places named',
      values: () => ({ 'working-directory': 'sub', 'go-version-file': '.go-version' }),
      message: () =>
        'go-version-file: ".go-version" does not exist (looked for sub/.go-version, then .go-version)'
    },
    {
      name: 'go-version-file: not a version: the file named, an excerpt quoted',
      setup: () => put('sub/versions/.go-version', `${'#'.repeat(20)} SECRET-TOKEN-1234\n`),
      values: () => ({ 'working-directory': 'sub', 'go-version-file': 'versions/.go-version' }),
      message: () =>
        `go-version-file: sub/versions/.go-version:1: "${'#'.repeat(20)}" is not a Go version (for example 1.26.8 or 1.26)`
    },
    {
      name: 'go-version-file: a long non-version is cut',
      setup: () => put('.go-version', `${'x'.repeat(50)}SECRET\n`),
      values: () => ({ 'go-version-file': '.go-version' }),
      message: () =>
        `go-version-file: .go-version:1: "${'x'.repeat(39)}…" is not a Go version (for example 1.26.8 or 1.26)`
    },
    {
      name: 'go-version-file: a large file is not read',
      setup: () => put('big.txt', `1.26.8\n${' '.repeat(70_000)}`),
      values: () => ({ 'go-version-file': 'big.txt' }),
      message: () =>
        'go-version-file: big.txt is 70007 bytes; a file read here is at most 64 KiB, so it is not read'
    },
    {
      name: 'go-version-file: a bad go.mod line is named with its number',
      setup: () => put('tools/go.mod', 'module tools\n\ngo 1.x.y.z\n'),
      values: () => ({ 'go-version-file': 'tools/go.mod' }),
      message: () =>
        'go-version-file: tools/go.mod:3: "go 1.x.y.z" is not a Go version (for example go 1.26 or go 1.26.2)'
    },
    // go.mod and go.work, read by default
    {
      name: 'go.mod: a bad line',
      setup: () => put('go.mod', 'module m\n\ngo 1.x.y.z\n'),
      values: () => ({}),
      message: () =>
        'go-version: go.mod:3: "go 1.x.y.z" is not a Go version (for example go 1.26 or go 1.26.2)'
    },
    {
      name: 'go.mod in working-directory: a bad toolchain line',
      setup: () => put('sub/go.mod', 'module m\n\ngo 1.26\ntoolchain go1.26\n'),
      values: () => ({ 'working-directory': 'sub' }),
      message: () =>
        'go-version: sub/go.mod:4: "toolchain go1.26" is not a Go release name such as toolchain go1.26.8'
    },
    {
      name: 'go.mod: no go line',
      setup: () => put('go.mod', 'module m\n'),
      values: () => ({}),
      message: () => 'go-version: go.mod has neither a toolchain nor a go line'
    },
    {
      name: 'go.mod: a FIFO',
      setup: async () => {
        await rm(path.join(ctx.workspace, 'go.mod'))
        fifo('go.mod')()
      },
      values: () => ({}),
      message: () => 'go-version: "go.mod" is not a regular file (a FIFO)'
    },
    {
      name: 'go.mod: a symlink out of the workspace',
      setup: async () => {
        await rm(path.join(ctx.workspace, 'go.mod'))
        link(() => path.join(outside, 'shadow'), 'go.mod')()
      },
      values: () => ({}),
      message: () =>
        `go-version: "go.mod" leads out of the workspace through a symlink (to ${path.join(outside, 'shadow')}); give a path inside ${ws()}`
    },
    {
      name: 'go.mod: a directory',
      setup: () => mkdir(path.join(ctx.workspace, 'sub', 'go.mod')),
      values: () => ({ 'working-directory': 'sub' }),
      message: () => 'go-version: "go.mod" is a directory, not a file (sub/go.mod)'
    },
    {
      name: 'go.work: a FIFO, when there is no go.mod',
      setup: fifo('sub/go.work'),
      values: () => ({ 'working-directory': 'sub' }),
      message: () => 'go-version: "go.work" is not a regular file (a FIFO) (sub/go.work)'
    },
    // dockerfile
    {
      name: 'dockerfile: outside',
      values: () => ({ image: 'ghcr.io/octo/hello', dockerfile: '/etc/passwd' }),
      message: () =>
        `dockerfile: "/etc/passwd" is outside the workspace (${ws()}); give a path inside it`
    },
    {
      name: 'dockerfile: a symlink out',
      setup: link(() => path.join(outside, 'shadow'), 'Dockerfile'),
      values: () => ({ image: 'ghcr.io/octo/hello', dockerfile: 'Dockerfile' }),
      message: () =>
        `dockerfile: "Dockerfile" leads out of the workspace through a symlink (to ${path.join(outside, 'shadow')}); give a path inside ${ws()}`
    },
    {
      name: 'dockerfile: a directory',
      values: () => ({ image: 'ghcr.io/octo/hello', dockerfile: 'sub' }),
      message: () => 'dockerfile: "sub" is a directory, not a file'
    },
    {
      name: 'dockerfile: a FIFO',
      setup: fifo('Dockerfile'),
      values: () => ({ image: 'ghcr.io/octo/hello', dockerfile: 'Dockerfile' }),
      message: () => 'dockerfile: "Dockerfile" is not a regular file (a FIFO)'
    },
    {
      name: 'dockerfile: relative to working-directory',
      setup: () => put('Dockerfile', 'FROM scratch\n'),
      values: () => ({
        'working-directory': 'sub',
        'go-version': '1.26',
        image: 'ghcr.io/octo/hello',
        dockerfile: 'Dockerfile'
      }),
      message: () => 'dockerfile: "Dockerfile" does not exist (looked for sub/Dockerfile)'
    }
  ]

  test.each(cases)(
    '$name',
    async ({ setup, values, message }) => {
      await setup?.()
      const before = await listing()
      const started = Date.now()
      const error = inputError(values())
      expect(Date.now() - started).toBeLessThan(2000)
      expect(error.message).toBe(message())
      expect(error.message).not.toMatch(/SECRET/)
      expect(await listing()).toEqual(before)
      expect(stdout).toEqual([])
    },
    10_000
  )

  test('paths inside are accepted: absolute, through symlinks, .. that stays inside', async () => {
    await put('sub/Dockerfile', 'FROM scratch\n')
    await put('sub/.go-version', '1.26.8\n')
    symlinkSync('sub', path.join(ctx.workspace, 'mod'))
    const config = run({
      'working-directory': 'mod',
      'go-version-file': path.join(ctx.workspace, 'mod', '.go-version'),
      image: 'ghcr.io/octo/hello',
      dockerfile: '../sub/Dockerfile'
    })
    expect(config.workingDirectory).toBe(path.join(ctx.workspace, 'sub'))
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(config.image.dockerfile).toBe(path.join(ctx.workspace, 'sub', 'Dockerfile'))
    expect(run({ 'working-directory': ctx.workspace }).workingDirectory).toBe(ctx.workspace)
  })

  test('a version file symlinked to another name keeps its own format', async () => {
    await put('versions/golang.txt', 'golang 1.25.3\n')
    symlinkSync('versions/golang.txt', path.join(ctx.workspace, '.tool-versions'))
    const config = run({ 'go-version-file': '.tool-versions' })
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.25.3' })
  })
})

describe('binary-name and image-binary are file names', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
  })

  const binaryUse = " (it becomes hello or hello.exe in each target's folder)"
  const imageUse = ' (the name of one of the binaries built)'
  test.each([
    ['../evil', `"../evil" is a path; give a file name such as hello`],
    ['bin/hello', `"bin/hello" is a path; give a file name such as hello`],
    ['/usr/bin/hello', `"/usr/bin/hello" is a path; give a file name such as hello`],
    ['..\\evil', `"..\\evil" is a path; give a file name such as hello`],
    ['.', `"." is a path; give a file name such as hello`],
    ['..', `".." is a path; give a file name such as hello`],
    [
      '-rf',
      `"-rf" starts with -, which commands would take for a flag; give a file name such as hello`
    ],
    ['he\tllo', `"he�llo" has a control character; give a file name such as hello`],
    ['he\u0000llo', `"he�llo" has a control character; give a file name such as hello`],
    ['he\u001bllo', `"he�llo" has a control character; give a file name such as hello`]
  ])('%j', (value, detail) => {
    expect(inputError({ 'binary-name': value }).message).toBe(`binary-name: ${detail}${binaryUse}`)
    expect(inputError({ image: 'ghcr.io/octo/hello', 'image-binary': value }).message).toBe(
      `image-binary: ${detail}${imageUse}`
    )
  })

  test('the exact message for a path', () => {
    expect(inputError({ 'binary-name': '../evil' }).message).toBe(
      `binary-name: "../evil" is a path; give a file name such as hello (it becomes hello or hello.exe in each target's folder)`
    )
  })

  test('longer than 255 bytes', () => {
    expect(inputError({ 'binary-name': 'x'.repeat(256) }).message).toBe(
      'binary-name: is 256 bytes long; a file name is at most 255 bytes'
    )
    expect(inputError({ 'image-binary': 'é'.repeat(128) }).message).toBe(
      'image-binary: is 256 bytes long; a file name is at most 255 bytes'
    )
  })

  test.each(['hello', 'my-tool', 'hello.v2', 'a..b', '...', 'x'.repeat(255), 'héllo'])(
    '%j is a file name',
    value => {
      expect(run({ 'binary-name': value }).build.binaryName).toBe(value)
      expect(run({ 'image-binary': ` ${value} ` }).image.binary).toBe(value)
    }
  )

  test('empty means the default', () => {
    expect(run({ 'binary-name': '  ' }).build.binaryName).toBe('')
    expect(run({}).image.binary).toBe('')
  })
})

describe('one value per single-value input', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
  })

  const LISTS = [
    'targets',
    'main',
    'build-tags',
    'image-tags',
    'test-args',
    'ldflags',
    'check-platforms',
    'staticcheck-checks'
  ]
  const SECRETS = ['github-token', 'registry-password']

  async function declaredInputs(): Promise<string[]> {
    const yml = await readFile(path.join(import.meta.dirname, '..', 'action.yml'), 'utf8')
    const block = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'))
    return [...block.matchAll(/^ {2}([a-z-]+):$/gm)].map(m => m[1] as string)
  }

  test('every input of action.yml but the lists refuses a line break', async () => {
    const names = await declaredInputs()
    expect(names).toEqual(
      expect.arrayContaining([...LISTS, ...SECRETS, 'go-version', 'output-dir'])
    )
    const single = names.filter(n => !LISTS.includes(n))
    expect(single.length).toBeGreaterThan(25)
    for (const name of single) {
      for (const value of ['a\nb', 'a\r\nb', 'x\rz', 'one\u2028two']) {
        const error = inputError({ [name]: `  ${value}  ` })
        expect(error.message).toBe(`${name}: has a line break; it takes one value`)
      }
    }
  })

  test('go-version "1.26\\n1.25" is not taken for a range', () => {
    expect(inputError({ 'go-version': '1.26\n1.25' }).message).toBe(
      'go-version: has a line break; it takes one value'
    )
  })

  test('a trailing line break (a YAML block) is trimmed, as before', () => {
    const config = run({ 'go-version': '1.26.8\n', 'output-dir': 'out\n', 'binary-name': 'hi\n' })
    expect(config.go.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(config.build.binaryName).toBe('hi')
  })

  test('a secret with a line break is refused, masked line by line, and never echoed', () => {
    for (const name of SECRETS) {
      stdout.length = 0
      const error = inputError({ [name]: 'ghs_first\nsecond_part' })
      expect(error.message).toBe(`${name}: has a line break; it takes one value`)
      const masks = stdout.filter(l => l.startsWith('::add-mask::')).map(l => l.trim())
      expect(masks).toEqual(
        expect.arrayContaining(['::add-mask::ghs_first', '::add-mask::second_part'])
      )
      expect(stdout.filter(l => !l.startsWith('::add-mask::'))).toEqual([])
    }
  })

  test('the lists take line breaks', () => {
    const config = run({
      targets: 'linux/amd64\nlinux/arm64',
      main: '.\n./cmd/x',
      'build-tags': 'a\nb',
      'image-tags': 'v1\r\nv2',
      image: 'ghcr.io/octo/hello',
      'test-args': '-v\n-count=1',
      ldflags: '-s\n-w\n-X main.version={{.Version}}\n'
    })
    expect(config.build.targets).toEqual(['linux/amd64', 'linux/arm64'])
    expect(config.build.main).toEqual(['.', './cmd/x'])
    expect(config.build.buildTags).toEqual(['a', 'b'])
    expect(config.image.tags).toEqual(['v1', 'v2'])
    expect(config.checks.testArgs).toEqual(['-v', '-count=1'])
    expect(config.build.ldflags).toBe('-s\n-w\n-X main.version={{.Version}}')
  })
})

describe('ldflags are checked as go tool link reads them', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
  })

  test.each([
    [
      '-X main.version',
      'ldflags: -X "main.version" has no =value; write -X main.version={{.Version}}'
    ],
    ['-s -foo', 'ldflags: unknown linker flag -foo (go tool link does not accept it)'],
    [
      '-s -buildid=x',
      'ldflags: -buildid is set by the action (-buildid= makes builds reproducible); remove it'
    ],
    [
      '-X main.v={{.Versoin}}',
      /^ldflags: template: -X main\.v=\{\{\.Versoin\}\}: at 1:13: unknown field \.Versoin/
    ]
  ])('%j', (ldflags, message) => {
    const error = inputError({ ldflags })
    if (typeof message === 'string') expect(error.message).toBe(message)
    else expect(error.message).toMatch(message)
  })

  test('the template is kept as given', () => {
    expect(run({ ldflags: ` -s -X 'main.msg=built {{ .Date }}' ` }).build.ldflags).toBe(
      `-s -X 'main.msg=built {{ .Date }}'`
    )
  })
})

describe('github-token is needed when the run will release', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
  })

  const onRunner = (ref: string): void => {
    ctx = { ...ctx, local: false, ref }
  }
  const message =
    'github-token: is empty, and v1.2.3 is to be released: pass a token with contents: write (or set release: false)'

  test.each([
    ['release auto, mode all', {}],
    ['release true', { release: 'true' }],
    ['mode publish', { mode: 'publish' }],
    ['a token of spaces', { 'github-token': '   ' }]
  ])('%s on v1.2.3, no token: refused', (_, values: Record<string, string>) => {
    onRunner('refs/tags/v1.2.3')
    expect(inputError(values).message).toBe(message)
  })

  test('the tag is named as it is', () => {
    onRunner('refs/tags/2.0.0-rc.1')
    expect(inputError({}).message).toBe(
      'github-token: is empty, and 2.0.0-rc.1 is to be released: pass a token with contents: write (or set release: false)'
    )
  })

  test.each([
    ['a token', 'refs/tags/v1.2.3', { 'github-token': 'ghs_x' }, false],
    ['release: false', 'refs/tags/v1.2.3', { release: 'false' }, false],
    ['mode: build (a matrix leg)', 'refs/tags/v1.2.3', { mode: 'build' }, false],
    ['a local run', 'refs/tags/v1.2.3', {}, true],
    ['a branch', 'refs/heads/main', {}, false],
    ['a tag that is not SemVer', 'refs/tags/nightly', {}, false]
  ])('%s: accepted', (_, ref, values: Record<string, string>, local) => {
    ctx = { ...ctx, local, ref }
    expect(() => run(values)).not.toThrow()
  })
})

describe('output-dir', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
    await mkdir(path.join(ctx.workspace, 'sub'))
  })

  test.each([
    [{}, 'dist', 'dist'],
    [{ 'output-dir': ' out ' }, 'out', 'out'],
    [{ 'output-dir': '../up', 'working-directory': 'sub', 'go-version': '1.26' }, '../up', 'up'],
    [
      { 'output-dir': 'build/x', 'working-directory': 'sub', 'go-version': '1.26' },
      'build/x',
      'sub/build/x'
    ]
  ])('%j', (values: Record<string, string>, given, rel) => {
    const config = run(values)
    expect(config.build.outputDirInput).toBe(given)
    expect(config.build.outputDir).toBe(path.join(ctx.workspace, rel))
  })
})

describe('values are quoted short, on one line', () => {
  beforeEach(async () => {
    await put('go.mod', 'module example.com/hello\n\ngo 1.26\n')
  })

  const LONG = 'a'.repeat(10 * 1024)
  test.each([
    ['go-version', { 'go-version': LONG }],
    ['cache', { cache: LONG }],
    ['mode', { mode: LONG }],
    ['staticcheck-version', { 'staticcheck-version': LONG }],
    ['go-download-base-url', { 'go-download-base-url': LONG }],
    ['targets', { targets: `linux/amd64 ${LONG}` }],
    ['image-tags', { 'image-tags': `${LONG}!` }]
  ])('%s', (input, values: Record<string, string>) => {
    const error = inputError(values)
    expect(error.input).toBe(input)
    expect(error.message).toContain(`"${'a'.repeat(99)}…"`)
    expect(error.message.length).toBeLessThan(400)
  })

  test('README examples are unchanged', () => {
    expect(inputError({ 'go-version': '1.26.8.1' }).message).toBe(
      'go-version: "1.26.8.1" is not a Go version or range (for example 1.26.8, 1.26, ^1.25, ">=1.24 <1.26", stable, oldstable)'
    )
    expect(inputError({ cache: 'yes' }).message).toBe('cache: "yes" is not true or false')
    expect(inputError({ image: 'ghcr.io/octo/hello:1' }).message).toBe(
      'image: "ghcr.io/octo/hello:1" names a tag or digest; give the repository alone and the tags in image-tags'
    )
  })

  test('control characters are not echoed', () => {
    expect(inputError({ 'go-version': '1.26\u001b[2J' }).message).toMatch(
      /^go-version: "1\.26�\[2J" is not a Go version/
    )
  })
})
