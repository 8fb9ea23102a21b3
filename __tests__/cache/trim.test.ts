import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { trimBuildCache } from '../../src/cache/trim.js'

const execFileAsync = promisify(execFile)
const HOUR = 60 * 60 * 1000

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-trim-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

async function setMtimeEverywhere(dir: string, when: Date): Promise<number> {
  let count = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await utimes(path.join(entry.parentPath, entry.name), when, when)
    count++
  }
  return count
}

async function filesIn(dir: string): Promise<number> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter(e => e.isFile())
    .length
}

describe('trimBuildCache with real Go', () => {
  let module: string
  let env: NodeJS.ProcessEnv
  let gocache: string

  /** `go build -x` of one package; -x lists every tool invocation (on stderr). */
  async function buildX(pkg: string): Promise<string> {
    const { stderr } = await execFileAsync('go', ['build', '-x', '-o', os.devNull, pkg], {
      cwd: module,
      env,
      maxBuffer: 64 * 1024 * 1024
    })
    return stderr
  }

  // A compile step shows as ".../pkg/tool/<os>_<arch>/compile -o $WORK/bNNN/_pkg_.a ... <files>".
  const compileLines = (log: string): string[] =>
    log.split('\n').filter(line => /\/compile(\.exe)? -o /.test(line))
  const compilesOf = (log: string, dir: string): string[] =>
    compileLines(log).filter(line => line.includes(` ./${dir}/main.go`))

  beforeAll(async () => {
    module = path.join(tmp, 'mod')
    gocache = path.join(tmp, 'gocache')
    const home = path.join(tmp, 'home')
    await mkdir(home, { recursive: true })
    env = {
      ...process.env,
      HOME: home,
      GOPATH: path.join(home, 'go'),
      GOCACHE: gocache,
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-buildvcs=false',
      GOPROXY: 'off'
    }
    await mkdir(path.join(module, 'a'), { recursive: true })
    await mkdir(path.join(module, 'b'), { recursive: true })
    await writeFile(path.join(module, 'go.mod'), 'module example.com/trim\n\ngo 1.21\n')
    await writeFile(
      path.join(module, 'a', 'main.go'),
      'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("a") }\n'
    )
    await writeFile(
      path.join(module, 'b', 'main.go'),
      'package main\n\nimport "strings"\n\nfunc main() { println(strings.ToUpper("b")) }\n'
    )
  })

  test('keeps what a build used and drops what it did not', async () => {
    // A cold cache: both packages and the standard library they need get compiled.
    await execFileAsync('go', ['build', '-o', os.devNull, './a', './b'], { cwd: module, env })
    const warm = await buildX('./b')
    expect(compilesOf(warm, 'b')).toEqual([]) // sanity: the signal says "nothing compiled" when cached

    // A cache restored from an earlier job: every entry is 3 hours old.
    expect(await setMtimeEverywhere(gocache, new Date(Date.now() - 3 * HOUR))).toBeGreaterThan(0)
    const before = await filesIn(gocache)
    await writeFile(path.join(gocache, 'trim.txt'), `${Math.floor(Date.now() / 1000)}\n`)

    // This job builds only A; Go refreshes the mtime of the entries it uses.
    const start = Date.now()
    await execFileAsync('go', ['build', '-o', os.devNull, './a'], { cwd: module, env })

    const result = await trimBuildCache(gocache, start)

    // (a) something was removed, something kept, and trim.txt is gone.
    expect(result.removedFiles).toBeGreaterThan(0)
    expect(result.removedBytes).toBeGreaterThan(0)
    expect(result.keptBytes).toBeGreaterThan(0)
    expect(await filesIn(gocache)).toBeLessThan(before)
    expect(existsSync(path.join(gocache, 'trim.txt'))).toBe(false)

    // (b) A still builds from the cache alone: no compile step at all.
    const again = await buildX('./a')
    expect(compileLines(again)).toEqual([])

    // (c) B's own package was dropped: it compiles again.
    const rebuilt = await buildX('./b')
    expect(compilesOf(rebuilt, 'b')).toHaveLength(1)
  }, 180_000)
})

describe('trimBuildCache on a synthetic cache', () => {
  let gocache: string
  const start = Date.now()
  const at = (ms: number): Date => new Date(ms)

  async function entry(rel: string, mtimeMs: number, size = 10): Promise<string> {
    const file = path.join(gocache, rel)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, 'x'.repeat(size))
    await utimes(file, at(mtimeMs), at(mtimeMs))
    return file
  }

  beforeAll(async () => {
    gocache = path.join(tmp, 'synthetic')
  })

  test('removes entries older than start − 1h in hex folders, keeps the rest', async () => {
    const old1 = await entry('00/0011aa-a', start - 3 * HOUR, 100)
    const old2 = await entry('ff/ff22bb-d', start - HOUR - 60_000, 50)
    const recent = await entry('00/0033cc-a', start - HOUR + 60_000, 7)
    const used = await entry('ab/ab44dd-d', start + 5_000, 3)
    const fuzz = await entry('fuzz/example.com/m/FuzzX/corpus1', start - 48 * HOUR, 1000)
    const notHex = await entry('zz/zz55ee-a', start - 48 * HOUR, 1000)
    const upper = await entry('AB/AB66ff-a', start - 48 * HOUR, 1000)
    const readme = await entry('README', start - 48 * HOUR, 1000)
    const trimTxt = await entry('trim.txt', start - 48 * HOUR, 11)

    const result = await trimBuildCache(gocache, start)

    expect(existsSync(old1)).toBe(false)
    expect(existsSync(old2)).toBe(false)
    expect(existsSync(recent)).toBe(true)
    expect(existsSync(used)).toBe(true)
    for (const kept of [fuzz, notHex, upper, readme]) expect(existsSync(kept)).toBe(true)
    expect(existsSync(trimTxt)).toBe(false)
    expect(result.removedFiles).toBe(2)
    expect(result.removedBytes).toBe(150)
    expect(result.keptBytes).toBe((await stat(recent)).size + (await stat(used)).size)
  })

  test('an entry that vanishes while it trims (another go on a shared GOCACHE) is skipped', async () => {
    const kept = await entry('cd/cd77aa-a', start + 1_000, 5)
    // A dangling link is listed by readdir and gone by stat, as a file another process removed.
    await symlink(path.join(gocache, 'gone'), path.join(gocache, 'cd', 'cd88bb-d'))
    const result = await trimBuildCache(gocache, start)
    expect(result.removedFiles).toBe(0)
    expect(existsSync(kept)).toBe(true)
  })

  test('a missing GOCACHE trims nothing', async () => {
    expect(await trimBuildCache(path.join(tmp, 'no-such-cache'), start)).toEqual({
      removedFiles: 0,
      removedBytes: 0,
      keptBytes: 0
    })
  })
})
