import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { writeTarGz } from '../../src/build/archive/tar-gz.js'
import { dosDateTime, writeZip } from '../../src/build/archive/zip.js'
import type { ArchiveEntry } from '../../src/build/artifacts.js'
import { sha256File } from '../../src/util/hash.js'
import { NODE24, REPO_ROOT } from '../helpers/run-action.js'

const execFileAsync = promisify(execFile)

/** 2023-11-14T22:13:20Z */
const MTIME = 1_700_000_000

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-archive-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

async function run(
  command: string,
  args: string[],
  env: Record<string, string> = {}
): Promise<string> {
  const { stdout } = await execFileAsync(command, args, {
    env: { ...process.env, LC_ALL: 'C', ...env },
    maxBuffer: 64 * 1024 * 1024
  })
  return stdout
}

/** Incompressible-ish bytes from a fixed seed, large enough to span several 64 KiB blocks. */
function pseudoBinary(size: number): Buffer {
  const bytes = Buffer.alloc(size)
  let x = 0x2545f491
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    // Every eighth byte random, the rest a repeating pattern: something for deflate to do.
    bytes[i] = i % 8 === 0 ? x & 0xff : i % 251
  }
  return bytes
}

/** Writes the files into dir and returns them as entries, deliberately not in name order. */
async function fixture(dir: string): Promise<ArchiveEntry[]> {
  await mkdir(dir, { recursive: true })
  const files: Array<[string, Buffer | string, number]> = [
    ['app', pseudoBinary(300_000), 0o755],
    ['README.md', '# app\n\nDoes things.\n', 0o644],
    ['LICENSE', 'MIT License\n', 0o644],
    ['empty.txt', '', 0o644],
    ['CHANGELOG.md', '## 1.2.3\n\n- first\n', 0o644]
  ]
  const entries: ArchiveEntry[] = []
  for (const [name, content, mode] of files) {
    await writeFile(path.join(dir, name), content)
    entries.push({ name, source: path.join(dir, name), mode })
  }
  return entries
}
/** Byte order: upper case before lower case. */
const SORTED = ['CHANGELOG.md', 'LICENSE', 'README.md', 'app', 'empty.txt']

/** The small fixed input whose archive hashes are pinned below. */
async function goldenFixture(dir: string): Promise<ArchiveEntry[]> {
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'app'), '#!/bin/sh\necho hello\n')
  await writeFile(path.join(dir, 'README.md'), '# app\n')
  return [
    { name: 'app', source: path.join(dir, 'app'), mode: 0o755 },
    { name: 'README.md', source: path.join(dir, 'README.md'), mode: 0o644 }
  ]
}
/**
 * Pinned bytes: they must hold under every Node version jest runs with (20 and 24) and change only
 * when we mean to change the format or upgrade fflate / tar-stream on purpose.
 */
const GOLDEN_TAR_GZ = 'e66243532f71d4f7d7eb466e4f33dc189c930659c5a683673f825838b19f965a'
const GOLDEN_ZIP = 'b3a2a2ad2e22a11e30e11114e7e0c83c63c217b44f4d3b489ee1c170a50ddd3e'

/**
 * Runs the writers from the TypeScript sources under Node 24 (which strips types itself) with a
 * different TZ: the bytes must not depend on the Node version or the time zone.
 */
async function writeWithNode24(
  entries: ArchiveEntry[],
  outDir: string,
  mtime: number,
  tz: string
): Promise<void> {
  const script = path.join(outDir, 'write.mjs')
  // Node 24 strips the types itself; sources import each other as .js, as TypeScript asks, so
  // resolve those to the .ts files beside them.
  const hooks = path.join(outDir, 'hooks.mjs')
  await writeFile(
    hooks,
    [
      'export async function resolve(specifier, context, next) {',
      '  try { return await next(specifier, context) } catch (error) {',
      "    if (!specifier.endsWith('.js')) throw error",
      "    return next(specifier.slice(0, -3) + '.ts', context)",
      '  }',
      '}'
    ].join('\n')
  )
  const register = path.join(outDir, 'register.mjs')
  await writeFile(
    register,
    `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`
  )
  const source = (file: string): string =>
    JSON.stringify(path.join(REPO_ROOT, 'src/build/archive', file))
  await writeFile(
    script,
    [
      `import { writeTarGz } from ${source('tar-gz.ts')}`,
      `import { writeZip } from ${source('zip.ts')}`,
      `const entries = ${JSON.stringify(entries)}`,
      `await writeTarGz(entries, ${JSON.stringify(path.join(outDir, 'out.tar.gz'))}, ${mtime})`,
      `await writeZip(entries, ${JSON.stringify(path.join(outDir, 'out.zip'))}, ${mtime})`
    ].join('\n')
  )
  await run(NODE24, ['--no-warnings', '--import', register, script], { TZ: tz })
}

