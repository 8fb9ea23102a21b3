// Each decision of the plan from table inputs, without running Go: where the image goes and why,
// every path output-dir will hold, who would write the same path twice, whether the legs fit
// this job's commit, and how the plan reads in the log.
import { describe, expect, test } from '@jest/globals'
import { archiveName, checksumsName } from '../../src/build/archive-name.js'
import type { BuildPlan } from '../../src/build/plan-build.js'
import { parseTargets } from '../../src/build/targets.js'
import type { Config, Mode } from '../../src/config.js'
import type { RunContext } from '../../src/context.js'
import { ActionError, InputError } from '../../src/errors.js'
import type { MergedLegs } from '../../src/legs/manifest.js'
import { checkLegsCommit, type PlanBeforeGo } from '../../src/plan/before-go.js'
import { freezePlan, type Plan } from '../../src/plan/plan.js'
import { planText } from '../../src/plan/show.js'
import { buildVersion } from '../../src/plan/version.js'
import { planImage, planOutput } from '../../src/plan/with-go.js'

const SHA = 'abcdef0123456789abcdef0123456789abcdef01'
const DIST = new Set([
  'linux/amd64',
  'linux/arm64',
  'linux/arm',
  'darwin/arm64',
  'windows/amd64',
  'windows/arm64'
])

function config(mode: Mode, image = 'ghcr.io/octo/hello', imageBinary = ''): Config {
  return {
    mode,
    workingDirectory: '/w',
    build: { targets: [], outputDir: '/w/dist', outputDirInput: 'dist' },
    ship: { source: 'inputs' },
    image: {
      name: image,
      repository: image ? { registry: 'ghcr.io', repository: 'octo/hello' } : undefined,
      binary: imageBinary
    }
  } as unknown as Config
}

function before(
  over: Partial<PlanBeforeGo> = {},
  image: PlanBeforeGo['image'] = {
    tags: ['1.2.3', 'latest'],
    push: true,
    why: 'a tag (push: auto)'
  }
): PlanBeforeGo {
  return {
    version: buildVersion('refs/tags/v1.2.3', SHA, 1_767_323_045),
    release: { kind: 'release', tag: 'v1.2.3', version: '1.2.3', prerelease: false },
    output: { dir: '/w/dist', given: 'dist', previous: [], kept: [] },
    image,
    ...over
  }
}

/** A build plan as planBuild makes it from the inputs: one build per main package. */
function build(targets: string[], binaries: Array<[string, string]> = [['hello', '.']]): BuildPlan {
  const project = binaries[0]?.[0] ?? 'hello'
  const parsed = parseTargets(targets, DIST, '1.26.8')
  const planned = parsed.flatMap(target =>
    binaries.map(([binary, dir]) => {
      const name = `${binary}${target.os === 'windows' ? '.exe' : ''}`
      const importPath = `example.com/hello/${dir}`.replace(/\/\.$/, '')
      return {
        build: binary,
        target,
        pkg: { importPath, dir: `/w/${dir}` },
        cwd: '/w',
        main: importPath,
        binary,
        name,
        path: `${target.slug}/${name}`,
        ldflags: '',
        flags: [],
        env: {},
        tags: [],
        cgo: false,
        modTime: 0
      }
    })
  )
  return {
    kind: 'build',
    project,
    targets: parsed,
    binaries: planned,
    archives: parsed.map(target => ({
      id: 'default',
      where: 'archives',
      target,
      name: archiveName(project, '1.2.3', target.slug, target.os),
      format: target.os === 'windows' ? ('zip' as const) : ('tar.gz' as const),
      binaries: planned.filter(b => b.target === target),
      files: 'documents' as const,
      stripBinaryDirectory: false
    })),
    packages: [],
    checksum: { name: checksumsName(project, '1.2.3'), algorithm: 'sha256' }
  }
}

const LEGS: MergedLegs = {
  version: buildVersion('refs/tags/v1.2.3', SHA, 1_767_323_045),
  project: 'hello',
  files: [],
  images: [
    {
      target: 'linux/amd64',
      platform: { os: 'linux', architecture: 'amd64' },
      layout: 'image-linux_amd64',
      digest: 'sha256:1'
    }
  ],
  imageName: 'ghcr.io/octo/hello',
  manifests: ['go-package-action-leg-1.json'],
  folders: ['linux_amd64']
}

