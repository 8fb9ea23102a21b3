// The acceptance test of "Coming from GoReleaser": real projects from the module proxy, released by
// GoReleaser v2.15.1 itself and by the action (the committed bundle), must ship the same archive and
// package names, the same entries (names and modes) in each archive, the same checksums file, and
// binaries that print the same version; and the action's files must be byte-identical when built
// again in another folder.
//
// Each project is unpacked twice (same commit): GoReleaser runs in A, then the action in A (after
// GoReleaser's dist/ is read and removed: the action's default output-dir is dist/ too, and
// refuses a folder holding files it did not write), then the action in B.
//
// Go caches: GoReleaser and both runs of the action share the machine's GOCACHE and GOMODCACHE
// (HOME is a temporary folder), so a package is compiled once per set of flags: fzf's file builds
// with -trimpath, as the action always does, and the action reuses every package GoReleaser
// compiled; croc's file has no -trimpath, so the action's run in A compiles croc's dependencies
// again and its run in B reuses them. Isolated caches would make every run cold (three cold
// compiles per project) and prove nothing more: byte-identical output from cold, isolated caches
// is what goreleaser-file.test.ts checks. The action builds with the machine's Go (go-version),
// the one GoReleaser builds with, not the older one the projects' go lines name.
//
// Nothing is skipped: a missing GoReleaser build, nfpm, qemu, zipinfo or module fails the test.
import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { type Document, type YAMLSeq } from 'yaml'
import { cleanupTempDirs, NO_CHECKS, tempDir } from '../helpers/fixtures.js'
import { type Compared, describeComparison } from '../helpers/goreleaser-compare.js'
import { CROC, editGoreleaserYaml, realProject } from '../helpers/real-project.js'
import { assertExit, check, runAction } from '../helpers/run-action.js'

/** GoReleaser's cold build of a project's targets (dependencies included), or the action's. */
const RUN_TIMEOUT_MS = 30 * 60_000

/**
 * fzf v0.65.2 runs with GoReleaser v2.15.1 offline as it is (version 2; `notarize` is skipped by the
 * harness; `archives[0].builds`/`format` and `snapshot.name_template` only give deprecation
 * notices; `files: [non-existent*]` is a glob that matches nothing, a notice too; `release.github`
 * names the repository). The only edit is the target cut (CI time): builds[0] goos → darwin, linux,
 * windows; goarch → amd64, arm, arm64; goarm → 7 (was 5, 6, 7); ignore += darwin/amd64,
 * windows/arm64 (windows/arm drops out by GoReleaser's valid-target filter). Left: linux/amd64
 * (host), linux/arm64 (qemu version check), linux/arm/7 (the `{{ if .Arm }}v{{ .Arm }}` naming),
 * windows/amd64 (zip override), darwin/arm64 (a Mach-O).
 */
async function fzfCutTargets(dir: string): Promise<void> {
  await editGoreleaserYaml(dir, (doc: Document) => {
    doc.setIn(['builds', 0, 'goos'], doc.createNode(['darwin', 'linux', 'windows']))
    doc.setIn(['builds', 0, 'goarch'], doc.createNode(['amd64', 'arm', 'arm64']))
    doc.setIn(['builds', 0, 'goarm'], doc.createNode(['7']))
    const ignore = doc.getIn(['builds', 0, 'ignore']) as YAMLSeq
    ignore.add(doc.createNode({ goos: 'darwin', goarch: 'amd64' }))
    ignore.add(doc.createNode({ goos: 'windows', goarch: 'arm64' }))
  })
}

const FZF = {
  module: 'github.com/junegunn/fzf',
  version: 'v0.65.2',
  edit: fzfCutTargets
} as const

const PROJECTS: Compared[] = [
  {
    name: 'croc',
    ...CROC,
    versionArgs: ['--version'],
    versionOutput: () => /^croc version 10\.7\.0$/,
    expected: [
      'croc_10.7.0_Linux-64bit.deb',
      'croc_10.7.0_Linux-64bit.tar.gz',
      'croc_10.7.0_Linux-ARM.deb',
      'croc_10.7.0_Linux-ARM.tar.gz',
      'croc_10.7.0_Linux-ARM64.deb',
      'croc_10.7.0_Linux-ARM64.tar.gz',
      'croc_10.7.0_Windows-64bit.zip'
    ]
  },
  {
    name: 'fzf',
    ...FZF,
    versionArgs: ['--version'],
    versionOutput: ({ short }) => new RegExp(`^0\\.65\\.2 \\(${short}\\)$`),
    expected: [
      'fzf-0.65.2-darwin_arm64.tar.gz',
      'fzf-0.65.2-linux_amd64.tar.gz',
      'fzf-0.65.2-linux_arm64.tar.gz',
      'fzf-0.65.2-linux_armv7.tar.gz',
      'fzf-0.65.2-windows_amd64.zip'
    ]
  }
]

const comparison = describeComparison(PROJECTS, RUN_TIMEOUT_MS)
const toolCache = comparison.toolCache
const actionEnv = comparison.actionEnv

afterAll(cleanupTempDirs)

describe('croc v10.7.0 as published (a version-1 file with replacements)', () => {
  test(
    'is refused before anything is built, naming the key and the template to write',
    async () => {
      // No edit at all: build:, replacements:, brews[].tap, scoop: as croc has them.
      const p = await realProject({ ...CROC, edit: undefined, dir: await tempDir('gpa-croc-v1-') })
      const run = await runAction({
        inputs: { ...NO_CHECKS, release: 'false', 'go-version': comparison.goVersion() },
        cwd: p.dir,
        toolCache: toolCache(),
        env: {
          ...(await actionEnv()),
          GITHUB_SHA: p.commit,
          GITHUB_REF: `refs/tags/${p.tag}`,
          GITHUB_REF_NAME: p.tag,
          GITHUB_REF_TYPE: 'tag',
          GITHUB_EVENT_NAME: 'push'
        }
      })
      assertExit(run, 1)
      const errors = run.stdout
        .split('\n')
        .filter(l => l.startsWith('::error'))
        .map(l => l.replace(/^::error[^:]*::/, ''))
      check(run, () => {
        // nfpms[0].replacements is line 39 of croc's file, archives[0].replacements line 58.
        expect(errors.join('\n')).toMatch(
          /\.goreleaser\.yml:(39: nfpms|58: archives)\[0\]\.replacements: removed in GoReleaser v2; write the name as a template instead: (file_)?name_template: ".*eq \.Os \\"linux\\" \}\}Linux.*"/
        )
      })
      // Nothing was built: no output-dir, or an empty one.
      const out = path.join(p.dir, 'dist')
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
    },
    RUN_TIMEOUT_MS
  )
})
