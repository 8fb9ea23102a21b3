// A project that ships with a GoReleaser file, run through the bundle as a runner runs it: the
// version from the tag at the commit (a workflow_dispatch run), a before hook that generates a
// file, two builds' worth of archives named by templates with conditionals, a bare-binary
// archive, sha512 checksums, .deb and .rpm packages read back with dpkg-deb, dpkg, rpm and cpio,
// an arm64 binary run under qemu, and every file byte-identical when built again elsewhere.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, symlink } from 'node:fs/promises'
import path from 'node:path'
import { sha256File } from '../../src/util/hash.js'
import {
  cleanupTempDirs,
  COMMIT_DATE,
  gitEnv,
  goHome,
  HELLO,
  NO_CHECKS,
  seededToolCache,
  tempDir,
  writeFiles
} from '../helpers/fixtures.js'
import { sharedNfpm, TEST_TOOL_CACHE } from '../helpers/nfpm.js'
import { runForeign } from '../helpers/qemu.js'
import { type ActionRun, assertExit, check, runAction } from '../helpers/run-action.js'

const GORELEASER = `version: 2
project_name: greeter
before:
  hooks:
    - go run ./gen completions/greeter.bash
builds:
  - id: greeter
    binary: greeter
    env:
      - CGO_ENABLED=0
    goos: [linux, windows]
    goarch: [amd64, arm64, arm]
    goarm: ["7"]
    ignore:
      - goos: windows
        goarch: arm
    ldflags:
      - -s -w -X main.version={{ .Version }} -X main.commit={{ .ShortCommit }}
      - '{{ if .Arm }}-X main.date=armv{{ .Arm }}{{ else }}-X main.date={{ .CommitDate }}{{ end }}'
    mod_timestamp: "{{ .CommitTimestamp }}"
archives:
  - name_template: >-
      {{ .ProjectName }}-{{ .Version }}-{{ .Os }}_{{ .Arch }}{{ if .Arm }}v{{ .Arm }}{{ end }}
    format_overrides:
      - goos: windows
        formats: [zip]
    files:
      - README.md
      - src: completions/*
        dst: completions
      - src: man/greeter.1
        info:
          mode: 0600
    wrap_in_directory: true
  - id: bare
    formats: [binary]
    name_template: "{{ .Binary }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}"
checksum:
  name_template: "{{ .ProjectName }}_{{ .Version }}_SHA512SUMS"
  algorithm: sha512
nfpms:
  - maintainer: Gopher <gopher@example.com>
    description: Says hello.
    license: MIT
    homepage: https://example.com/greeter
    formats: [deb, rpm]
    contents:
      - src: man/greeter.1
        dst: /usr/share/man/man1/greeter.1
      - src: README.md
        dst: /usr/share/doc/greeter/README.md
        type: doc
brews:
  - name: greeter
`

// The hook's program: writes the completion file it is given (not committed: only the hook makes it).
const GEN = `package main

import "os"

func main() {
	if err := os.MkdirAll("completions", 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(os.Args[1], []byte("complete -W 'hello' greeter\\n"), 0o644); err != nil {
		panic(err)
	}
}
`

const ARCHIVES = [
  'greeter-1.4.0-linux_amd64.tar.gz',
  'greeter-1.4.0-linux_arm64.tar.gz',
  'greeter-1.4.0-linux_armv7.tar.gz',
  'greeter-1.4.0-windows_amd64.zip',
  'greeter-1.4.0-windows_arm64.zip'
]
const BARE = [
  'greeter_linux_amd64',
  'greeter_linux_arm64',
  'greeter_linux_armv7',
  'greeter_windows_amd64.exe',
  'greeter_windows_arm64.exe'
]
// GoReleaser's default nfpm file name: {{ .PackageName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}…
const PACKAGES = [
  'greeter_1.4.0_linux_amd64.deb',
  'greeter_1.4.0_linux_amd64.rpm',
  'greeter_1.4.0_linux_arm64.deb',
  'greeter_1.4.0_linux_arm64.rpm',
  'greeter_1.4.0_linux_armv7.deb',
  'greeter_1.4.0_linux_armv7.rpm'
]
const SHIPPED = [...ARCHIVES, ...BARE, ...PACKAGES].sort()

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>

