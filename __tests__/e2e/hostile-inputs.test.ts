// Hostile inputs through the bundle, as a runner runs it: each case sets one input (or file) to
// something that must be refused, and the run must fail with an error that starts with that
// input's name, before it sends one request to any of the stand-ins (go.dev/dl, the module proxy,
// the registry, the GitHub API, the cache service) and before it creates, changes or deletes
// anything: in the workspace (every entry, .git included), HOME, TMPDIR, the folders around the
// workspace, the tool cache, the Go build cache, or the top levels of /, /etc and the temp folder.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type CacheServer, startCacheServer } from '../helpers/cache-server.js'
import { type DlServer, startDlServer } from '../helpers/dl-server.js'
import {
  cleanupTempDirs,
  COMMIT_DATE,
  gitEnv,
  HELLO,
  machineGoSemver,
  seededToolCache
} from '../helpers/fixtures.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { type FakeProxy, startTamperedProxy } from '../helpers/module-proxy.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import {
  type ActionRun,
  annotations,
  assertExit,
  check,
  describeRun,
  runAction
} from '../helpers/run-action.js'
import { diffSnapshots, snapshot, type Snapshot, type SnapshotRoot } from '../helpers/snapshot.js'

/**
 * The script the cases run: the committed bundle, unless HOSTILE_ENTRY names another build
 * (`npx ncc build src/index.ts -o /tmp/c-dist --target es2022`, then HOSTILE_ENTRY=/tmp/c-dist/index.js).
 */
const ENTRY: string | undefined = process.env.HOSTILE_ENTRY || undefined

/** A refused input costs about a second; a run still going after this is a failure in itself. */
const RUN_TIMEOUT_MS = 30_000
/** "Well within its timeout": what a run that must not block (a FIFO) may take at most. */
const MUST_NOT_HANG_MS = 10_000

/** Names in the shared temp folder that belong to other tests, jest, or tools running beside us. */
const FOREIGN_TMP = [
  'gpa-',
  'jest',
  'go-build',
  'bash_tool_',
  'bash_jobs',
  'ts-jest',
  'v8-compile-cache',
  // The Go linker's and the C compiler's own temporary files, made by cgo and -race builds of the
  // tests that run beside this suite (gcc names them cc plus six characters).
  'go-link-'
]
const FOREIGN_TMP_PATTERN = /^cc[A-Za-z0-9]{6}\.\w+$/

let dl: DlServer
let proxy: FakeProxy
let registry: Registry
let github: GitHubServer
let cache: CacheServer
let toolCache: string
let goVersion: string
/** The suite's own folder (under a gpa- name, so the temp-folder view leaves it to the cases). */
let suiteDir: string
/** A committed checkout every case copies, timestamps and all. */
let template: string
let sha: string
/** GOCACHE shared by the cases (snapshotted like the rest), so a case that wrongly builds is quick. */
let goCache: string
let caseNumber = 0

interface Dirs {
  /** Everything of the case: snapshotted recursively. */
  root: string
  /** The workspace's parent (root/parent). */
  parent: string
  ws: string
  home: string
  tmp: string
  /** An empty folder outside the workspace. */
  outside: string
  /** A complete Go module outside the workspace (working-directory must not wander into it). */
  outsideModule: string
  /** A Dockerfile outside the workspace. */
  outsideDockerfile: string
  registry: string
}

interface Case {
  title: string
  /** What the error must begin with, before its ':'. */
  names: string
  inputs: (d: Dirs) => Record<string, string>
  env?: (d: Dirs) => Record<string, string>
  /** Extra files in the workspace, made before the first snapshot. */
  setup?: (d: Dirs) => Promise<void>
  /** Extra checks on the run. */
  also?: (run: ActionRun, ms: number) => void
}

const image = (d: Dirs) => `${d.registry}/octo/hello`
/** An image whose every part lives in our registry, so any premature registry call is counted. */
const WITH_IMAGE = (d: Dirs) => ({
  image: image(d),
  'base-image': `${d.registry}/distroless/static:nonroot`
})
/** output-dir cases: the image goes into output-dir/image as a layout, where it could do harm. */
const IMAGE_LAYOUT = (d: Dirs) => ({ ...WITH_IMAGE(d), push: 'false' })

// ----- the cases -------------------------------------------------------------------------------

