// Real folders in temp dirs and real git repositories: no mocks.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  symlink,
  writeFile
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ActionError, InputError } from '../../src/errors.js'
import {
  claimOutputDir,
  inspectOutputDir,
  OWNERSHIP_FILE,
  type OutputDir
} from '../../src/workspace/output-dir.js'

let root: string
let ws: string
let outside: string

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'gpa-outdir-')))
  ws = path.join(root, 'ws')
  outside = path.join(root, 'outside')
  await mkdir(ws)
  await mkdir(outside)
  await writeFile(path.join(outside, 'precious.txt'), 'keep me')
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

function inspect(given: string, keep?: (name: string) => boolean): Promise<OutputDir> {
  return inspectOutputDir({ given, resolved: path.resolve(ws, given), workspace: ws, keep })
}

/** The error inspect throws: always InputError('output-dir', …). */
async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  const input = error as InputError
  expect(input.input).toBe('output-dir')
  expect(input.message.startsWith('output-dir: ')).toBe(true)
  return input
}

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: ws, stdio: 'pipe' })
}

async function put(file: string, text = 'x'): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, text)
}

/** Every entry under dir, with what it is and its size and mtime: a write anywhere changes it. */
async function snapshot(dir: string): Promise<string[]> {
  const lines: string[] = []
  const walk = async (current: string): Promise<void> => {
    for (const name of (await readdir(current)).sort()) {
      const file = path.join(current, name)
      const info = await lstat(file)
      const kind = info.isSymbolicLink()
        ? `link->${await readlink(file)}`
        : info.isDirectory()
          ? 'dir'
          : 'file'
      lines.push(`${path.relative(root, file)} ${kind} ${info.size} ${info.mtimeMs} ${info.mode}`)
      if (info.isDirectory() && !info.isSymbolicLink()) await walk(file)
    }
  }
  await walk(dir)
  return lines
}

/** Every path under dir, relative to it, '/'-separated, sorted; symlinks are listed, not followed. */
async function listing(dir: string): Promise<string[]> {
  const paths: string[] = []
  const walk = async (current: string, prefix: string): Promise<void> => {
    for (const name of await readdir(current)) {
      paths.push(prefix + name)
      const file = path.join(current, name)
      if ((await lstat(file)).isDirectory()) await walk(file, `${prefix}${name}/`)
    }
  }
  await walk(dir, '')
  return paths.sort()
}

async function record(dir: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(dir, OWNERSHIP_FILE), 'utf8'))
}

describe('inspectOutputDir: where output-dir is', () => {
  test('a folder inside the workspace, missing or present, resolves through a symlinked workspace', async () => {
    const missing = await inspect('out/dist')
    expect(missing).toEqual({
      dir: path.join(ws, 'out', 'dist'),
      given: 'out/dist',
      previous: [],
      kept: []
    })
    await mkdir(path.join(ws, 'dist'))
    const linkedWs = path.join(root, 'ws-link')
    await symlink(ws, linkedWs)
    const present = await inspectOutputDir({
      given: 'dist',
      resolved: path.join(linkedWs, 'dist'),
      workspace: linkedWs
    })
    expect(present.dir).toBe(path.join(ws, 'dist'))
  })

  test('outside the workspace through ../.. is refused, naming both paths', async () => {
    const error = await refusal(inspect('../..'))
    expect(error.message).toBe(
      `output-dir: "../.." resolves to ${path.dirname(root)}, outside the workspace ${ws}: ` +
        'choose a folder inside it, such as dist'
    )
    await refusal(inspect('../ws-sibling'))
  })

  test('outside through an absolute path is refused', async () => {
    expect((await refusal(inspect(outside))).message).toContain(
      `resolves to ${outside}, outside the workspace`
    )
    expect((await refusal(inspect('/'))).message).toContain('resolves to /, outside the workspace')
    expect((await refusal(inspect(path.join(outside, 'new', 'dist')))).message).toContain(
      'outside the workspace'
    )
  })

  test('a symlink inside the workspace pointing out is followed and refused, even for a missing folder below it', async () => {
    await symlink(outside, path.join(ws, 'dist'))
    expect((await refusal(inspect('dist'))).message).toContain(
      `"dist" resolves to ${outside}, outside the workspace ${ws}`
    )
    expect((await refusal(inspect('dist/sub/deeper'))).message).toContain(
      `resolves to ${path.join(outside, 'sub', 'deeper')}, outside the workspace`
    )
  })

  test('the workspace itself is refused, written as . or through a symlink', async () => {
    const message =
      'is the workspace itself; the action needs a folder of its own (such as dist), ' +
      'since it removes what it wrote there on the next run'
    expect((await refusal(inspect('.'))).message).toBe(`output-dir: "." ${message}`)
    await symlink(ws, path.join(ws, 'self'))
    expect((await refusal(inspect('self'))).message).toBe(`output-dir: "self" ${message}`)
    await symlink('..', path.join(ws, 'up'))
    expect((await refusal(inspect('up/ws'))).message).toBe(`output-dir: "up/ws" ${message}`)
  })

  test('a file, or a folder below a file, is refused by name', async () => {
    await put(path.join(ws, 'README.md'))
    expect((await refusal(inspect('README.md'))).message).toContain(
      `${path.join(ws, 'README.md')} is not a folder`
    )
    expect((await refusal(inspect('README.md/dist'))).message).toContain(
      `${path.join(ws, 'README.md')} is not a folder`
    )
  })

  test('a symlink to nothing is refused, not created through', async () => {
    await symlink(path.join(outside, 'missing'), path.join(ws, 'dist'))
    expect((await refusal(inspect('dist'))).message).toContain('a symbolic link to nothing')
  })
})

