// govulncheck for real: built from golang.org/x/vuln through the module proxy (once, into the
// shared test tool cache), run on testdata/vulncheck/app — which requires the real
// github.com/google/uuid v1.3.0 — against a database the helper writes, read from disk and served
// on 127.0.0.1; and on that app built for linux and for windows, in binary mode.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import {
  DEFAULT_GOVULNCHECK_VERSION,
  type Govulncheck,
  govulncheckRoot,
  installGovulncheck
} from '../../../src/checks/vulncheck/install.js'
import { vulncheckBinaries, vulncheckSource } from '../../../src/checks/vulncheck/run.js'
import type { GoToolchain } from '../../../src/toolchain/setup-go.js'
import { execCapture } from '../../../src/util/exec.js'
import { analysisConfig, cleanupTempDirs, tempDir } from '../../helpers/fixtures.js'
import { machineToolchain } from '../../helpers/go-archive.js'
import { startLocalServer } from '../../helpers/local-server.js'
import { TEST_TOOL_CACHE, toolContext } from '../../helpers/nfpm.js'
import { REPO_ROOT } from '../../helpers/run-action.js'
import {
  APP_DIR,
  APP_VULNS,
  serveVulnDb,
  sharedGovulncheck,
  writeVulnDb
} from '../../helpers/vulndb.js'

const MAIN = 'testdata/vulncheck/app/main.go'
const WINDOWS_FILE = 'testdata/vulncheck/app/extra_windows.go'
const ctx = { repoRoot: REPO_ROOT, cwd: APP_DIR }

const LINUX = analysisConfig('linux', 'amd64')
const WINDOWS = analysisConfig('windows', 'amd64')

let tool: Govulncheck
let go: GoToolchain
let dbDir: string
let db: string

beforeAll(async () => {
  go = await machineToolchain()
  tool = await sharedGovulncheck()
  dbDir = path.join(await tempDir('gpa-vulndb-'), 'db')
  db = await writeVulnDb(dbDir, APP_VULNS)
}, 600_000)

afterAll(cleanupTempDirs)

describe('installGovulncheck', () => {
  test('built once per version and Go into the tool cache; found there the next time', async () => {
    const again = await installGovulncheck(DEFAULT_GOVULNCHECK_VERSION, go, toolContext())
    expect(again).toEqual({ version: 'v1.9.0', binary: tool.binary, origin: 'tool cache' })
    expect(tool.binary).toBe(
      path.join(
        TEST_TOOL_CACHE,
        'govulncheck',
        'v1.9.0',
        `${process.arch}-go${go.version}`,
        'govulncheck'
      )
    )
    expect(existsSync(`${path.dirname(tool.binary)}.complete`)).toBe(true)
    expect(govulncheckRoot(toolContext())).toBe(path.join(TEST_TOOL_CACHE, 'govulncheck'))
    const version = await execCapture(tool.binary, ['-version'])
    expect(version.stdout).toContain('govulncheck@v1.9.0')
  })
})