const outputDir = (title: string, value: (d: Dirs) => string, setup?: Case['setup']): Case => ({
  title: `output-dir: ${title}`,
  names: 'output-dir',
  inputs: d => ({ ...IMAGE_LAYOUT(d), 'output-dir': value(d) }),
  setup
})

const OUTPUT_DIR: Case[] = [
  outputDir('. (the workspace, whose image/ and release/ packages it would overwrite)', () => '.'),
  outputDir('/', () => '/'),
  outputDir('../..', () => '../..'),
  outputDir('../../etc', () => '../../etc'),
  outputDir('an absolute path outside the workspace', d => d.outside),
  outputDir(
    'a symlink in the workspace pointing outside',
    () => 'out',
    async d => void (await symlink(d.outside, path.join(d.ws, 'out')))
  ),
  outputDir('a folder holding a tracked file (image)', () => 'image'),
  outputDir(
    'a non-empty folder of foreign files (stuff/)',
    () => 'stuff',
    async d => {
      await mkdir(path.join(d.ws, 'stuff'))
      await writeFile(path.join(d.ws, 'stuff', 'notes.txt'), 'mine, not the action’s\n')
    }
  ),
  outputDir(
    'a file where a folder is meant (dist is a file)',
    () => 'dist',
    async d => writeFile(path.join(d.ws, 'dist'), 'a file, not a folder\n')
  )
]

const BAD_NAMES: Array<[string, string]> = [
  ['../evil', '../evil'],
  ['../../escape', '../../escape'],
  ['/abs/name', '/abs/name'],
  ['a/b', 'a/b'],
  ['a\\b', 'a\\b'],
  ['..', '..'],
  ['.', '.'],
  ['-rf', '-rf'],
  ['a name with a newline', 'hello\nworld'],
  ['a control character (ESC)', 'hel\u001b[31mlo']
]

const BINARY_NAME: Case[] = BAD_NAMES.map(([title, value]) => ({
  title: `binary-name: ${title}`,
  names: 'binary-name',
  inputs: () => ({ 'binary-name': value })
}))

const IMAGE_BINARY: Case[] = BAD_NAMES.map(([title, value]) => ({
  title: `image-binary: ${title}`,
  names: 'image-binary',
  inputs: d => ({ ...WITH_IMAGE(d), 'image-binary': value })
}))

/** The log, the post step's log and the job summary: none may quote what a file outside holds. */
function quotesNoSecretFile(run: ActionRun): void {
  const everything = [run.log, run.post?.log ?? '', run.summary].join('\n')
  expect(everything).not.toMatch(/\broot:/)
  for (const file of ['/etc/shadow', '/etc/passwd']) {
    let lines: string[] = []
    try {
      lines = readFileSync(file, 'utf8').split('\n')
    } catch {
      // Not readable by this user: then the action cannot read it either.
    }
    for (const line of lines) if (line.length > 8) expect(everything).not.toContain(line)
  }
}

const versionFile = (
  title: string,
  value: string,
  setup?: Case['setup'],
  also?: Case['also']
): Case => ({
  title: `go-version-file: ${title}`,
  names: 'go-version-file',
  // go-version would win over the file: leave it out.
  inputs: () => ({ 'go-version': '', 'go-version-file': value }),
  setup,
  also
})

const HUGE = `1.26.${'9'.repeat(1024 * 1024)}\n`

const GO_VERSION_FILE: Case[] = [
  versionFile('/etc/shadow (not quoted)', '/etc/shadow', undefined, quotesNoSecretFile),
  versionFile('. (a directory)', '.'),
  versionFile(
    'a FIFO in the workspace (no hang)',
    '.go-version',
    async d => void execFileSync('mkfifo', [path.join(d.ws, '.go-version')]),
    (_run, ms) => {
      if (ms >= MUST_NOT_HANG_MS)
        throw new Error(`the run took ${ms} ms (limit ${MUST_NOT_HANG_MS})`)
    }
  ),
  versionFile(
    'a symlink to /etc/passwd (not quoted)',
    '.go-version',
    async d => symlink('/etc/passwd', path.join(d.ws, '.go-version')),
    quotesNoSecretFile
  ),
  versionFile('a missing file', 'nope/.go-version'),
  versionFile(
    'a file with a 1 MB line',
    '.go-version',
    async d => writeFile(path.join(d.ws, '.go-version'), HUGE),
    run => {
      // Naming the file is enough; a megabyte of it in an annotation is not.
      const message = annotations(run, 'error')[0]?.message ?? ''
      if (message.length >= 2048) {
        throw new Error(`the error is ${message.length} characters long: it quotes the file`)
      }
    }
  ),
  versionFile('a file whose content is not a version', '.go-version', async d =>
    writeFile(path.join(d.ws, '.go-version'), 'banana\n')
  )
]

