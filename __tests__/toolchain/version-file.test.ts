import { describe, expect, test } from '@jest/globals'
import semver from 'semver'
import type { GoVersionSpec } from '../../src/toolchain/go-version.js'
import { parseVersionFile, type VersionFromFile } from '../../src/toolchain/version-file.js'

function ok(result: VersionFromFile | string): VersionFromFile {
  if (typeof result === 'string') throw new Error(`expected a version, got: ${result}`)
  return result
}

function rangeOf(spec: GoVersionSpec): string {
  if (spec.kind !== 'range') throw new Error(`expected a range, got ${JSON.stringify(spec)}`)
  return spec.range
}

/** The range must mean "the newest patch release of 1.26" (from the given minimum on). */
function expectNewest126(range: string): void {
  expect(semver.satisfies('1.26.9', range)).toBe(true)
  expect(semver.satisfies('1.26.20', range)).toBe(true)
  expect(semver.satisfies('1.27.0', range)).toBe(false)
  expect(semver.satisfies('1.25.9', range)).toBe(false)
}

describe('go.mod', () => {
  test('the toolchain line wins over the go line', () => {
    const r = ok(
      parseVersionFile(
        '/repo/go.mod',
        'module example.com/m\n\ngo 1.25.0\n\ntoolchain go1.26.8\n\nrequire golang.org/x/mod v0.20.0\n'
      )
    )
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(r.source).toMatch(/go\.mod/)
    expect(r.source).toMatch(/toolchain/)
    expect(r.source).toContain('go1.26.8')
  })

  test('the toolchain line may name a release candidate', () => {
    const r = ok(parseVersionFile('go.mod', 'module m\n\ngo 1.27rc1\n\ntoolchain go1.27rc2\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.27.0-rc.2' })
  })

  test('go 1.26 alone means the newest 1.26 patch release', () => {
    const r = ok(parseVersionFile('go.mod', 'module example.com/m\n\ngo 1.26\n'))
    expectNewest126(rangeOf(r.spec))
    expect(semver.satisfies('1.26.0', rangeOf(r.spec))).toBe(true)
    expect(r.source).toMatch(/go line/)
  })

  test('go 1.26.2 alone means the newest 1.26 patch release, at least 1.26.2', () => {
    const r = ok(parseVersionFile('go.mod', 'module example.com/m\n\ngo 1.26.2\n'))
    const range = rangeOf(r.spec)
    expectNewest126(range)
    expect(semver.satisfies('1.26.2', range)).toBe(true)
    expect(semver.satisfies('1.26.1', range)).toBe(false)
  })

  test('toolchain default falls back to the go line', () => {
    const r = ok(parseVersionFile('go.mod', 'module m\n\ngo 1.26\n\ntoolchain default\n'))
    expectNewest126(rangeOf(r.spec))
  })

  test('comments are ignored, both whole-line and after a directive', () => {
    const contents = [
      '// toolchain go1.99.0',
      '// go 1.99',
      'module example.com/m // the module',
      '',
      'go 1.26 // minimum for generics aliases',
      '',
      'require (',
      '\tgo.uber.org/zap v1.27.0 // indirect',
      ')',
      ''
    ].join('\n')
    const r = ok(parseVersionFile('go.mod', contents))
    expectNewest126(rangeOf(r.spec))
  })

  test('a toolchain line with a trailing comment and CRLF line endings', () => {
    const r = ok(
      parseVersionFile('go.mod', 'module m\r\n\r\ngo 1.25\r\n\r\ntoolchain go1.26.8 // pinned\r\n')
    )
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })

  test('without a go or toolchain line, the error says so', () => {
    const r = parseVersionFile(
      'go.mod',
      'module example.com/m\n\nrequire golang.org/x/mod v0.20.0\n'
    )
    expect(typeof r).toBe('string')
    expect(r).toMatch(/neither a toolchain nor a go line/)
  })

  test('a toolchain line that is not a release name is an error naming the file and line', () => {
    const r = parseVersionFile('go.mod', 'module m\n\ngo 1.26\n\ntoolchain banana\n')
    expect(r).toBe(
      'go.mod:5: "toolchain banana" is not a Go release name such as toolchain go1.26.8'
    )
  })

  test('a go line that is not a version is an error naming the file and line', () => {
    expect(parseVersionFile('go.mod', 'module m\n\ngo stable\n')).toBe(
      'go.mod:3: "go stable" is not a Go version (for example go 1.26 or go 1.26.2)'
    )
  })

  // Each row: contents → the error; a bad line is named by its number and quoted short.
  test.each([
    ['go 1.x.y.z', 'module m\n\ngo 1.x.y.z\n', 'go.mod:3: "go 1.x.y.z" is not a Go version'],
    ['an extra word', 'module m\ngo 1.26 1.25\n', 'go.mod:2: "go 1.26 1.25" is not a Go version'],
    ['a bare go', 'module m\ngo\n', 'go.mod:2: "go" is not a Go version'],
    [
      'a range is not a release',
      'module m\ntoolchain go1.26\n',
      'go.mod:2: "toolchain go1.26" is not'
    ],
    ['a bare toolchain', 'module m\ngo 1.26\ntoolchain\n', 'go.mod:3: "toolchain" is not'],
    [
      'a long line is cut',
      `module m\ngo ${'v'.repeat(200)}\n`,
      `go.mod:2: "go ${'v'.repeat(36)}…" is not a Go version`
    ],
    [
      'control characters are not echoed',
      'module m\ngo 1.26\u001b[2J\n',
      'go.mod:2: "go 1.26�[2J" is not a Go version'
    ]
  ])('%s', (_, contents, start) => {
    const r = parseVersionFile('go.mod', contents)
    expect(typeof r).toBe('string')
    expect((r as string).startsWith(start)).toBe(true)
  })

  test('messages use the name the caller gives, the format comes from the file name', () => {
    expect(parseVersionFile('go.mod', 'module m\ngo x\n', 'sub/go.mod')).toMatch(
      /^sub\/go\.mod:2: "go x"/
    )
    expect(parseVersionFile('/repo/go.work', 'use .\n', 'go.work')).toBe(
      'go.work has neither a toolchain nor a go line'
    )
  })

  test('go and toolchain words inside a block or a comment are not directives', () => {
    const contents = [
      'module m',
      'require (',
      '\ttoolchain v1.0.0',
      '\tgo v1.0.0',
      ')',
      '/* no */ // toolchain go1.20.0',
      'go 1.26 // toolchain go1.99.0',
      ''
    ].join('\n')
    expectNewest126(rangeOf(ok(parseVersionFile('go.mod', contents)).spec))
  })

  test('a comment with CRLF after the toolchain line', () => {
    const r = ok(parseVersionFile('go.mod', 'module m\r\ntoolchain go1.26.8 // pinned\r\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })
})

describe('go.work', () => {
  test('is read like go.mod', () => {
    const r = ok(parseVersionFile('/ws/go.work', 'go 1.26.2\n\nuse (\n\t./a\n\t./b\n)\n'))
    expectNewest126(rangeOf(r.spec))
    expect(r.source).toMatch(/go\.work/)
  })

  test('its toolchain line wins', () => {
    const r = ok(parseVersionFile('go.work', 'go 1.25\n\ntoolchain go1.26.8\n\nuse ./a\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })

  test('without a version, the error says so', () => {
    expect(parseVersionFile('go.work', 'use ./a\n')).toMatch(/neither a toolchain nor a go line/)
  })
})

describe('.go-version', () => {
  test.each([
    ['1.26.8', 'no prefix, no newline'],
    ['1.26.8\n', 'trailing newline'],
    ['go1.26.8\n', 'go prefix'],
    ['  go1.26.8  \r\n', 'spaces and CRLF']
  ])('%j (%s)', contents => {
    const r = ok(parseVersionFile('/repo/.go-version', contents))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(r.source).toContain('.go-version')
  })

  test('a bare minor is a range', () => {
    const r = ok(parseVersionFile('.go-version', '1.26\n'))
    expectNewest126(rangeOf(r.spec))
  })

  test('an empty file and a non-version are errors naming the file', () => {
    expect(parseVersionFile('.go-version', '\n \n')).toBe(
      '.go-version is empty; it should hold a Go version such as 1.26.8'
    )
    expect(parseVersionFile('.go-version', '\nbanana\n')).toBe(
      '.go-version:2: "banana" is not a Go version (for example 1.26.8 or 1.26)'
    )
  })

  test('a non-version is quoted at most 40 characters long', () => {
    const secret = `root:${'x'.repeat(100)}:0:0:SECRET`
    const r = parseVersionFile('.go-version', `${secret}\nsecond line\n`, 'etc/passwd')
    expect(r).toBe(
      `etc/passwd:1: "root:${'x'.repeat(34)}…" is not a Go version (for example 1.26.8 or 1.26)`
    )
    expect(r).not.toContain('SECRET')
    expect(r).not.toContain('second')
  })

  test('any other file name is read as .go-version', () => {
    const r = ok(parseVersionFile('versions/go-version.txt', 'go1.26.8\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })
})

describe('.tool-versions', () => {
  test('golang 1.26.8', () => {
    const r = ok(parseVersionFile('/repo/.tool-versions', 'golang 1.26.8\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
    expect(r.source).toContain('.tool-versions')
  })

  test('go 1.26.8', () => {
    const r = ok(parseVersionFile('.tool-versions', 'go 1.26.8\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })

  test('other tools and comments first', () => {
    const contents =
      '# pinned tools\nnodejs 24.1.0\n# golang 1.20.0\npython 3.13.1 3.12.8\ngolang 1.26.8 # current\n'
    const r = ok(parseVersionFile('.tool-versions', contents))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })

  test('a tool whose name merely starts with go is not Go', () => {
    const r = ok(parseVersionFile('.tool-versions', 'golangci-lint 2.1.0\ngolang 1.26.8\n'))
    expect(r.spec).toMatchObject({ kind: 'exact', version: '1.26.8' })
  })

  test('without a golang line, the error says so', () => {
    expect(parseVersionFile('.tool-versions', 'nodejs 24.1.0\n')).toBe(
      '.tool-versions has no "golang <version>" line'
    )
    expect(parseVersionFile('.tool-versions', '')).toMatch(/no "golang <version>" line/)
  })

  test('a golang line with a non-version is an error naming the line', () => {
    expect(parseVersionFile('.tool-versions', 'nodejs 24\ngolang banana # x\n')).toBe(
      '.tool-versions:2: "golang banana" is not a Go version (for example golang 1.26.8)'
    )
  })
})