describe('vulncheckSource', () => {
  test('one configuration: the called symbols at their call sites, the rest unreachable', async () => {
    const result = await vulncheckSource({
      tool,
      go,
      workDir: APP_DIR,
      db,
      configs: [LINUX],
      ctx,
      severity: 'error'
    })
    expect(result.problems).toEqual([])
    expect(result.findings).toEqual([
      {
        tool: 'vulncheck',
        kind: 'vuln',
        severity: 'error',
        package: 'example.com/vulncheck/app',
        code: 'GO-2099-0001',
        url: 'https://pkg.go.dev/vuln/GO-2099-0001',
        file: MAIN,
        line: 12,
        column: 22,
        message:
          'GO-2099-0001: app.main calls uuid.NewString, vulnerable in github.com/google/uuid v1.3.0 ' +
          '(fixed in v1.3.1): Predictable UUIDs from NewString'
      },
      {
        tool: 'vulncheck',
        kind: 'vuln',
        severity: 'error',
        package: 'example.com/vulncheck/app',
        code: 'GO-2099-0004',
        url: 'https://pkg.go.dev/vuln/GO-2099-0004',
        file: MAIN,
        line: 13,
        column: 13,
        message: `GO-2099-0004: app.main calls fmt.Println, vulnerable in the standard library go${go.version} (fixed in go1.99.0): Println prints`
      }
    ])
    expect(result.reachable).toEqual([
      {
        id: 'GO-2099-0001',
        aliases: ['CVE-2099-0001'],
        summary: 'Predictable UUIDs from NewString',
        module: 'github.com/google/uuid',
        foundVersion: 'v1.3.0',
        fixedVersion: 'v1.3.1',
        url: 'https://pkg.go.dev/vuln/GO-2099-0001',
        level: 'symbol',
        symbols: ['uuid.NewString']
      },
      {
        id: 'GO-2099-0004',
        aliases: [],
        summary: 'Println prints',
        module: 'stdlib',
        foundVersion: `v${go.version}`,
        fixedVersion: 'v1.99.0',
        url: 'https://pkg.go.dev/vuln/GO-2099-0004',
        level: 'symbol',
        symbols: ['fmt.Println']
      }
    ])
    // ParseBytes is imported but never called; MustParse only on windows. GO-2099-0005 was fixed
    // before v1.3.0: not there at all.
    expect(result.unreachable.map(e => [e.id, e.level, e.fixedVersion])).toEqual([
      ['GO-2099-0002', 'package', undefined],
      ['GO-2099-0003', 'package', 'v1.3.1']
    ])
    expect(result.goVersion).toBe(`go${go.version}`)
    expect(result.dbLastModified).toBe('2026-01-02T00:00:00Z')
    expect(result.command).toBe(`govulncheck -db ${db} -format json ./...`)
    expect(result.durationMs).toBeGreaterThan(0)
  })

  test('linux and windows: a call only windows compiles says so; the rest once, for both', async () => {
    const result = await vulncheckSource({
      tool,
      go,
      workDir: APP_DIR,
      db,
      configs: [LINUX, WINDOWS],
      ctx,
      severity: 'warning'
    })
    expect(result.problems).toEqual([])
    expect(result.findings.map(f => [f.code, f.file, f.line, f.severity, f.platforms])).toEqual([
      ['GO-2099-0001', MAIN, 12, 'warning', undefined],
      ['GO-2099-0003', WINDOWS_FILE, 7, 'warning', ['windows/amd64']],
      ['GO-2099-0004', MAIN, 13, 'warning', undefined]
    ])
    expect(result.findings[1]?.message).toBe(
      'GO-2099-0003: app.extra calls uuid.MustParse, vulnerable in github.com/google/uuid v1.3.0 ' +
        '(fixed in v1.3.1): MustParse panics on windows'
    )
    expect(result.reachable.map(e => e.id)).toEqual([
      'GO-2099-0001',
      'GO-2099-0003',
      'GO-2099-0004'
    ])
    expect(result.unreachable.map(e => e.id)).toEqual(['GO-2099-0002'])
    expect(result.command).toBe(
      `govulncheck -db ${db} -format json ./... (per configuration: linux-amd64, windows-amd64)`
    )
  })

  test('the same database served on 127.0.0.1 gives the same findings', async () => {
    const served = await serveVulnDb(dbDir)
    try {
      const result = await vulncheckSource({
        tool,
        go,
        workDir: APP_DIR,
        db: served.base,
        configs: [LINUX],
        ctx,
        severity: 'error'
      })
      expect(result.problems).toEqual([])
      expect(result.findings.map(f => [f.code, f.file, f.line])).toEqual([
        ['GO-2099-0001', MAIN, 12],
        ['GO-2099-0004', MAIN, 13]
      ])
      expect(served.requests).toContain('GET /index/modules.json.gz')
      expect(served.requests).toContain('GET /ID/GO-2099-0001.json.gz')
    } finally {
      await served.stop()
    }
  })

  test('a database that cannot be read: a problem naming the configuration, no findings', async () => {
    const missing = `${db}-missing`
    const result = await vulncheckSource({
      tool,
      go,
      workDir: APP_DIR,
      db: missing,
      configs: [LINUX, WINDOWS],
      ctx,
      severity: 'error'
    })
    expect(result.findings).toEqual([])
    expect(result.reachable).toEqual([])
    expect(result.problems).toHaveLength(2)
    expect(result.problems[0]).toMatch(
      /^vulncheck \(linux-amd64\): govulncheck exited with \d+: .*no such file or directory/s
    )
    expect(result.problems[1]).toMatch(/^vulncheck \(windows-amd64\): /)
  })
  test('a database server that stops answering: govulncheck is stopped at the command limit', async () => {
    // govulncheck's own HTTP client waits forever; the command limit (20 min, ×0.001 here: 1.2 s)
    // is what ends it.
    const silent = await startLocalServer(() => undefined)
    const scale = process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE
    process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE = '0.001'
    try {
      const started = Date.now()
      const result = await vulncheckSource({
        tool,
        go,
        workDir: APP_DIR,
        db: silent.base,
        configs: [LINUX],
        ctx,
        severity: 'error'
      })
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(result.findings).toEqual([])
      expect(result.problems).toEqual([
        'vulncheck (linux-amd64): govulncheck did not finish within 1.2s and was stopped (it reads the ' +
          'vulnerability database over the network); if it is only slow, raise GO_PACKAGE_ACTION_COMMAND_TIMEOUT_MINUTES'
      ])
    } finally {
      if (scale === undefined) delete process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE
      else process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE = scale
      await silent.stop()
    }
  })
})