const workDir = (title: string, value: (d: Dirs) => string, setup?: Case['setup']): Case => ({
  title: `working-directory: ${title}`,
  names: 'working-directory',
  inputs: d => ({ 'working-directory': value(d) }),
  setup
})

const WORKING_DIRECTORY: Case[] = [
  workDir('/etc (absolute, outside)', () => '/etc'),
  workDir('an absolute path to a Go module outside the workspace', d => d.outsideModule),
  workDir('../..', () => '../..'),
  workDir(
    'a symlink to a Go module outside',
    () => 'mod',
    async d => symlink(d.outsideModule, path.join(d.ws, 'mod'))
  ),
  workDir('a file instead of a folder (main.go)', () => 'main.go'),
  workDir('a missing folder', () => 'nope')
]

const DOCKERFILE: Case[] = [
  {
    title: 'dockerfile: a file outside the workspace',
    names: 'dockerfile',
    inputs: d => ({ ...WITH_IMAGE(d), dockerfile: d.outsideDockerfile })
  },
  {
    title: 'dockerfile: a directory (image)',
    names: 'dockerfile',
    inputs: d => ({ ...WITH_IMAGE(d), dockerfile: 'image' })
  },
  {
    title: 'dockerfile: a missing file',
    names: 'dockerfile',
    inputs: d => ({ ...WITH_IMAGE(d), dockerfile: 'Dockerfile.missing' })
  }
]

const LONG = 'a'.repeat(10 * 1024)

const GO_VERSION: Case[] = [
  {
    title: 'go-version: two lines (1.26 / 1.25)',
    names: 'go-version',
    inputs: () => ({ 'go-version': '1.26\n1.25' })
  },
  {
    title: 'go-version: not-a-version',
    names: 'go-version',
    inputs: () => ({ 'go-version': 'not-a-version' })
  },
  {
    title: 'go-version: a 10 KB string',
    names: 'go-version',
    inputs: () => ({ 'go-version': LONG }),
    // Beyond naming the input: a 10 KB value is not echoed whole into the annotation (as the
    // 1 MB version file is not), so hostile inputs cannot flood the log and the checks page.
    also: run => {
      const message = annotations(run, 'error')[0]?.message ?? ''
      if (message.includes(LONG)) {
        throw new Error(`the error quotes all 10 KB of the input (${message.length} characters)`)
      }
    }
  }
]

const NEWLINES: Case[] = [
  { title: 'mode: two lines', names: 'mode', inputs: () => ({ mode: 'all\nbuild' }) },
  {
    title: 'image: two lines',
    names: 'image',
    inputs: d => ({ ...WITH_IMAGE(d), image: `${image(d)}\n${d.registry}/octo/evil` })
  },
  {
    title: 'base-image: two lines',
    names: 'base-image',
    inputs: d => ({
      ...WITH_IMAGE(d),
      'base-image': `${d.registry}/distroless/static:nonroot\nscratch`
    })
  },
  {
    title: 'staticcheck-version: two lines',
    names: 'staticcheck-version',
    inputs: () => ({ staticcheck: 'true', 'staticcheck-version': 'v0.8.2\nv0.8.1' })
  }
]

const TARGETS: Case[] = [
  'plan9/sparc',
  'linux',
  'linux/arm/v9',
  '../x',
  'linux/amd64; rm -rf /'
].map(value => ({
  title: `targets: ${value}`,
  names: 'targets',
  inputs: () => ({ targets: value })
}))

const LDFLAGS: Case[] = ['-foo', '-X main.version', '{{.Nope}}', '-buildid=x'].map(value => ({
  title: `ldflags: ${value}`,
  names: 'ldflags',
  inputs: () => ({ ldflags: value })
}))

const ON_TAG = () => ({
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_REF_NAME: 'v1.2.3',
  GITHUB_REF_TYPE: 'tag'
})

