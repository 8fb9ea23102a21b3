import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type CacheEntry, hashDependencyFiles, restoreCaches } from '../../src/cache/go-caches.js'
import type { CacheService } from '../../src/cache/service.js'

let root: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'gpa-go-caches-test-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function put(rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true })
  await writeFile(path.join(root, rel), content)
}

const SUM = 'golang.org/x/mod v0.20.0 h1:abc=\ngolang.org/x/mod v0.20.0/go.mod h1:def=\n'

describe('hashDependencyFiles', () => {
  test('no go.sum anywhere → undefined', async () => {
    await put('go.mod', 'module example.com/m\n\ngo 1.26\n')
    await put('main.go', 'package main\n')
    expect(await hashDependencyFiles(root)).toBeUndefined()
  })

  test('the same go.sum gives the same hash; a changed go.sum a different one', async () => {
    await put('go.mod', 'module example.com/m\n')
    await put('go.sum', SUM)
    const first = await hashDependencyFiles(root)
    expect(first).toMatch(/^[0-9a-f]+$/)
    expect(await hashDependencyFiles(root)).toBe(first)
    await put('go.sum', SUM + 'github.com/google/uuid v1.6.0 h1:xyz=\n')
    expect(await hashDependencyFiles(root)).not.toBe(first)
  })

  test('other files do not change it', async () => {
    await put('go.sum', SUM)
    const first = await hashDependencyFiles(root)
    await put('main.go', 'package main\n')
    await put('go.mod', 'module example.com/m\n')
    await put('docs/notes.md', 'hi\n')
    expect(await hashDependencyFiles(root)).toBe(first)
  })

  test('includes go.work.sum', async () => {
    await put('go.work', 'go 1.26\n\nuse ./a\n')
    await put('go.work.sum', SUM)
    const first = await hashDependencyFiles(root)
    expect(first).toBeDefined()
    await put('go.work.sum', SUM + 'example.com/x v1.0.0 h1:q=\n')
    expect(await hashDependencyFiles(root)).not.toBe(first)
  })

  test('includes the go.sum of nested modules', async () => {
    await put('go.sum', SUM)
    const first = await hashDependencyFiles(root)
    await put('tools/go.sum', 'honnef.co/go/tools v0.8.2 h1:s=\n')
    const second = await hashDependencyFiles(root)
    expect(second).not.toBe(first)
    await put('tools/go.sum', 'honnef.co/go/tools v0.8.3 h1:t=\n')
    expect(await hashDependencyFiles(root)).not.toBe(second)
  })

  test('a nested go.sum alone is enough', async () => {
    await put('a/go.sum', SUM)
    expect(await hashDependencyFiles(root)).toBeDefined()
  })

  test('where a go.sum sits is part of the hash', async () => {
    await put('a/go.sum', SUM)
    const inA = await hashDependencyFiles(root)
    await rm(path.join(root, 'a'), { recursive: true })
    await put('b/go.sum', SUM)
    expect(await hashDependencyFiles(root)).not.toBe(inA)
  })

  test.each(['vendor', 'testdata', 'node_modules', 'internal/testdata', '.git'])(
    'ignores go.sum files under %s/',
    async dir => {
      await put('go.sum', SUM)
      const first = await hashDependencyFiles(root)
      await put(`${dir}/go.sum`, 'something else\n')
      await put(`${dir}/deeper/go.work.sum`, 'something else\n')
      expect(await hashDependencyFiles(root)).toBe(first)
    }
  )

  test('only ignored folders hold go.sum files → undefined', async () => {
    await put('vendor/example.com/x/go.sum', SUM)
    await put('testdata/mod/go.sum', SUM)
    expect(await hashDependencyFiles(root)).toBeUndefined()
  })
})

describe('restoreCaches', () => {
  const entry = (name: CacheEntry['name'], key: string): CacheEntry => ({
    name,
    paths: [`/cache/${name}`],
    keys: { key, restoreKeys: [`${name}-`] }
  })
  const entries = [
    entry('modules', 'modules-1'),
    entry('build', 'build-1'),
    entry('tools', 'tools-1')
  ]

  test('restores every cache at once, and reports each in plan order', async () => {
    const started: string[] = []
    let release: (failure?: Error) => void = () => undefined
    const allStarted = new Promise<void>((resolve, reject) => {
      release = failure => (failure ? reject(failure) : resolve())
    })
    // Each restore waits until all three have begun, which one-after-another restores never do.
    const sequential = setTimeout(
      () => release(new Error(`only ${started.join(', ')} began: restores ran one by one`)),
      2000
    )
    const service: CacheService = {
      available: async () => true,
      save: async () => true,
      restore: async (_paths, key) => {
        started.push(key)
        if (started.length === entries.length) release()
        await allStarted
        if (key === 'modules-1') return 'MODULES-1'
        return key === 'build-1' ? 'build-0' : undefined
      }
    }
    const restored = await restoreCaches(entries, service)
    clearTimeout(sequential)
    expect(restored.map(r => [r.name, r.restoredKey, r.exactHit])).toEqual([
      ['modules', 'MODULES-1', true],
      ['build', 'build-0', false],
      ['tools', undefined, false]
    ])
  })
})