describe('writeTarGz', () => {
  let dir: string
  let archive: string
  let entries: ArchiveEntry[]
  beforeAll(async () => {
    dir = path.join(tmp, 'tar')
    entries = await fixture(path.join(dir, 'src'))
    archive = path.join(dir, 'out.tar.gz')
    await writeTarGz(entries, archive, MTIME)
  })

  test('lists exactly the files, in byte order, at the root, owned by 0/0, with the modes and mtime', async () => {
    const listing = await run('tar', ['--numeric-owner', '--full-time', '-tvzf', archive], {
      TZ: 'UTC'
    })
    const expected = []
    for (const name of SORTED) {
      const entry = entries.find(e => e.name === name) as ArchiveEntry
      const mode = entry.mode === 0o755 ? '-rwxr-xr-x' : '-rw-r--r--'
      const size = (await stat(entry.source)).size
      expected.push([mode, '0/0', String(size), '2023-11-14', '22:13:20', name])
    }
    expect(
      listing
        .trimEnd()
        .split('\n')
        .map(l => l.split(/\s+/))
    ).toEqual(expected)
  })

  test('has ustar headers with empty owner names', async () => {
    const tarBytes = gunzipSync(await readFile(archive))
    expect(tarBytes.length % 512).toBe(0)
    // The first header: magic "ustar\0" + version "00", uname and gname all zero bytes.
    expect(tarBytes.subarray(257, 265).toString('latin1')).toBe('ustar\x0000')
    expect(tarBytes.subarray(265, 329).every(b => b === 0)).toBe(true)
  })

  test('extracts to the same contents', async () => {
    const out = path.join(dir, 'extracted')
    await mkdir(out)
    await run('tar', ['-xzf', archive, '-C', out])
    expect((await readdir(out)).sort()).toEqual([...SORTED].sort())
    for (const entry of entries) {
      expect(await readFile(path.join(out, entry.name))).toEqual(await readFile(entry.source))
    }
  })

  test('has a gzip header with mtime 0, no name and OS 255', async () => {
    const bytes = await readFile(archive)
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 (level 6) OS=255
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])
    await run('gzip', ['-t', archive])
    expect(await run('gzip', ['-lv', archive])).toMatch(/\bdefla\b/)
  })

  test('gives the same bytes from another directory, at another path', async () => {
    const other = path.join(tmp, 'elsewhere', 'deeper')
    await cp(path.join(dir, 'src'), path.join(other, 'copy'), { recursive: true })
    const moved = entries.map(e => ({ ...e, source: path.join(other, 'copy', e.name) }))
    await writeTarGz([...moved].reverse(), path.join(other, 'again.tar.gz'), MTIME)
    expect(await sha256File(path.join(other, 'again.tar.gz'))).toBe(await sha256File(archive))
  })

  test('refuses a name listed twice; fails cleanly when a source or the destination is missing', async () => {
    const twice = path.join(dir, 'twice.tar.gz')
    await expect(writeTarGz([entries[0]!, entries[0]!], twice, MTIME)).rejects.toThrow(/twice/)
    const missing = path.join(dir, 'missing.tar.gz')
    const broken = [...entries, { name: 'zzz', source: path.join(dir, 'nope'), mode: 0o644 }]
    await expect(writeTarGz(broken, missing, MTIME)).rejects.toThrow(/ENOENT/)
    await expect(readFile(missing)).rejects.toThrow(/ENOENT/)
    const first = [{ name: 'a', source: path.join(dir, 'nope'), mode: 0o644 }]
    await expect(writeTarGz(first, missing, MTIME)).rejects.toThrow(/ENOENT/)
    const nowhere = path.join(dir, 'no-such-dir', 'out.tar.gz')
    await expect(writeTarGz(entries, nowhere, MTIME)).rejects.toThrow(/ENOENT/)
  })
})