const GITHUB_TOKEN: Case[] = [
  {
    title: 'github-token: empty on a release tag (release: auto)',
    names: 'github-token',
    inputs: () => ({ 'github-token': '' }),
    env: ON_TAG
  },
  {
    title: 'github-token: empty on a release tag (release: true)',
    names: 'github-token',
    inputs: () => ({ 'github-token': '', release: 'true' }),
    env: ON_TAG
  }
]

const OTHERS: Case[] = [
  { title: 'mode: publish-all', names: 'mode', inputs: () => ({ mode: 'publish-all' }) },
  { title: 'cache: yes', names: 'cache', inputs: () => ({ cache: 'yes' }) },
  { title: 'push: maybe', names: 'push', inputs: d => ({ ...WITH_IMAGE(d), push: 'maybe' }) },
  { title: 'make-latest: 2', names: 'make-latest', inputs: () => ({ 'make-latest': '2' }) },
  {
    title: 'image: with a tag (…/hello:1.0)',
    names: 'image',
    inputs: d => ({ ...WITH_IMAGE(d), image: `${image(d)}:1.0` })
  },
  {
    title: 'image-tags: bad tag!',
    names: 'image-tags',
    inputs: d => ({ ...WITH_IMAGE(d), 'image-tags': 'bad tag!' })
  },
  {
    // The project's convention (config.test.ts): the error names the input that is missing.
    title: 'registry-username without registry-password',
    names: 'registry-password',
    inputs: d => ({ ...WITH_IMAGE(d), 'registry-username': 'ci' })
  },
  {
    title: 'go-download-base-url: file:///etc',
    names: 'go-download-base-url',
    inputs: () => ({ 'go-download-base-url': 'file:///etc' })
  },
  {
    title: 'go-download-base-url: not a url',
    names: 'go-download-base-url',
    inputs: () => ({ 'go-download-base-url': 'not a url' })
  }
]

/** A file input (goreleaser-config, release-notes): the go-version-file cases, for another input. */
function fileCases(input: string, file: string, also: Record<string, string> = {}): Case[] {
  const c = (title: string, value: string, setup?: Case['setup'], check?: Case['also']): Case => ({
    title: `${input}: ${title}`,
    names: input,
    inputs: () => ({ ...also, [input]: value }),
    setup,
    also: check
  })
  return [
    c('/etc/shadow (not quoted)', '/etc/shadow', undefined, quotesNoSecretFile),
    c('. (a directory)', '.'),
    c(
      'a FIFO in the workspace (no hang)',
      file,
      async d => void execFileSync('mkfifo', [path.join(d.ws, file)]),
      (_run, ms) => {
        if (ms >= MUST_NOT_HANG_MS)
          throw new Error(`the run took ${ms} ms (limit ${MUST_NOT_HANG_MS})`)
      }
    ),
    c(
      'a symlink to /etc/passwd (not quoted)',
      file,
      async d => symlink('/etc/passwd', path.join(d.ws, file)),
      quotesNoSecretFile
    ),
    c('a missing file', `nope/${file}`)
  ]
}

// The GoReleaser file found without the input: a link out of the workspace is refused, not read.
const GORELEASER: Case[] = [
  ...fileCases('goreleaser-config', '.goreleaser.yml'),
  {
    title: 'goreleaser-config: .goreleaser.yml found, a symlink to a file outside',
    names: 'goreleaser-config',
    inputs: () => ({}),
    setup: async d => symlink(d.outsideDockerfile, path.join(d.ws, '.goreleaser.yml'))
  },
  {
    title: 'goreleaser-config: a file over 1 MiB',
    names: 'goreleaser-config',
    inputs: () => ({ 'goreleaser-config': 'big.yml' }),
    setup: async d => writeFile(path.join(d.ws, 'big.yml'), `# ${'x'.repeat(1100 * 1024)}\n`)
  },
  {
    title: 'goreleaser-config: targets set beside a file with builds',
    names: 'targets',
    inputs: () => ({ targets: 'linux/amd64' }),
    setup: async d => writeFile(path.join(d.ws, '.goreleaser.yaml'), 'version: 2\n')
  }
]

