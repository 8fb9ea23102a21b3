// The checks as real projects need them, through the bundle: every shipped platform analysed
// (staticcheck -merge, vet per platform), severities, staticcheck.conf, govulncheck against a local
// database, and golangci-lint with the project's own configuration.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { cp, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cleanupTempDirs, goHome, seededToolCache, tempDir } from '../helpers/fixtures.js'
import { sharedGolangciLint } from '../helpers/golangci.js'
import { startLocalServer } from '../helpers/local-server.js'
import { TEST_TOOL_CACHE } from '../helpers/nfpm.js'
import { APP_VULNS, sharedGovulncheck, writeVulnDb } from '../helpers/vulndb.js'
import {
  type ActionRun,
  annotations,
  assertExit,
  check,
  REPO_ROOT,
  runAction
} from '../helpers/run-action.js'

const PLATFORMS = 'testdata/checks/platforms'
let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>

beforeAll(async () => {
  toolCache = await seededToolCache()
  home = await goHome()
}, 60_000)

afterAll(cleanupTempDirs)

/** A copy of a test module inside a fresh workspace, so tests can add files to it. */
async function workspaceWith(module: string): Promise<string> {
  const workspace = await tempDir('gpa-checks-platforms-')
  await cp(path.join(REPO_ROOT, module), path.join(workspace, 'mod'), { recursive: true })
  return workspace
}

async function run(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  timeoutMs = 560_000
): Promise<ActionRun> {
  return runAction({
    inputs: {
      cache: 'false',
      test: 'false',
      vulncheck: 'false',
      'working-directory': 'mod',
      ...inputs
    },
    cwd: workspace,
    toolCache,
    env: { ...home, ...env },
    timeoutMs
  })
}

/** The annotations of a level as "file:line title: message". */
function places(run: ActionRun, level: 'error' | 'warning'): string[] {
  return annotations(run, level)
    .filter(a => a.props.file)
    .map(a => `${a.props.file}:${a.props.line} ${a.props.title}: ${a.message}`)
}

const u1000 = (r: ActionRun, level: 'error' | 'warning' = 'error'): string[] =>
  places(r, level).filter(p => p.includes('U1000'))

