// The comparison with GoReleaser v2.15.1 that goreleaser-compare.test.ts (croc, fzf) and
// goreleaser-compare-k9s.test.ts (k9s) run: see the top of goreleaser-compare.test.ts for how.
import { beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFile, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Artifact } from '../../src/build/artifacts.js'
import { sha256File } from '../../src/util/hash.js'
import { goHome, machineGoSemver, NO_CHECKS, seededToolCache, tempDir } from './fixtures.js'
import { listArchive, readDist, runGoReleaser, type Dist } from './goreleaser.js'
import { sharedNfpm, TEST_TOOL_CACHE } from './nfpm.js'
import { runForeign } from './qemu.js'
import { realProject } from './real-project.js'
import { type ActionRun, assertExit, check, runAction } from './run-action.js'

const execFileAsync = promisify(execFile)

export type Env = Record<string, string>

export interface Compared {
  name: string
  module: string
  version: string
  edit: (dir: string) => Promise<void>
  /** Arguments that make the binary print its version. */
  versionArgs: string[]
  /** What it prints (GoReleaser's and the action's, dates masked). */
  versionOutput: (c: { commit: string; short: string }) => RegExp
  /** The archives and packages GoReleaser makes (a check of the reference run itself). */
  expected: string[]
}

export interface Comparison {
  toolCache: () => string
  goVersion: () => string
  /** HOME a temporary folder, the Go caches the machine's (shared with GoReleaser's runs). */
  actionEnv: () => Promise<Env>
}