const RELEASE_TEXT: Case[] = [
  ...fileCases('release-notes', 'NOTES.md'),
  {
    title: 'release-name: a template with an unknown field',
    names: 'release-name',
    inputs: () => ({ 'release-name': 'v{{ .Versoin }}' })
  },
  {
    title: 'release-name: a template that does not parse',
    names: 'release-name',
    inputs: () => ({ 'release-name': '{{ if .Tag }}' })
  },
  { title: 'version: not SemVer', names: 'version', inputs: () => ({ version: 'v1.2' }) },
  {
    title: 'packages: an unknown format',
    names: 'packages',
    inputs: () => ({ packages: 'deb msi' })
  }
]

// The checks' inputs, and the golangci-lint configuration found in the module.
const GOLANGCI = '.golangci.yml'
// The configuration is looked for when the linter runs (the cases start with it off).
const LINT = { staticcheck: 'true' }
const CHECKS: Case[] = [
  { title: 'vulncheck: maybe', names: 'vulncheck', inputs: () => ({ vulncheck: 'maybe' }) },
  {
    title: 'staticcheck: warning',
    names: 'staticcheck',
    inputs: () => ({ staticcheck: 'warning' })
  },
  {
    title: 'vulncheck-db: credentials in the URL (not quoted)',
    names: 'vulncheck-db',
    inputs: () => ({ 'vulncheck-db': 'https://gopher:hunter2secret@mirror.example.com/db' }),
    also: run => expect([run.log, run.summary].join('\n')).not.toContain('hunter2secret')
  },
  {
    title: 'vulncheck-db: two lines',
    names: 'vulncheck-db',
    inputs: () => ({ 'vulncheck-db': 'https://a.example\nhttps://b.example' })
  },
  {
    title: 'vulncheck-db: ftp://',
    names: 'vulncheck-db',
    inputs: () => ({ 'vulncheck-db': 'ftp://x/db' })
  },
  {
    title: 'vulncheck-db: http:// not on loopback',
    names: 'vulncheck-db',
    inputs: () => ({ 'vulncheck-db': 'http://mirror.example.com/db' })
  },
  {
    title: 'staticcheck-checks: a shell command',
    names: 'staticcheck-checks',
    inputs: () => ({ 'staticcheck-checks': 'SA1000;rm -rf /' })
  },
  {
    title: 'check-platforms: a platform Go does not build for',
    names: 'check-platforms',
    inputs: () => ({ 'check-platforms': 'linux/amd64 plan9/sparc99' })
  },
  {
    title: 'check-platforms: a path',
    names: 'check-platforms',
    inputs: () => ({ 'check-platforms': '../../etc/passwd' })
  },
  {
    title: 'golangci-lint-version: a v1 release',
    names: 'golangci-lint-version',
    inputs: () => ({ 'golangci-lint-version': 'v1.64.8' })
  },
  {
    title: 'golangci-lint: a version 1 .golangci.yml',
    names: 'golangci-lint',
    inputs: () => LINT,
    setup: async d => writeFile(path.join(d.ws, GOLANGCI), 'linters:\n  enable:\n    - errcheck\n')
  },
  {
    title: 'golangci-lint: .golangci.yml a FIFO (no hang)',
    names: 'golangci-lint',
    inputs: () => LINT,
    setup: async d => void execFileSync('mkfifo', [path.join(d.ws, GOLANGCI)]),
    also: (_run, ms) => {
      if (ms >= MUST_NOT_HANG_MS)
        throw new Error(`the run took ${ms} ms (limit ${MUST_NOT_HANG_MS})`)
    }
  },
  {
    title: 'golangci-lint: .golangci.yml a directory',
    names: 'golangci-lint',
    inputs: () => LINT,
    setup: async d => mkdir(path.join(d.ws, GOLANGCI))
  },
  {
    title: 'golangci-lint: .golangci.yml a symlink to /etc/passwd (not quoted)',
    names: 'golangci-lint',
    inputs: () => LINT,
    setup: async d => symlink('/etc/passwd', path.join(d.ws, GOLANGCI)),
    also: quotesNoSecretFile
  },
  {
    title: 'golangci-lint: .golangci.yml over 512 KiB',
    names: 'golangci-lint',
    inputs: () => LINT,
    setup: async d =>
      writeFile(path.join(d.ws, GOLANGCI), `version: "2"\n# ${'x'.repeat(600 * 1024)}\n`)
  }
]