describe('every shipped platform is analysed', () => {
  let workspace: string
  let all: ActionRun
  beforeAll(async () => {
    workspace = await workspaceWith(PLATFORMS)
    // The six default targets: staticcheck and vet for each distinct configuration, cold.
    all = await run(workspace, {})
  }, 600_000)

  test('with the six default targets only the genuinely unused function is U1000', () => {
    assertExit(all, 1)
    check(all, () => {
      expect(u1000(all)).toEqual(['mod/main.go:16 staticcheck U1000: func unusedHelper is unused'])
      // Four configurations: amd64 (linux and darwin compile the same files), arm64 (the same),
      // and windows per arch.
      expect(all.summary).toContain('### Analysed configurations (4)')
      expect(all.summary).toContain('| `linux/amd64`, `darwin/amd64` |')
      expect(all.summary).toContain('| `windows/arm64` |')
      expect(all.log).toMatch(
        /staticcheck -f binary .*× 4 configurations\), then staticcheck -merge/
      )
    })
  })

  test('a vet finding of windows files alone names its platforms', () => {
    check(all, () => {
      expect(places(all, 'error')).toContainEqual(
        'mod/state_windows.go:6 go vet (printf): fmt.Printf format %d has arg s.name of wrong type string (on windows/amd64, windows/arm64)'
      )
      expect(all.summary).toMatch(/\| vet \| ❌ fail \|/)
    })
  })

  test('targets: linux/amd64 alone reports the windows-only field and the assembly-only function too', async () => {
    const one = await run(workspace, { targets: 'linux/amd64' })
    assertExit(one, 1)
    check(one, () => {
      expect(u1000(one)).toEqual([
        'mod/main.go:9 staticcheck U1000: field extra is unused',
        'mod/main.go:13 staticcheck U1000: func fromAsm is unused',
        'mod/main.go:16 staticcheck U1000: func unusedHelper is unused'
      ])
      expect(places(one, 'error').filter(p => p.includes('go vet'))).toEqual([])
      expect(one.summary).toContain('### Analysed configurations (1)')
    })
  }, 600_000)

  test('check-platforms analyses other platforms than the targets', async () => {
    const r = await run(workspace, {
      targets: 'linux/amd64',
      'check-platforms': 'linux/amd64 linux/arm64 windows/amd64'
    })
    assertExit(r, 1)
    check(r, () => {
      expect(u1000(r)).toEqual(['mod/main.go:16 staticcheck U1000: func unusedHelper is unused'])
      expect(r.summary).toContain('### Analysed configurations (3)')
    })
  }, 600_000)

  test('staticcheck: warn annotates warnings and the build goes on', async () => {
    const r = await run(workspace, { targets: 'linux/amd64', vet: 'false', staticcheck: 'warn' })
    assertExit(r, 0)
    check(r, () => {
      expect(annotations(r, 'error')).toEqual([])
      expect(u1000(r, 'warning')).toHaveLength(3)
      expect(r.summary).toMatch(/\| staticcheck \| ⚠️ warn \|/)
      expect(existsSync(path.join(workspace, 'mod', 'dist', 'linux_amd64', 'platforms'))).toBe(true)
    })
  }, 600_000)

  test('vet: warn does not stop the build', async () => {
    const r = await run(workspace, { staticcheck: 'false', vet: 'warn', targets: 'windows/amd64' })
    assertExit(r, 0)
    check(r, () => {
      expect(places(r, 'warning')).toContainEqual(
        'mod/state_windows.go:6 go vet (printf): fmt.Printf format %d has arg s.name of wrong type string'
      )
      expect(
        existsSync(path.join(workspace, 'mod', 'dist', 'windows_amd64', 'platforms.exe'))
      ).toBe(true)
    })
  }, 600_000)
})

test('test: warn reports failing tests as warnings, and the stages after the checks run', async () => {
  const workspace = await workspaceWith('testdata/checks/failing-test')
  const r = await run(workspace, {
    vet: 'false',
    staticcheck: 'false',
    test: 'warn',
    race: 'false',
    targets: 'linux/amd64'
  })
  assertExit(r, 0)
  check(r, () => {
    expect(annotations(r, 'error')).toEqual([])
    expect(places(r, 'warning')).toContainEqual(
      expect.stringMatching(/^mod\/calc_test\.go:7 TestAdd failed: Add\(2, 2\) = 0, want 4/)
    )
    expect(r.summary).toMatch(/\| test \| ⚠️ warn \|/)
    // A library: the build has nothing to do, but it is not stopped by the checks.
    expect(r.summary).toMatch(/\| Checks \| ✅ success \|/)
    expect(r.summary).toMatch(
      /\| Build \| ⏭️ skipped \| [\d.]+ s \| the module has no main package/
    )
  })
}, 600_000)

describe('staticcheck’s own configuration', () => {
  test('staticcheck.conf with checks = ["all", "-U1000"]: no U1000', async () => {
    const workspace = await workspaceWith(PLATFORMS)
    await writeFile(path.join(workspace, 'mod', 'staticcheck.conf'), 'checks = ["all", "-U1000"]\n')
    const r = await run(workspace, { targets: 'linux/amd64', vet: 'false' })
    check(r, () => {
      expect(u1000(r)).toEqual([])
      expect(r.summary).toMatch(/\| staticcheck \| ✅ pass \|/)
    })
    assertExit(r, 0)
  }, 600_000)

  test('staticcheck-checks passes -checks', async () => {
    const workspace = await workspaceWith(PLATFORMS)
    const r = await run(workspace, {
      targets: 'linux/amd64',
      vet: 'false',
      'staticcheck-checks': 'all,-U1000'
    })
    assertExit(r, 0)
    check(r, () => {
      expect(u1000(r)).toEqual([])
      expect(r.log).toContain('staticcheck -f binary -checks all,-U1000')
    })
  }, 600_000)
})

