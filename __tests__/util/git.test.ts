// Real git repositories in temp dirs: no mocks.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  gitBranch,
  gitCommit,
  gitIsShallow,
  gitPreviousTag,
  gitShortCommit,
  gitTagsAt
} from '../../src/util/git.js'

const saved = { ...process.env }
const dirs: string[] = []
let repo: string
let first: string
let second: string
let third: string

function tmp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gpa-git-'))
  dirs.push(dir)
  return dir
}

// env is passed on each call: jest's process.env is the test file's own copy, which a child does
// not inherit (on a machine without a git identity, git tag -a then fails).
function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: process.env }).toString().trim()
}

function commit(dir: string, message: string, date: string): string {
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  })
  return git(dir, 'rev-parse', 'HEAD')
}

beforeAll(() => {
  // The machine's git configuration (versionsort.suffix, tag.sort, core.abbrev) stays out.
  process.env.GIT_CONFIG_GLOBAL = '/dev/null'
  process.env.GIT_CONFIG_NOSYSTEM = '1'
  // A temp dir is never taken for part of a repository around it.
  process.env.GIT_CEILING_DIRECTORIES = os.tmpdir()
  process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = 'Gopher'
  process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = 'gopher@example.com'
  repo = tmp()
  git(repo, 'init', '-q', '-b', 'main')
  first = commit(repo, 'one', '2026-01-01T00:00:00Z')
  git(repo, 'tag', 'v1.0.0')
  second = commit(repo, 'two', '2026-01-02T00:00:00Z')
  git(repo, 'tag', 'v1.1.0')
  git(repo, 'tag', '-a', '-m', 'annotated', 'v1.1.0-rc.1')
  git(repo, 'tag', 'deploy-prod')
  third = commit(repo, 'three', '2026-01-03T03:04:05Z')
  for (const tag of ['v1.2.0', 'v1.10.0', 'v1.10.0-rc.1', 'release-x']) git(repo, 'tag', tag)
})

afterAll(() => {
  process.env = saved
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('gitCommit', () => {
  test('the SHA and committer time', async () => {
    expect(await gitCommit(repo)).toEqual({
      sha: third,
      time: Date.UTC(2026, 0, 3, 3, 4, 5) / 1000
    })
    expect((await gitCommit(repo, first))?.sha).toBe(first)
  })

  test('undefined outside a repository or for an unknown commit', async () => {
    expect(await gitCommit(tmp())).toBeUndefined()
    expect(await gitCommit(repo, '0'.repeat(40))).toBeUndefined()
  })
})

describe('gitTagsAt', () => {
  test("git's version order, highest first: a prerelease sorts after its release's name", async () => {
    // Without versionsort.suffix, git puts v1.10.0-rc.1 above v1.10.0, and so does GoReleaser.
    expect(await gitTagsAt(repo)).toEqual(['v1.10.0-rc.1', 'v1.10.0', 'v1.2.0', 'release-x'])
    expect(await gitTagsAt(repo, 'HEAD')).toEqual(
      git(repo, 'tag', '--points-at', 'HEAD', '--sort=-version:refname').split('\n')
    )
  })

  test("GoReleaser's prerelease_suffix puts the prerelease below its release", async () => {
    expect(await gitTagsAt(repo, 'HEAD', { prereleaseSuffix: '-' })).toEqual([
      'v1.10.0',
      'v1.10.0-rc.1',
      'v1.2.0',
      'release-x'
    ])
  })

  test('annotated tags count for their commit; another sort is passed on', async () => {
    expect(await gitTagsAt(repo, second, { sort: 'refname' })).toEqual([
      'deploy-prod',
      'v1.1.0',
      'v1.1.0-rc.1'
    ])
  })

  test('none at an untagged commit or outside a repository', async () => {
    const untagged = tmp()
    git(untagged, 'init', '-q')
    commit(untagged, 'one', '2026-01-01T00:00:00Z')
    expect(await gitTagsAt(untagged)).toEqual([])
    expect(await gitTagsAt(tmp())).toEqual([])
  })
})

describe('gitShortCommit', () => {
  test("git's own abbreviation", async () => {
    const short = await gitShortCommit(repo)
    expect(short).toBe(git(repo, 'rev-parse', '--short', 'HEAD'))
    expect(third.startsWith(short ?? 'x')).toBe(true)
    expect(await gitShortCommit(repo, first)).toBe(git(repo, 'rev-parse', '--short', first))
  })

  test('core.abbrev is honoured, as git show --format=%h does for GoReleaser', async () => {
    const dir = tmp()
    git(dir, 'init', '-q')
    git(dir, 'config', 'core.abbrev', '10')
    const sha = commit(dir, 'one', '2026-01-01T00:00:00Z')
    expect(await gitShortCommit(dir)).toBe(sha.slice(0, 10))
    expect(await gitShortCommit(dir)).toBe(git(dir, 'show', '--format=%h', '--quiet', 'HEAD'))
  })

  test('undefined outside a repository', async () => {
    expect(await gitShortCommit(tmp())).toBeUndefined()
  })
})

describe('gitPreviousTag', () => {
  test("the nearest tag before the current one, the first at its commit in GoReleaser's order", async () => {
    // v1.1.0-rc.1 sorts above v1.1.0 in git's version order; deploy-prod last.
    expect(await gitPreviousTag(repo, 'v1.10.0')).toBe('v1.1.0-rc.1')
    expect(await gitPreviousTag(repo, 'v1.10.0', { prereleaseSuffix: '-' })).toBe('v1.1.0')
    expect(await gitPreviousTag(repo, 'v1.1.0')).toBe('v1.0.0')
  })

  test('none before the first tag, for a tag not in the repository, or outside one', async () => {
    expect(await gitPreviousTag(repo, 'v1.0.0')).toBeUndefined()
    expect(await gitPreviousTag(repo, 'v9.9.9')).toBeUndefined()
    expect(await gitPreviousTag(tmp(), 'v1.0.0')).toBeUndefined()
  })
})

describe('gitBranch and gitIsShallow', () => {
  test('the branch checked out; none when detached', async () => {
    const dir = tmp()
    git(dir, 'init', '-q', '-b', 'feature/x')
    commit(dir, 'one', '2026-01-01T00:00:00Z')
    expect(await gitBranch(dir)).toBe('feature/x')
    git(dir, 'checkout', '-q', '--detach')
    expect(await gitBranch(dir)).toBeUndefined()
    expect(await gitBranch(tmp())).toBeUndefined()
  })

  test('a depth-1 clone is shallow, a full one is not', async () => {
    const clone = path.join(tmp(), 'clone')
    git(repo, 'clone', '-q', '--depth', '1', `file://${repo}`, clone)
    expect(await gitIsShallow(clone)).toBe(true)
    expect(await gitIsShallow(repo)).toBe(false)
    expect(await gitIsShallow(tmp())).toBe(false)
  })
})