const CASES: Case[] = [
  ...GORELEASER,
  ...RELEASE_TEXT,
  ...CHECKS,
  ...OUTPUT_DIR,
  ...BINARY_NAME,
  ...IMAGE_BINARY,
  ...GO_VERSION_FILE,
  ...WORKING_DIRECTORY,
  ...DOCKERFILE,
  ...GO_VERSION,
  ...NEWLINES,
  ...TARGETS,
  ...LDFLAGS,
  ...GITHUB_TOKEN,
  ...OTHERS
]

// ----- the harness -----------------------------------------------------------------------------

/** Inputs every case starts from: valid, pointed at the stand-ins, and quick. */
function baseInputs(): Record<string, string> {
  return {
    'go-version': goVersion,
    'go-download-base-url': dl.url,
    'github-token': github.token,
    targets: 'linux/amd64',
    vet: 'false',
    staticcheck: 'false',
    test: 'false'
  }
}

function baseEnv(d: Dirs): Record<string, string> {
  return {
    HOME: d.home,
    TMPDIR: d.tmp,
    GOCACHE: goCache,
    GOPROXY: proxy.url,
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod',
    ACTIONS_CACHE_URL: cache.url,
    ACTIONS_RUNTIME_TOKEN: 'test-token',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_SHA: sha
  }
}

function servers(): Array<[string, unknown[]]> {
  return [
    ['dl-server (go-download-base-url)', dl.requests],
    ['module proxy (GOPROXY)', proxy.requests],
    ['registry', registry.requests],
    ['GitHub API (GITHUB_API_URL)', github.requests],
    ['cache service (ACTIONS_CACHE_URL)', cache.requests]
  ]
}

function resetRequests(): void {
  for (const [, requests] of servers()) requests.length = 0
}

/** Requests each stand-in saw, by name, for the ones that saw any. */
function requestsSeen(): Record<string, unknown[]> {
  return Object.fromEntries(
    servers()
      .filter(([, r]) => r.length > 0)
      .map(([n, r]) => [n, [...r]])
  )
}

async function makeDirs(): Promise<Dirs> {
  const root = await mkdtemp(path.join(suiteDir, `case-${String(++caseNumber).padStart(2, '0')}-`))
  const d: Dirs = {
    root,
    parent: path.join(root, 'parent'),
    ws: path.join(root, 'parent', 'ws'),
    home: path.join(root, 'home'),
    tmp: path.join(root, 'tmp'),
    outside: path.join(root, 'outside'),
    outsideModule: path.join(root, 'outside-module'),
    outsideDockerfile: path.join(root, 'outside-files', 'Dockerfile'),
    registry: registry.host
  }
  await cp(template, d.ws, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true })
  await cp(HELLO, d.outsideModule, { recursive: true, preserveTimestamps: true })
  await Promise.all([d.home, d.tmp, d.outside].map(p => mkdir(p)))
  await mkdir(path.dirname(d.outsideDockerfile))
  await writeFile(d.outsideDockerfile, 'FROM scratch\nCOPY app /app\n')
  return d
}

function rootsOf(d: Dirs): Array<string | SnapshotRoot> {
  return [
    d.root, // the workspace, its parent, HOME, TMPDIR and the folders outside, recursively
    toolCache,
    goCache,
    { path: '/', namesOnly: true },
    { path: '/etc', namesOnly: true },
    {
      path: os.tmpdir(),
      namesOnly: true,
      ignore: name =>
        FOREIGN_TMP.some(prefix => name.startsWith(prefix)) || FOREIGN_TMP_PATTERN.test(name)
    }
  ]
}

/**
 * What a run that ignored output-dir: / or binary-name: /abs/name (or worked in /etc) would have
 * made at the top of / or /etc: removed again, so that one failing case does not litter the machine.
 * Only names created during this case and shaped like the action's output are touched.
 */
