import * as core from '@actions/core'
import path from 'node:path'
import type { RunContext } from './context.js'
import { InputError } from './errors.js'
import { type GoVersionSpec, parseVersionSpec } from './toolchain/go-version.js'
import { parseVersionFile } from './toolchain/version-file.js'
import { DEFAULT_LDFLAGS } from './build/ldflags.js'
import { findGolangciConfig, type GolangciConfigFile } from './checks/golangci/config-file.js'
import { parseGolangciLintVersion } from './checks/golangci/install.js'
import { parseVulnDb } from './checks/vulncheck/db.js'
import { DEFAULT_TARGETS, splitTargets } from './build/targets.js'
import { type ImageReference, parseReference } from './image/registry/reference.js'
import { parseVersionInput, semverTag } from './plan/version.js'
import { checkLdflagsTemplate } from './ship/check-templates.js'
import { readShip } from './ship/read-ship.js'
import type { ShipSpec } from './ship/spec.js'
import { excerpt, lookupInWorkspace, readSmallFile, resolveInWorkspace } from './workspace/paths.js'

export type Mode = 'all' | 'build' | 'publish'
export type Auto<T extends string> = 'auto' | T

export interface GoConfig {
  spec: GoVersionSpec
  /** Where the spec came from, for the log and errors. */
  specSource: string
  downloadBaseUrl: string
  downloadSource: 'dl' | 'proxy'
  checkLatest: boolean
}

export interface CacheConfig {
  enabled: boolean
  save: boolean
}

/** What a check's findings do: fail the checks (true), only warn (warn), or the check is off. */
export type Severity = 'error' | 'warning' | 'off'

export interface ChecksConfig {
  vet: Severity
  /** staticcheck, or golangci-lint when the module has its configuration. */
  staticcheck: Severity
  staticcheckVersion: string
  /** staticcheck-checks: passed as -checks; empty: staticcheck.conf or staticcheck's defaults. */
  staticcheckChecks: string
  golangciLintVersion: string
  /** The project's golangci-lint configuration, found as golangci-lint finds it (staticcheck on). */
  golangci?: GolangciConfigFile
  test: Severity
  race: boolean
  testArgs: string[]
  vulncheck: Severity
  /** The vulnerability database: https://…, http:// on loopback, or file:///dir. */
  vulncheckDb: string
  /** check-platforms: GOOS/GOARCH[/variant] to analyse instead of the targets; empty: the targets. */
  platforms: string[]
}

export interface BuildConfig {
  /** Empty when `targets: none`. Entries are validated against the chosen Go by the build stage. */
  targets: string[]
  /** Main packages: paths, directories or patterns such as ./cmd/... */
  main: string[]
  cgo: boolean
  binaryName: string
  ldflags: string
  buildTags: string[]
  /** Absolute: working-directory joined with output-dir. */
  outputDir: string
  /** output-dir as given (trimmed; dist, action.yml's default, when not given), for messages. */
  outputDirInput: string
}

export interface ImageConfig {
  /** registry/repository, lowercased, as given in image; empty: no image stage. */
  name: string
  /** image parsed; undefined when there is no image stage. */
  repository?: ImageReference
  /** With several binaries, the one at /app; empty: the first by name. */
  binary: string
  /** base-image as given, for labels and messages. */
  baseImage: string
  base: ImageReference
  /** auto: as docker/metadata-action; otherwise the tags as given, each checked. */
  tags: 'auto' | string[]
  push: Auto<'true' | 'false'>
  registryUsername: string
  registryPassword: string
  /** Plain http to a registry that is not on loopback. */
  insecure: boolean
  /** Absolute path of the Dockerfile; empty: the image is built natively. */
  dockerfile: string
}

export interface ReleaseConfig {
  release: Auto<'true' | 'false'>
  /** release-notes: a file whose text is the body (absolute), or generate (GitHub's notes). */
  notes: { kind: 'generate' } | { kind: 'file'; file: string; name: string }
  draft: boolean
  prerelease: Auto<'true' | 'false'>
  makeLatest: Auto<'true' | 'false' | 'legacy'>
  overwrite: boolean
  githubToken: string
}

export interface Config {
  workingDirectory: string
  mode: Mode
  go: GoConfig
  cache: CacheConfig
  checks: ChecksConfig
  build: BuildConfig
  image: ImageConfig
  release: ReleaseConfig
  /** What ships: from the GoReleaser file, or the inputs. */
  ship: ShipSpec
  /** The version input: it overrides GITHUB_REF and git's tags. */
  version?: { version: string; tag: string }
  /** Things worth telling the user that are not errors (both go-version and go-version-file given). */
  warnings: string[]
}