describe('the image plan', () => {
  test.each<[string, Mode, PlanBeforeGo['image'], BuildPlan, string, Record<string, unknown>]>([
    [
      'all, pushing',
      'all',
      undefined,
      build(['linux/amd64', 'linux/arm64', 'darwin/arm64']),
      '',
      {
        kind: 'image',
        destination: 'registry',
        platforms: ['linux/amd64', 'linux/arm64'],
        binary: 'hello'
      }
    ],
    [
      'all, not pushing: an OCI layout',
      'all',
      { tags: ['sha-abcdef0'], push: false, why: 'a pull request (push: auto)' },
      build(['linux/amd64']),
      '',
      { kind: 'image', destination: 'layout', why: 'a pull request (push: auto)' }
    ],
    [
      'a matrix leg: a layout per platform, whatever push says',
      'build',
      undefined,
      build(['linux/arm64']),
      '',
      { kind: 'image', destination: 'leg-layouts', platforms: ['linux/arm64'] }
    ],
    [
      'a matrix leg without a linux target: nothing to add',
      'build',
      undefined,
      build(['darwin/arm64']),
      '',
      { kind: 'skip', why: expect.stringContaining('no linux target') }
    ],
    [
      'a library: nothing built, no image',
      'all',
      undefined,
      { kind: 'skip', why: 'a library' },
      '',
      { kind: 'skip', why: 'nothing is built' }
    ],
    [
      'several binaries: image-binary picks /app',
      'all',
      undefined,
      build(
        ['linux/amd64'],
        [
          ['server', 'cmd/server'],
          ['client', 'cmd/client']
        ]
      ),
      'server',
      { kind: 'image', binary: 'server' }
    ],
    [
      'several binaries: the first by name without image-binary',
      'all',
      undefined,
      build(
        ['linux/amd64'],
        [
          ['server', 'cmd/server'],
          ['client', 'cmd/client']
        ]
      ),
      '',
      { kind: 'image', binary: 'client' }
    ]
  ])('%s', (_name, mode, image, built, binary, expected) => {
    const pre = image ? before({}, image) : before()
    expect(planImage(config(mode, 'ghcr.io/octo/hello', binary), pre, built)).toMatchObject(
      expected
    )
  })

  test('no image input: skipped; an image-binary that is not built: refused by name', () => {
    expect(planImage(config('all', ''), before({}, undefined), build(['linux/amd64']))).toEqual({
      kind: 'skip',
      why: 'no image input'
    })
    expect(() =>
      planImage(config('all', 'ghcr.io/octo/hello', 'nope'), before(), build(['linux/amd64']))
    ).toThrow(new InputError('image-binary', '"nope" is not among the binaries built (hello)'))
  })

  test('publish: the legs name the platforms; another image name is refused', () => {
    expect(
      planImage(config('publish'), before({ legs: LEGS }), { kind: 'skip', why: '' })
    ).toMatchObject({ kind: 'image', platforms: ['linux/amd64'], destination: 'registry' })
    expect(() =>
      planImage(config('publish', 'ghcr.io/octo/other'), before({ legs: LEGS }), {
        kind: 'skip',
        why: ''
      })
    ).toThrow(/^image: the legs built ghcr.io\/octo\/hello/)
  })
})

