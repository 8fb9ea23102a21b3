// The acceptance test of "Coming from GoReleaser" on k9s v0.50.16 (its file is version 2 already;
// the only edit is the harness's target cut to linux/arm64 and windows/amd64): the same comparison
// as goreleaser-compare.test.ts (croc, fzf), kept out of the default `npm test` because a cold
// build of k9s's Kubernetes dependencies takes 30–40 minutes on 2 cores (`npm run test:k9s`).
//
// GoReleaser runs in folder A, the action in A (after GoReleaser's dist/ is read and removed) and
// in B, all three on the machine's GOCACHE and GOMODCACHE: k9s builds with -trimpath, as the
// action always does, so the action's runs find every package GoReleaser compiled. The action
// builds with the machine's Go (go-version), the one GoReleaser builds with. Nothing is skipped:
// a missing component fails the test.
import { afterAll } from '@jest/globals'
import { cleanupTempDirs } from '../helpers/fixtures.js'
import { type Compared, describeComparison } from '../helpers/goreleaser-compare.js'
import { K9S } from '../helpers/real-project.js'

/** GoReleaser's cold build of a project's targets (dependencies included), or the action's. */
const RUN_TIMEOUT_MS = 90 * 60_000

const PROJECTS: Compared[] = [
  {
    name: 'k9s',
    ...K9S,
    // `version -s` needs no cluster and no config (HOME is an empty folder): Version, Commit and
    // Date (GoReleaser's `.Date`, masked) lines.
    versionArgs: ['version', '-s'],
    versionOutput: ({ commit }) =>
      new RegExp(`^Version +v0\\.50\\.16\nCommit +${commit}\nDate +<date>$`),
    expected: [
      'k9s_Linux_arm64.tar.gz',
      'k9s_Windows_amd64.zip',
      'k9s_linux_arm64.apk',
      'k9s_linux_arm64.deb',
      'k9s_linux_arm64.rpm'
    ]
  }
]

describeComparison(PROJECTS, RUN_TIMEOUT_MS)

afterAll(cleanupTempDirs)
