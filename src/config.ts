import * as core from '@actions/core'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { RunContext } from './context.js'
import { InputError } from './errors.js'
import { type GoVersionSpec, parseVersionSpec } from './toolchain/go-version.js'
import { parseVersionFile } from './toolchain/version-file.js'
import { DEFAULT_LDFLAGS, validateTemplate } from './build/ldflags.js'
import { DEFAULT_TARGETS, splitTargets } from './build/targets.js'
import { type ImageReference, parseReference } from './image/registry/reference.js'
import { semverTag } from './plan/version.js'

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

export interface ChecksConfig {
  vet: boolean
  staticcheck: boolean
  staticcheckVersion: string
  test: boolean
  race: boolean
  testArgs: string[]
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
  outputDir: string
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
  /** Things worth telling the user that are not errors (both go-version and go-version-file given). */
  warnings: string[]
}

/** Reads one input as the runner passes it; only this module reads inputs. */
export type InputReader = (name: string) => string

const defaultReader: InputReader = name => core.getInput(name)

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function bool(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim()
  if (value === '') return fallback
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw new InputError(name, `"${value}" is not true or false`)
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
  throw new InputError(name, `"${given}" is not one of ${allowed.join(', ')}`)
}

function text(read: InputReader, name: string, fallback = ''): string {
  return read(name).trim() || fallback
}

function secret(read: InputReader, name: string): string {
  const value = read(name).trim()
  if (value) core.setSecret(value)
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
    `"${value}" is not a version of honnef.co/go/tools (for example v0.8.2) or latest`
  )
}

function workingDirectory(read: InputReader, ctx: RunContext): string {
  const given = text(read, 'working-directory', '.')
  const dir = path.resolve(ctx.workspace, given)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError('working-directory', `"${given}" is not a directory (looked for ${dir})`)
  }
  return dir
}

// Without go-version-file the module's own files say which Go it wants.
const MODULE_FILES = ['go.mod', 'go.work']

function versionFromFile(file: string, input: string): { spec: GoVersionSpec; source: string } {
  const parsed = parseVersionFile(file, readFileSync(file, 'utf8'))
  if (typeof parsed === 'string') throw new InputError(input, `${file}: ${parsed}`)
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
        `"${versionInput}" is not a Go version or range (for example 1.26.8, 1.26, ^1.25, ">=1.24 <1.26", stable, oldstable)`
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
    const candidates = [path.resolve(workDir, fileInput), path.resolve(ctx.workspace, fileInput)]
    const file = candidates.find(f => existsSync(f))
    if (!file)
      throw new InputError(
        'go-version-file',
        `"${fileInput}" does not exist (looked for ${candidates[0]})`
      )
    ;({ spec, source: specSource } = versionFromFile(file, 'go-version-file'))
  } else {
    const file = MODULE_FILES.map(name => path.join(workDir, name)).find(f => existsSync(f))
    if (!file) {
      throw new InputError(
        'go-version',
        `not set, and working-directory has no go.mod or go.work to read it from (looked in ${workDir})`
      )
    }
    // The user set neither input, so an unreadable go.mod is reported against go-version.
    ;({ spec, source: specSource } = versionFromFile(file, 'go-version'))
  }

  const baseUrl = text(read, 'go-download-base-url', 'https://go.dev/dl').replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new InputError('go-download-base-url', `"${baseUrl}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError('go-download-base-url', `"${baseUrl}" must be an http or https URL`)
  }
  return {
    spec,
    specSource,
    downloadBaseUrl: baseUrl,
    downloadSource: oneOf(read, 'go-download-source', ['dl', 'proxy'] as const, 'dl'),
    checkLatest: bool(read, 'check-latest', false)
  }
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
        `"${tag}" is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`
      )
  }
  if (tags.length === 0) throw new InputError('image-tags', 'lists no tag; use auto or name some')
  return [...new Set(tags)]
}

function imageConfig(
  read: InputReader,
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
      `"${name}" names a tag or digest; give the repository alone and the tags in image-tags`
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
    dockerfile = path.resolve(workDir, dockerfileInput)
    if (!existsSync(dockerfile) || !statSync(dockerfile).isFile())
      throw new InputError(
        'dockerfile',
        `"${dockerfileInput}" is not a file (looked for ${dockerfile})`
      )
  }
  const registryUsername = text(read, 'registry-username')
  if (registryUsername && !registryPassword)
    throw new InputError('registry-password', 'is empty, but registry-username is set')
  if (registryPassword && !registryUsername)
    throw new InputError('registry-username', 'is empty, but registry-password is set')
  return {
    name,
    repository,
    binary: text(read, 'image-binary'),
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

/** Reads and validates every input; nothing is downloaded, built or pushed before this returns. */
export function readConfig(ctx: RunContext, read: InputReader = defaultReader): Config {
  const warnings: string[] = []
  // Secrets first, so that no later error message can echo them.
  const registryPassword = secret(read, 'registry-password')
  const githubToken = secret(read, 'github-token')

  const mode = oneOf(read, 'mode', ['all', 'build', 'publish'] as const, 'all')
  const workDir = workingDirectory(read, ctx)
  const targets = splitTargets(text(read, 'targets', DEFAULT_TARGETS.join(' ')))
  for (const spec of targets) {
    // The shape now; whether this Go builds for it is checked once Go is installed.
    if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9.]+)?$/.test(spec)) {
      throw new InputError(
        'targets',
        `"${spec}" is not GOOS/GOARCH or GOOS/GOARCH/variant (for example linux/arm64 or linux/arm/v7)`
      )
    }
  }
  const ldflags = text(read, 'ldflags', DEFAULT_LDFLAGS)
  validateTemplate(ldflags)
  const config: Config = {
    workingDirectory: workDir,
    mode,
    go: goConfig(read, ctx, workDir, warnings),
    cache: { enabled: bool(read, 'cache', true), save: bool(read, 'cache-save', true) },
    checks: {
      vet: bool(read, 'vet', true),
      staticcheck: bool(read, 'staticcheck', true),
      staticcheckVersion: staticcheckVersion(read),
      test: bool(read, 'test', true),
      race: bool(read, 'race', true),
      testArgs: splitArgs(text(read, 'test-args'))
    },
    build: {
      targets,
      main: splitList(text(read, 'main', '.')),
      binaryName: text(read, 'binary-name'),
      ldflags,
      cgo: bool(read, 'cgo', false),
      buildTags: splitList(text(read, 'build-tags')),
      outputDir: path.resolve(workDir, text(read, 'output-dir', 'dist'))
    },
    image: imageConfig(read, workDir, targets, registryPassword, mode),
    release: {
      release: oneOf(read, 'release', ['auto', 'true', 'false'] as const, 'auto'),
      draft: bool(read, 'draft', false),
      prerelease: oneOf(read, 'prerelease', ['auto', 'true', 'false'] as const, 'auto'),
      makeLatest: oneOf(read, 'make-latest', ['auto', 'true', 'false', 'legacy'] as const, 'auto'),
      overwrite: bool(read, 'overwrite', false),
      githubToken
    },
    warnings
  }
  if (config.release.release === 'true' && !semverTag(ctx.ref)) {
    throw new InputError(
      'release',
      `true needs a SemVer tag (v1.2.3, v2.0.0-rc.1), and this run is for ${ctx.ref || 'no ref'}; use auto to release only on such tags`
    )
  }
  return Object.freeze(config)
}