describe('inspectOutputDir: files git tracks', () => {
  beforeEach(() => {
    git('init', '-q')
  })

  test('a folder holding a tracked file is refused, naming it', async () => {
    await put(path.join(ws, 'dist', 'main.go'))
    git('add', 'dist/main.go')
    expect((await refusal(inspect('dist'))).message).toBe(
      'output-dir: "dist" holds files git tracks (dist/main.go); the action removes and rewrites ' +
        'its folder, so choose one that git does not track, such as dist'
    )
  })

  test('many tracked files: three named and the count', async () => {
    for (const name of ['a.go', 'b.go', 'c.go', 'd.go', 'sub/e.go'])
      await put(path.join(ws, 'cmd', name))
    git('add', 'cmd')
    expect((await refusal(inspect('cmd'))).message).toContain(
      '(cmd/a.go, cmd/b.go, cmd/c.go, …, 5 in all)'
    )
  })

  test('a tracked file makes even a subfolder refused; untracked files only count as foreign', async () => {
    await put(path.join(ws, 'image', 'sub', 'main.go'))
    git('add', 'image')
    expect((await refusal(inspect('image/sub'))).message).toContain('holds files git tracks')
    await put(path.join(ws, 'dist', 'untracked.txt'))
    expect((await refusal(inspect('dist'))).message).toContain(
      'holds files the action did not write: untracked.txt.'
    )
  })

  test('untracked folders in a repository are fine, and output-dir is a name, not a pattern', async () => {
    await put(path.join(ws, 'dist-src', 'main.go'))
    git('add', 'dist-src')
    expect((await inspect('dist')).previous).toEqual([])
    // As a pathspec, dist* would match dist-src/main.go.
    expect((await inspect('dist*')).dir).toBe(path.join(ws, 'dist*'))
  })

  test('a workspace below the top of the repository is checked too', async () => {
    const sub = path.join(ws, 'module')
    await put(path.join(sub, 'out', 'x.go'))
    git('add', 'module')
    const error = await refusal(
      inspectOutputDir({ given: 'out', resolved: path.join(sub, 'out'), workspace: sub })
    )
    expect(error.message).toContain('(out/x.go)')
  })
})

