// The toolchain stage as a runner runs it: dist/index.js under Node 24 against a go.dev/dl-like server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { type DlServer, standardReleases, startDlServer } from '../helpers/dl-server.js'
import {
  TOOLCHAIN_ONLY,
  cleanupTempDirs,
  goHome,
  machineGoSemver,
  seededToolCache,
  tempDir,
  writeFiles
} from '../helpers/fixtures.js'
import { type FakeProxy, startTamperedProxy, TOOLCHAIN_VERSION } from '../helpers/module-proxy.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'

let server: DlServer
let corrupt: DlServer
let version: string

beforeAll(async () => {
  version = await machineGoSemver()
  server = await startDlServer(await standardReleases())
  corrupt = await startDlServer(await standardReleases({ corruptSha: true }))
})

afterAll(async () => {
  await server?.stop()
  await corrupt?.stop()
  await cleanupTempDirs()
})

async function module(files: Record<string, string>): Promise<string> {
  return writeFiles(await tempDir('gpa-mod-'), {
    'main.go': 'package main\n\nfunc main() {}\n',
    ...files
  })
}

function goVersionOf(goroot: string): string {
  return execFileSync(path.join(goroot, 'bin', 'go'), ['env', 'GOVERSION'], {
    env: { ...process.env, GOTOOLCHAIN: 'local', GOROOT: '' },
    cwd: goroot
  })
    .toString()
    .trim()
}