describe('writeZip', () => {
  let dir: string
  let archive: string
  let entries: ArchiveEntry[]
  beforeAll(async () => {
    dir = path.join(tmp, 'zip')
    entries = await fixture(path.join(dir, 'src'))
    archive = path.join(dir, 'out.zip')
    await writeZip(entries, archive, MTIME)
  })

  test('zipinfo shows the files in byte order with Unix modes and the UTC time', async () => {
    const listing = await run('zipinfo', ['-T', archive])
    const expected = []
    for (const name of SORTED) {
      const entry = entries.find(e => e.name === name) as ArchiveEntry
      const mode = entry.mode === 0o755 ? '-rwxr-xr-x' : '-rw-r--r--'
      const size = (await stat(entry.source)).size
      // "2.0 unx": version made by 2.0 on Unix. "bl": binary, a data descriptor ("l", as Go's
      // archive/zip writes too) and no extra field ("x"/"X" would mean one, e.g. UT timestamps).
      expected.push([mode, '2.0', 'unx', String(size), 'bl', 'defN', '20231114.221320', name])
    }
    const lines = listing.split('\n').filter(l => l.startsWith('-'))
    expect(lines.map(l => l.split(/\s+/))).toEqual(expected)
  })

  test('unzip -p gives the same contents, and unzip -t passes', async () => {
    for (const entry of entries) {
      const { stdout } = await execFileAsync('unzip', ['-p', archive, entry.name], {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024
      })
      expect(stdout).toEqual(await readFile(entry.source))
    }
    expect(await run('unzip', ['-t', archive])).toMatch(/No errors detected/)
  })

  test('gives the same bytes from another directory', async () => {
    const other = path.join(tmp, 'zip-elsewhere')
    await cp(path.join(dir, 'src'), path.join(other, 'copy'), { recursive: true })
    const moved = entries.map(e => ({ ...e, source: path.join(other, 'copy', e.name) }))
    await writeZip([...moved].reverse(), path.join(other, 'again.zip'), MTIME)
    expect(await sha256File(path.join(other, 'again.zip'))).toBe(await sha256File(archive))
  })

  test('keeps integer-like names in byte order', async () => {
    const src = path.join(tmp, 'numbers')
    await mkdir(src)
    const names = ['9', '10', 'a', '1']
    for (const name of names) await writeFile(path.join(src, name), name)
    const out = path.join(src, 'n.zip')
    await writeZip(
      names.map(name => ({ name, source: path.join(src, name), mode: 0o644 })),
      out,
      MTIME
    )
    expect((await run('zipinfo', ['-1', out])).trimEnd().split('\n')).toEqual(['1', '10', '9', 'a'])
  })
})

describe('dosDateTime', () => {
  const dos = (y: number, mo: number, d: number, h: number, mi: number, s: number) => ({
    date: ((y - 1980) << 9) | (mo << 5) | d,
    time: (h << 11) | (mi << 5) | (s >> 1)
  })
  test.each([
    ['the DOS epoch', Date.UTC(1980, 0, 1) / 1000, { date: 0x0021, time: 0 }],
    ['a commit time', MTIME, dos(2023, 11, 14, 22, 13, 20)],
    ['odd seconds round down', MTIME + 1, dos(2023, 11, 14, 22, 13, 20)],
    [
      'a leap day, last second',
      Date.UTC(2024, 1, 29, 23, 59, 59) / 1000,
      dos(2024, 2, 29, 23, 59, 58)
    ],
    [
      'a time in a New York DST gap',
      Date.UTC(2024, 2, 10, 2, 30) / 1000,
      dos(2024, 3, 10, 2, 30, 0)
    ],
    ['before 1980: clamped', 0, dos(1980, 1, 1, 0, 0, 0)],
    ['after 2107: clamped', Date.UTC(2200, 0, 1) / 1000, dos(2107, 12, 31, 23, 59, 58)]
  ])('%s', (_what, seconds, expected) => {
    expect(dosDateTime(seconds)).toEqual(expected)
  })
  test('the helper above agrees with a hand-computed value', () => {
    // 2023-11-14 22:13:20: (43 << 9 | 11 << 5 | 14, 22 << 11 | 13 << 5 | 20 / 2)
    expect(dos(2023, 11, 14, 22, 13, 20)).toEqual({ date: 0x576e, time: 0xb1aa })
  })
})

describe('reproducibility across Node versions and time zones', () => {
  test('the golden input gives the pinned hashes', async () => {
    const dir = path.join(tmp, 'golden')
    const entries = await goldenFixture(path.join(dir, 'src'))
    await writeTarGz(entries, path.join(dir, 'golden.tar.gz'), MTIME)
    await writeZip(entries, path.join(dir, 'golden.zip'), MTIME)
    expect({
      node: process.version.split('.')[0],
      tarGz: await sha256File(path.join(dir, 'golden.tar.gz')),
      zip: await sha256File(path.join(dir, 'golden.zip'))
    }).toEqual({ node: process.version.split('.')[0], tarGz: GOLDEN_TAR_GZ, zip: GOLDEN_ZIP })
  })

  test.each(['Asia/Kolkata', 'America/New_York', 'Pacific/Kiritimati'])(
    'Node 24 with TZ=%s writes the same bytes as this process',
    async tz => {
      const dir = path.join(tmp, `node24-${tz.replace('/', '-')}`)
      const entries = await fixture(path.join(dir, 'src'))
      // In a New York DST gap: a local-time encoding could not even express this time.
      const gap = Date.UTC(2024, 2, 10, 2, 30) / 1000
      await writeWithNode24(entries, dir, gap, tz)
      await writeTarGz(entries, path.join(dir, 'here.tar.gz'), gap)
      await writeZip(entries, path.join(dir, 'here.zip'), gap)
      expect(await sha256File(path.join(dir, 'out.tar.gz'))).toBe(
        await sha256File(path.join(dir, 'here.tar.gz'))
      )
      expect(await sha256File(path.join(dir, 'out.zip'))).toBe(
        await sha256File(path.join(dir, 'here.zip'))
      )
      expect(await run('zipinfo', ['-T', path.join(dir, 'out.zip'), 'app'])).toMatch(
        /\b20240310\.023000 app\b/
      )
    }
  )
})