describe('inspectOutputDir: what is in the folder', () => {
  test('files the action did not write are refused, a few named, sorted and sanitized', async () => {
    const dist = path.join(ws, 'dist')
    for (const name of ['e', 'c', 'a', 'b', 'd']) await put(path.join(dist, name))
    expect((await refusal(inspect('dist'))).message).toBe(
      'output-dir: "dist" holds files the action did not write: a, b, c (and 2 more). Remove them ' +
        `or choose another folder: the action only removes what it recorded in ${OWNERSHIP_FILE}`
    )
    await rm(dist, { recursive: true })
    await put(path.join(dist, 'bad\nname\u001b[31m'))
    await put(path.join(dist, 'x'.repeat(200)))
    const message = (await refusal(inspect('dist'))).message
    expect(message).toContain('did not write: bad?name?[31m, xxx')
    expect(message).toContain(`${'x'.repeat(79)}…`)
    expect(message).not.toContain('x'.repeat(80))
  })

  test('an empty folder, or one holding only the record, is fine', async () => {
    await mkdir(path.join(ws, 'dist'))
    expect(await inspect('dist')).toEqual({
      dir: path.join(ws, 'dist'),
      given: 'dist',
      previous: [],
      kept: []
    })
    await writeFile(
      path.join(ws, 'dist', OWNERSHIP_FILE),
      JSON.stringify({ schema: 1, paths: ['b', 'a/x', 'b'] })
    )
    expect((await inspect('dist')).previous).toEqual(['a/x', 'b'])
  })

  test('kept names are accepted and listed; recorded paths under them are not the action’s to remove', async () => {
    const dist = path.join(ws, 'dist')
    await put(path.join(dist, 'leg-linux.json'))
    await put(path.join(dist, 'linux_amd64', 'app'))
    await put(path.join(dist, 'old.txt'))
    await writeFile(
      path.join(dist, OWNERSHIP_FILE),
      JSON.stringify({ schema: 1, paths: ['linux_amd64/app', 'old.txt'] })
    )
    const keep = (name: string): boolean => name.startsWith('leg-') || name === 'linux_amd64'
    const out = await inspect('dist', keep)
    expect(out.kept).toEqual(['leg-linux.json', 'linux_amd64'])
    expect(out.previous).toEqual(['old.txt'])
    expect((await refusal(inspect('dist'))).message).toContain('did not write: leg-linux.json.')
  })

  test('a corrupt record is refused, naming it and saying to remove it', async () => {
    const dist = path.join(ws, 'dist')
    const file = path.join(dist, OWNERSHIP_FILE)
    const cases: [string, () => Promise<void>][] = [
      ['is not JSON', () => writeFile(file, '{"schema": 1, "paths": [')],
      ['is not a JSON object', () => writeFile(file, '[]')],
      ['does not have "schema": 1', () => writeFile(file, '{"schema": 2, "paths": []}')],
      ['does not have "schema": 1', () => writeFile(file, '{"paths": []}')],
      [
        'does not have "paths" as a list of strings',
        () => writeFile(file, '{"schema": 1, "paths": "a"}')
      ],
      [
        'does not have "paths" as a list of strings',
        () => writeFile(file, '{"schema": 1, "paths": ["a", 1]}')
      ],
      ['does not have "paths" as a list of strings', () => writeFile(file, '{"schema": 1}')],
      ['is larger than 1 MiB', () => writeFile(file, ' '.repeat(1024 * 1024 + 1))],
      ['is a folder', () => mkdir(file)],
      [
        'is not a regular file',
        async () => {
          execFileSync('mkfifo', [file])
        }
      ],
      [
        'is a symbolic link',
        async () => {
          await writeFile(path.join(outside, 'record.json'), '{"schema": 1, "paths": []}')
          await symlink(path.join(outside, 'record.json'), file)
        }
      ]
    ]
    for (const [why, make] of cases) {
      await rm(dist, { recursive: true, force: true })
      await mkdir(dist)
      await make()
      const message = (await refusal(inspect('dist'))).message
      expect(message).toContain(`"dist" holds ${file}, which ${why}`)
      expect(message).toContain('remove that file')
    }
  })

  test('invalid record entries are dropped, never removed, and not fatal', async () => {
    const dist = path.join(ws, 'dist')
    await put(path.join(ws, 'x'), 'the user’s')
    await put(path.join(dist, 'ok'))
    await writeFile(
      path.join(dist, OWNERSHIP_FILE),
      JSON.stringify({
        schema: 1,
        paths: [
          '../x',
          'ok/../../x',
          '/etc/passwd',
          'C:/x',
          'a\\..\\..\\x',
          'a\0b',
          '',
          '.',
          'ok/',
          'ok'
        ]
      })
    )
    const out = await inspect('dist')
    expect(out.previous).toEqual(['ok'])
    await claimOutputDir(out, [])
    expect(await readFile(path.join(ws, 'x'), 'utf8')).toBe('the user’s')
    expect(await listing(dist)).toEqual([OWNERSHIP_FILE])
  })

  test('inspect never writes, whether it accepts or refuses', async () => {
    git('init', '-q')
    await put(path.join(ws, 'main.go'))
    await put(path.join(ws, 'tracked', 'a.go'))
    git('add', '.')
    await put(path.join(ws, 'dist', 'a', 'b.txt'))
    await put(path.join(ws, 'foreign', 'user.txt'))
    await put(path.join(ws, 'corrupt', OWNERSHIP_FILE), 'nope')
    await writeFile(
      path.join(ws, 'dist', OWNERSHIP_FILE),
      JSON.stringify({ schema: 1, paths: ['a/b.txt', '../main.go'] })
    )
    const before = await snapshot(root)
    expect(before.some(line => line.startsWith('ws/.git/index file'))).toBe(true)
    expect((await inspect('dist')).previous).toEqual(['a/b.txt'])
    expect((await inspect('missing/dist')).dir).toBe(path.join(ws, 'missing', 'dist'))
    for (const given of ['.', '..', 'tracked', 'foreign', 'corrupt', 'main.go'])
      await refusal(inspect(given))
    expect(await snapshot(root)).toEqual(before)
  })
})

