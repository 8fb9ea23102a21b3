// Proves that snapshot/diffSnapshots notice what the hostile-input suite relies on them to notice.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { diffSnapshots, snapshot } from './snapshot.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gpa-snapshot-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('an untouched tree has no differences', async () => {
  const root = path.join(dir, 'same')
  await mkdir(path.join(root, 'a', 'b'), { recursive: true })
  await writeFile(path.join(root, 'a', 'b', 'f'), 'x')
  await symlink('/etc', path.join(root, 'link'))
  expect(diffSnapshots(await snapshot([root]), await snapshot([root]))).toEqual([])
})

test('a created, a changed and a deleted file are each reported, with the folders they touched', async () => {
  const root = path.join(dir, 'cud')
  await mkdir(path.join(root, 'sub'), { recursive: true })
  await writeFile(path.join(root, 'sub', 'changed'), 'one')
  await writeFile(path.join(root, 'sub', 'deleted'), 'bye')
  // Old times, so that any rewrite (even within the same tick) shows as a new mtime.
  const old = new Date('2020-01-01T00:00:00Z')
  for (const p of ['sub/changed', 'sub/deleted', 'sub', '.'])
    await utimes(path.join(root, p), old, old)
  const before = await snapshot([root])

  await writeFile(path.join(root, 'sub', 'created'), 'new')
  await writeFile(path.join(root, 'sub', 'changed'), 'two') // same size: only the mtime tells
  await unlink(path.join(root, 'sub', 'deleted'))
  const diff = diffSnapshots(before, await snapshot([root]))

  expect(diff).toEqual([
    expect.stringMatching(
      /^changed: .*\/cud\/sub \(dir\): .*mtime 2020-01-01T00:00:00\.000000000Z → /
    ),
    expect.stringMatching(
      /^changed: .*\/sub\/changed \(file\): mtime 2020-01-01T00:00:00\.000000000Z → /
    ),
    expect.stringMatching(/^created: .*\/sub\/created \(file, 3 bytes, mode 0\d{3}\)$/),
    expect.stringMatching(/^deleted: .*\/sub\/deleted \(was file, 3 bytes, mode 0\d{3}\)$/)
  ])
})

test('size, mode, type and symlink targets are compared; links are not followed', async () => {
  const root = path.join(dir, 'attrs')
  await mkdir(root)
  await writeFile(path.join(root, 'grow'), 'a')
  await writeFile(path.join(root, 'mode'), 'a')
  await writeFile(path.join(root, 'kind'), 'a')
  await symlink('/etc/passwd', path.join(root, 'link'))
  const before = await snapshot([root])
  expect(before.get(path.join(root, 'link'))).toMatchObject({
    type: 'symlink',
    target: '/etc/passwd'
  })

  await writeFile(path.join(root, 'grow'), 'abc')
  await chmod(path.join(root, 'mode'), 0o700)
  await unlink(path.join(root, 'kind'))
  await mkdir(path.join(root, 'kind'))
  await unlink(path.join(root, 'link'))
  await symlink('/etc/shadow', path.join(root, 'link'))
  const diff = diffSnapshots(before, await snapshot([root])).join('\n')

  expect(diff).toMatch(/changed: .*\/grow \(file\): size 1 → 3/)
  expect(diff).toMatch(/changed: .*\/mode \(file\): mode 0\d{3} → 0700/)
  expect(diff).toMatch(/changed: .*\/kind \(file\): type file → dir/)
  expect(diff).toMatch(/changed: .*\/link \(symlink\): target "\/etc\/passwd" → "\/etc\/shadow"/)
})

test('a root that appears or disappears, names-only roots and ignored names', async () => {
  const root = path.join(dir, 'names')
  const later = path.join(dir, 'later')
  await mkdir(root)
  await writeFile(path.join(root, 'kept'), 'a')
  const roots = [
    { path: root, namesOnly: true, ignore: (n: string) => n.startsWith('other-') },
    later
  ]
  const before = await snapshot(roots)

  await writeFile(path.join(root, 'kept'), 'changed content is not a names-only difference')
  await writeFile(path.join(root, 'other-process'), '')
  await writeFile(path.join(root, 'mine'), '')
  await mkdir(later)
  const diff = diffSnapshots(before, await snapshot(roots))

  expect(diff).toEqual([
    expect.stringMatching(/^created: .*\/later \(dir, mode 0\d{3}\)$/),
    expect.stringMatching(/^created: .*\/names\/mine \(file\)$/)
  ])
  await rm(later, { recursive: true })
  expect(diffSnapshots(before, await snapshot(roots))).toEqual([
    expect.stringMatching(/^created: .*\/names\/mine \(file\)$/)
  ])
})
