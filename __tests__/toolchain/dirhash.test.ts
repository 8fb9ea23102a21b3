import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { hash1 } from '../../src/toolchain/dirhash.js'

const execFileAsync = promisify(execFile)

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-dirhash-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), content)
  }
}

/**
 * golang.org/x/mod/sumdb/dirhash.Hash1, written out from its documentation: a SHA-256 over the
 * lines "<sha256 hex of file>  <prefix>/<name>\n" for every file, with the names sorted as Go sorts
 * strings (by their UTF-8 bytes), base64-encoded after "h1:".
 */
function expectedHash1(prefix: string, files: Record<string, string>): string {
  const names = Object.keys(files)
    .map(name => `${prefix}/${name}`)
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
  let summary = ''
  for (const name of names) {
    const content = files[name.slice(prefix.length + 1)] as string
    summary += `${createHash('sha256').update(content).digest('hex')}  ${name}\n`
  }
  return `h1:${createHash('sha256').update(summary).digest('base64')}`
}

describe('hash1', () => {
  test("equals Go's own h1 for a real module (github.com/google/uuid@v1.6.0)", async () => {
    const home = path.join(tmp, 'gohome')
    const env = {
      ...process.env,
      HOME: home,
      GOPATH: path.join(home, 'go'),
      GOMODCACHE: path.join(home, 'mod'),
      GOCACHE: path.join(home, 'cache'),
      GOFLAGS: '-modcacherw',
      GOTOOLCHAIN: 'local',
      GO111MODULE: 'on'
    }
    await mkdir(home, { recursive: true })
    const { stdout } = await execFileAsync(
      'go',
      ['mod', 'download', '-json', 'github.com/google/uuid@v1.6.0'],
      { cwd: home, env }
    )
    const info = JSON.parse(stdout) as { Dir?: string; Sum?: string; Error?: string }
    expect(info.Error).toBeUndefined()
    expect(info.Sum).toMatch(/^h1:/)
    expect(await hash1(info.Dir as string, 'github.com/google/uuid@v1.6.0')).toBe(info.Sum)
    // The prefix is part of what is hashed.
    expect(await hash1(info.Dir as string, 'github.com/google/uuid@v1.5.0')).not.toBe(info.Sum)
  }, 120_000)

  test('matches the documented algorithm on a small tree (nested folders, sort order)', async () => {
    const files: Record<string, string> = {
      'go.mod': 'module example.com/m\n\ngo 1.26\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      'Z.txt': 'upper case sorts first\n',
      'a-b.txt': '"-" sorts before "/"\n',
      'a/b.txt': 'nested\n',
      'a/deeper/c/d.txt': 'deeper\n',
      'empty.txt': ''
    }
    const root = path.join(tmp, 'small')
    await writeTree(root, files)
    await mkdir(path.join(root, 'empty-folder'), { recursive: true }) // folders are not hashed
    expect(await hash1(root, 'example.com/m@v1.0.0')).toBe(
      expectedHash1('example.com/m@v1.0.0', files)
    )
  })

  test('any change of content or name changes the hash', async () => {
    const base = { 'a.txt': 'one\n', 'b/c.txt': 'two\n' }
    const root = path.join(tmp, 'changes')
    await writeTree(root, base)
    const before = await hash1(root, 'example.com/m@v1.0.0')
    await writeFile(path.join(root, 'b/c.txt'), 'two!\n')
    const afterEdit = await hash1(root, 'example.com/m@v1.0.0')
    expect(afterEdit).not.toBe(before)
    await writeFile(path.join(root, 'extra.txt'), '')
    expect(await hash1(root, 'example.com/m@v1.0.0')).not.toBe(afterEdit)
  })

  // Go sorts the names as byte strings (UTF-8); JavaScript's default sort compares UTF-16 code
  // units. They disagree when one name has a character above U+FFFF where another has one in
  // U+E000–U+FFFF. Go's dirhash over such a tree gives h1:3fgxMg6aWrWRNqlpR9oKDhNgs7Yq2Q/NmV81+bbonB4=
  // (checked with golang.org/x/mod v0.20.0 dirhash.HashDir on these three files).
  test('sorts names by UTF-8 bytes, as Go does', async () => {
    const files: Record<string, string> = {
      'a\uff21': 'x', // FULLWIDTH LATIN CAPITAL LETTER A: UTF-8 EF BC A1
      'a\u{10400}': 'y', // DESERET CAPITAL LETTER LONG I: UTF-8 F0 90 90 80
      'sub/c.txt': 'z'
    }
    const root = path.join(tmp, 'unicode')
    await writeTree(root, files)
    const expected = expectedHash1('example.com/m@v1.0.0', files)
    expect(expected).toBe('h1:3fgxMg6aWrWRNqlpR9oKDhNgs7Yq2Q/NmV81+bbonB4=')
    expect(await hash1(root, 'example.com/m@v1.0.0')).toBe(expected)
  })
})