describe('claimOutputDir', () => {
  /** One run: inspect, claim, then write what it planned (a trailing / makes a folder). */
  async function run(
    planned: string[],
    keep?: (name: string) => boolean,
    given = 'dist'
  ): Promise<OutputDir> {
    const out = await inspect(given, keep)
    await claimOutputDir(out, planned)
    for (const p of planned) {
      if (p.endsWith('/')) await put(path.join(out.dir, p, 'inside'))
      else await put(path.join(out.dir, p))
    }
    return out
  }

  test('creates the folder and records the planned paths, sorted and deduplicated, atomically', async () => {
    await run(
      ['linux_amd64/app', 'checksums.txt', 'image/', './checksums.txt'],
      undefined,
      'out/dist'
    )
    const dist = path.join(ws, 'out', 'dist')
    expect(await record(dist)).toEqual({
      schema: 1,
      paths: ['checksums.txt', 'image', 'linux_amd64/app']
    })
    expect(await listing(dist)).toEqual([
      OWNERSHIP_FILE,
      'checksums.txt',
      'image',
      'image/inside',
      'linux_amd64',
      'linux_amd64/app'
    ])
  })

  test('the next run removes exactly what was recorded; kept and unrecorded files in owned folders stay', async () => {
    const dist = path.join(ws, 'dist')
    await run(['linux_amd64/app', 'linux_amd64/app.tar.gz', 'a/b/c.txt', 'checksums.txt', 'image/'])
    // Files the user (or download-artifact) put there since.
    await put(path.join(dist, 'leg-linux.json'), 'leg')
    await put(path.join(dist, 'a', 'user.txt'), 'user')
    const keep = (name: string): boolean => name.startsWith('leg-')

    const second = await run(['checksums.txt', 'release/'], keep)
    expect(second.previous).toEqual([
      'a/b/c.txt',
      'checksums.txt',
      'image',
      'linux_amd64/app',
      'linux_amd64/app.tar.gz'
    ])
    expect(second.kept).toEqual(['leg-linux.json'])
    expect(await listing(dist)).toEqual([
      OWNERSHIP_FILE,
      'a',
      'a/user.txt',
      'checksums.txt',
      'leg-linux.json',
      'release',
      'release/inside'
    ])
    expect(await readFile(path.join(dist, 'leg-linux.json'), 'utf8')).toBe('leg')
    expect(await record(dist)).toEqual({ schema: 1, paths: ['checksums.txt', 'release'] })

    // Without keep, the user's file is foreign, and so is the folder the record no longer owns.
    expect((await refusal(inspect('dist'))).message).toContain('did not write: a, leg-linux.json.')
  })

  test('a symlink planted at a recorded path: only the link goes, its target stays', async () => {
    const dist = path.join(ws, 'dist')
    await run(['image/', 'linux_amd64/app'])
    await rm(path.join(dist, 'image'), { recursive: true })
    await symlink(outside, path.join(dist, 'image'))
    await rm(path.join(dist, 'linux_amd64', 'app'))
    await symlink(path.join(outside, 'precious.txt'), path.join(dist, 'linux_amd64', 'app'))

    await run(['checksums.txt'])
    expect(await listing(dist)).toEqual([OWNERSHIP_FILE, 'checksums.txt'])
    expect(await listing(outside)).toEqual(['precious.txt'])
    expect(await readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me')
  })

  test('a symlink in place of a recorded folder is not followed, and writing under it is refused', async () => {
    const dist = path.join(ws, 'dist')
    await run(['linked/precious.txt'])
    await rm(path.join(dist, 'linked'), { recursive: true })
    await symlink(outside, path.join(dist, 'linked'))

    const out = await inspect('dist')
    expect(out.previous).toEqual(['linked/precious.txt'])
    const error = await claimOutputDir(out, ['linked/precious.txt']).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'output-dir: the action would write "linked/precious.txt" in "dist", but linked there is a ' +
        'symbolic link, and the action does not write through links: remove it and run again'
    )
    expect(await readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me')
  })

  test('a planned path through a symlink the caller keeps, or over a kept entry, is refused', async () => {
    const dist = path.join(ws, 'dist')
    await mkdir(dist)
    await symlink(outside, path.join(dist, 'legs'))
    await put(path.join(dist, 'leg.json'))
    const out = await inspect('dist', name => name === 'legs' || name === 'leg.json')
    expect(out.kept).toEqual(['leg.json', 'legs'])
    for (const planned of ['legs/new.txt', 'leg.json']) {
      const error = await claimOutputDir(out, [planned]).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(ActionError)
      expect((error as Error).message).toContain(`would write "${planned}" in "dist"`)
      expect((error as Error).message).toContain('which it keeps and did not write')
    }
    expect(await listing(outside)).toEqual(['precious.txt'])
    expect(await listing(dist)).toEqual(['leg.json', 'legs'])
  })

  test('absolute, .. and the record itself are refused before anything is removed', async () => {
    const dist = path.join(ws, 'dist')
    await run(['old.txt'])
    const out = await inspect('dist')
    const cases: [string, string][] = [
      ['/etc/passwd', 'the path is absolute'],
      [path.join(outside, 'x'), 'the path is absolute'],
      ['../x', "the path holds '..'"],
      ['a/../../x', "the path holds '..'"],
      ['a\\b', 'the path holds a backslash'],
      ['.', 'names output-dir itself'],
      ['', 'names output-dir itself'],
      [OWNERSHIP_FILE, "is the action's own record"]
    ]
    for (const [planned, why] of cases) {
      const error = await claimOutputDir(out, ['fine.txt', planned]).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(ActionError)
      expect((error as Error).message).toContain(`"${planned}"`)
      expect((error as Error).message).toContain(why)
    }
    expect(await listing(dist)).toEqual([OWNERSHIP_FILE, 'old.txt'])
    expect(await record(dist)).toEqual({ schema: 1, paths: ['old.txt'] })
  })

  test('a leftover temp record, even a symlink out, is replaced and never written through', async () => {
    const dist = path.join(ws, 'dist')
    await run(['a.txt'])
    const temp = path.join(dist, `${OWNERSHIP_FILE}.tmp`)
    await symlink(path.join(outside, 'precious.txt'), temp)
    await run(['b.txt'])
    expect(await listing(dist)).toEqual([OWNERSHIP_FILE, 'b.txt'])
    expect(await readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me')
    expect(await record(dist)).toEqual({ schema: 1, paths: ['b.txt'] })
  })

  test('a folder replaced by a symlink after inspect is refused before anything is removed', async () => {
    const dist = path.join(ws, 'dist')
    await run(['precious.txt'])
    const out = await inspect('dist')
    await rm(dist, { recursive: true })
    await symlink(outside, dist)
    const error = await claimOutputDir(out, ['new.txt']).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toContain(`now resolves to ${outside}`)
    expect(await listing(outside)).toEqual(['precious.txt'])
  })
})