/** The project committed at a fixed time and tagged v1.4.0, as a checkout with tags leaves it. */
async function project(): Promise<{ dir: string; sha: string; short: string }> {
  const dir = await tempDir('gpa-greeter-')
  cpSync(HELLO, dir, { recursive: true, filter: src => !src.includes(`${path.sep}dist`) })
  await writeFiles(dir, {
    '.goreleaser.yaml': GORELEASER,
    'gen/main.go': GEN,
    'man/greeter.1': '.TH GREETER 1\n.SH NAME\ngreeter \\- says hello\n',
    '.gitignore': 'dist/\ncompletions/\n'
  })
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: gitEnv(COMMIT_DATE) })
      .toString()
      .trim()
  git('init', '-q')
  git('add', '.')
  git('commit', '-q', '-m', 'greeter')
  git('tag', 'v1.4.0')
  return { dir, sha: git('rev-parse', 'HEAD'), short: git('rev-parse', '--short', 'HEAD') }
}

async function ship(dir: string, sha: string): Promise<ActionRun> {
  return runAction({
    inputs: { ...NO_CHECKS, release: 'false' },
    cwd: dir,
    toolCache,
    // A workflow_dispatch run on main: the tag at the commit decides the version.
    env: {
      ...home,
      GITHUB_SHA: sha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'workflow_dispatch'
    },
    timeoutMs: 560_000
  })
}

const dist = (dir: string): string => path.join(dir, 'dist')
/** The files in output-dir; the binaries' folders (greeter_linux_arm_7/) are not shipped. */
const shippedIn = (dir: string): string[] =>
  readdirSync(dist(dir), { withFileTypes: true })
    .filter(e => e.isFile() && !e.name.startsWith('.'))
    .map(e => e.name)
    .sort()

beforeAll(async () => {
  toolCache = await seededToolCache()
  // nfpm is built once per machine (minutes); the action finds it in its tool cache.
  await sharedNfpm()
  await symlink(path.join(TEST_TOOL_CACHE, 'nfpm'), path.join(toolCache, 'nfpm'))
  home = await goHome()
}, 600_000)

afterAll(cleanupTempDirs)

