import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import { DEFAULT_TARGETS, parseTargets, splitTargets } from '../../src/build/targets.js'

const PLATFORMS = new Set([
  'linux/amd64',
  'linux/arm64',
  'linux/arm',
  'linux/386',
  'linux/riscv64',
  'linux/ppc64le',
  'darwin/amd64',
  'darwin/arm64',
  'windows/amd64',
  'windows/arm64'
])
const parse = (...specs: string[]) => parseTargets(specs, PLATFORMS, '1.26.8')

describe('splitTargets', () => {
  test('spaces, commas and newlines separate; none means no build', () => {
    expect(splitTargets('linux/amd64, linux/arm64\nwindows/amd64')).toEqual([
      'linux/amd64',
      'linux/arm64',
      'windows/amd64'
    ])
    expect(splitTargets('none')).toEqual([])
    expect(splitTargets('  ')).toEqual([])
  })
})

describe('parseTargets', () => {
  test('the defaults are the six GOOS/GOARCH pairs users ship most', () => {
    expect(parse(...DEFAULT_TARGETS).map(t => t.slug)).toEqual([
      'linux_amd64',
      'linux_arm64',
      'darwin_amd64',
      'darwin_arm64',
      'windows_amd64',
      'windows_arm64'
    ])
  })

  test('variants set their Go variable and name the file like GoReleaser', () => {
    const [arm, amd64v3, amd64v1, arm64, i386] = parse(
      'linux/arm/v7',
      'linux/amd64/v3',
      'linux/amd64/v1',
      'linux/arm64/v8.2',
      'linux/386/softfloat'
    )
    expect(arm).toMatchObject({
      env: { GOOS: 'linux', GOARCH: 'arm', GOARM: '7' },
      slug: 'linux_armv7',
      variant: 'v7'
    })
    expect(amd64v3).toMatchObject({ env: { GOAMD64: 'v3' }, slug: 'linux_amd64v3' })
    // v1 is what Go builds anyway: left out of the name, as GoReleaser does.
    expect(amd64v1).toMatchObject({ env: { GOAMD64: 'v1' }, slug: 'linux_amd64' })
    expect(arm64).toMatchObject({ env: { GOARM64: 'v8.2' }, slug: 'linux_arm64v8.2' })
    expect(i386).toMatchObject({ env: { GO386: 'softfloat' }, slug: 'linux_386softfloat' })
  })

  test.each([
    ['plan9/sparc', /^targets: "plan9\/sparc": Go 1\.26\.8 does not build for plan9\/sparc/],
    ['linux/arm/v9', /^targets: "linux\/arm\/v9": arm variants are v5, v6 or v7$/],
    ['linux/amd64/v5', /^targets: "linux\/amd64\/v5": amd64 variants are v1, v2, v3 or v4$/],
    ['windows/amd64/v2/x', /^targets: "windows\/amd64\/v2\/x" is not GOOS\/GOARCH/],
    ['linux', /^targets: "linux" is not GOOS\/GOARCH/],
    [
      'darwin/arm64/v9',
      /^targets: "darwin\/arm64\/v9": arm64 variants are v8\.0 to v8\.9 or v9\.0 to v9\.5$/
    ]
  ])('%s is refused, naming the entry', (spec, message) => {
    expect(() => parse('linux/amd64', spec)).toThrow(InputError)
    expect(() => parse('linux/amd64', spec)).toThrow(message)
  })

  test('a target given twice (in two spellings) is refused', () => {
    expect(() => parse('linux/arm/v7', 'linux/arm/7')).toThrow(
      /"linux\/arm\/7" and "linux\/arm\/v7" are the same target/
    )
  })
})
