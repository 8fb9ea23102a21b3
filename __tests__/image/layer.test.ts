import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { buildAppLayer } from '../../src/image/layer.js'

const execFileAsync = promisify(execFile)

/** 2023-11-14T22:13:20Z */
const MTIME = 1_700_000_000

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gpa-layer-test-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** Bytes from a fixed seed, spanning several 64 KiB deflate blocks. */
function fakeBinary(size: number): Buffer {
  const out = Buffer.alloc(size)
  let x = 0x12345678
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = i % 7 === 0 ? 0 : x >>> 24
  }
  return out
}

async function writeBinary(dir: string, content: Buffer): Promise<string> {
  const file = path.join(tmp, dir, 'hello')
  await execFileAsync('mkdir', ['-p', path.dirname(file)])
  await writeFile(file, content, { mode: 0o644 })
  return file
}

const sha256 = (data: Uint8Array): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`

describe('buildAppLayer', () => {
  test('is byte-identical across runs and directories; digest and diffId are the sha256s', async () => {
    const content = fakeBinary(300_000)
    const a = await buildAppLayer(await writeBinary('a', content), MTIME)
    const b = await buildAppLayer(await writeBinary('b/c', content), MTIME)
    expect(b.tarGz.equals(a.tarGz)).toBe(true)
    expect(b.digest).toBe(a.digest)
    expect(a.digest).toBe(sha256(a.tarGz))
    expect(a.size).toBe(a.tarGz.length)
    const tarBytes = gunzipSync(a.tarGz)
    expect(a.diffId).toBe(sha256(tarBytes))
    expect(a.diffId).not.toBe(a.digest)
    // The gzip header: magic, deflate, no flags, mtime 0, OS 255.
    expect([...a.tarGz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])
  })

  test('holds one entry app: regular file, 0755, 65532:65532, no owner names, mtime', async () => {
    const file = await writeBinary('list', fakeBinary(1000))
    const layer = await buildAppLayer(file, MTIME)
    const layerFile = path.join(tmp, 'layer.tar.gz')
    await writeFile(layerFile, layer.tarGz)
    const env = { ...process.env, LC_ALL: 'C', TZ: 'UTC' }
    const { stdout } = await execFileAsync('tar', ['--numeric-owner', '-tvzf', layerFile], { env })
    // tar pads the size column to its own width: compare the fields.
    expect(stdout.trim().split(/\s+/)).toEqual([
      '-rwxr-xr-x',
      '65532/65532',
      '1000',
      '2023-11-14',
      '22:13',
      'app'
    ])
    const verbose = await execFileAsync('tar', ['-tvzf', layerFile], { env })
    // Empty uname/gname: tar shows the numbers, not a name from this machine's /etc/passwd.
    expect(verbose.stdout).toContain(' 65532/65532 ')
    const tarBytes = gunzipSync(layer.tarGz)
    expect(tarBytes.length % 512).toBe(0)
    // ustar header: typeflag '0' (regular file), empty uname and gname fields.
    expect(String.fromCharCode(tarBytes[156] as number)).toBe('0')
    expect(tarBytes.subarray(265, 265 + 64).every(b => b === 0)).toBe(true)
  })

  test('changes with the mtime and the content, not with the file mode on disk', async () => {
    const content = fakeBinary(5000)
    const base = await buildAppLayer(await writeBinary('m1', content), MTIME)
    const later = await buildAppLayer(await writeBinary('m1', content), MTIME + 1)
    expect(later.digest).not.toBe(base.digest)
    const executable = await writeBinary('m2', content)
    await execFileAsync('chmod', ['0700', executable])
    expect((await buildAppLayer(executable, MTIME)).digest).toBe(base.digest)
    const other = Buffer.from(content)
    other[0] = 1
    expect((await buildAppLayer(await writeBinary('m3', other), MTIME)).digest).not.toBe(
      base.digest
    )
  })

  test('rejects an mtime that is not whole seconds since 1970', async () => {
    const file = await writeBinary('bad', Buffer.from('x'))
    await expect(buildAppLayer(file, 1.5)).rejects.toThrow('whole seconds')
    await expect(buildAppLayer(file, -1)).rejects.toThrow('whole seconds')
  })
})