/** Reads one input as the runner passes it; only this module reads inputs. */
export type InputReader = (name: string) => string

const defaultReader: InputReader = name => core.getInput(name)

/**
 * The inputs that hold lists (or, for ldflags, linker flags that YAML may fold over lines): a line
 * break in them separates values. Every other input takes one value.
 */
const MULTI_VALUE_INPUTS: ReadonlySet<string> = new Set([
  'targets',
  'main',
  'build-tags',
  'image-tags',
  'test-args',
  'ldflags',
  'check-platforms',
  'staticcheck-checks'
])
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/
const lineBreakError = (name: string): InputError =>
  new InputError(name, 'has a line break; it takes one value')

/** A reader that refuses a line break inside a single-value input (after trimming). */
function oneValuePerInput(read: InputReader): InputReader {
  return name => {
    const value = read(name)
    if (!MULTI_VALUE_INPUTS.has(name) && LINE_BREAK.test(value.trim())) throw lineBreakError(name)
    return value
  }
}

/** An input's value quoted in a message: one line, at most 100 characters (see excerpt). */
const quote = (value: string): string => `"${excerpt(value, 100)}"`

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function bool(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim()
  if (value === '') return fallback
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw new InputError(name, `${quote(value)} is not true or false`)
}

/** true, false or warn: whether a check runs, and whether its findings fail the run. */
function severity(read: InputReader, name: string): Severity {
  const value = read(name).trim()
  if (value === '' || TRUE.includes(value)) return 'error'
  if (FALSE.includes(value)) return 'off'
  if (value.toLowerCase() === 'warn') return 'warning'
  throw new InputError(name, `${quote(value)} is not true, false or warn`)
}

function oneOf<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
  fallback: T
): T {
  const given = read(name).trim()
  const value = given.toLowerCase()
  if (value === '') return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(name, `${quote(given)} is not one of ${allowed.join(', ')}`)
}

function text(read: InputReader, name: string, fallback = ''): string {
  return read(name).trim() || fallback
}

/** A secret: masked before anything else looks at it, and never quoted in a message. */
function secret(read: InputReader, name: string): string {
  const value = read(name).trim()
  if (!value) return value
  core.setSecret(value)
  if (LINE_BREAK.test(value)) {
    // Each line too, in case one of them is printed on its own.
    for (const line of value.split(LINE_BREAK)) if (line.trim()) core.setSecret(line.trim())
    throw lineBreakError(name)
  }
  return value
}

/** Splits a list written with spaces, commas or newlines. */
export function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}

/**
 * Splits arguments as a shell does for plain quoting: -run 'Test A' → ['-run', 'Test A'],
 * -run='^TestA$' → ['-run=^TestA$'], and a quote inside the other kind is plain text.
 */
export function splitArgs(value: string, name = 'test-args'): string[] {
  const args: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (const char of value) {
    if (quote) {
      if (char === quote) quote = undefined
      else current += char
    } else if (char === '"' || char === "'") {
      quote = char
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
    } else {
      current += char
      inWord = true
    }
  }
  if (quote) throw new InputError(name, `has an unclosed quote (${quote})`)
  if (inWord) args.push(current)
  return args
}

/** The pinned release staticcheck is built from unless staticcheck-version says otherwise. */
export const DEFAULT_STATICCHECK_VERSION = 'v0.8.2'

function staticcheckVersion(read: InputReader): string {
  const value = text(read, 'staticcheck-version', DEFAULT_STATICCHECK_VERSION)
  if (value === 'latest' || /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(value)) return value
  throw new InputError(
    'staticcheck-version',
    `${quote(value)} is not a version of honnef.co/go/tools (for example v0.8.2) or latest`
  )
}

/** staticcheck's -checks list: check codes and patterns (SA*, -ST1000, all, inherit), comma-separated. */
function staticcheckChecks(read: InputReader): string {
  const value = splitList(text(read, 'staticcheck-checks')).join(',')
  if (value && !/^-?[A-Za-z0-9*]+(,-?[A-Za-z0-9*]+)*$/.test(value))
    throw new InputError(
      'staticcheck-checks',
      `${quote(value)} is not a list of staticcheck checks (for example all,-ST1000,-U1000)`
    )
  return value
}

/** check-platforms: each GOOS/GOARCH[/variant], checked against Go once it is installed. */
function checkPlatforms(read: InputReader): string[] {
  const platforms = splitList(text(read, 'check-platforms'))
  for (const spec of platforms) checkTargetShape('check-platforms', spec)
  return platforms
}