describe('a project with a GoReleaser file', () => {
  let first: { run: ActionRun; dir: string; sha: string; short: string }

  beforeAll(async () => {
    const p = await project()
    first = { ...p, run: await ship(p.dir, p.sha) }
  }, 600_000)

  test('the tag at the commit decides the version; the hook ran; the file warns about brews', () => {
    assertExit(first.run, 0)
    check(first.run, () => {
      expect(first.run.outputs.version).toBe('1.4.0')
      expect(first.run.stdout).toContain('running go run ./gen completions/greeter.bash')
      expect(first.run.stdout).toMatch(/::warning::.*brews/)
    })
  })

  test('archives, bare binaries, packages and checksums have the names the templates give', () => {
    expect(shippedIn(first.dir)).toEqual([...SHIPPED, 'greeter_1.4.0_SHA512SUMS'].sort())
  })

  test('an archive wraps the binary, the hook’s file and the listed files, with their modes', () => {
    const listing = execFileSync('tar', [
      '-tvzf',
      path.join(dist(first.dir), ARCHIVES[2] as string)
    ])
      .toString()
      .trim()
      .split('\n')
      .map(l => {
        const f = l.split(/\s+/)
        return `${f[0]} ${f.at(-1)}`
      })
    expect(listing.sort()).toEqual(
      [
        '-rw-r--r-- greeter-1.4.0-linux_armv7/README.md',
        '-rw-r--r-- greeter-1.4.0-linux_armv7/completions/greeter.bash',
        '-rwxr-xr-x greeter-1.4.0-linux_armv7/greeter',
        '-rw------- greeter-1.4.0-linux_armv7/man/greeter.1'
      ].sort()
    )
    const zip = execFileSync('zipinfo', ['-1', path.join(dist(first.dir), ARCHIVES[3] as string)])
      .toString()
      .trim()
      .split('\n')
    expect(zip.sort()).toEqual(
      [
        'greeter-1.4.0-windows_amd64/README.md',
        'greeter-1.4.0-windows_amd64/completions/greeter.bash',
        'greeter-1.4.0-windows_amd64/greeter.exe',
        'greeter-1.4.0-windows_amd64/man/greeter.1'
      ].sort()
    )
  })

  test('the sha512 checksums file lists every shipped file, and sha512sum -c agrees', () => {
    const sums = readFileSync(path.join(dist(first.dir), 'greeter_1.4.0_SHA512SUMS'), 'utf8')
    expect(
      sums
        .trim()
        .split('\n')
        .map(l => l.replace(/^[0-9a-f]{128} {2}/, ''))
    ).toEqual(SHIPPED)
    execFileSync('sha512sum', ['-c', 'greeter_1.4.0_SHA512SUMS'], { cwd: dist(first.dir) })
  })

  test('the .deb: dpkg-deb shows its fields and files; unpacked, the arm64 binary runs', async () => {
    const deb = path.join(dist(first.dir), 'greeter_1.4.0_linux_arm64.deb')
    const info = execFileSync('dpkg-deb', ['--info', deb]).toString()
    expect(info).toMatch(/Package: greeter\n/)
    expect(info).toMatch(/Version: 1\.4\.0\n/)
    expect(info).toMatch(/Architecture: arm64\n/)
    expect(info).toMatch(/Maintainer: Gopher <gopher@example\.com>\n/)
    expect(info).toMatch(/Homepage: https:\/\/example\.com\/greeter\n/)
    const contents = execFileSync('dpkg-deb', ['--contents', deb]).toString()
    expect(contents).toMatch(/-rwxr-xr-x root\/root .* \.\/usr\/bin\/greeter\n/)
    expect(contents).toMatch(/\.\/usr\/share\/man\/man1\/greeter\.1\n/)
    expect(contents).toMatch(/\.\/usr\/share\/doc\/greeter\/README\.md\n/)
    const root = await tempDir('gpa-deb-')
    execFileSync('dpkg-deb', ['-x', deb, root])
    const out = await runForeign(path.join(root, 'usr', 'bin', 'greeter'), 'arm64', ['-version'])
    expect(out.stdout).toContain('1.4.0')
    expect(out.stdout).toContain(first.short)
  })

  test('the .rpm: rpm and rpm2cpio read it', () => {
    const rpm = path.join(dist(first.dir), 'greeter_1.4.0_linux_amd64.rpm')
    const info = execFileSync('rpm', ['-qip', rpm]).toString()
    expect(info).toMatch(/Name\s*: greeter\n/)
    expect(info).toMatch(/Version\s*: 1\.4\.0\n/)
    expect(info).toMatch(/Architecture\s*: x86_64\n/)
    expect(info).toMatch(/License\s*: MIT\n/)
    const files = execFileSync('rpm', ['-qlp', rpm]).toString().trim().split('\n')
    expect(files).toEqual(
      expect.arrayContaining([
        '/usr/bin/greeter',
        '/usr/share/doc/greeter/README.md',
        '/usr/share/man/man1/greeter.1'
      ])
    )
    const cpio = execFileSync('sh', ['-c', `rpm2cpio "${rpm}" | cpio -t --quiet`]).toString()
    expect(cpio.split('\n')).toContain('/usr/bin/greeter')
  })

  test('built again in another folder, every shipped file is byte-identical', async () => {
    const again = await project()
    expect(again.sha).toBe(first.sha)
    const run = await ship(again.dir, again.sha)
    assertExit(run, 0)
    for (const name of [...SHIPPED, 'greeter_1.4.0_SHA512SUMS']) {
      const [a, b] = await Promise.all([
        sha256File(path.join(dist(first.dir), name)),
        sha256File(path.join(dist(again.dir), name))
      ])
      check(run, () => expect(`${name} ${b}`).toBe(`${name} ${a}`))
    }
  }, 600_000)
})

