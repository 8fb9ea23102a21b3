import { describe, expect, test } from '@jest/globals'
import { place, repoRelative, splitPosition } from '../../src/checks/paths.js'

describe('repoRelative', () => {
  const ctx = { repoRoot: '/repo', cwd: '/repo/sub/mod' }

  test('an absolute path inside the repository', () => {
    expect(repoRelative('/repo/sub/mod/pkg/x.go', ctx)).toBe('sub/mod/pkg/x.go')
  })

  test('paths relative to where the go command ran', () => {
    expect(repoRelative('./x_test.go', ctx)).toBe('sub/mod/x_test.go')
    expect(repoRelative('pkg/x.go', ctx)).toBe('sub/mod/pkg/x.go')
    expect(repoRelative('../shared/y.go', ctx)).toBe('sub/shared/y.go')
  })

  test('undefined outside the repository: GOROOT, the module cache, a sibling with the same prefix', () => {
    expect(repoRelative('/usr/local/go/src/testing/testing.go', ctx)).toBeUndefined()
    expect(
      repoRelative('/home/runner/go/pkg/mod/golang.org/x/mod@v0.1.0/a.go', ctx)
    ).toBeUndefined()
    expect(repoRelative('/repo2/x.go', ctx)).toBeUndefined()
    expect(repoRelative('../../../x.go', ctx)).toBeUndefined()
  })

  test('undefined for the root itself and for no path at all', () => {
    expect(repoRelative('/repo', ctx)).toBeUndefined()
    expect(repoRelative('', ctx)).toBeUndefined()
  })

  test('Windows paths give forward slashes', () => {
    const win = { repoRoot: 'D:\\a\\proj\\proj', cwd: 'D:\\a\\proj\\proj\\sub' }
    expect(repoRelative('D:\\a\\proj\\proj\\cmd\\main.go', win)).toBe('cmd/main.go')
    expect(repoRelative('.\\x_test.go', win)).toBe('sub/x_test.go')
    expect(repoRelative('C:\\hostedtoolcache\\go\\src\\os\\file.go', win)).toBeUndefined()
  })
})

describe('place', () => {
  const ctx = { repoRoot: '/repo', cwd: '/repo' }

  test('a file in the repository gets file, line and column', () => {
    expect(place({ file: '/repo/a.go', line: 3, column: 7 }, 'boom', ctx)).toEqual({
      file: 'a.go',
      line: 3,
      column: 7,
      message: 'boom'
    })
    expect(place({ file: 'a.go', line: 3 }, 'boom', ctx)).toStrictEqual({
      file: 'a.go',
      line: 3,
      message: 'boom'
    })
  })

  test('a file outside keeps its location in the message only', () => {
    expect(place({ file: '/go/src/x.go', line: 3, column: 7 }, 'boom', ctx)).toStrictEqual({
      message: '/go/src/x.go:3:7: boom'
    })
  })
})

describe('splitPosition', () => {
  test('file:line:column, file:line, and a drive letter', () => {
    expect(splitPosition('/repo/a.go:21:14')).toEqual({ file: '/repo/a.go', line: 21, column: 14 })
    expect(splitPosition('/repo/a.go:21')).toEqual({ file: '/repo/a.go', line: 21 })
    expect(splitPosition('C:\\repo\\a.go:5:3')).toEqual({
      file: 'C:\\repo\\a.go',
      line: 5,
      column: 3
    })
    expect(splitPosition('-')).toBeUndefined()
  })
})