function checkTargetShape(input: string, spec: string): void {
  // The shape now; whether this Go builds for it is checked once Go is installed.
  if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9.]+)?$/.test(spec)) {
    throw new InputError(
      input,
      `${quote(spec)} is not GOOS/GOARCH or GOOS/GOARCH/variant (for example linux/arm64 or linux/arm/v7)`
    )
  }
}

/** A directory inside the workspace (symlinks followed), relative to the workspace. */
function workingDirectory(read: InputReader, ctx: RunContext): string {
  const given = text(read, 'working-directory', '.')
  return resolveInWorkspace({
    workspace: ctx.workspace,
    base: ctx.workspace,
    given,
    input: 'working-directory',
    kind: 'dir'
  })
}

// Without go-version-file the module's own files say which Go it wants.
const MODULE_FILES = ['go.mod', 'go.work']

/**
 * Reads a version file found inside the workspace: small, regular, and named in messages by its
 * path relative to the workspace. format is the name as given (its base name picks the format,
 * even when the file is a symlink to another name).
 */
function versionFromFile(
  ctx: RunContext,
  file: string,
  format: string,
  input: string
): { spec: GoVersionSpec; source: string } {
  const name = path.relative(ctx.workspace, file) || file
  const parsed = parseVersionFile(format, readSmallFile(file, input, undefined, name), name)
  if (typeof parsed === 'string') throw new InputError(input, parsed)
  return parsed
}