describe('the output plan: every path written, claimed up front', () => {
  test.each<[string, Mode, PlanBeforeGo, BuildPlan, string[]]>([
    [
      'all: target folders, archives, checksums; the image pushed, a release on GitHub',
      'all',
      before(),
      build(['linux/amd64', 'windows/amd64']),
      [
        'hello_1.2.3_checksums.txt',
        'hello_1.2.3_linux_amd64.tar.gz',
        'hello_1.2.3_windows_amd64.zip',
        'linux_amd64',
        'windows_amd64'
      ]
    ],
    [
      'all, local: the OCI layout and the release folder too',
      'all',
      before(
        { release: { kind: 'dry-run', tag: 'v1.2.3', version: '1.2.3', prerelease: false } },
        { tags: ['1.2.3'], push: false, why: 'a local run (push: auto)' }
      ),
      build(['linux/amd64']),
      [
        'hello_1.2.3_checksums.txt',
        'hello_1.2.3_linux_amd64.tar.gz',
        'image',
        'linux_amd64',
        'release'
      ]
    ],
    [
      'a leg: its manifest and a layout per linux platform, no checksums',
      'build',
      before({ release: { kind: 'skip', why: 'a leg', notice: false } }),
      build(['linux/arm64']),
      [
        'go-package-action-leg-c7c4b3b1dbb8.json',
        'hello_1.2.3_linux_arm64.tar.gz',
        'image-linux_arm64',
        'linux_arm64'
      ]
    ],
    [
      'publish: only the checksums (the image is pushed, the legs’ files are theirs)',
      'publish',
      before({ legs: LEGS }),
      { kind: 'skip', why: 'publish' },
      ['hello_1.2.3_checksums.txt']
    ]
  ])('%s', (_name, mode, pre, built, planned) => {
    const image = planImage(config(mode), pre, built)
    const output = planOutput(config(mode), pre, built, image)
    // The leg manifest's name hashes the targets: compare its shape, not the hash.
    expect(output.planned.map(p => p.replace(/leg-[0-9a-f]{12}/, 'leg-c7c4b3b1dbb8'))).toEqual(
      planned
    )
  })

  test('two packages that would write one binary path are refused, naming both', () => {
    const twins = build(
      ['linux/amd64'],
      [
        ['tool', 'cmd/tool'],
        ['tool', 'tools/tool']
      ]
    )
    expect(() =>
      planOutput(config('all', ''), before({}, undefined), twins, { kind: 'skip', why: '' })
    ).toThrow(
      new ActionError(
        'example.com/hello/tools/tool for linux/amd64 and example.com/hello/cmd/tool for linux/amd64 would both write linux_amd64/tool in output-dir'
      )
    )
  })
})

describe('the legs and this job', () => {
  const ctx = (over: Partial<RunContext>) => ({ local: false, sha: SHA, ...over }) as RunContext
  test('legs of this commit fit; of another commit they are refused; locally there is no GITHUB_SHA', () => {
    expect(() => checkLegsCommit(LEGS, ctx({}))).not.toThrow()
    expect(() => checkLegsCommit(LEGS, ctx({ sha: '1'.repeat(40) }))).toThrow(
      `the legs built commit ${SHA}, but this publish job runs for GITHUB_SHA ${'1'.repeat(40)}`
    )
    expect(() => checkLegsCommit(LEGS, ctx({ local: true, sha: '' }))).not.toThrow()
  })
})

describe('the frozen plan', () => {
  const plan = (): Plan =>
    freezePlan({
      mode: 'all',
      config: config('all'),
      ctx: { workspace: '/w' } as RunContext,
      version: before().version,
      go: { version: '1.26.8', goroot: '/go', goBinary: '/go/bin/go', origin: 'tool cache' },
      caches: { kind: 'off', why: 'cache: false' },
      checks: {
        vet: 'error',
        staticcheck: 'error',
        lint: 'staticcheck',
        staticcheckVersion: 'v0.8.2',
        test: 'error',
        vulncheck: 'off',
        configurations: [],
        configurationsFrom: 'the targets'
      },
      hooks: [],
      build: build(['linux/amd64']),
      output: { dir: before().output, planned: ['linux_amd64'] },
      image: { kind: 'skip', why: 'no image input' },
      release: before().release
    } as Plan)

  test('cannot be changed by a stage', () => {
    const p = plan()
    expect(() => {
      ;(p.output.planned as string[]).push('../escape')
    }).toThrow(TypeError)
    expect(() => {
      ;(p.version as { tag?: string }).tag = 'v9.9.9'
    }).toThrow(TypeError)
  })

  test('reads as one group in the log', () => {
    expect(planText(plan()).split('\n')).toEqual([
      'Mode     all',
      'Version  1.2.3 (tag v1.2.3) at abcdef0, 2026-01-02T03:04:05Z',
      'Go       1.26.8 (tool cache)',
      'Caches   off: cache: false',
      'Checks   vet, staticcheck v0.8.2, test',
      'Build    hello (example.com/hello) for linux/amd64',
      'Ship     1 archive (tar.gz), from the inputs',
      'Output   dist: 1 path to write',
      'Image    skipped: no image input',
      'Release  v1.2.3, on GitHub'
    ])
  })
})
