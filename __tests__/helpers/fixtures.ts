// Small fixtures shared by e2e tests: temp folders, Go modules written on the fly, a seeded tool cache.
import { execFileSync } from 'node:child_process'
import { cpSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { machineGo } from './go-archive.js'
import { REPO_ROOT } from './run-action.js'
import type { AnalysisConfig } from '../../src/checks/configurations.js'

/** The example module the e2e tests package, and the time its test commits are made at. */
export const HELLO = path.join(REPO_ROOT, 'examples', 'hello')
export const COMMIT_DATE = '2026-01-02T03:04:05Z'

const made: string[] = []

/** A fresh temp folder, removed by cleanupTempDirs(). */
export async function tempDir(prefix = 'gpa-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

export async function cleanupTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map(d => rm(d, { recursive: true, force: true })))
}

/** Writes files (relative path → content) under dir. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), content)
  }
  return dir
}

/** The machine's Go version without the "go" prefix, e.g. 1.26.8. */
export async function machineGoSemver(): Promise<string> {
  return (await machineGo()).version.replace(/^go/, '')
}

/**
 * A tool cache that already holds the machine's Go, the way a runner image holds its preinstalled Go:
 * for tests about what comes after the toolchain, without extracting an archive each time.
 */
export async function seededToolCache(into?: string): Promise<string> {
  const root = into ?? (await tempDir('gpa-toolcache-'))
  const { goroot } = await machineGo()
  const dir = path.join(root, 'go', await machineGoSemver(), 'x64')
  await mkdir(path.dirname(dir), { recursive: true })
  await symlink(goroot, dir)
  await writeFile(`${dir}.complete`, '')
  return root
}

/** Isolated Go caches for a run, so tests never read or fill the machine's own. */
export async function goHome(): Promise<{
  HOME: string
  GOMODCACHE: string
  GOCACHE: string
  GOPATH: string
}> {
  const home = await tempDir('gpa-home-')
  return {
    HOME: home,
    GOPATH: path.join(home, 'go'),
    GOMODCACHE: path.join(home, 'go', 'pkg', 'mod'),
    GOCACHE: path.join(home, '.cache', 'go-build')
  }
}

/**
 * Inputs that turn the checks and the build off, for tests of the toolchain and caches
 * (staticcheck takes minutes to build, six targets take a minute to compile).
 */
/** For tests of a later stage: no checks and no caches, so only that stage's work is timed and seen. */
export const NO_CHECKS = {
  vet: 'false',
  staticcheck: 'false',
  test: 'false',
  cache: 'false'
} as const

export const TOOLCHAIN_ONLY = {
  vet: 'false',
  staticcheck: 'false',
  test: 'false',
  targets: 'none'
} as const

/** git's environment for commits by a fixed author at a fixed time: the same tree, the same commit. */
export function gitEnv(commitDate = COMMIT_DATE): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Gopher',
    GIT_AUTHOR_EMAIL: 'gopher@example.com',
    GIT_COMMITTER_NAME: 'Gopher',
    GIT_COMMITTER_EMAIL: 'gopher@example.com',
    GIT_AUTHOR_DATE: commitDate,
    GIT_COMMITTER_DATE: commitDate
  }
}

/**
 * A git checkout of a module, committed at a fixed time by a fixed author, as actions/checkout
 * would leave it: the same source and date give the same commit, wherever it is checked out.
 */
export async function gitCheckout(
  source: string,
  commitDate: string
): Promise<{ dir: string; sha: string }> {
  const dir = await tempDir('gpa-checkout-')
  cpSync(source, dir, { recursive: true, filter: src => !src.includes(`${path.sep}dist`) })
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      env: gitEnv(commitDate)
    })
      .toString()
      .trim()
  git('init', '-q')
  git('add', '.')
  git('commit', '-q', '-m', 'release')
  return { dir, sha: git('rev-parse', 'HEAD') }
}

/** An analysis configuration for one platform, as planAnalysis makes them (cgo off). */
export function analysisConfig(goos: string, goarch: string, tags: string[] = []): AnalysisConfig {
  return {
    id: [`${goos}-${goarch}`, ...tags].join('-'),
    platforms: [`${goos}/${goarch}`],
    goos,
    goarch,
    tags,
    cgo: false,
    env: { GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' }
  }
}
