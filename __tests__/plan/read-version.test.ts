// The version read from real git repositories in temp dirs: no mocks.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunContext } from '../../src/context.js'
import { readBuildVersion, readVersion } from '../../src/plan/read-version.js'
import { captureStdout } from '../helpers/stdout.js'

const saved = { ...process.env }
const dirs: string[] = []
const TIME = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000

function tmp(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gpa-version-'))
  dirs.push(dir)
  return dir
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString().trim()
}

function commit(dir: string, message: string, date = '2026-01-02T03:04:05Z'): string {
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  })
  return git(dir, 'rev-parse', 'HEAD')
}

/** A repository on main: v1.0.0 on its first commit, then HEAD with `tags`. */
function repository(...tags: string[]): { dir: string; sha: string } {
  const dir = tmp()
  git(dir, 'init', '-q', '-b', 'main')
  commit(dir, 'one', '2026-01-01T00:00:00Z')
  git(dir, 'tag', 'v1.0.0')
  const sha = commit(dir, 'two')
  for (const tag of tags) git(dir, 'tag', tag)
  return { dir, sha }
}

/** A local run (no GITHUB_REF, no GITHUB_SHA) unless the test says otherwise. */
function context(over: Partial<RunContext> = {}): RunContext {
  return {
    local: true,
    workspace: '/nowhere',
    repository: 'octo/hello',
    ref: '',
    sha: '',
    eventName: '',
    defaultBranch: '',
    actor: '',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    toolCacheDir: '/nowhere',
    tempDir: os.tmpdir(),
    runner: { os: 'linux', arch: 'x64' },
    ...over
  }
}

beforeAll(() => {
  // The machine's git configuration (versionsort.suffix, core.abbrev) stays out.
  process.env.GIT_CONFIG_GLOBAL = '/dev/null'
  process.env.GIT_CONFIG_NOSYSTEM = '1'
  process.env.GIT_CEILING_DIRECTORIES = os.tmpdir()
  process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = 'Gopher'
  process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = 'gopher@example.com'
  delete process.env.SOURCE_DATE_EPOCH
})

