import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { InputError } from '../../src/errors.js'
import {
  excerpt,
  lookupInWorkspace,
  type PathKind,
  readSmallFile,
  resolveInWorkspace
} from '../../src/workspace/paths.js'

// One tree for the whole file:
//   base/outside.txt            a file outside the workspace
//   base/ws/                    the workspace
//     go.mod, sub/.go-version, sub/deeper/
//     fifo (mkfifo), sock (a listening socket), dir/
//     link-in -> sub/.go-version, link-dir-in -> sub
//     link-out -> ../outside.txt, link-dir-out -> .. (so link-dir-out/outside.txt is outside)
//     dangling -> nowhere, loop-a <-> loop-b
//   base/ws-link -> ws          the workspace reached through a symlink
let base: string
let ws: string
let server: net.Server | undefined

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'gpa-paths-test-'))
  ws = path.join(base, 'ws')
  mkdirSync(path.join(ws, 'sub', 'deeper'), { recursive: true })
  mkdirSync(path.join(ws, 'dir'))
  writeFileSync(path.join(base, 'outside.txt'), 'root:x:0:0:secret\n')
  writeFileSync(path.join(ws, 'go.mod'), 'module m\n\ngo 1.26\n')
  writeFileSync(path.join(ws, 'sub', '.go-version'), '1.26.8\n')
  execFileSync('mkfifo', [path.join(ws, 'fifo')])
  symlinkSync('sub/.go-version', path.join(ws, 'link-in'))
  symlinkSync('sub', path.join(ws, 'link-dir-in'))
  symlinkSync('../outside.txt', path.join(ws, 'link-out'))
  symlinkSync('..', path.join(ws, 'link-dir-out'))
  symlinkSync('nowhere', path.join(ws, 'dangling'))
  symlinkSync('loop-b', path.join(ws, 'loop-a'))
  symlinkSync('loop-a', path.join(ws, 'loop-b'))
  symlinkSync('ws', path.join(base, 'ws-link'))
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(path.join(ws, 'sock'), resolve))
  server = s
})

afterAll(async () => {
  await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()))
  rmSync(base, { recursive: true, force: true })
})

function errorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('no InputError was thrown')
}

const resolve = (given: string, kind: PathKind, from = ws): string =>
  resolveInWorkspace({ workspace: ws, base: from, given, input: 'some-input', kind })

describe('resolveInWorkspace: accepted', () => {
  interface Ok {
    name: string
    given: () => string
    kind: PathKind
    from?: () => string
    want: () => string
  }
  const cases: Ok[] = [
    { name: 'a relative file', given: () => 'go.mod', kind: 'file', want: () => `${ws}/go.mod` },
    {
      name: 'relative to base',
      given: () => '.go-version',
      kind: 'file',
      from: () => `${ws}/sub`,
      want: () => `${ws}/sub/.go-version`
    },
    {
      name: 'an absolute path inside',
      given: () => `${ws}/sub/.go-version`,
      kind: 'file',
      want: () => `${ws}/sub/.go-version`
    },
    {
      name: '.. that stays inside',
      given: () => '../go.mod',
      kind: 'file',
      from: () => `${ws}/sub`,
      want: () => `${ws}/go.mod`
    },
    {
      name: 'a symlink inside, resolved',
      given: () => 'link-in',
      kind: 'file',
      want: () => `${ws}/sub/.go-version`
    },
    { name: 'the workspace itself as a dir', given: () => '.', kind: 'dir', want: () => ws },
    { name: 'a directory', given: () => 'sub/deeper', kind: 'dir', want: () => `${ws}/sub/deeper` },
    {
      name: 'a symlinked directory inside',
      given: () => 'link-dir-in',
      kind: 'dir',
      want: () => `${ws}/sub`
    }
  ]
  test.each(cases)('$name', ({ given, kind, from, want }) => {
    expect(resolve(given(), kind, from?.())).toBe(want())
  })

  test('a workspace reached through a symlink keeps its prefix', () => {
    const wsLink = path.join(base, 'ws-link')
    const got = resolveInWorkspace({
      workspace: wsLink,
      base: wsLink,
      given: 'link-in',
      input: 'x',
      kind: 'file'
    })
    expect(got).toBe(path.join(wsLink, 'sub', '.go-version'))
    // and the real workspace path is inside too
    expect(
      resolveInWorkspace({
        workspace: wsLink,
        base: wsLink,
        given: `${ws}/go.mod`,
        input: 'x',
        kind: 'file'
      })
    ).toBe(path.join(wsLink, 'go.mod'))
  })

  test('several bases: the first where it exists', () => {
    const opts = { workspace: ws, given: 'go.mod', input: 'x', kind: 'file' as const }
    expect(resolveInWorkspace({ ...opts, base: [`${ws}/sub`, ws] })).toBe(`${ws}/go.mod`)
    expect(resolveInWorkspace({ ...opts, given: '.go-version', base: [`${ws}/sub`, ws] })).toBe(
      `${ws}/sub/.go-version`
    )
  })
})

