// GoReleaser's archive `files` (and release.extra_files) on a real folder: globs, dst, strip_parent,
// info.mode, no match, links out of the project, and the output folder left out.
import { afterAll, describe, expect, test } from '@jest/globals'
import { chmodSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { archiveFiles, globRegExp } from '../../src/build/archive-files.js'
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers/fixtures.js'

afterAll(cleanupTempDirs)

describe('globRegExp', () => {
  test.each<[string, string, boolean]>([
    ['README*', 'README.md', true],
    ['README*', 'docs/README.md', false],
    ['*.md', 'a/b.md', false],
    ['**/*.md', 'b.md', true],
    ['**/*.md', 'a/b/c.md', true],
    ['man/**', 'man/man1/x.1', true],
    ['completions/{bash,zsh}/*', 'completions/zsh/_tool', true],
    ['completions/{bash,zsh}/*', 'completions/fish/tool.fish', false],
    ['LICENSE?', 'LICENSE2', true],
    ['[Ll]icense', 'license', true],
    ['[!L]icense', 'License', false],
    ['a.b', 'aXb', false]
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globRegExp(glob).test(file)).toBe(expected)
  })
})

describe('archiveFiles', () => {
  test('paths kept, dst without the fixed folder, strip_parent, modes from the file or info', async () => {
    const dir = await writeFiles(await tempDir(), {
      'README.md': 'r',
      'src/install/bash_autocomplete': 'b',
      'src/install/zsh_autocomplete': 'z',
      'man/tool.1': 'm',
      'dist/tool.tar.gz': 'not this'
    })
    chmodSync(path.join(dir, 'src/install/zsh_autocomplete'), 0o755)
    const entries = archiveFiles(
      [
        { src: 'README.md' },
        { src: 'src/install/*', dst: 'completions' },
        { src: 'man/*.1', stripParent: true, info: { mode: 0o600 } },
        { src: 'dist/**' }
      ],
      dir,
      new Set([path.join(dir, 'dist')]),
      'archives[0]'
    )
    expect(entries.map(e => [e.name, e.mode.toString(8)])).toEqual([
      ['README.md', '644'],
      ['completions/bash_autocomplete', '644'],
      ['completions/zsh_autocomplete', '755'],
      ['tool.1', '600']
    ])
  })

  test('a link to a file outside the project is not followed; one inside is', async () => {
    const outside = await writeFiles(await tempDir(), { secret: 'x' })
    const dir = await writeFiles(await tempDir(), { 'docs/a.txt': 'a' })
    symlinkSync(path.join(outside, 'secret'), path.join(dir, 'docs', 'secret.txt'))
    symlinkSync(path.join(dir, 'docs', 'a.txt'), path.join(dir, 'docs', 'b.txt'))
    const names = archiveFiles([{ src: 'docs/*.txt' }], dir, new Set(), 'archives[0]').map(
      e => e.name
    )
    expect(names).toEqual(['docs/a.txt', 'docs/b.txt'])
  })

  test('an entry that matches nothing adds nothing (GoReleaser warns)', async () => {
    const dir = await writeFiles(await tempDir(), { 'a.txt': 'a' })
    expect(archiveFiles([{ src: 'zsh_autocomplete' }], dir, new Set(), 'archives[0]')).toEqual([])
  })
})