/** Registers the comparison of each project (a describe each) and returns what other tests share. */
export function describeComparison(projects: Compared[], RUN_TIMEOUT_MS: number): Comparison {
  let toolCache = ''
  let goEnv: Env = {}
  /** The machine's Go, which built GoReleaser's binaries (the projects' go lines are older). */
  let goVersion = ''

  /**
   * HOME a temporary folder, the Go caches the machine's (shared with GoReleaser's run, see the top).
   */
  async function actionEnv(): Promise<Env> {
    const home = await goHome()
    return { HOME: home.HOME, ...goEnv }
  }

  function artifactsOf(run: ActionRun): Artifact[] {
    return JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]
  }

  const shipped = (run: ActionRun): Artifact[] =>
    artifactsOf(run).filter(a => a.kind === 'archive' || a.kind === 'package')

  async function ship(dir: string, sha: string, tag: string): Promise<ActionRun> {
    return runAction({
      inputs: { ...NO_CHECKS, release: 'false', 'go-version': goVersion },
      cwd: dir,
      toolCache,
      env: {
        ...(await actionEnv()),
        GITHUB_SHA: sha,
        GITHUB_REF: `refs/tags/${tag}`,
        GITHUB_REF_NAME: tag,
        GITHUB_REF_TYPE: 'tag',
        GITHUB_EVENT_NAME: 'push'
      },
      timeoutMs: RUN_TIMEOUT_MS
    })
  }

  /** `<mode> <name>` of every entry, sorted (GoReleaser orders files then binaries; the action sorts). */
  async function entries(file: string): Promise<string[]> {
    return (await listArchive(file)).map(e => `${e.mode} ${e.name}`).sort()
  }

  /** The executable of a linux tar.gz, extracted into a fresh folder. */
  async function binaryIn(archive: string): Promise<string> {
    const exe = (await listArchive(archive)).filter(e => e.mode === '-rwxr-xr-x')
    if (exe.length !== 1) throw new Error(`${archive}: ${exe.length} executables`)
    const into = await tempDir('gpa-compare-bin-')
    await execFileAsync('tar', ['-xzf', archive, '-C', into, exe[0]!.name])
    return path.join(into, exe[0]!.name)
  }

  /**
   * The version line(s), with what legitimately differs masked: an RFC 3339 date is GoReleaser's
   * `.Date` (the wall clock at its start; nothing fixes it) where the action's is the commit time.
   */
  const masked = (out: string): string =>
    out.trim().replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, '<date>')

  async function versionOf(archive: string, args: string[]): Promise<string> {
    const run = await runForeign(await binaryIn(archive), 'arm64', args, {
      env: { PATH: process.env.PATH, HOME: await tempDir('gpa-compare-home-') }
    })
    if (run.code !== 0)
      throw new Error(`${archive} ${args.join(' ')}: exit ${run.code}\n${run.stderr}`)
    return masked(run.stdout)
  }

  /**
   * `<mode> <owner>/<group> <path>` of every file in a .deb (dpkg-deb -c) or .rpm (rpm -qp), sorted;
   * an .apk (no reader on the machine) only by its name elsewhere.
   */
  async function packageEntries(file: string): Promise<string[] | undefined> {
    const read = async (cmd: string, args: string[]): Promise<string[]> =>
      (await execFileAsync(cmd, args, { maxBuffer: 16 * 1024 * 1024 })).stdout
        .split('\n')
        .filter(Boolean)
    if (file.endsWith('.deb')) {
      // -rwxr-xr-x root/root  123338914 2026-11-28 11:24 ./usr/bin/k9s
      return (await read('dpkg-deb', ['-c', file]))
        .map(l => {
          const f = l.split(/\s+/)
          return `${f[0]} ${f[1]} ${f.slice(5).join(' ')}`
        })
        .sort()
    }
    if (file.endsWith('.rpm')) {
      return (
        await read('rpm', [
          '-qp',
          '--queryformat',
          '[%{FILEMODES:perms} %{FILEUSERNAME}/%{FILEGROUPNAME} %{FILENAMES}\n]',
          file
        ])
      ).sort()
    }
    return undefined
  }

  function checksumLines(text: string): string[] {
    return text.split('\n').filter(Boolean)
  }

  beforeAll(async () => {
    toolCache = await seededToolCache()
    // nfpm is built once per machine; the action finds it in its tool cache.
    await sharedNfpm()
    await symlink(path.join(TEST_TOOL_CACHE, 'nfpm'), path.join(toolCache, 'nfpm'))
    const { stdout } = await execFileAsync(
      'go',
      ['env', '-json', 'GOCACHE', 'GOMODCACHE', 'GOPATH'],
      {
        env: { ...process.env, GOWORK: 'off' }
      }
    )
    goEnv = JSON.parse(stdout) as Env
    goVersion = await machineGoSemver()
  }, RUN_TIMEOUT_MS)

  describe.each(projects)('$name $version: the action ships what GoReleaser v2.15.1 ships', p => {
    let commit: string
    let dirA: string
    let reference: Dist
    /** Read before dist/ goes: archive listings, the checksums file, the arm64 version. */
    let refEntries: Map<string, string[]>
    let refVersion: string
    let refPackages: Map<string, string[] | undefined>
    let a: ActionRun
    let b: ActionRun

    beforeAll(async () => {
      dirA = await tempDir(`gpa-${p.name}-a-`)
      const dirB = await tempDir(`gpa-${p.name}-b-`)
      const [projA, projB] = await Promise.all([
        realProject({ ...p, dir: dirA }),
        realProject({ ...p, dir: dirB })
      ])
      if (projB.commit !== projA.commit)
        throw new Error(`two commits: ${projA.commit} ${projB.commit}`)
      commit = projA.commit

      const started = Date.now()
      const gr = await runGoReleaser(dirA)
      process.stderr.write(`${p.name}: GoReleaser ${Math.round((Date.now() - started) / 1000)} s\n`)
      if (gr.code !== 0)
        throw new Error(`GoReleaser failed (${gr.code}):\n${gr.stdout}\n${gr.stderr}`)
      reference = await readDist(gr.dist)
      refEntries = new Map()
      for (const archive of reference.archives) {
        refEntries.set(archive.name, await entries(archive.path))
      }
      refPackages = new Map()
      for (const pkg of reference.packages)
        refPackages.set(pkg.name, await packageEntries(pkg.path))
      const arm64 = reference.archives.find(x => x.goos === 'linux' && x.goarch === 'arm64')
      if (!arm64) throw new Error('GoReleaser made no linux/arm64 archive')
      refVersion = await versionOf(arm64.path, p.versionArgs)
      await rm(gr.dist, { recursive: true, force: true })

      for (const [name, dir] of [
        ['A', dirA],
        ['B', dirB]
      ] as const) {
        const t = Date.now()
        const run = await ship(dir, commit, projA.tag)
        process.stderr.write(
          `${p.name}: action in ${name} ${Math.round((Date.now() - t) / 1000)} s\n`
        )
        if (name === 'A') a = run
        else b = run
      }
    }, 3 * RUN_TIMEOUT_MS)

    test('GoReleaser made the expected archives and packages; the action succeeded twice', () => {
      expect(reference.metadata).toMatchObject({ commit })
      expect([...reference.archives, ...reference.packages].map(x => x.name).sort()).toEqual(
        p.expected
      )
      assertExit(a, 0)
      assertExit(b, 0)
    })

    test('the same archive and package file names', () => {
      check(a, () =>
        expect(
          shipped(a)
            .map(x => x.name)
            .sort()
        ).toEqual([...reference.archives, ...reference.packages].map(x => x.name).sort())
      )
    })

    test('the same entries in each archive: names and modes', async () => {
      const mine = new Map(shipped(a).map(x => [x.name, x]))
      for (const [name, want] of refEntries) {
        const got = mine.get(name)
        expect({ name, entries: got && (await entries(got.path)) }).toEqual({ name, entries: want })
      }
    })

    test('the same files, modes and owners in each .deb and .rpm', async () => {
      const mine = new Map(shipped(a).map(x => [x.name, x]))
      for (const [name, want] of refPackages) {
        const got = mine.get(name)
        expect({ name, entries: got && (await packageEntries(got.path)) }).toEqual({
          name,
          entries: want
        })
      }
    })

    test('the same checksums file name, line format, order and names', async () => {
      const sums = artifactsOf(a).find(x => x.kind === 'checksums')
      expect(sums?.name).toBe(reference.checksums?.name)
      const lines = checksumLines(await readFile(sums!.path, 'utf8'))
      const names = lines.map(l => {
        expect(l).toMatch(/^[0-9a-f]{64} {2}\S+$/)
        return l.slice(66)
      })
      expect(names).toEqual([...names].sort())
      expect(names).toEqual(reference.checksums!.lines.map(l => l.slice(66)))
      // Every line is right about the file it names.
      const byName = new Map(artifactsOf(a).map(x => [x.name, x.path]))
      for (const line of lines) {
        const file = byName.get(line.slice(66))
        expect({ line, file: file && `${await sha256File(file)}  ${line.slice(66)}` }).toEqual({
          line,
          file: line
        })
      }
    })

    test('the linux/arm64 binary prints the same version under qemu', async () => {
      const short = (
        await execFileAsync('git', ['rev-parse', '--short', commit], { cwd: dirA })
      ).stdout.trim()
      expect(refVersion).toMatch(p.versionOutput({ commit, short }))
      const arm64 = shipped(a).find(
        x => x.kind === 'archive' && x.os === 'linux' && x.arch === 'arm64'
      )
      expect(arm64?.name).toBeDefined()
      expect(await versionOf(arm64!.path, p.versionArgs)).toBe(refVersion)
    })

    test('built again in another folder, every archive, package and the checksums are byte-identical', async () => {
      const list = (run: ActionRun): string[] =>
        artifactsOf(run)
          .filter(x => x.kind !== 'binary')
          .map(x => x.name)
          .sort()
      expect(list(b)).toEqual(list(a))
      const inB = new Map(artifactsOf(b).map(x => [x.name, x.path]))
      for (const x of artifactsOf(a).filter(y => y.kind !== 'binary')) {
        const [ha, hb] = await Promise.all([sha256File(x.path), sha256File(inB.get(x.name)!)])
        check(b, () => expect(`${x.name} ${hb}`).toBe(`${x.name} ${ha}`))
      }
    })
  })
  return { toolCache: () => toolCache, goVersion: () => goVersion, actionEnv }
}