describe('vulncheckBinaries', () => {
  test('what ships, for a linux and a windows binary: modules, the standard library, the Go that built it', async () => {
    const out = await tempDir('gpa-vulnbin-')
    const built: Array<{ path: string; target: string }> = []
    for (const [goos, exe] of [
      ['linux', 'app'],
      ['windows', 'app.exe']
    ] as const) {
      const file = path.join(out, exe)
      const result = await execCapture(go.goBinary, ['build', '-trimpath', '-o', file, '.'], {
        cwd: APP_DIR,
        env: {
          ...(process.env as Record<string, string>),
          GOOS: goos,
          GOARCH: 'amd64',
          CGO_ENABLED: '0'
        }
      })
      expect(result.stderr).toBe('')
      built.push({ path: file, target: `${goos}/amd64` })
    }
    const scans = await vulncheckBinaries({ tool, db, binaries: built })
    const summary = scans.map(s => ({
      target: s.target,
      goVersion: s.goVersion,
      problem: s.problem,
      vulns: s.vulns.map(v => [v.id, v.module, v.foundVersion, v.fixedVersion, v.reached])
    }))
    expect(summary).toEqual([
      {
        target: 'linux/amd64',
        goVersion: `go${go.version}`,
        problem: undefined,
        vulns: [
          ['GO-2099-0001', 'github.com/google/uuid', 'v1.3.0', 'v1.3.1', true],
          ['GO-2099-0002', 'github.com/google/uuid', 'v1.3.0', undefined, false],
          // MustParse is not linked into the linux binary: the package is, the symbol is not.
          ['GO-2099-0003', 'github.com/google/uuid', 'v1.3.0', 'v1.3.1', false],
          ['GO-2099-0004', 'stdlib', `v${go.version}`, 'v1.99.0', true]
        ]
      },
      {
        target: 'windows/amd64',
        goVersion: `go${go.version}`,
        problem: undefined,
        vulns: [
          ['GO-2099-0001', 'github.com/google/uuid', 'v1.3.0', 'v1.3.1', true],
          ['GO-2099-0002', 'github.com/google/uuid', 'v1.3.0', undefined, false],
          ['GO-2099-0003', 'github.com/google/uuid', 'v1.3.0', 'v1.3.1', true],
          ['GO-2099-0004', 'stdlib', `v${go.version}`, 'v1.99.0', true]
        ]
      }
    ])
    expect(scans[1]?.vulns.find(v => v.id === 'GO-2099-0003')?.symbols).toEqual(['uuid.MustParse'])
  })

  test('a file that is not a Go binary is a problem of that binary alone', async () => {
    const scans = await vulncheckBinaries({
      tool,
      db,
      binaries: [{ path: path.join(APP_DIR, 'go.mod'), target: 'linux/amd64' }]
    })
    expect(scans).toHaveLength(1)
    expect(scans[0]?.vulns).toEqual([])
    expect(scans[0]?.problem).toMatch(
      /^vulncheck \(linux\/amd64, go\.mod\): govulncheck exited with \d+: /
    )
  })
})