describe('resolveInWorkspace: refused', () => {
  interface Bad {
    name: string
    given: () => string
    kind: PathKind
    from?: () => string
    message: (ws: string) => string | RegExp
  }
  const cases: Bad[] = [
    {
      name: 'missing',
      given: () => 'nope.txt',
      kind: 'file',
      message: () => 'some-input: "nope.txt" does not exist (looked for nope.txt)'
    },
    {
      name: 'missing, relative to base',
      given: () => 'nope',
      kind: 'dir',
      from: () => `${ws}/sub`,
      message: () => 'some-input: "nope" does not exist (looked for sub/nope)'
    },
    {
      name: 'an absolute path outside (never touched)',
      given: () => '/etc/shadow',
      kind: 'file',
      message: w =>
        `some-input: "/etc/shadow" is outside the workspace (${w}); give a path inside it`
    },
    {
      name: 'an absolute path outside that does not exist: the same message',
      given: () => '/no/such/file',
      kind: 'file',
      message: w =>
        `some-input: "/no/such/file" is outside the workspace (${w}); give a path inside it`
    },
    {
      name: '.. out of the workspace',
      given: () => '../outside.txt',
      kind: 'file',
      message: w =>
        `some-input: "../outside.txt" is outside the workspace (${w}); give a path inside it`
    },
    {
      name: 'the root as a directory',
      given: () => '/',
      kind: 'dir',
      message: () => /^some-input: "\/" is outside the workspace/
    },
    {
      name: 'a symlink to a file outside',
      given: () => 'link-out',
      kind: 'file',
      message: w =>
        `some-input: "link-out" leads out of the workspace through a symlink (to ${base}/outside.txt); give a path inside ${w}`
    },
    {
      name: 'a path through a symlinked directory outside',
      given: () => 'link-dir-out/outside.txt',
      kind: 'file',
      message: () =>
        /^some-input: "link-dir-out\/outside.txt" leads out of the workspace through a symlink/
    },
    {
      name: 'a symlinked directory outside, as a dir',
      given: () => 'link-dir-out',
      kind: 'dir',
      message: () =>
        /^some-input: "link-dir-out" leads out of the workspace through a symlink \(to /
    },
    {
      name: 'a dangling symlink',
      given: () => 'dangling',
      kind: 'file',
      message: () => 'some-input: "dangling" is a symlink to something that does not exist'
    },
    {
      name: 'a loop of symlinks',
      given: () => 'loop-a',
      kind: 'file',
      message: () => 'some-input: "loop-a" is a loop of symlinks'
    },
    {
      name: 'a directory for a file',
      given: () => 'dir',
      kind: 'file',
      message: () => 'some-input: "dir" is a directory, not a file'
    },
    {
      name: '. for a file, from a base below',
      given: () => '.',
      kind: 'file',
      from: () => `${ws}/sub`,
      message: () => 'some-input: "." is a directory, not a file (sub)'
    },
    {
      name: 'the workspace for a file',
      given: () => '.',
      kind: 'file',
      message: () => 'some-input: "." is a directory, not a file'
    },
    {
      name: 'a FIFO for a file (not opened, so no hang)',
      given: () => 'fifo',
      kind: 'file',
      message: () => 'some-input: "fifo" is not a regular file (a FIFO)'
    },
    {
      name: 'a socket for a file',
      given: () => 'sock',
      kind: 'file',
      message: () => 'some-input: "sock" is not a regular file (a socket)'
    },
    {
      name: 'a file for a directory',
      given: () => 'go.mod',
      kind: 'dir',
      message: () => 'some-input: "go.mod" is a file, not a directory'
    },
    {
      name: 'a FIFO for a directory',
      given: () => 'fifo',
      kind: 'dir',
      message: () => 'some-input: "fifo" is not a directory (a FIFO)'
    },
    {
      name: 'a NUL character',
      given: () => 'go.mod\u0000x',
      kind: 'file',
      message: () => 'some-input: "go.mod�x" holds a NUL character, which no path can'
    },
    {
      name: 'a path through a file',
      given: () => 'go.mod/x',
      kind: 'file',
      message: () => 'some-input: "go.mod/x" does not exist (looked for go.mod/x)'
    }
  ]
  // A FIFO that were opened would block: the short timeout turns that into a failure.
  test.each(cases)(
    '$name',
    ({ given, kind, from, message }) => {
      const error = errorOf(() => resolve(given(), kind, from?.()))
      expect(error.input).toBe('some-input')
      const want = message(ws)
      if (typeof want === 'string') expect(error.message).toBe(want)
      else expect(error.message).toMatch(want)
      expect(error.message).not.toContain('secret')
    },
    10_000
  )

  test('several bases, none has it: every place looked is named', () => {
    const error = errorOf(() =>
      resolveInWorkspace({
        workspace: ws,
        base: [`${ws}/sub`, ws],
        given: 'nope',
        input: 'x',
        kind: 'file'
      })
    )
    expect(error.message).toBe('x: "nope" does not exist (looked for sub/nope, then nope)')
  })

  test('a device is refused by name', () => {
    const dev = path.join(ws, 'null-device')
    try {
      execFileSync('mknod', [dev, 'c', '1', '3'], { stdio: 'ignore' })
    } catch {
      // No CAP_MKNOD here: /dev/null through a symlink is then refused as outside instead.
      symlinkSync('/dev/null', dev)
      expect(errorOf(() => resolve('null-device', 'file')).message).toMatch(/leads out/)
      return
    }
    expect(errorOf(() => resolve('null-device', 'file')).message).toBe(
      'some-input: "null-device" is not a regular file (a character device)'
    )
  })

  test('lookupInWorkspace: undefined when missing, other problems still thrown', () => {
    const opts = { workspace: ws, base: ws, input: 'x', kind: 'file' as const }
    expect(lookupInWorkspace({ ...opts, given: 'go.work' })).toBeUndefined()
    expect(lookupInWorkspace({ ...opts, given: 'go.mod' })).toBe(`${ws}/go.mod`)
    expect(() => lookupInWorkspace({ ...opts, given: 'fifo' })).toThrow(/a FIFO/)
    expect(() => lookupInWorkspace({ ...opts, given: 'link-out' })).toThrow(/leads out/)
  })
})

describe('readSmallFile', () => {
  test('reads a small file', () => {
    expect(readSmallFile(`${ws}/go.mod`, 'x')).toBe('module m\n\ngo 1.26\n')
  })

  test('a file of exactly maxBytes is read; one byte more is refused unread', () => {
    const file = path.join(ws, 'ten')
    writeFileSync(file, '0123456789')
    expect(readSmallFile(file, 'x', 10)).toBe('0123456789')
    expect(errorOf(() => readSmallFile(file, 'x', 9, 'ten')).message).toBe(
      'x: ten is 10 bytes; a file read here is at most 9 bytes, so it is not read'
    )
  })

  test('the default limit is 64 KiB', () => {
    const file = path.join(ws, 'big')
    writeFileSync(file, `1.26.8\n${'x'.repeat(64 * 1024)}`)
    const error = errorOf(() => readSmallFile(file, 'go-version-file', undefined, 'big'))
    expect(error.message).toBe(
      `go-version-file: big is ${64 * 1024 + 7} bytes; a file read here is at most 64 KiB, so it is not read`
    )
    expect(error.message).not.toContain('1.26.8')
  })

  // A blocking open of a FIFO would hang the whole test process (openSync holds the thread), so a
  // writer opens it after 3 s, which would release such an open: the test then fails on time.
  test('a FIFO is refused at once, not opened and waited on', () => {
    const fifo = path.join(ws, 'fifo')
    const writer = spawn('sh', ['-c', 'sleep 3; echo 1.26.8 > "$0"', fifo], { stdio: 'ignore' })
    try {
      const started = Date.now()
      expect(errorOf(() => readSmallFile(fifo, 'x', undefined, 'fifo')).message).toBe(
        'x: fifo is not a regular file (a FIFO)'
      )
      expect(Date.now() - started).toBeLessThan(2000)
    } finally {
      writer.kill('SIGKILL')
    }
  })

  test.each([
    ['dir', 'x: dir is a directory, not a file'],
    ['nope', 'x: nope does not exist'],
    ['link-in', 'x: link-in is a symlink; give the file itself']
  ])(
    '%s is refused',
    (name, message) => {
      expect(errorOf(() => readSmallFile(path.join(ws, name), 'x', undefined, name)).message).toBe(
        message
      )
    },
    10_000
  )
})

describe('excerpt', () => {
  test.each([
    ['short', 'banana', 40, 'banana'],
    ['a line break', 'go 1.26\ngo 1.25', 40, 'go 1.26⏎go 1.25'],
    ['CRLF is one break', 'a\r\nb', 40, 'a⏎b'],
    ['control characters', 'a\u001b[31mb\u0000c\td', 40, 'a�[31mb�c�d'],
    ['bidi overrides', 'abc\u202eevil', 40, 'abc�evil'],
    ['exactly max', 'x'.repeat(40), 40, 'x'.repeat(40)],
    ['cut with …', 'x'.repeat(41), 40, `${'x'.repeat(39)}…`],
    ['a small max', 'abcdef', 4, 'abc…'],
    ['surrogate pairs are not split', '😀'.repeat(10), 5, `${'😀'.repeat(4)}…`]
  ])('%s', (_, text, max, want) => {
    expect(excerpt(text, max)).toBe(want)
    expect(excerpt(text, max)).not.toMatch(/[\n\r]/)
  })

  test('the default is 40 characters', () => {
    expect(Array.from(excerpt('y'.repeat(100)))).toHaveLength(40)
  })
})