const LITTER = /^(?:linux_amd64|image|release|dist|abs|hello_.*|go-package-action-leg-.*)$/
async function removeLitter(diff: string[]): Promise<string[]> {
  const removed: string[] = []
  for (const line of diff) {
    const m = /^created: (\S+) \(/.exec(line)
    const file = m?.[1]
    if (!file || !['/', '/etc'].includes(path.dirname(file))) continue
    if (!LITTER.test(path.basename(file))) continue
    await rm(file, { recursive: true, force: true })
    removed.push(file)
  }
  return removed
}

interface Attempt {
  run: ActionRun
  ms: number
  seen: Record<string, unknown[]>
  diff: string[]
  removed: string[]
  first: string | undefined
}

/** One run of a case in fresh folders, between two snapshots, with the stand-ins' counters reset. */
/**
 * Go itself (1.23 on) counts each go command's use under os.UserConfigDir()/go/telemetry, as any
 * go command a user runs does; that is the toolchain's own state, like GOCACHE, not a write of the
 * action's, and the cases that need Go (targets against go tool dist list) run go env first.
 */
function withoutGoTelemetry(diff: string[], d: Dirs): string[] {
  const config = path.join(d.home, '.config')
  const telemetry = path.join(config, 'go', 'telemetry')
  const fileOf = (line: string): string =>
    /^(?:created|changed|deleted): (\S+)/.exec(line)?.[1] ?? ''
  const isTelemetry = (file: string): boolean =>
    file === config || file === path.join(config, 'go') || file.startsWith(telemetry)
  const madeConfig = diff.some(line => line.startsWith(`created: ${config} `))
  return diff.filter(line => {
    const file = fileOf(line)
    if (isTelemetry(file)) return false
    // HOME's own mtime moves when .config is made in it, and for nothing else.
    return !(madeConfig && file === d.home && /^changed: \S+ \(dir\): mtime [^,]*$/.test(line))
  })
}

async function attemptCase(c: Case): Promise<Attempt> {
  const d = await makeDirs()
  await c.setup?.(d)
  const roots = rootsOf(d)
  const before: Snapshot = await snapshot(roots)
  resetRequests()
  const started = Date.now()
  let run: ActionRun
  try {
    run = await runAction({
      inputs: { ...baseInputs(), ...c.inputs(d) },
      env: { ...baseEnv(d), ...c.env?.(d) },
      cwd: d.ws,
      toolCache,
      entry: ENTRY,
      timeoutMs: RUN_TIMEOUT_MS
    })
  } catch (error) {
    // Timed out: the error carries the log so far.
    results.push({
      title: c.title,
      passed: false,
      ms: Date.now() - started,
      why: String(error).slice(0, 2000)
    })
    throw error
  }
  const ms = Date.now() - started
  const seen = requestsSeen()
  const diff = withoutGoTelemetry(diffSnapshots(before, await snapshot(roots)), d)
  const removed = await removeLitter(diff)
  return { run, ms, seen, diff, removed, first: annotations(run, 'error')[0]?.message }
}

/**
 * The names an attempt's differences come down to when all of them are names that appeared in or
 * vanished from the shared temp folder (and no request was made); otherwise none.
 */
function onlySharedTmp(a: Attempt): string[] {
  if (a.diff.length === 0 || a.removed.length > 0 || Object.keys(a.seen).length > 0) return []
  const names: string[] = []
  for (const line of a.diff) {
    const file = /^(?:created: (.+) \([a-z-]+\)|deleted: (.+) \(was [a-z-]+\))$/
      .exec(line)
      ?.slice(1)
      .find(Boolean)
    if (!file || path.dirname(file) !== os.tmpdir()) return []
    names.push(path.basename(file))
  }
  return names
}

/** One row per case, for the report at the end (HOSTILE_REPORT=<file> writes it as JSON). */
const results: Array<{
  title: string
  passed: boolean
  ms: number
  code?: number
  error?: string
  why?: string
}> = []

beforeAll(async () => {
  suiteDir = await mkdtemp(path.join(os.tmpdir(), 'gpa-hostile-'))
  goCache = path.join(suiteDir, 'gocache')
  await mkdir(goCache)
  goVersion = await machineGoSemver()
  ;[dl, proxy, registry, github, cache, toolCache] = await Promise.all([
    // Lists the machine's Go (never downloadable: the seeded tool cache already has it).
    startDlServer([
      {
        version: `go${goVersion}`,
        stable: true,
        files: [
          {
            filename: `go${goVersion}.linux-amd64.tar.gz`,
            os: 'linux',
            arch: 'amd64',
            kind: 'archive',
            sha256: '0'.repeat(64),
            size: 1
          }
        ]
      }
    ]),
    startTamperedProxy(),
    startRegistry(),
    startGitHubServer(),
    startCacheServer({ recordRequests: true }),
    seededToolCache(path.join(suiteDir, 'tool-cache'))
  ])

  // The workspace: examples/hello plus packages image/ and release/ (where output-dir: . would
  // write its image layout and dry-run release), committed at a fixed time and tagged v1.2.3.
  template = path.join(suiteDir, 'template')
  await cp(HELLO, template, {
    recursive: true,
    filter: src => !src.includes(`${path.sep}dist`)
  })
  for (const pkg of ['image', 'release']) {
    await mkdir(path.join(template, pkg))
    await writeFile(
      path.join(template, pkg, `${pkg}.go`),
      `// Package ${pkg} is tracked source that output-dir must never overwrite.\npackage ${pkg}\n\n` +
        `// Name is the package's name.\nfunc Name() string { return "${pkg}" }\n`
    )
  }
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: template, env: gitEnv(COMMIT_DATE) })
      .toString()
      .trim()
  git('init', '-q')
  git('add', '.')
  git('commit', '-q', '-m', 'hello')
  git('tag', 'v1.2.3')
  sha = git('rev-parse', 'HEAD')
}, 300_000)