describe('known vulnerabilities (govulncheck against a local database)', () => {
  let workspace: string
  let db: string
  beforeAll(async () => {
    // govulncheck built once for every test file (the shared test tool cache), linked in here.
    await sharedGovulncheck()
    await symlink(path.join(TEST_TOOL_CACHE, 'govulncheck'), path.join(toolCache, 'govulncheck'))
    workspace = await workspaceWith('testdata/vulncheck/app')
    db = await writeVulnDb(path.join(await tempDir('gpa-vulndb-'), 'db'), APP_VULNS)
  }, 600_000)

  const vulnRun = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    run(
      workspace,
      {
        vet: 'false',
        staticcheck: 'false',
        targets: 'linux/amd64 windows/amd64',
        vulncheck: 'true',
        'vulncheck-db': db,
        ...inputs
      },
      env
    )

  test('a called vulnerable function is annotated at the call; the uncalled one is listed only', async () => {
    const r = await vulnRun({})
    assertExit(r, 1)
    check(r, () => {
      const errors = places(r, 'error')
      expect(errors).toContainEqual(
        expect.stringMatching(
          /^mod\/main\.go:12 known vulnerability GO-2099-0001: GO-2099-0001: app\.main calls uuid\.NewString, vulnerable in github\.com\/google\/uuid v1\.3\.0 \(fixed in v1\.3\.1\)/
        )
      )
      // Called only from a windows file: said so.
      expect(errors).toContainEqual(
        expect.stringMatching(
          /^mod\/extra_windows\.go:7 known vulnerability GO-2099-0003: .*\(on windows\/amd64\)/
        )
      )
      expect(errors.join('\n')).not.toContain('GO-2099-0002')
      expect(r.summary).toMatch(
        /\| \[GO-2099-0002\]\(https:\/\/pkg\.go\.dev\/vuln\/GO-2099-0002\) \| `github\.com\/google\/uuid@v1\.3\.0` \| no fixed version \| not called \|/
      )
      expect(r.summary).toMatch(/\| vulncheck \| ❌ fail \|/)
      expect(r.log).toContain('govulncheck v1.9.0 (tool cache)')
    })
  }, 600_000)

  test('vulncheck: warn builds, and the binaries’ scan names the standard library of the Go that built them', async () => {
    const r = await vulnRun({ vulncheck: 'warn' })
    assertExit(r, 0)
    check(r, () => {
      expect(annotations(r, 'error')).toEqual([])
      expect(places(r, 'warning')).toContainEqual(
        expect.stringMatching(/^mod\/main\.go:12 known vulnerability GO-2099-0001/)
      )
      expect(r.summary).toContain('### Known vulnerabilities in the binaries')
      expect(r.summary).toMatch(
        /\| `app` \| linux\/amd64 \| go1\.\d+\.\d+ \| .*\[GO-2099-0004\]\(https:\/\/pkg\.go\.dev\/vuln\/GO-2099-0004\) in the standard library go1\.\d+\.\d+, fixed in go1\.99\.0/
      )
      expect(r.summary).toMatch(/\| `app\.exe` \| windows\/amd64 \| .*GO-2099-0003/)
    })
  }, 600_000)

  test('a database that never answers is a warning, and the run goes on', async () => {
    const silent = await startLocalServer(() => undefined)
    try {
      const r = await vulnRun(
        { 'vulncheck-db': silent.base, targets: 'none' },
        { GO_PACKAGE_ACTION_TIMEOUT_SCALE: '0.05' }
      )
      assertExit(r, 0)
      check(r, () => {
        expect(annotations(r, 'warning').map(a => a.message)).toContainEqual(
          expect.stringMatching(
            /^vulncheck: the vulnerability database http:\/\/127\.0\.0\.1:\d+ cannot be read \(.*nothing received or sent for 3s/
          )
        )
        expect(r.log).not.toContain('Building govulncheck')
      })
    } finally {
      await silent.stop()
    }
  }, 300_000)

  test('the default database, unreachable here, is a warning too', async () => {
    const r = await vulnRun({ 'vulncheck-db': '', targets: 'none' })
    assertExit(r, 0)
    check(r, () =>
      expect(annotations(r, 'warning').map(a => a.message)).toContainEqual(
        expect.stringMatching(
          /^vulncheck: the vulnerability database https:\/\/vuln\.go\.dev cannot be read/
        )
      )
    )
  }, 300_000)
})

describe('golangci-lint with the project’s own configuration', () => {
  let workspace: string
  beforeAll(async () => {
    // golangci-lint built once for every test file (the shared test tool cache), linked in here.
    await sharedGolangciLint()
    await symlink(
      path.join(TEST_TOOL_CACHE, 'golangci-lint'),
      path.join(toolCache, 'golangci-lint')
    )
    workspace = await workspaceWith('testdata/golangci/errcheck')
  }, 900_000)

  test('a .golangci.yml enabling errcheck and govet: the unchecked error at its line, on every platform', async () => {
    const first = await run(workspace, { vet: 'false', targets: 'linux/amd64 windows/amd64' })
    assertExit(first, 1)
    check(first, () => {
      const errors = places(first, 'error')
      expect(errors).toContainEqual(
        expect.stringMatching(
          /^mod\/main\.go:9 golangci-lint \(errcheck\): Error return value of `os\.Remove` is not checked/
        )
      )
      expect(errors).toContainEqual(
        expect.stringMatching(
          /^mod\/remove_windows\.go:\d+ golangci-lint \(errcheck\): .*\(on windows\/amd64\)/
        )
      )
      expect(errors).toContainEqual(
        expect.stringMatching(/^mod\/main\.go:10 golangci-lint \(govet\): printf/)
      )
      expect(first.summary).toMatch(/\| golangci-lint \| ❌ fail \| .*with mod\/\.golangci\.yml/)
      expect(first.log).not.toContain('staticcheck v0.8.2')
    })
    // The second run builds no tool: golangci-lint is in the tool cache.
    const second = await run(workspace, { vet: 'false', targets: 'linux/amd64 windows/amd64' })
    assertExit(second, 1)
    check(second, () => {
      expect(second.log).toMatch(/golangci-lint v2\.15\.0 \(tool cache\) with mod\/\.golangci\.yml/)
      expect(second.log).not.toMatch(/Building \S+ v/)
      expect(places(second, 'error')).toEqual(places(first, 'error'))
    })
  }, 900_000)

  test('the same module without the file runs staticcheck as before', async () => {
    const bare = await workspaceWith('testdata/golangci/errcheck')
    await rm(path.join(bare, 'mod', '.golangci.yml'))
    const r = await run(bare, { vet: 'false', targets: 'linux/amd64' })
    check(r, () => {
      expect(r.log).toMatch(/staticcheck v0\.8\.2 \((built|tool cache)\)/)
      expect(r.log).not.toContain('golangci-lint v2')
      expect(r.summary).toMatch(/\| staticcheck \| /)
      expect(places(r, 'error').join('\n')).not.toContain('errcheck')
    })
  }, 600_000)

  test('a version 1 configuration is refused before anything runs, with the command that migrates it', async () => {
    const v1 = await workspaceWith('testdata/golangci/v1')
    const r = await run(v1, { vet: 'false', targets: 'linux/amd64' })
    assertExit(r, 1)
    check(r, () => {
      expect(annotations(r, 'error')[0]?.message).toMatch(
        /golangci-lint migrate --config mod\/\.golangci\.yml/
      )
      expect(r.log).not.toContain('go build')
      expect(existsSync(path.join(v1, 'mod', 'dist'))).toBe(false)
    })
  }, 300_000)
})
