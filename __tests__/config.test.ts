import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { existsSync } from 'node:fs'
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
      vet: true,
      staticcheck: true,
      staticcheckVersion: 'v0.8.2',
      test: true,
      race: true
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
    c('ldflags', { ldflags: '-X main.v={{.Nope}}' }, 'ldflags', /unknown template field/),
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
      /is not a file/
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
    ),
    c(
      'release: true off a tag',
      { release: 'true' },
      'release',
      /true needs a SemVer tag .* refs\/heads\/main/
    )
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
      vet: false,
      staticcheck: true,
      test: true
    })
    expect(run({ staticcheck: 'false' }).checks).toMatchObject({ vet: true, staticcheck: false })
    expect(run({ test: 'false' }).checks).toMatchObject({ test: false, race: true })
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
