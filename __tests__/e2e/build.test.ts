// The build stage as a runner runs it: examples/hello cross-compiled for every default target and
// linux/arm/v7, checked by its binary headers, run under qemu, archived and checksummed, twice.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Artifact } from '../../src/build/artifacts.js'
import { readBinaryInfo } from '../helpers/binary-format.js'
import {
  cleanupTempDirs,
  gitCheckout,
  goHome,
  seededToolCache,
  NO_CHECKS,
  HELLO,
  COMMIT_DATE
} from '../helpers/fixtures.js'
import { runForeign } from '../helpers/qemu.js'
import {
  type ActionRun,
  annotations,
  assertExit,
  check,
  REPO_ROOT,
  runAction
} from '../helpers/run-action.js'

const TARGETS =
  'linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 linux/arm/v7'
// Built on a tag, but releasing is release.test.ts's concern.
const NO_RELEASE = { ...NO_CHECKS, release: 'false' }

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>

const checkout = (source: string) => gitCheckout(source, COMMIT_DATE)

async function build(
  source: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<{ run: ActionRun; dir: string; sha: string; artifacts: Artifact[] }> {
  const { dir, sha } = await checkout(source)
  const run = await runAction({
    inputs: { ...NO_RELEASE, ...inputs },
    cwd: dir,
    toolCache,
    env: { ...home, GITHUB_SHA: sha, GITHUB_REF: 'refs/tags/v1.2.3', ...env },
    // The first build compiles the standard library for seven targets on a cold cache, while
    // another test file runs beside it: minutes on two cores.
    timeoutMs: 560_000
  })
  const artifacts = run.outputs.artifacts ? (JSON.parse(run.outputs.artifacts) as Artifact[]) : []
  return { run, dir, sha, artifacts }
}

beforeAll(async () => {
  toolCache = await seededToolCache()
  home = await goHome()
})

afterAll(cleanupTempDirs)

describe('cross-compiling examples/hello', () => {
  let first: Awaited<ReturnType<typeof build>>

  beforeAll(async () => {
    first = await build(HELLO, { targets: TARGETS })
  }, 600_000)

  test('every target has a binary whose header matches it', async () => {
    assertExit(first.run, 0)
    const binaries = first.artifacts.filter(a => a.kind === 'binary')
    check(first.run, () =>
      expect(
        binaries.map(b => `${b.os}/${b.arch}${b.variant ? `/${b.variant}` : ''}`).sort()
      ).toEqual(TARGETS.split(' ').sort())
    )
    for (const b of binaries) {
      const info = await readBinaryInfo(b.path)
      const format = { linux: 'elf', darwin: 'macho', windows: 'pe' }[b.os as string]
      expect({ name: b.name, format: info.format, os: info.os, arch: info.arch }).toEqual({
        name: b.os === 'windows' ? 'hello.exe' : 'hello',
        format,
        os: b.os,
        arch: b.arch
      })
    }
  })

  test('the linux/arm64 and linux/arm/v7 binaries run under qemu and print the injected version', async () => {
    for (const arch of ['arm64', 'arm'] as const) {
      const binary = first.artifacts.find(
        a => a.kind === 'binary' && a.os === 'linux' && a.arch === arch
      )
      expect(binary).toBeDefined()
      const result = await runForeign(binary?.path as string, arch, ['-version'])
      expect(result).toMatchObject({
        code: 0,
        stdout: `hello 1.2.3 (commit ${first.sha}, built ${COMMIT_DATE})\n`
      })
    }
  })

  test('outputs: version from the tag, archives named like GoReleaser, one checksums file', () => {
    check(first.run, () => {
      expect(first.run.outputs.version).toBe('1.2.3')
      const archives = first.artifacts
        .filter(a => a.kind === 'archive')
        .map(a => a.name)
        .sort()
      expect(archives).toEqual([
        'hello_1.2.3_darwin_amd64.tar.gz',
        'hello_1.2.3_darwin_arm64.tar.gz',
        'hello_1.2.3_linux_amd64.tar.gz',
        'hello_1.2.3_linux_arm64.tar.gz',
        'hello_1.2.3_linux_armv7.tar.gz',
        'hello_1.2.3_windows_amd64.zip',
        'hello_1.2.3_windows_arm64.zip'
      ])
      expect(first.run.outputs.checksums).toBe(
        path.join(first.dir, 'dist', 'hello_1.2.3_checksums.txt')
      )
      expect(first.run.summary).toContain('### Build 1.2.3')
      expect(first.run.summary).toContain('| linux/arm/v7 | `hello`')
    })
  })

  test('sha256sum -c passes on the checksums file, which lists every archive by name', () => {
    const dist = path.join(first.dir, 'dist')
    const out = execFileSync('sha256sum', ['-c', 'hello_1.2.3_checksums.txt'], {
      cwd: dist
    }).toString()
    expect(out.trim().split('\n')).toEqual(
      first.artifacts
        .filter(a => a.kind === 'archive')
        .map(a => `${a.name}: OK`)
        .sort()
    )
  })

  test('archives hold the binary (0755) and README (0644), owned by 0/0, dated at the commit', () => {
    const dist = path.join(first.dir, 'dist')
    const tar = execFileSync(
      'tar',
      ['--numeric-owner', '-tvzf', 'hello_1.2.3_linux_armv7.tar.gz'],
      {
        cwd: dist,
        env: { ...process.env, TZ: 'UTC' }
      }
    ).toString()
    expect(
      tar
        .trim()
        .split('\n')
        .map(l => l.replace(/\s+\d+\s+(?=\d{4}-)/, ' SIZE '))
    ).toEqual([
      '-rw-r--r-- 0/0 SIZE 2026-01-02 03:04 README.md',
      '-rwxr-xr-x 0/0 SIZE 2026-01-02 03:04 hello'
    ])
    const zip = execFileSync('unzip', ['-Z', '-T', 'hello_1.2.3_windows_arm64.zip'], {
      cwd: dist
    }).toString()
    // Zip keeps DOS times, in steps of two seconds: 03:04:05 is stored as 03:04:04.
    expect(zip).toMatch(/-rw-r--r-- .* 20260102\.030404 README\.md/)
    expect(zip).toMatch(/-rwxr-xr-x .* 20260102\.030404 hello\.exe/)
  })

  test('the same commit built again, elsewhere and later, gives byte-identical binaries and archives', async () => {
    const again = await build(HELLO, { targets: TARGETS }, { TZ: 'Asia/Kolkata' })
    assertExit(again.run, 0)
    expect(again.dir).not.toBe(first.dir)
    const digests = (artifacts: Artifact[]) =>
      Object.fromEntries(
        artifacts.map(a => [`${a.kind}:${a.os}/${a.arch}/${a.variant ?? ''}:${a.name}`, a.sha256])
      )
    expect(digests(again.artifacts)).toEqual(digests(first.artifacts))
  }, 600_000)
})

describe('what to build', () => {
  test.each([
    ['plan9/sparc', /^targets: "plan9\/sparc": Go \S+ does not build for plan9\/sparc/],
    ['linux/arm/v9', /^targets: "linux\/arm\/v9": arm variants are v5, v6 or v7/],
    ['linux', /^targets: "linux" is not GOOS\/GOARCH/]
  ])('the invalid target %s fails before any build, naming it', async (target, message) => {
    const { run, dir } = await build(HELLO, { targets: `linux/amd64 ${target}` })
    assertExit(run, 1)
    check(run, () => {
      expect(annotations(run, 'error')[0]?.message).toMatch(message)
      expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    })
  })

  test('a library module runs its checks and skips the build with a notice', async () => {
    const { run, dir } = await build(path.join(REPO_ROOT, 'testdata', 'build', 'library'), {
      test: 'true'
    })
    assertExit(run, 0)
    check(run, () => {
      expect(annotations(run, 'notice').map(a => a.message)).toContainEqual(
        expect.stringContaining('has no main package (a library)')
      )
      expect(run.summary).toMatch(/\| test \| ✅ pass/)
      expect(run.summary).toMatch(/\| Build \| ⏭️ skipped \|/)
      expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    })
  })

  test('a main package in cmd/<name> builds with main: ./cmd/<name>, named after the module', async () => {
    const { run, artifacts } = await build(path.join(REPO_ROOT, 'testdata', 'build', 'cmdlayout'), {
      main: './cmd/layout',
      targets: 'linux/amd64'
    })
    assertExit(run, 0)
    const binary = artifacts.find(a => a.kind === 'binary')
    check(run, () => expect(binary?.name).toBe('cmdlayout'))
    expect(execFileSync(binary?.path as string).toString()).toContain('layout 1.2.3')
  })

  test('the default main . in a module whose commands live elsewhere says where they are', async () => {
    const { run } = await build(path.join(REPO_ROOT, 'testdata', 'build', 'cmdlayout'), {
      targets: 'linux/amd64'
    })
    assertExit(run, 1)
    expect(annotations(run, 'error')[0]?.message).toMatch(
      /^main: the module's root is not a main package; set main to \.\/cmd\/layout/
    )
  })
})

describe('a target that does not compile', () => {
  test("fails the step naming the target and go build's error, with no archive for it", async () => {
    // Linux archives may be under way when the windows link fails; its error is still the step's.
    const { run, dir, artifacts } = await build(
      path.join(REPO_ROOT, 'testdata', 'build', 'nowindows'),
      {
        targets: 'linux/amd64 linux/arm64 windows/amd64'
      }
    )
    assertExit(run, 1)
    check(run, () => {
      expect(annotations(run, 'error')[0]?.message).toMatch(
        /^go build of example\.com\/nowindows for windows\/amd64 failed:[\s\S]*undefined: greeting/
      )
      expect(artifacts).toEqual([])
      expect(existsSync(path.join(dir, 'dist', 'nowindows_1.2.3_windows_amd64.zip'))).toBe(false)
      expect(existsSync(path.join(dir, 'dist', 'nowindows_1.2.3_checksums.txt'))).toBe(false)
    })
  })
})

describe('several binaries in one release', () => {
  const MULTI = path.join(REPO_ROOT, 'testdata', 'build', 'multi')

  test('main: ./cmd/... builds both commands for every target, one archive per target holding both', async () => {
    const { run, dir, sha, artifacts } = await build(MULTI, { main: './cmd/...' })
    assertExit(run, 0)
    const defaults = [
      'darwin/amd64',
      'darwin/arm64',
      'linux/amd64',
      'linux/arm64',
      'windows/amd64',
      'windows/arm64'
    ]
    check(run, () => {
      expect(
        artifacts
          .filter(a => a.kind === 'binary')
          .map(a => `${a.os}/${a.arch}:${a.name}`)
          .sort()
      ).toEqual(
        defaults.flatMap(t =>
          t.startsWith('windows') ? [`${t}:one.exe`, `${t}:two.exe`] : [`${t}:one`, `${t}:two`]
        )
      )
      expect(
        artifacts
          .filter(a => a.kind === 'archive')
          .map(a => a.name)
          .sort()
      ).toEqual(
        defaults.map(
          t => `multi_1.2.3_${t.replace('/', '_')}.${t.startsWith('windows') ? 'zip' : 'tar.gz'}`
        )
      )
      expect(run.summary).toContain('`one` (')
    })
    const dist = path.join(dir, 'dist')
    for (const archive of artifacts.filter(a => a.kind === 'archive')) {
      const windows = archive.os === 'windows'
      const listing = windows
        ? execFileSync('unzip', ['-Z', archive.name], { cwd: dist }).toString()
        : execFileSync('tar', ['--numeric-owner', '-tvzf', archive.name], { cwd: dist }).toString()
      const exe = windows ? '.exe' : ''
      expect(listing).toMatch(new RegExp(`^-rwxr-xr-x .* one${exe}$`, 'm'))
      expect(listing).toMatch(new RegExp(`^-rwxr-xr-x .* two${exe}$`, 'm'))
      expect(listing).toMatch(/^-rw-r--r-- .* LICENSE$/m)
      expect(listing).toMatch(/^-rw-r--r-- .* README\.md$/m)
    }
    for (const name of ['one', 'two']) {
      const binary = artifacts.find(
        a => a.kind === 'binary' && a.os === 'linux' && a.arch === 'arm64' && a.name === name
      )
      const result = await runForeign(binary?.path as string, 'arm64', [])
      expect(result.stdout.trim()).toBe(`${name} 1.2.3 ${sha} ${COMMIT_DATE}`)
    }
  }, 600_000)

  test('main: ./cmd/one ./pkg/lib fails before building, naming ./pkg/lib', async () => {
    const { run, dir } = await build(MULTI, { main: './cmd/one ./pkg/lib', targets: 'linux/amd64' })
    assertExit(run, 1)
    check(run, () => {
      expect(annotations(run, 'error')[0]?.message).toMatch(
        /^main: "\.\/pkg\/lib" is not a main package/
      )
      expect(existsSync(path.join(dir, 'dist'))).toBe(false)
    })
  })

  test('a pattern that matches no main package is an error naming it', async () => {
    const { run } = await build(MULTI, { main: './pkg/...', targets: 'linux/amd64' })
    assertExit(run, 1)
    expect(annotations(run, 'error')[0]?.message).toMatch(
      /^main: "\.\/pkg\/\.\.\." matches no main package/
    )
  })
})

describe('output-dir belongs to the action', () => {
  test('a second run for fewer targets leaves only its own files, and its checksums list exactly them', async () => {
    const { dir, sha } = await checkout(HELLO)
    const again = (targets: string, ref: string) =>
      runAction({
        inputs: { ...NO_RELEASE, targets },
        cwd: dir,
        toolCache,
        env: { ...home, GITHUB_SHA: sha, GITHUB_REF: ref },
        timeoutMs: 560_000
      })
    const first = await again('linux/amd64 linux/arm64 windows/amd64', 'refs/tags/v1.2.3')
    assertExit(first, 0)
    // Another version too: names the first run wrote that the second would not.
    const second = await again('linux/arm64', 'refs/tags/v1.2.4')
    assertExit(second, 0)
    check(second, () => {
      const dist = path.join(dir, 'dist')
      expect(readdirSync(dist).sort()).toEqual([
        '.go-package-action-files.json',
        'hello_1.2.4_checksums.txt',
        'hello_1.2.4_linux_arm64.tar.gz',
        'linux_arm64'
      ])
      const listed = readFileSync(path.join(dist, 'hello_1.2.4_checksums.txt'), 'utf8')
        .trim()
        .split('\n')
        .map(line => line.split('  ')[1])
      expect(listed).toEqual(['hello_1.2.4_linux_arm64.tar.gz'])
      expect(second.log).toContain('after removing the 7 an earlier run recorded')
    })
  })

  test('a file the action did not write in output-dir stops the run before Go, and is kept', async () => {
    const { dir, sha } = await checkout(HELLO)
    mkdirSync(path.join(dir, 'dist'))
    writeFileSync(path.join(dir, 'dist', 'notes.txt'), 'mine')
    const run = await runAction({
      inputs: { ...NO_RELEASE, targets: 'linux/amd64' },
      cwd: dir,
      toolCache,
      env: { ...home, GITHUB_SHA: sha, GITHUB_REF: 'refs/tags/v1.2.3' }
    })
    assertExit(run, 1)
    check(run, () => {
      expect(annotations(run, 'error').map(a => a.message)).toEqual([
        'output-dir: "dist" holds files the action did not write: notes.txt. Remove them or choose another folder: the action only removes what it recorded in .go-package-action-files.json'
      ])
      expect(run.log).not.toContain('::group::Go toolchain')
      expect(readdirSync(path.join(dir, 'dist'))).toEqual(['notes.txt'])
    })
  })
})