describe('bad GoReleaser files are refused before anything is built', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'an unknown key',
      'version: 2\nbuilds:\n  - id: x\n    binray: x\n',
      /^\.goreleaser\.yaml:4: builds\[0\]\.binray: unknown key/
    ],
    [
      'a version-1 key in a version-2 file',
      'version: 2\nbuild:\n  binary: x\n',
      /^\.goreleaser\.yaml:2: build: /
    ],
    [
      'a template with an unknown field',
      'version: 2\narchives:\n  - name_template: "{{ .ProjectName }}_{{ .Colour }}"\n',
      /^\.goreleaser\.yaml:3 archives\[0\]\.name_template: template: .*unknown field \.Colour/
    ],
    [
      'an archive name that collides across targets',
      'version: 2\nbuilds:\n  - goos: [linux]\n    goarch: [amd64, arm64]\narchives:\n  - name_template: "{{ .ProjectName }}"\n',
      /would both write hello\.tar\.gz in output-dir/
    ]
  ]
  test.each(cases)('%s', async (_name, file, message) => {
    const dir = await tempDir('gpa-badfile-')
    cpSync(HELLO, dir, { recursive: true, filter: src => !src.includes(`${path.sep}dist`) })
    await writeFiles(dir, { '.goreleaser.yaml': file })
    execFileSync('git', ['init', '-q'], { cwd: dir })
    execFileSync('git', ['add', '.'], { cwd: dir })
    execFileSync('git', ['commit', '-q', '-m', 'x'], { cwd: dir, env: gitEnv(COMMIT_DATE) })
    await mkdir(path.join(dir, 'dist'), { recursive: true })
    const run = await runAction({
      inputs: { ...NO_CHECKS, release: 'false' },
      cwd: dir,
      toolCache,
      env: { ...home, GITHUB_REF: 'refs/heads/main' }
    })
    assertExit(run, 1)
    const error = run.stdout
      .split('\n')
      .find(l => l.startsWith('::error'))
      ?.replace(/^::error[^:]*::/, '')
    check(run, () => expect(error).toMatch(message))
    // Nothing was built: output-dir holds no binary, archive or record.
    expect(readdirSync(path.join(dir, 'dist'))).toEqual([])
  })
})

describe('the version from git, through the bundle', () => {
  test('a shallow clone without tags: a pseudo-version, and a warning saying to fetch tags', async () => {
    const p = await project()
    const clone = path.join(await tempDir('gpa-shallow-'), 'repo')
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-tags', `file://${p.dir}`, clone])
    const run = await runAction({
      inputs: { ...NO_CHECKS, targets: 'none', release: 'false', 'goreleaser-config': 'none' },
      cwd: clone,
      toolCache,
      env: { ...home, GITHUB_SHA: p.sha, GITHUB_REF: 'refs/heads/main' }
    })
    assertExit(run, 0)
    check(run, () => {
      expect(run.outputs.version).toMatch(/^0\.0\.0-\d{14}-[0-9a-f]{12}$/)
      expect(run.stdout).toMatch(/::warning::The checkout is shallow .*fetch-depth: 0/)
    })
  })

  test('the version input wins over the tag at the commit', async () => {
    const p = await project()
    const run = await runAction({
      inputs: {
        ...NO_CHECKS,
        targets: 'none',
        release: 'false',
        version: 'v2.0.0-rc.1',
        'goreleaser-config': 'none'
      },
      cwd: p.dir,
      toolCache,
      env: { ...home, GITHUB_SHA: p.sha, GITHUB_REF: 'refs/heads/main' }
    })
    assertExit(run, 0)
    check(run, () => expect(run.outputs.version).toBe('2.0.0-rc.1'))
  })
})
