// The GoReleaser harness against a real project: croc v10.7.0 from the module proxy, its v1
// .goreleaser.yml given the recorded least change, released locally by GoReleaser v2.15.1.
import { afterAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { cleanupTempDirs, tempDir } from './fixtures.js'
import { readDist, runGoReleaser, type Dist } from './goreleaser.js'
import { runForeign } from './qemu.js'
import { CROC, crocLeastChange, realProject, replacementTemplate } from './real-project.js'

afterAll(cleanupTempDirs)

describe('realProject', () => {
  test('unpacks the module zip, applies the edit, commits and tags at a fixed time', async () => {
    const a = await realProject({ ...CROC, edit: crocLeastChange, dir: await tempDir('gpa-croc-') })
    const b = await realProject({ ...CROC, edit: crocLeastChange, dir: await tempDir('gpa-croc-') })
    // Same tree, same identity, same time: the same commit wherever it is made.
    expect(a.commit).toBe(b.commit)
    expect(a.tag).toBe('v10.7.0')
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: a.dir }).toString().trim()
    expect(git('log', '-1', '--format=%aI %cI %an')).toBe(
      '2025-01-01T00:00:00Z 2025-01-01T00:00:00Z Gopher'.replace(/Z/g, '+00:00')
    )
    expect(git('tag', '--points-at', 'HEAD')).toBe('v10.7.0')
    expect(git('status', '--porcelain')).toBe('')
    const yml = await readFile(path.join(a.dir, '.goreleaser.yml'), 'utf8')
    expect(yml).toMatch(/^version: 2$/m)
    expect(yml).toMatch(/^builds:$/m)
    expect(yml).not.toMatch(/replacements|^build:|^scoop:|tap:|folder:/m)
    expect(yml).toMatch(/^ {6}- src\/install\/zsh_autocomplete$/m)
  })

  test('replacementTemplate spells v1 replacements as a Go template', () => {
    expect(replacementTemplate('.Arch', { amd64: '64bit', arm: 'ARM' })).toBe(
      '{{ if eq .Arch "amd64" }}64bit{{ else if eq .Arch "arm" }}ARM{{ else }}{{ .Arch }}{{ end }}'
    )
  })
})

describe('GoReleaser v2.15.1 on croc v10.7.0', () => {
  let dist: Dist

  test('releases the cut croc locally (no publishing, no token)', async () => {
    const project = await realProject({ ...CROC, dir: await tempDir('gpa-croc-') })
    const run = await runGoReleaser(project.dir)
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({
      code: 0,
      stderr: ''
    })
    dist = await readDist(run.dist)
    expect(dist.metadata).toMatchObject({
      project_name: 'croc',
      tag: 'v10.7.0',
      version: '10.7.0',
      commit: project.commit
    })
  }, 900_000)

  test('names archives and packages as the v1 replacements did', () => {
    expect(dist.archives.map(a => a.name).sort()).toEqual([
      'croc_10.7.0_Linux-64bit.tar.gz',
      'croc_10.7.0_Linux-ARM.tar.gz',
      'croc_10.7.0_Linux-ARM64.tar.gz',
      'croc_10.7.0_Windows-64bit.zip'
    ])
    expect(dist.packages.map(p => p.name).sort()).toEqual([
      'croc_10.7.0_Linux-64bit.deb',
      'croc_10.7.0_Linux-ARM.deb',
      'croc_10.7.0_Linux-ARM64.deb'
    ])
    expect(dist.archives.find(a => a.goarch === 'arm')?.goarm).toBe('7')
  })

  test('archives hold the matched files sorted by path, then the binary at 0755', () => {
    const linux = dist.archives.find(a => a.name === 'croc_10.7.0_Linux-64bit.tar.gz')!
    expect(linux.entries.map(e => `${e.mode} ${e.name}`)).toEqual([
      '-rw-r--r-- LICENSE',
      '-rw-r--r-- README.md',
      '-rw-r--r-- src/install/bash_autocomplete',
      '-rw-r--r-- src/install/zsh_autocomplete',
      '-rwxr-xr-x croc'
    ])
    const windows = dist.archives.find(a => a.format === 'zip')!
    expect(windows.entries.map(e => `${e.mode} ${e.name}`)).toEqual([
      '-rw-r--r-- LICENSE',
      '-rw-r--r-- README.md',
      '-rw-r--r-- src/install/bash_autocomplete',
      '-rw-r--r-- src/install/zsh_autocomplete',
      '-rwxr-xr-x croc.exe'
    ])
  })

  test('checksums: <project>_<version>_checksums.txt, "<sha256>  <name>" sorted by name', () => {
    expect(dist.checksums?.name).toBe('croc_10.7.0_checksums.txt')
    const names = dist.checksums!.lines.map(l => {
      expect(l).toMatch(/^[0-9a-f]{64} {2}\S+$/)
      return l.split('  ')[1]!
    })
    expect(names).toEqual([...names].sort())
    expect(names).toEqual(
      [...dist.archives, ...dist.packages].map(a => a.name).sort((x, y) => (x < y ? -1 : 1))
    )
  })

  test('the linux/arm64 binary prints its version under qemu', async () => {
    const arm64 = dist.binaries.find(b => b.goos === 'linux' && b.goarch === 'arm64')!
    const run = await runForeign(arm64.path, 'arm64', ['--version'])
    // croc's ldflags set main.Version, which does not exist: the version is src/cli's default.
    expect(run.stdout.trim()).toBe('croc version 10.7.0')
  })
})
