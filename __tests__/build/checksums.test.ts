import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { checksumsFile } from '../../src/build/checksums.js'
import { sha256File, sha256Hex } from '../../src/util/hash.js'

const execFileAsync = promisify(execFile)

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-checksums-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

describe('checksumsFile', () => {
  test('sha256sum -c accepts it for the files it names', async () => {
    const names = [
      'app_1.2.3_windows_amd64.zip',
      'app_1.2.3_linux_armv7.tar.gz',
      'app_1.2.3_Linux.txt'
    ]
    const files = []
    for (const name of names) {
      await writeFile(path.join(tmp, name), `content of ${name}\n`)
      files.push({ name, sha256: await sha256File(path.join(tmp, name)) })
    }
    await writeFile(path.join(tmp, 'checksums.txt'), checksumsFile(files))
    const { stdout } = await execFileAsync('sha256sum', ['--check', '--strict', 'checksums.txt'], {
      cwd: tmp
    })
    expect(stdout.trimEnd().split('\n').sort()).toEqual(names.map(n => `${n}: OK`).sort())
  })

  test('writes "<hex>  <name>" lines sorted by the names bytes, as sort(1) in the C locale', () => {
    const names = ['b.tar.gz', 'a.zip', 'B.txt', 'a_b', 'a-b', 'ä.zip']
    const text = checksumsFile(names.map(name => ({ name, sha256: sha256Hex(name) })))
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.trimEnd().split('\n')
    expect(lines.map(l => l.slice(66))).toEqual([
      'B.txt',
      'a-b',
      'a.zip',
      'a_b',
      'b.tar.gz',
      'ä.zip'
    ])
    for (const line of lines) expect(line).toBe(`${sha256Hex(line.slice(66))}  ${line.slice(66)}`)
  })

  test('an empty list gives an empty file', () => {
    expect(checksumsFile([])).toBe('')
  })

  test('refuses what sha256sum would misread', () => {
    const sha256 = sha256Hex('x')
    expect(() => checksumsFile([{ name: 'a', sha256: 'ABC' }])).toThrow(/sha256/)
    expect(() => checksumsFile([{ name: 'a', sha256: sha256.toUpperCase() }])).toThrow(/sha256/)
    expect(() => checksumsFile([{ name: 'a\nb', sha256 }])).toThrow(/unusable/)
    expect(() => checksumsFile([{ name: 'a\\b', sha256 }])).toThrow(/unusable/)
  })
})
