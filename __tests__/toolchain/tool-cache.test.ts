import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  findInToolCache,
  moveIntoToolCache,
  stagingDir,
  toolCachePath,
  versionsInToolCache
} from '../../src/toolchain/tool-cache.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gpa-toolcache-test-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A Go installed the way @actions/tool-cache leaves it: <root>/go/<version>/<arch>[.complete]. */
async function install(version: string, arch = 'x64', complete = true): Promise<string> {
  const dir = path.join(root, 'go', version, arch)
  await mkdir(path.join(dir, 'bin'), { recursive: true })
  await writeFile(path.join(dir, 'bin', 'go'), version)
  if (complete) await writeFile(`${dir}.complete`, '')
  return dir
}

describe('toolCachePath', () => {
  test('is <root>/<tool>/<version>/<arch>', () => {
    expect(toolCachePath('/opt/hostedtoolcache', 'go', '1.26.8', 'x64')).toBe(
      path.join('/opt/hostedtoolcache', 'go', '1.26.8', 'x64')
    )
  })
})

describe('findInToolCache', () => {
  test('finds a version with its .complete marker', async () => {
    const dir = await install('1.26.8')
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBe(dir)
  })

  test('ignores a folder without the marker (an interrupted install)', async () => {
    await install('1.26.8', 'x64', false)
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBeUndefined()
  })

  test('ignores a marker without its folder', async () => {
    await mkdir(path.join(root, 'go', '1.26.8'), { recursive: true })
    await writeFile(path.join(root, 'go', '1.26.8', 'x64.complete'), '')
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBeUndefined()
  })

  test('another arch or version is not a match', async () => {
    await install('1.26.8', 'arm64')
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBeUndefined()
    expect(findInToolCache(root, 'go', '1.26.7', 'arm64')).toBeUndefined()
  })
})

describe('versionsInToolCache', () => {
  test('lists complete versions newest first, in SemVer order', async () => {
    for (const v of ['1.9.7', '1.26.10', '1.27.0-rc.1', '1.26.8', '1.27.0', '1.26.9'])
      await install(v)
    expect(versionsInToolCache(root, 'go', 'x64')).toEqual([
      '1.27.0',
      '1.27.0-rc.1',
      '1.26.10',
      '1.26.9',
      '1.26.8',
      '1.9.7'
    ])
  })

  test('ignores incomplete installs, other arches and folders that are not versions', async () => {
    await install('1.26.8')
    await install('1.27.0', 'x64', false)
    await install('1.25.3', 'arm64')
    await install('go1.26.7')
    await install('latest')
    await mkdir(path.join(root, 'go', '.staging-1-abc'), { recursive: true })
    expect(versionsInToolCache(root, 'go', 'x64')).toEqual(['1.26.8'])
  })

  test('an absent tool has no versions', () => {
    expect(versionsInToolCache(root, 'go', 'x64')).toEqual([])
    expect(versionsInToolCache(path.join(root, 'nowhere'), 'go', 'x64')).toEqual([])
  })
})

describe('moveIntoToolCache', () => {
  async function stagedGo(content: string): Promise<string> {
    const staging = await stagingDir(root, 'go')
    const source = path.join(staging, 'go')
    await mkdir(path.join(source, 'bin'), { recursive: true })
    await writeFile(path.join(source, 'bin', 'go'), content)
    return source
  }

  test('stagingDir is beside the cache folders, on the same file system', async () => {
    const staging = await stagingDir(root, 'go')
    expect(path.dirname(staging)).toBe(path.join(root, 'go'))
    expect(existsSync(staging)).toBe(true)
  })

  test('moves the folder in and writes the marker', async () => {
    const source = await stagedGo('new')
    const dir = await moveIntoToolCache(source, root, 'go', '1.26.8', 'x64')
    expect(dir).toBe(toolCachePath(root, 'go', '1.26.8', 'x64'))
    expect(existsSync(source)).toBe(false)
    expect(await readFile(path.join(dir, 'bin', 'go'), 'utf8')).toBe('new')
    expect(existsSync(`${dir}.complete`)).toBe(true)
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBe(dir)
  })

  test('replaces a broken leftover (no marker, stray files)', async () => {
    const leftover = await install('1.26.8', 'x64', false)
    await writeFile(path.join(leftover, 'half-extracted.tmp'), 'junk')
    const source = await stagedGo('new')
    const dir = await moveIntoToolCache(source, root, 'go', '1.26.8', 'x64')
    expect(await readdir(dir)).toEqual(['bin'])
    expect(await readFile(path.join(dir, 'bin', 'go'), 'utf8')).toBe('new')
    expect(findInToolCache(root, 'go', '1.26.8', 'x64')).toBe(dir)
  })

  test('replaces a complete install too, leaving other versions alone', async () => {
    await install('1.26.8')
    const other = await install('1.26.7')
    const source = await stagedGo('new')
    const dir = await moveIntoToolCache(source, root, 'go', '1.26.8', 'x64')
    expect(await readFile(path.join(dir, 'bin', 'go'), 'utf8')).toBe('new')
    expect(await readFile(path.join(other, 'bin', 'go'), 'utf8')).toBe('1.26.7')
    expect(versionsInToolCache(root, 'go', 'x64')).toEqual(['1.26.8', '1.26.7'])
  })
})