afterAll(async () => {
  await Promise.all([dl?.stop(), proxy?.stop(), registry?.stop(), github?.stop(), cache?.stop()])
  await cleanupTempDirs()
  if (suiteDir) await rm(suiteDir, { recursive: true, force: true })
  if (process.env.HOSTILE_REPORT) {
    await writeFile(process.env.HOSTILE_REPORT, JSON.stringify(results, null, 2))
  }
}, 60_000)

test('the stand-ins are wired: a valid run with check-latest reaches the dl-server and the cache service', async () => {
  const d = await makeDirs()
  resetRequests()
  const run = await runAction({
    inputs: { ...baseInputs(), targets: 'none', 'check-latest': 'true' },
    env: baseEnv(d),
    cwd: d.ws,
    toolCache,
    entry: ENTRY,
    timeoutMs: 120_000
  })
  assertExit(run, 0)
  check(run, () => {
    // So the zero counts below mean something: the same wiring does carry a valid run's requests.
    expect(dl.requests).toContain('/?mode=json&include=all')
    expect(cache.requests).toContainEqual(
      expect.stringContaining('/_apis/artifactcache/cache?keys=')
    )
  })
}, 150_000)

describe('a hostile input fails the run at once, naming the input, touching and asking nothing', () => {
  test('there are at least 45 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45)
    expect(new Set(CASES.map(c => c.title)).size).toBe(CASES.length)
  })

  test.each(CASES)(
    '$title',
    async c => {
      let attempt = await attemptCase(c)
      const foreign = onlySharedTmp(attempt)
      if (foreign.length > 0) {
        // Names in the shared temp folder come and go whenever anything else on the machine makes
        // or removes one, so a run whose only difference is such a name is run once more, in
        // fresh folders: a run that litters the temp folder does it again (the action's own
        // TMPDIR is snapshotted in full either way).
        console.log(
          `${c.title}: run again, as the temp folder's names changed: ${foreign.join(', ')}`
        )
        attempt = await attemptCase(c)
      }
      const { run, ms, seen, diff, removed, first } = attempt
      // Every problem at once, so one failing run says all that is left to fix.
      const problems: string[] = []
      if (run.code !== 1) problems.push(`exit code ${run.code}, not 1`)
      if (!first?.startsWith(`${c.names}:`)) {
        problems.push(
          `the first ::error:: should begin with "${c.names}:", and it is ${JSON.stringify(first)}`
        )
      }
      if (Object.keys(seen).length > 0) {
        problems.push(`requests reached the stand-ins: ${JSON.stringify(seen, null, 2)}`)
      }
      if (diff.length > 0) {
        problems.push(`created, changed or deleted:\n  ${diff.join('\n  ')}`)
      }
      if (removed.length > 0) problems.push(`removed again after the run: ${removed.join(', ')}`)
      try {
        c.also?.(run, ms)
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error))
      }
      results.push({
        title: c.title,
        passed: problems.length === 0,
        ms,
        code: run.code,
        error: first,
        why: problems.length > 0 ? problems.join('\n').slice(0, 3000) : undefined
      })
      if (problems.length > 0) {
        throw new Error(`${c.title}:\n- ${problems.join('\n- ')}\n${describeRun(run)}`)
      }
    },
    // Two attempts at most, each a step and a post step.
    RUN_TIMEOUT_MS * 4 + 30_000
  )
})