describe('install from a go.dev/dl-like server', () => {
  test('downloads, verifies and installs into the tool cache; a second run downloads nothing', async () => {
    const toolCache = await tempDir('gpa-toolcache-')
    const cwd = await module({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' })
    const inputs = {
      ...TOOLCHAIN_ONLY,
      'go-version': version,
      'go-download-base-url': server.url,
      cache: 'false'
    }
    const env = await goHome()

    const first = await runAction({ inputs, cwd, toolCache, env })
    assertExit(first, 0)
    const goroot = path.join(toolCache, 'go', version, 'x64')
    expect(first.outputs['go-version']).toBe(version)
    expect(first.outputs['go-path']).toBe(goroot)
    expect(existsSync(`${goroot}.complete`)).toBe(true)
    expect(goVersionOf(goroot)).toBe(`go${version}`)
    expect(first.env.GOROOT).toBe(goroot)
    expect(first.env.GOTOOLCHAIN).toBe('local')
    expect(first.path).toContain(path.join(goroot, 'bin'))
    expect(server.requests).toEqual(['/?mode=json&include=all', `/go${version}.linux-amd64.tar.gz`])
    expect(readdirSync(path.join(toolCache, 'go')).filter(n => n.startsWith('.'))).toEqual([])

    const second = await runAction({ inputs, cwd, toolCache, env })
    assertExit(second, 0)
    expect(second.outputs['go-path']).toBe(goroot)
    expect(second.log).toContain('(tool cache)')
    expect(server.requests).toHaveLength(2)
  })

  test('an archive whose sha256 does not match the index is refused and leaves nothing behind', async () => {
    const toolCache = await tempDir('gpa-toolcache-')
    const cwd = await module({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' })
    const run = await runAction({
      inputs: {
        ...TOOLCHAIN_ONLY,
        'go-version': version,
        'go-download-base-url': corrupt.url,
        cache: 'false'
      },
      cwd,
      toolCache,
      env: await goHome()
    })
    assertExit(run, 1)
    const [error] = annotations(run, 'error')
    expect(error?.message).toMatch(
      new RegExp(
        `go${version}\\.linux-amd64\\.tar\\.gz .* has sha256 [0-9a-f]{64}, but the index lists`
      )
    )
    expect(corrupt.requests).toContain(`/go${version}.linux-amd64.tar.gz`)
    // Not even an empty version folder or a staging leftover.
    expect(readdirSync(path.join(toolCache, 'go'))).toEqual([])
    expect(run.outputs['go-version']).toBeUndefined()
  })
})

describe('install from the Go module proxy (go-download-source: proxy)', () => {
  test('installs golang.org/toolchain go1.27.3 from the real module proxy, checked against the checksum database', async () => {
    const toolCache = await tempDir('gpa-toolcache-')
    const run = await runAction({
      inputs: {
        ...TOOLCHAIN_ONLY,
        'go-version': '1.27.3',
        'go-download-source': 'proxy',
        cache: 'false'
      },
      cwd: await module({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' }),
      toolCache,
      env: await goHome()
    })
    assertExit(run, 0)
    const goroot = path.join(toolCache, 'go', '1.27.3', 'x64')
    check(run, () => {
      expect(run.outputs['go-version']).toBe('1.27.3')
      expect(run.outputs['go-path']).toBe(goroot)
      expect(run.log).toMatch(
        /golang\.org\/toolchain@v0\.0\.1-go1\.27\.3\.linux-amd64 matches the checksum database \(h1:/
      )
      expect(existsSync(`${goroot}.complete`)).toBe(true)
      expect(goVersionOf(goroot)).toBe('go1.27.3')
      // The module zip renames nested go.mod files; the install restores them, as the go command does.
      expect(existsSync(path.join(goroot, 'src', 'go.mod'))).toBe(true)
    })
  }, 280_000)

  test('a toolchain zip that does not match the checksum database is refused and leaves nothing behind', async () => {
    await againstTamperedProxy({}, (run, proxy) => {
      expect(annotations(run, 'error')[0]?.message).toMatch(
        /golang\.org\/toolchain@v0\.0\.1-go1\.27\.3\.linux-amd64 from http:\/\/127\.0\.0\.1:\d+ hashes to h1:\S+, but the checksum database says h1:/
      )
      expect(proxy.requests).toContain(`/golang.org/toolchain/@v/${TOOLCHAIN_VERSION}.zip`)
    })
  })

  test('a proxy that forges the checksum database record is refused: the record is not in the signed tree', async () => {
    await againstTamperedProxy({ forgeRecord: true }, (run, proxy) => {
      expect(annotations(run, 'error')[0]?.message).toMatch(
        /record \d+ is not in the tree of size \d+/
      )
      // Refused before the zip is even fetched.
      expect(proxy.requests).not.toContain(`/golang.org/toolchain/@v/${TOOLCHAIN_VERSION}.zip`)
    })
  })
})

/** Installs go1.27.3 through a tampered proxy: the run must fail and leave the tool cache empty. */
async function againstTamperedProxy(
  opts: { forgeRecord?: boolean },
  expectations: (run: ActionRun, proxy: FakeProxy) => void
): Promise<void> {
  const proxy = await startTamperedProxy(opts)
  try {
    const toolCache = await tempDir('gpa-toolcache-')
    const run = await runAction({
      inputs: {
        ...TOOLCHAIN_ONLY,
        'go-version': '1.27.3',
        'go-download-source': 'proxy',
        cache: 'false'
      },
      cwd: await module({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' }),
      toolCache,
      env: { ...(await goHome()), GOPROXY: proxy.url, GOSUMDB: '' }
    })
    assertExit(run, 1)
    check(run, () => {
      expectations(run, proxy)
      expect(readdirSync(path.join(toolCache, 'go'))).toEqual([])
    })
  } finally {
    await proxy.stop()
  }
}

describe('which Go a module asks for', () => {
  let toolCache: string
  beforeAll(async () => {
    toolCache = await seededToolCache()
  })

  async function resolve(files: Record<string, string>, inputs: Record<string, string> = {}) {
    return runAction({
      inputs: { ...TOOLCHAIN_ONLY, 'go-download-base-url': server.url, cache: 'false', ...inputs },
      cwd: await module(files),
      toolCache,
      env: await goHome()
    })
  }

  test('the go.mod toolchain line wins over the go line', async () => {
    // The go line alone would pick go1.25.9, which the server lists but cannot serve.
    const run = await resolve({
      'go.mod': `module example.com/m\n\ngo 1.25\n\ntoolchain go${version}\n`
    })
    assertExit(run, 0)
    expect(run.outputs['go-version']).toBe(version)
    expect(run.log).toContain(`go.mod toolchain line (go${version})`)
  })

  test('a go line alone means the newest patch of that minor', async () => {
    const minor = version.split('.').slice(0, 2).join('.')
    const run = await resolve({ 'go.mod': `module example.com/m\n\ngo ${minor}.0\n` })
    assertExit(run, 0)
    expect(run.outputs['go-version']).toBe(version)
    expect(run.log).toContain(`go.mod go line (${minor}.0)`)
  })

  test('.go-version through go-version-file', async () => {
    const run = await resolve(
      { '.go-version': `${version}\n` },
      { 'go-version-file': '.go-version' }
    )
    assertExit(run, 0)
    expect(run.outputs['go-version']).toBe(version)
  })

  test('go-version wins over go-version-file, with a warning', async () => {
    const run = await resolve(
      { '.go-version': '1.19.13\n', 'go.mod': 'module example.com/m\n\ngo 1.26\n' },
      { 'go-version': version, 'go-version-file': '.go-version' }
    )
    assertExit(run, 0)
    expect(run.outputs['go-version']).toBe(version)
    expect(annotations(run, 'warning').map(a => a.message)).toContainEqual(
      expect.stringContaining('go-version (' + version + ') wins')
    )
  })

  test('a range that nothing satisfies fails, naming the range and the source', async () => {
    const run = await resolve(
      { 'go.mod': 'module example.com/m\n\ngo 1.26\n' },
      { 'go-version': '>=1.40 <1.41' }
    )
    assertExit(run, 1)
    const [error] = annotations(run, 'error')
    expect(error?.message).toContain('no Go release for linux/amd64 matches >=1.40 <1.41')
    expect(error?.message).toContain(server.url)
  })

  test('check-latest consults the index even when the tool cache already has a match', async () => {
    const before = server.requests.length
    const run = await resolve(
      { 'go.mod': 'module example.com/m\n\ngo 1.26\n' },
      { 'check-latest': 'true' }
    )
    assertExit(run, 0)
    check(run, () => {
      expect(run.outputs['go-version']).toBe(version)
      expect(server.requests.slice(before)).toEqual(['/?mode=json&include=all'])
      expect(run.log).toContain('(tool cache)')
    })
  })

  test('without check-latest a match in the tool cache needs no index at all', async () => {
    const before = server.requests.length
    const run = await resolve({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' })
    assertExit(run, 0)
    expect(server.requests.length).toBe(before)
  })

  test('stable resolves through the index to the newest stable release, not the release candidate', async () => {
    const run = await resolve(
      { 'go.mod': 'module example.com/m\n\ngo 1.26\n' },
      { 'go-version': 'stable' }
    )
    assertExit(run, 0)
    expect(run.outputs['go-version']).toBe(version)
  })
})

describe('bad input fails before any download, naming the input', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      'unknown mode',
      { mode: 'everything' },
      /^mode: "everything" is not one of all, build, publish/
    ],
    [
      'malformed version',
      { 'go-version': '1.2x' },
      /^go-version: "1.2x" is not a Go version or range/
    ],
    [
      'missing working-directory',
      { 'working-directory': 'no/such/dir' },
      /^working-directory: "no\/such\/dir" does not exist/
    ],
    ['release: true off a tag', { release: 'true' }, /^release: true needs a SemVer tag/],
    [
      'an image name with a tag',
      { image: 'registry.example.com/hello:1' },
      /^image: "registry.example.com\/hello:1" names a tag or digest/
    ],
    [
      'a target that is not GOOS/GOARCH',
      { targets: 'linux' },
      /^targets: "linux" is not GOOS\/GOARCH/
    ],
    [
      'an unknown ldflags field',
      { ldflags: '-X main.v={{.Versoin}}' },
      /^ldflags: template: -X main\.v=\{\{\.Versoin\}\}: at 1:13: unknown field \.Versoin \(known: /
    ],
    [
      'a staticcheck version that is not one',
      { 'staticcheck-version': '2025.1' },
      /^staticcheck-version: "2025.1" is not a version of honnef.co\/go\/tools/
    ],
    ['a boolean that is not one', { cache: 'yes' }, /^cache: "yes" is not true or false/]
  ]
  test.each(cases)('%s', async (_name, inputs, message) => {
    const before = server.requests.length
    const run = await runAction({
      inputs: {
        ...TOOLCHAIN_ONLY,
        'go-download-base-url': server.url,
        'go-version': version,
        ...inputs
      },
      cwd: await module({ 'go.mod': 'module example.com/m\n\ngo 1.26\n' }),
      env: await goHome()
    })
    assertExit(run, 1)
    expect(annotations(run, 'error')[0]?.message).toMatch(message)
    expect(server.requests.length).toBe(before)
  })
})