afterAll(() => {
  process.env = saved
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('readVersion: a SemVer tag at HEAD', () => {
  test('decides the version when the ref is not a SemVer tag', async () => {
    const { dir, sha } = repository('v1.1.0')
    const { version, notices, warnings } = await readVersion(
      context({ local: false, ref: 'refs/heads/main', sha }),
      dir
    )
    expect(version).toEqual({
      version: '1.1.0',
      tag: 'v1.1.0',
      commit: sha,
      shortCommit: git(dir, 'rev-parse', '--short', 'HEAD'),
      timestamp: TIME,
      date: '2026-01-02T03:04:05Z',
      source: 'git tag at HEAD',
      isSnapshot: false,
      major: 1,
      minor: 1,
      patch: 0,
      prerelease: '',
      rawVersion: '1.1.0',
      previousTag: 'v1.0.0',
      branch: 'main'
    })
    expect(notices).toEqual([])
    expect(warnings).toEqual([])
  })

  test("several: GoReleaser's pick (git's -version:refname), and a notice naming the others", async () => {
    const { dir } = repository('v1.2.0', 'v1.10.0', 'v1.10.0-rc.1', 'nightly')
    const { version, notices } = await readVersion(context(), dir)
    // git's version sort, without versionsort.suffix, puts v1.10.0-rc.1 above v1.10.0; GoReleaser
    // takes the first line of `git tag --points-at HEAD --sort -version:refname`.
    const gitFirst = git(dir, 'tag', '--points-at', 'HEAD', '--sort', '-version:refname')
    expect(gitFirst.split('\n')[0]).toBe('v1.10.0-rc.1')
    expect(version).toMatchObject({
      version: '1.10.0-rc.1',
      tag: 'v1.10.0-rc.1',
      source: 'git tag at HEAD',
      major: 1,
      minor: 10,
      patch: 0,
      prerelease: 'rc.1',
      rawVersion: '1.10.0'
    })
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('v1.10.0-rc.1, v1.10.0, v1.2.0')
    expect(notices[0]).toContain('v1.10.0-rc.1 decides the version (1.10.0-rc.1)')
    expect(notices[0]).not.toContain('nightly')
  })

  test("GoReleaser's prerelease_suffix puts the release first", async () => {
    const { dir } = repository('v1.2.0', 'v1.10.0', 'v1.10.0-rc.1')
    const { version, notices } = await readVersion(context(), dir, undefined, {
      prereleaseSuffix: '-'
    })
    expect(version.tag).toBe('v1.10.0')
    expect(notices[0]).toContain('v1.10.0, v1.10.0-rc.1, v1.2.0')
  })

  test('a tag that is not SemVer is ignored', async () => {
    const { dir, sha } = repository('release-2', 'vv1.2.3', 'v1.2')
    const { version, notices, warnings } = await readVersion(context(), dir)
    expect(version).toMatchObject({
      version: `0.0.0-20260102030405-${sha.slice(0, 12)}`,
      source: 'pseudo-version',
      isSnapshot: true,
      major: 0,
      minor: 0,
      patch: 0,
      rawVersion: '0.0.0'
    })
    expect(version.tag).toBeUndefined()
    expect(version.previousTag).toBeUndefined()
    expect(notices).toEqual([])
    expect(warnings).toEqual([])
  })

  test('a SemVer tag beside ignored ones decides, without a notice', async () => {
    const { dir } = repository('zzz', 'v2.0.0')
    const { version, notices } = await readVersion(context(), dir)
    expect(version.tag).toBe('v2.0.0')
    expect(notices).toEqual([])
  })
})

describe('readVersion: what wins', () => {
  test("a SemVer GITHUB_REF wins over HEAD's tag", async () => {
    const { dir, sha } = repository('v1.1.0', 'v3.0.0')
    git(dir, 'tag', 'v2.0.0-beta.1')
    const { version, notices } = await readVersion(
      context({ local: false, ref: 'refs/tags/v2.0.0-beta.1', sha }),
      dir
    )
    expect(version).toMatchObject({
      version: '2.0.0-beta.1',
      tag: 'v2.0.0-beta.1',
      source: 'GITHUB_REF',
      isSnapshot: false,
      prerelease: 'beta.1',
      previousTag: 'v1.0.0'
    })
    // Not a branch ref: git's branch, as GoReleaser's (a runner's tag checkout is detached: none).
    expect(version.branch).toBe('main')
    expect(notices).toEqual([])
  })

  test("a ref that is not a SemVer tag leaves it to HEAD's tag", async () => {
    const { dir, sha } = repository('v1.1.0')
    const { version } = await readVersion(context({ ref: 'refs/tags/nightly', sha }), dir)
    expect(version.source).toBe('git tag at HEAD')
  })

  test('the version input wins over both', async () => {
    const { dir, sha } = repository('v1.1.0')
    const { version, notices } = await readVersion(
      context({ local: false, ref: 'refs/tags/v1.1.0', sha }),
      dir,
      { version: '4.5.6-rc.2+meta', tag: '4.5.6-rc.2+meta' }
    )
    expect(version).toMatchObject({
      version: '4.5.6-rc.2+meta',
      tag: '4.5.6-rc.2+meta',
      source: 'version input',
      isSnapshot: false,
      major: 4,
      minor: 5,
      patch: 6,
      prerelease: 'rc.2',
      rawVersion: '4.5.6'
    })
    // Not a tag in the repository: no previous tag, as GoReleaser with GORELEASER_CURRENT_TAG.
    expect(version.previousTag).toBeUndefined()
    expect(notices).toEqual([])
  })

  test("the version input naming an existing tag gets that tag's previous one", async () => {
    const { dir } = repository('v1.1.0')
    const { version } = await readVersion(context(), dir, { version: '1.1.0', tag: 'v1.1.0' })
    expect(version).toMatchObject({ source: 'version input', previousTag: 'v1.0.0' })
  })
})

describe('readVersion: a shallow checkout', () => {
  test('without tags: the pseudo-version, and a warning on how to fetch them', async () => {
    const { dir, sha } = repository('v1.1.0')
    const clone = path.join(tmp(), 'clone')
    // actions/checkout's default: depth 1, no tags.
    git(tmp(), 'clone', '-q', '--depth', '1', '--no-tags', `file://${dir}`, clone)
    expect(git(clone, 'tag')).toBe('')
    const { version, warnings } = await readVersion(
      context({ local: false, ref: 'refs/heads/main', sha }),
      clone
    )
    expect(version).toMatchObject({
      version: `0.0.0-20260102030405-${sha.slice(0, 12)}`,
      source: 'pseudo-version',
      isSnapshot: true,
      branch: 'main'
    })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('The checkout is shallow')
    expect(warnings[0]).toContain('tags may be missing')
    expect(warnings[0]).toContain('fetch-depth: 0')
    expect(warnings[0]).toContain('git fetch --tags')
  })

  test('a plain depth-1 clone of a tagged commit: the tag if git brought it, else the warning', async () => {
    const { dir, sha } = repository('v1.1.0')
    const clone = path.join(tmp(), 'clone')
    git(tmp(), 'clone', '-q', '--depth', '1', `file://${dir}`, clone)
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true')
    const { version, warnings } = await readVersion(context(), clone)
    if (git(clone, 'tag', '--points-at', 'HEAD').includes('v1.1.0')) {
      // git follows tags that point into what it fetched: the tag decides, and the commit before
      // it (with v1.0.0) is not in the clone, so there is no previous tag.
      expect(version).toMatchObject({ version: '1.1.0', source: 'git tag at HEAD' })
      expect(version.previousTag).toBeUndefined()
      expect(warnings).toEqual([])
    } else {
      expect(version.version).toBe(`0.0.0-20260102030405-${sha.slice(0, 12)}`)
      expect(warnings[0]).toContain('The checkout is shallow')
    }
  })

  test('a shallow checkout with a SemVer GITHUB_REF needs no warning', async () => {
    const { dir, sha } = repository()
    const clone = path.join(tmp(), 'clone')
    git(tmp(), 'clone', '-q', '--depth', '1', '--no-tags', `file://${dir}`, clone)
    const { version, warnings } = await readVersion(
      context({ local: false, ref: 'refs/tags/v1.1.0', sha }),
      clone
    )
    expect(version.source).toBe('GITHUB_REF')
    expect(warnings).toEqual([])
  })

  test('a full clone without a tag at HEAD: the pseudo-version, no warning', async () => {
    const { dir } = repository()
    const { version, warnings } = await readVersion(context(), dir)
    expect(version.source).toBe('pseudo-version')
    expect(warnings).toEqual([])
  })
})

describe('readVersion: commit, short commit, branch', () => {
  test("ShortCommit is git's abbreviation; the pseudo-version keeps Go's 12 hex digits", async () => {
    const { dir, sha } = repository()
    git(dir, 'config', 'core.abbrev', '9')
    const { version } = await readVersion(context(), dir)
    expect(version.commit).toBe(sha)
    expect(version.shortCommit).toBe(git(dir, 'rev-parse', '--short', 'HEAD'))
    expect(version.shortCommit).toBe(sha.slice(0, 9))
    expect(version.version).toBe(`0.0.0-20260102030405-${sha.slice(0, 12)}`)
  })

  test("GITHUB_SHA names the commit: its tags and abbreviation, not HEAD's", async () => {
    const { dir, sha } = repository('v1.1.0')
    const later = commit(dir, 'three', '2026-01-05T00:00:00Z')
    expect(later).not.toBe(sha)
    const { version } = await readVersion(context({ local: false, sha }), dir)
    expect(version).toMatchObject({
      commit: sha,
      version: '1.1.0',
      shortCommit: git(dir, 'rev-parse', '--short', sha),
      timestamp: TIME
    })
  })

  test("the branch: the ref's on a runner, else git's, none when detached", async () => {
    const { dir } = repository()
    git(dir, 'checkout', '-q', '-b', 'feature/x')
    expect((await readVersion(context(), dir)).version.branch).toBe('feature/x')
    expect(
      (await readVersion(context({ local: false, ref: 'refs/heads/release/1.x' }), dir)).version
        .branch
    ).toBe('release/1.x')
    git(dir, 'checkout', '-q', '--detach')
    expect((await readVersion(context(), dir)).version.branch).toBeUndefined()
    expect(
      (await readVersion(context({ local: false, ref: 'refs/pull/7/merge' }), dir)).version.branch
    ).toBeUndefined()
  })

  test('without git: the first 7 characters of GITHUB_SHA, and a warning for the time', async () => {
    const sha = 'abcdef0123456789abcdef0123456789abcdef01'
    const { version, warnings } = await readVersion(
      context({ local: false, ref: 'refs/heads/main', sha }),
      tmp()
    )
    expect(version).toMatchObject({
      commit: sha,
      shortCommit: 'abcdef0',
      version: '0.0.0-19700101000000-abcdef012345',
      source: 'pseudo-version',
      branch: 'main'
    })
    expect(warnings).toEqual([
      'No git commit to take the build time from, and no SOURCE_DATE_EPOCH: using 0 (1970-01-01).'
    ])
  })

  test('SOURCE_DATE_EPOCH wins for the time', async () => {
    const { dir } = repository('v1.1.0')
    process.env.SOURCE_DATE_EPOCH = '1700000000'
    try {
      const { version } = await readVersion(context(), dir)
      expect(version.timestamp).toBe(1_700_000_000)
      expect(version.date).toBe('2023-11-14T22:13:20Z')
    } finally {
      delete process.env.SOURCE_DATE_EPOCH
    }
  })
})

describe('readBuildVersion', () => {
  test('logs the notices and warnings, and returns the version', async () => {
    const { dir } = repository('v1.2.0', 'v1.10.0')
    const clone = path.join(tmp(), 'clone')
    git(tmp(), 'clone', '-q', '--depth', '1', '--no-tags', `file://${dir}`, clone)
    const lines: string[] = []
    captureStdout(text => text.startsWith('::notice') || text.startsWith('::warning'), lines)
    try {
      const tagged = await readBuildVersion(context(), dir)
      const shallow = await readBuildVersion(context(), clone)
      const input = await readBuildVersion(context(), dir, { version: '9.0.0', tag: 'v9.0.0' })
      expect([tagged.version, shallow.source, input.version]).toEqual([
        '1.10.0',
        'pseudo-version',
        '9.0.0'
      ])
    } finally {
      jest.restoreAllMocks()
    }
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^::notice::Several SemVer tags point at \w+: v1\.10\.0, v1\.2\.0\./)
    expect(lines[1]).toMatch(/^::warning::The checkout is shallow/)
  })
})
