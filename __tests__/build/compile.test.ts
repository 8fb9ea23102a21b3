import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { buildFailureMessage, compile } from '../../src/build/compile.js'
import type { PlannedBinary } from '../../src/build/plan-build.js'
import { parseTarget } from '../../src/build/targets.js'
import { ActionError } from '../../src/errors.js'
import type { GoToolchain } from '../../src/toolchain/setup-go.js'
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers/fixtures.js'
import { machineToolchain } from '../helpers/go-archive.js'
import { REPO_ROOT } from '../helpers/run-action.js'

// Real go build stderr (Go 1.26), captured by testdata/unit/build/capture.sh. The ldflags input's
// check refuses -foo and -X main.v before a run builds anything; compile() must still say what
// the linker said, for what gets past that check (-H=bogus) and for any other caller.
const captured = (name: string): string =>
  readFileSync(path.join(REPO_ROOT, 'testdata', 'unit', 'build', `${name}.stderr`), 'utf8')

const job = (ldflags: string): Parameters<typeof buildFailureMessage>[1] => ({
  pkg: { importPath: 'example.com/lk' },
  target: { spec: 'linux/amd64' },
  ldflags
})

describe('buildFailureMessage on captured output', () => {
  test('an unknown linker flag: the flag named, ldflags blamed, the 3 KB usage text dropped', () => {
    const stderr = captured('link-unknown-flag')
    expect(stderr.length).toBeGreaterThan(2500)
    expect(buildFailureMessage(stderr, job('-foo'))).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): flag provided but not defined: -foo'
    )
  })

  test('-X without =value: the linker line without the tool path', () => {
    expect(buildFailureMessage(captured('link-x-without-value'), job('-X main.v'))).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): -X flag requires argument of the form importpath.name=value'
    )
  })

  test('a bad value of a known flag, which the ldflags input check lets through', () => {
    expect(buildFailureMessage(captured('link-bad-headtype'), job('-s -H=bogus'))).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): invalid headtype: "bogus"'
    )
    expect(buildFailureMessage(captured('link-bad-linkmode'), job('-linkmode=bogus'))).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): invalid value "bogus" for flag -linkmode: invalid linkmode: "bogus"'
    )
  })

  test('a compile error is kept as the compiler said it', () => {
    expect(buildFailureMessage(captured('compile-error'), job('-s -w'))).toBe(
      'go build of example.com/lk for linux/amd64 failed:\n# example.com/lk\n./main.go:3:15: undefined: undefinedCall'
    )
  })

  test('a link failure without ldflags does not blame them; several linker lines are all kept', () => {
    const stderr =
      '# example.com/lk\n' +
      'C:\\Go\\pkg\\tool\\windows_amd64\\link.exe: running gcc failed: exit status 1\n' +
      '/usr/bin/ld: cannot find -lfoo: No such file or directory\n'
    expect(buildFailureMessage(stderr, job(''))).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking: running gcc failed: exit status 1\n/usr/bin/ld: cannot find -lfoo: No such file or directory'
    )
  })

  test('a Go file whose name contains "link" is not the linker', () => {
    const stderr = '# example.com/lk\n./link.go:3:1: syntax error\nlink/link.go:4:2: undefined: x\n'
    expect(buildFailureMessage(stderr, job('-s'))).toBe(
      `go build of example.com/lk for linux/amd64 failed:\n${stderr.trim()}`
    )
  })
})

// compile() with the machine's Go: the captures above stay what go build prints.
describe('compile with real go', () => {
  let go: GoToolchain
  let dir: string
  const saved = { GOTOOLCHAIN: process.env.GOTOOLCHAIN, GOFLAGS: process.env.GOFLAGS }

  beforeAll(async () => {
    go = await machineToolchain()
    process.env.GOTOOLCHAIN = 'local'
    process.env.GOFLAGS = ''
    dir = await writeFiles(await tempDir(), {
      'go.mod': 'module example.com/lk\n\ngo 1.26\n',
      'main.go': 'package main\n\nvar v string\n\nfunc main() { println(v) }\n'
    })
  })

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    await cleanupTempDirs()
  })

  function linuxJob(ldflags: string): PlannedBinary {
    return {
      build: 'lk',
      target: parseTarget('linux/amd64', new Set(['linux/amd64']), go.version),
      pkg: { importPath: 'example.com/lk', dir },
      cwd: dir,
      main: 'example.com/lk',
      binary: 'lk',
      name: 'lk',
      path: 'linux_amd64/lk',
      ldflags,
      flags: [],
      env: {},
      tags: [],
      cgo: false,
      modTime: 0
    }
  }

  async function failure(ldflags: string): Promise<Error> {
    const error = await compile(go, linuxJob(ldflags), path.join(dir, 'out', 'lk'), 0).then(
      () => undefined,
      (e: unknown) => e
    )
    if (!(error instanceof ActionError)) throw new Error(`compile did not fail: ${String(error)}`)
    return error
  }

  test('-ldflags=-foo', async () => {
    const error = await failure('-foo')
    expect(error.message).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): flag provided but not defined: -foo'
    )
  })

  test("-ldflags='-X main.v'", async () => {
    const error = await failure('-X main.v')
    expect(error.message).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): -X flag requires argument of the form importpath.name=value'
    )
  })

  test('-ldflags=-H=bogus', async () => {
    const error = await failure('-s -w -H=bogus')
    expect(error.message).toBe(
      'go build of example.com/lk for linux/amd64 failed while linking (check ldflags): invalid headtype: "bogus"'
    )
  })

  test('good ldflags link', async () => {
    await compile(go, linuxJob('-s -w -X main.v=1'), path.join(dir, 'out', 'lk'), 0)
    expect((await stat(path.join(dir, 'out', 'lk'))).isFile()).toBe(true)
  })
})
