import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { moduleFileErrors, projectName, resolveBuildUnits } from '../../src/build/main-packages.js'
import { ActionError, InputError } from '../../src/errors.js'
import type { GoToolchain } from '../../src/toolchain/setup-go.js'
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers/fixtures.js'
import { machineToolchain } from '../helpers/go-archive.js'

describe('projectName', () => {
  test.each([
    ['example.com/hello', 'hello'],
    ['github.com/FiloSottile/age', 'age'],
    ['example.com/tool/v2', 'tool'],
    ['hello', 'hello']
  ])('%s → %s', (modulePath, name) => expect(projectName(modulePath)).toBe(name))
})

describe('moduleFileErrors', () => {
  test('an absolute path becomes relative to the working directory, every problem kept', () => {
    const stderr =
      'go: errors parsing /work/repo/go.mod:\n' +
      '/work/repo/go.mod:3: unknown directive: foo\n' +
      '/work/repo/go.mod:5:9: usage: require module/path v1.2.3\n'
    expect(moduleFileErrors(stderr, '/work/repo')).toBe(
      'go.mod:3: unknown directive: foo\ngo.mod:5:9: usage: require module/path v1.2.3'
    )
    expect(moduleFileErrors(stderr, '/work/repo/cmd/tool')).toBe(
      '../../go.mod:3: unknown directive: foo\n../../go.mod:5:9: usage: require module/path v1.2.3'
    )
  })

  test('a header naming the file by its base name, the problem by its relative path (GOWORK)', () => {
    const stderr = 'go: errors parsing go.work:\n../elsewhere/go.work:4: unknown directive: bogus\n'
    expect(moduleFileErrors(stderr, '/r/app')).toBe(
      '../elsewhere/go.work:4: unknown directive: bogus'
    )
    expect(moduleFileErrors(stderr, '/r/elsewhere')).toBe('go.work:4: unknown directive: bogus')
  })

  test('any other failure of the go command is not a parse error', () => {
    expect(
      moduleFileErrors(
        "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n",
        '/work/repo'
      )
    ).toBeUndefined()
  })
})

// The machine's Go on broken modules written to a temp folder.
describe('resolveBuildUnits with real go', () => {
  let go: GoToolchain
  const saved = { GOTOOLCHAIN: process.env.GOTOOLCHAIN, GOFLAGS: process.env.GOFLAGS }

  beforeAll(async () => {
    go = await machineToolchain()
    process.env.GOTOOLCHAIN = 'local'
    process.env.GOFLAGS = ''
  })

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    await cleanupTempDirs()
  })

  const MAIN_GO = 'package main\n\nfunc main() {}\n'

  /** The error resolveBuildUnits throws. */
  async function failure(dir: string, main: string[] = ['.']): Promise<Error> {
    const error = await resolveBuildUnits(go, dir, main, '', []).then(
      () => undefined,
      (e: unknown) => e
    )
    if (!(error instanceof Error)) throw new Error('resolveBuildUnits did not fail')
    return error
  }

  test('a go.mod with an unknown directive names go.mod and the line, not main', async () => {
    const dir = await writeFiles(await tempDir(), {
      'go.mod': 'module example.com/broken\n\ngo 1.26\nfoo bar\n',
      'main.go': MAIN_GO
    })
    const error = await failure(dir)
    expect(error).toBeInstanceOf(ActionError)
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toBe('go.mod:4: unknown directive: foo')
  })

  test('an explicit main entry in a module whose go.mod does not parse: still the file and line', async () => {
    const dir = await writeFiles(await tempDir(), {
      'go.mod': 'module example.com/broken\n\ngo 1.26\n\nrequire example.com/dep\n',
      'cmd/tool/main.go': MAIN_GO
    })
    const error = await failure(dir, ['./cmd/tool'])
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toBe('go.mod:5: usage: require module/path v1.2.3')
  })

  test('from deep inside the module go names go.mod absolutely; it comes out relative', async () => {
    const root = await writeFiles(await tempDir(), {
      'go.mod': 'module example.com/broken\n\ngo 1.26\nfoo\n',
      'a/b/c/d/e/f/g/h/i/j/main.go': MAIN_GO
    })
    const error = await failure(path.join(root, 'a/b/c/d/e/f/g/h/i/j'))
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toBe('../../../../../../../../../../go.mod:4: unknown directive: foo')
  })

  test('a go.work that does not parse is named relative to the working directory', async () => {
    const root = await writeFiles(await tempDir(), {
      'go.work': 'go 1.26\n\nuse ./app\nbogus\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.26\n',
      'app/main.go': MAIN_GO
    })
    const error = await failure(path.join(root, 'app'))
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toBe('../go.work:4: unknown directive: bogus')
  })

  test('a go.work named absolutely by GOWORK: relative all the same', async () => {
    const root = await writeFiles(await tempDir(), {
      'elsewhere/go.work': 'go 1.26\n\nuse ../app\nbogus\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.26\n',
      'app/main.go': MAIN_GO
    })
    process.env.GOWORK = path.join(root, 'elsewhere', 'go.work')
    try {
      const error = await failure(path.join(root, 'app'))
      expect(error).not.toBeInstanceOf(InputError)
      expect(error.message).toBe('../elsewhere/go.work:4: unknown directive: bogus')
    } finally {
      delete process.env.GOWORK
    }
  })

  test('errors about main itself still name main', async () => {
    const dir = await writeFiles(await tempDir(), {
      'go.mod': 'module example.com/fine\n\ngo 1.26\n',
      'main.go': MAIN_GO,
      'lib/lib.go': 'package lib\n'
    })
    const missing = await failure(dir, ['./nothere'])
    expect(missing).toBeInstanceOf(InputError)
    expect(missing.message).toMatch(/^main: "\.\/nothere": .*directory not found/)
    const notMain = await failure(dir, ['./lib'])
    expect(notMain.message).toBe('main: "./lib" is not a main package (it is package lib)')
    const none = await failure(dir, ['./lib/...'])
    expect(none.message).toBe('main: "./lib/..." matches no main package')
    await expect(resolveBuildUnits(go, dir, ['.'], '', [])).resolves.toEqual({
      project: 'fine',
      packages: [{ importPath: 'example.com/fine', dir, binary: 'fine' }]
    })
  })
})
