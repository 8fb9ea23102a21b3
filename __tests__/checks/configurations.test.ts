// The analysis configurations from real `go list` runs: targets that compile the same files of
// the module are analysed once; findings of several configurations are merged with their platforms.
import { beforeAll, describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { parseTargets } from '../../src/build/targets.js'
import {
  type AnalysisCandidate,
  type AnalysisConfig,
  planAnalysis
} from '../../src/checks/configurations.js'
import type { Finding } from '../../src/checks/finding.js'
import { mergeAcrossConfigs } from '../../src/checks/run-checks.js'
import type { GoToolchain } from '../../src/toolchain/setup-go.js'
import { machineToolchain } from '../helpers/go-archive.js'
import { REPO_ROOT } from '../helpers/run-action.js'
import { DEFAULT_TARGETS } from '../../src/build/targets.js'

let go: GoToolchain
let dist: Set<string>

beforeAll(async () => {
  go = await machineToolchain()
  dist = new Set(DEFAULT_TARGETS.concat(['linux/arm', 'linux/386', 'freebsd/amd64']))
})

function candidates(specs: string[], tags: string[] = [], cgo = false): AnalysisCandidate[] {
  return parseTargets(specs, dist, go.version).map(target => ({ target, tags, cgo }))
}

const platformsOf = (configs: AnalysisConfig[]): string[][] => configs.map(c => c.platforms)

describe('planAnalysis', () => {
  test('a module with assembly and windows files: four configurations for the six default targets', async () => {
    const dir = path.join(REPO_ROOT, 'testdata/checks/platforms')
    const configs = await planAnalysis(go, dir, candidates(DEFAULT_TARGETS), 'linux/amd64')
    expect(platformsOf(configs)).toEqual([
      ['linux/amd64', 'darwin/amd64'],
      ['linux/arm64', 'darwin/arm64'],
      ['windows/amd64'],
      ['windows/arm64']
    ])
    expect(configs[2]).toMatchObject({
      id: 'windows_amd64',
      goos: 'windows',
      goarch: 'amd64',
      env: { GOOS: 'windows', GOARCH: 'amd64', CGO_ENABLED: '0' }
    })
  })

  test('a module without platform-specific files: one configuration, the runner’s platform analysed', async () => {
    const dir = path.join(REPO_ROOT, 'testdata/checks/clean')
    const configs = await planAnalysis(go, dir, candidates(DEFAULT_TARGETS), 'darwin/arm64')
    expect(platformsOf(configs)).toEqual([
      [
        'darwin/arm64',
        'linux/amd64',
        'linux/arm64',
        'darwin/amd64',
        'windows/amd64',
        'windows/arm64'
      ]
    ])
    expect(configs[0]).toMatchObject({ goos: 'darwin', goarch: 'arm64' })
  })

  test('build tags and cgo are part of a configuration; a repeated candidate counts once', async () => {
    const dir = path.join(REPO_ROOT, 'testdata/checks/clean')
    const configs = await planAnalysis(
      go,
      dir,
      [
        ...candidates(['linux/amd64']),
        ...candidates(['linux/amd64']),
        ...candidates(['linux/amd64'], ['netgo'], true)
      ],
      'linux/amd64'
    )
    expect(configs.map(c => c.id)).toEqual(['linux_amd64', 'linux_amd64-netgo-cgo'])
    expect(configs[1]).toMatchObject({ tags: ['netgo'], cgo: true, env: { CGO_ENABLED: '1' } })
  })
})

describe('mergeAcrossConfigs', () => {
  const config = (p: string): AnalysisConfig => {
    const [goos, goarch] = p.split('/') as [string, string]
    return { id: p, platforms: [p], goos, goarch, tags: [], cgo: false, env: {} }
  }
  const vet = (line: number): Finding => ({
    tool: 'vet',
    kind: 'vet',
    severity: 'error',
    code: 'printf',
    file: 'a.go',
    line,
    message: 'bad format'
  })

  test('one finding per place; the platforms only when not every configuration raised it', () => {
    const merged = mergeAcrossConfigs([
      { config: config('linux/amd64'), findings: [vet(1)] },
      { config: config('windows/amd64'), findings: [vet(1), vet(2)] },
      { config: config('windows/arm64'), findings: [vet(1), vet(2)] }
    ])
    expect(merged).toEqual([vet(1), { ...vet(2), platforms: ['windows/amd64', 'windows/arm64'] }])
  })

  test('with one configuration nothing is labelled', () => {
    expect(mergeAcrossConfigs([{ config: config('linux/amd64'), findings: [vet(3)] }])).toEqual([
      vet(3)
    ])
  })
})