function goConfig(
  read: InputReader,
  ctx: RunContext,
  workDir: string,
  warnings: string[]
): GoConfig {
  const versionInput = text(read, 'go-version')
  const fileInput = text(read, 'go-version-file')
  let spec: GoVersionSpec
  let specSource: string
  if (versionInput) {
    const parsed = parseVersionSpec(versionInput)
    if (!parsed) {
      throw new InputError(
        'go-version',
        `${quote(versionInput)} is not a Go version or range (for example 1.26.8, 1.26, ^1.25, ">=1.24 <1.26", stable, oldstable)`
      )
    }
    if (fileInput)
      warnings.push(
        `Both go-version and go-version-file are set; go-version (${versionInput}) wins.`
      )
    spec = parsed
    specSource = `go-version input (${versionInput})`
  } else if (fileInput) {
    // Relative to the module first (where users think), then to the repository root (as setup-go does).
    const file = resolveInWorkspace({
      workspace: ctx.workspace,
      base: [workDir, ctx.workspace],
      given: fileInput,
      input: 'go-version-file',
      kind: 'file'
    })
    ;({ spec, source: specSource } = versionFromFile(ctx, file, fileInput, 'go-version-file'))
  } else {
    // The user set neither input, so an unreadable go.mod is reported against go-version.
    let found: { file: string; name: string } | undefined
    for (const name of MODULE_FILES) {
      const file = lookupInWorkspace({
        workspace: ctx.workspace,
        base: workDir,
        given: name,
        input: 'go-version',
        kind: 'file'
      })
      if (file) {
        found = { file, name }
        break
      }
    }
    if (!found) {
      throw new InputError(
        'go-version',
        `not set, and working-directory has no go.mod or go.work to read it from (looked in ${workDir})`
      )
    }
    ;({ spec, source: specSource } = versionFromFile(ctx, found.file, found.name, 'go-version'))
  }

  const baseUrl = text(read, 'go-download-base-url', 'https://go.dev/dl').replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new InputError('go-download-base-url', `${quote(baseUrl)} is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('go-download-base-url', `${quote(baseUrl)} must be an http or https URL`)
  }
  return {
    spec,
    specSource,
    downloadBaseUrl: baseUrl,
    downloadSource: oneOf(read, 'go-download-source', ['dl', 'proxy'] as const, 'dl'),
    checkLatest: bool(read, 'check-latest', false)
  }
}

/** Why a name must be a file name, after "give a file name such as hello". */
const FILE_NAME_USE: Record<string, string> = {
  'binary-name': " (it becomes hello or hello.exe in each target's folder)",
  'image-binary': ' (the name of one of the binaries built)'
}

/** binary-name and image-binary: one file name, never a path; empty means the default. */
function fileName(read: InputReader, name: string): string {
  const value = text(read, name)
  if (value === '') return value
  const shown = `"${excerpt(value, 60)}"`
  const use = FILE_NAME_USE[name] ?? ''
  if (/\p{Cc}/u.test(value))
    throw new InputError(
      name,
      `${shown} has a control character; give a file name such as hello${use}`
    )
  if (value.includes('/') || value.includes('\\') || value === '.' || value === '..')
    throw new InputError(name, `${shown} is a path; give a file name such as hello${use}`)
  if (value.startsWith('-'))
    throw new InputError(
      name,
      `${shown} starts with -, which commands would take for a flag; give a file name such as hello${use}`
    )
  const bytes = Buffer.byteLength(value)
  if (bytes > 255)
    throw new InputError(name, `is ${bytes} bytes long; a file name is at most 255 bytes`)
  return value
}

export const DEFAULT_BASE_IMAGE = 'gcr.io/distroless/static:nonroot'
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/

function imageTags(read: InputReader): 'auto' | string[] {
  const given = text(read, 'image-tags', 'auto')
  if (given.toLowerCase() === 'auto') return 'auto'
  const tags = splitList(given)
  for (const tag of tags) {
    if (!TAG.test(tag))
      throw new InputError(
        'image-tags',
        `${quote(tag)} is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`
      )
  }
  if (tags.length === 0) throw new InputError('image-tags', 'lists no tag; use auto or name some')
  return [...new Set(tags)]
}

function imageConfig(
  read: InputReader,
  ctx: RunContext,
  workDir: string,
  targets: readonly string[],
  registryPassword: string,
  mode: Mode
): ImageConfig {
  // Repository names must be lowercase; docker/metadata-action lowercases them too.
  const name = text(read, 'image').toLowerCase()
  const repository = name ? parseReference(name, 'image') : undefined
  if (repository && (repository.tag || repository.digest)) {
    throw new InputError(
      'image',
      `${quote(name)} names a tag or digest; give the repository alone and the tags in image-tags`
    )
  }
  // A matrix leg (mode: build) of a darwin or windows target has no platform to add: other legs do.
  if (repository && mode === 'all' && !targets.some(t => t.startsWith('linux/'))) {
    throw new InputError(
      'image',
      `needs a linux target to put in the image, and targets has none (${targets.join(' ') || 'none'})`
    )
  }
  const baseImage = text(read, 'base-image', DEFAULT_BASE_IMAGE)
  const dockerfileInput = text(read, 'dockerfile')
  let dockerfile = ''
  if (dockerfileInput) {
    if (!repository) throw new InputError('dockerfile', 'needs image: the repository to push to')
    dockerfile = resolveInWorkspace({
      workspace: ctx.workspace,
      base: workDir,
      given: dockerfileInput,
      input: 'dockerfile',
      kind: 'file'
    })
  }
  const registryUsername = text(read, 'registry-username')
  if (registryUsername && !registryPassword)
    throw new InputError('registry-password', 'is empty, but registry-username is set')
  if (registryPassword && !registryUsername)
    throw new InputError('registry-username', 'is empty, but registry-password is set')
  return {
    name,
    repository,
    binary: fileName(read, 'image-binary'),
    baseImage,
    base: parseReference(baseImage === 'scratch' ? 'scratch:latest' : baseImage, 'base-image'),
    tags: imageTags(read),
    push: oneOf(read, 'push', ['auto', 'true', 'false'] as const, 'auto'),
    registryUsername,
    registryPassword,
    insecure: bool(read, 'registry-insecure', false),
    dockerfile
  }
}

/** release-notes: generate (the default), or a file in the workspace whose text is the body. */
function releaseNotes(read: InputReader, ctx: RunContext, workDir: string): ReleaseConfig['notes'] {
  const given = text(read, 'release-notes', 'generate')
  if (given === 'generate') return { kind: 'generate' }
  const file = resolveInWorkspace({
    workspace: ctx.workspace,
    base: workDir,
    given,
    input: 'release-notes',
    kind: 'file'
  })
  // Read now: a missing or oversized file fails before anything is built.
  readSmallFile(file, 'release-notes', NOTES_MAX_BYTES, given)
  return { kind: 'file', file, name: given }
}

/**
 * The GoReleaser file's release settings, where the inputs are left at their defaults: disable,
 * draft, prerelease (GoReleaser's default is false; auto follows the version) and make_latest.
 */
function applyFileRelease(release: ReleaseConfig, ship: ShipSpec, read: InputReader): void {
  if (ship.source === 'inputs') return
  const file = ship.release
  const given = (name: string): boolean => read(name).trim() !== ''
  if (file.disable) {
    if (given('release') && release.release === 'true')
      throw new InputError('release', `is true, and ${ship.source} says release.disable: true`)
    release.release = 'false'
  }
  if (file.draft && !release.draft) release.draft = true
  if (file.prerelease !== undefined && release.prerelease === 'auto')
    release.prerelease = file.prerelease === 'auto' ? 'auto' : file.prerelease ? 'true' : 'false'
  if (file.makeLatest !== undefined && release.makeLatest === 'auto')
    release.makeLatest = file.makeLatest === 'auto' ? 'auto' : file.makeLatest ? 'true' : 'false'
}

/** GitHub refuses release bodies over 125,000 characters. */
const NOTES_MAX_BYTES = 125_000

function versionInput(read: InputReader): Config['version'] {
  return parseVersionInput(text(read, 'version'))
}

/** Reads and validates every input; nothing is downloaded, built or pushed before this returns. */
export function readConfig(ctx: RunContext, rawRead: InputReader = defaultReader): Config {
  const warnings: string[] = []
  // Secrets first, so that no later error message can echo them.
  const registryPassword = secret(rawRead, 'registry-password')
  const githubToken = secret(rawRead, 'github-token')
  const read = oneValuePerInput(rawRead)

  const mode = oneOf(read, 'mode', ['all', 'build', 'publish'] as const, 'all')
  const workDir = workingDirectory(read, ctx)
  const targetsInput = text(read, 'targets', DEFAULT_TARGETS.join(' '))
  const targets = splitTargets(targetsInput)
  for (const spec of targets) checkTargetShape('targets', spec)
  const ldflags = text(read, 'ldflags', DEFAULT_LDFLAGS)
  checkLdflagsTemplate(ldflags)
  // As the runner passes it: action.yml's default is dist.
  const outputDirInput = text(read, 'output-dir', 'dist')
  const lint = severity(read, 'staticcheck')
  const config: Config = {
    workingDirectory: workDir,
    mode,
    go: goConfig(read, ctx, workDir, warnings),
    cache: { enabled: bool(read, 'cache', true), save: bool(read, 'cache-save', true) },
    checks: {
      vet: severity(read, 'vet'),
      staticcheck: lint,
      staticcheckVersion: staticcheckVersion(read),
      staticcheckChecks: staticcheckChecks(read),
      golangciLintVersion: parseGolangciLintVersion(text(read, 'golangci-lint-version')),
      // Found now, before anything is downloaded: a version 1 file is refused with the command
      // that migrates it.
      golangci:
        lint !== 'off' && mode !== 'publish'
          ? findGolangciConfig(workDir, ctx.workspace)
          : undefined,
      test: severity(read, 'test'),
      race: bool(read, 'race', true),
      testArgs: splitArgs(text(read, 'test-args')),
      vulncheck: severity(read, 'vulncheck'),
      vulncheckDb: parseVulnDb(text(read, 'vulncheck-db'), ctx.workspace),
      platforms: checkPlatforms(read)
    },
    build: {
      targets,
      main: splitList(text(read, 'main', '.')),
      binaryName: fileName(read, 'binary-name'),
      ldflags,
      cgo: bool(read, 'cgo', false),
      buildTags: splitList(text(read, 'build-tags')),
      outputDir: path.resolve(workDir, outputDirInput),
      outputDirInput
    },
    image: imageConfig(read, ctx, workDir, targets, registryPassword, mode),
    release: {
      release: oneOf(read, 'release', ['auto', 'true', 'false'] as const, 'auto'),
      notes: releaseNotes(read, ctx, workDir),
      draft: bool(read, 'draft', false),
      prerelease: oneOf(read, 'prerelease', ['auto', 'true', 'false'] as const, 'auto'),
      makeLatest: oneOf(read, 'make-latest', ['auto', 'true', 'false', 'legacy'] as const, 'auto'),
      overwrite: bool(read, 'overwrite', false),
      githubToken
    },
    ship: readShip(read, ctx, workDir, warnings, mode),
    version: versionInput(read),
    warnings
  }
  applyFileRelease(config.release, config.ship, read)
  // The release stage needs the token; found now, before Go is downloaded. A matrix leg and a
  // local run publish nothing.
  const tagged = semverTag(ctx.ref)
  if (
    config.release.release !== 'false' &&
    tagged &&
    !config.ship.release.disable &&
    mode !== 'build' &&
    !ctx.local &&
    !githubToken
  )
    throw new InputError(
      'github-token',
      `is empty, and ${tagged.tag} is to be released: pass a token with contents: write (or set release: false)`
    )
  return Object.freeze(config)
}
