// readBinaryInfo and runForeign against real Go cross-compiles of a tiny program.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { readBinaryInfo, type BinaryInfo } from './binary-format.js'
import { cleanupTempDirs, tempDir, writeFiles } from './fixtures.js'
import { FIXTURE_DIR } from './go-archive.js'
import { runForeign } from './qemu.js'

const execFileAsync = promisify(execFile)

// Only runtime + syscall (no fmt/os): a cold cross-build of the standard library for eight targets
// is most of this test's time, and these 44 packages are the least that can print.
const MAIN_GO = `package main

import (
	"runtime"
	"syscall"
)

func main() {
	syscall.Write(syscall.Stdout, []byte(runtime.GOOS + "/" + runtime.GOARCH + "\\n"))
}
`

// Kept between runs (like the Go archive fixture): the first run compiles the standard library for
// every target (~80 s on a 2-CPU machine), later runs only link (a few seconds).
const GOCACHE = path.join(FIXTURE_DIR, 'gocache-cross')

interface Target {
  goos: string
  goarch: string
  goarm?: string
  want: Omit<BinaryInfo, 'goVersion' | 'goBuildSettings'>
}

const TARGETS: Target[] = [
  {
    goos: 'linux',
    goarch: 'amd64',
    want: { format: 'elf', os: 'linux', arch: 'amd64', bits: 64, littleEndian: true, static: true }
  },
  {
    goos: 'linux',
    goarch: 'arm64',
    want: { format: 'elf', os: 'linux', arch: 'arm64', bits: 64, littleEndian: true, static: true }
  },
  {
    goos: 'linux',
    goarch: 'arm',
    goarm: '7',
    want: {
      format: 'elf',
      os: 'linux',
      arch: 'arm',
      bits: 32,
      littleEndian: true,
      static: true,
      goarm: 7,
      armFloatAbi: 'hard'
    }
  },
  {
    goos: 'linux',
    goarch: '386',
    want: { format: 'elf', os: 'linux', arch: '386', bits: 32, littleEndian: true, static: true }
  },
  {
    goos: 'windows',
    goarch: 'amd64',
    want: { format: 'pe', os: 'windows', arch: 'amd64', bits: 64, littleEndian: true }
  },
  {
    goos: 'windows',
    goarch: 'arm64',
    want: { format: 'pe', os: 'windows', arch: 'arm64', bits: 64, littleEndian: true }
  },
  {
    goos: 'darwin',
    goarch: 'amd64',
    want: { format: 'macho', os: 'darwin', arch: 'amd64', bits: 64, littleEndian: true }
  },
  {
    goos: 'darwin',
    goarch: 'arm64',
    want: { format: 'macho', os: 'darwin', arch: 'arm64', bits: 64, littleEndian: true }
  }
]

const name = (t: Target): string => `${t.goos}_${t.goarch}${t.goos === 'windows' ? '.exe' : ''}`

/** The environment minus anything that would change what `go build` targets. */
function buildEnv(t: Target): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  const drop = /^(GOOS|GOARCH|GOARM|GOARM64|GOAMD64|GO386|GOFLAGS|GOEXPERIMENT|GOWORK|CGO_ENABLED)$/
  for (const [k, v] of Object.entries(process.env)) if (!drop.test(k)) env[k] = v
  return {
    ...env,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    GOWORK: 'off',
    GOCACHE,
    CGO_ENABLED: '0',
    GOOS: t.goos,
    GOARCH: t.goarch,
    ...(t.goarm ? { GOARM: t.goarm } : {})
  }
}

let src: string
let out: string
const bin = (goos: string, goarch: string): string => {
  const t = TARGETS.find(x => x.goos === goos && x.goarch === goarch)
  if (!t) throw new Error(`no target ${goos}/${goarch}`)
  return path.join(out, name(t))
}

beforeAll(async () => {
  src = await writeFiles(await tempDir('gpa-binfmt-src-'), {
    'go.mod': 'module example.com/binfmt\n\ngo 1.26\n',
    'main.go': MAIN_GO
  })
  out = await tempDir('gpa-binfmt-out-')
  await Promise.all(
    TARGETS.map(t =>
      execFileAsync(
        'go',
        ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(out, name(t)), '.'],
        { cwd: src, env: buildEnv(t) }
      ).catch((e: unknown) => {
        const err = e as Error & { stderr?: string }
        throw new Error(`go build for ${t.goos}/${t.goarch} failed: ${err.stderr ?? err.message}`)
      })
    )
  )
}, 300_000)

afterAll(cleanupTempDirs)

describe('readBinaryInfo', () => {
  test.each(TARGETS.map(t => [`${t.goos}/${t.goarch}`, t] as const))('%s', async (_, t) => {
    const info = await readBinaryInfo(path.join(out, name(t)))
    const { goVersion, goBuildSettings, ...header } = info
    expect(header).toEqual(t.want)
    // The build info Go embeds agrees with the headers (it survives -s -w).
    expect(goVersion).toMatch(/^go1\.\d+/)
    expect(goBuildSettings).toMatchObject({
      GOOS: t.goos,
      GOARCH: t.goarch,
      CGO_ENABLED: '0',
      '-trimpath': 'true' // (-ldflags is not recorded with -trimpath)
    })
  })

  test('throws for a text file, an empty file, an ar archive and a truncated ELF', async () => {
    const dir = await tempDir('gpa-binfmt-bad-')
    const text = path.join(dir, 'notes.txt')
    const empty = path.join(dir, 'empty')
    const truncated = path.join(dir, 'truncated')
    await writeFile(text, 'just some text, not a program\n')
    await writeFile(empty, '')
    await writeFile(truncated, (await readFile(bin('linux', 'amd64'))).subarray(0, 40))

    await expect(readBinaryInfo(text)).rejects.toThrow(
      /notes\.txt: not an ELF, PE or Mach-O executable \(starts with 6a75737420736f6d\)/
    )
    await expect(readBinaryInfo(empty)).rejects.toThrow(/empty: not an ELF, PE or Mach-O.*empty/)
    const ar = path.join(dir, 'lib.a')
    await writeFile(ar, '!<arch>\n__.PKGDEF       0           0     0     644     0         `\n')
    await expect(readBinaryInfo(ar)).rejects.toThrow(/lib\.a: an ar archive, not an executable/)
    await expect(readBinaryInfo(truncated)).rejects.toThrow(/truncated: ELF header ends at byte 64/)
  })
})

describe('runForeign', () => {
  test('runs linux/arm64 and linux/arm (GOARM=7) under qemu, linux/amd64 natively', async () => {
    const [arm64, arm, amd64] = await Promise.all([
      runForeign(bin('linux', 'arm64'), 'arm64', []),
      runForeign(bin('linux', 'arm'), 'arm', []),
      runForeign(bin('linux', 'amd64'), 'amd64', [])
    ])
    expect(arm64).toEqual({ code: 0, stdout: 'linux/arm64\n', stderr: '' })
    expect(arm).toEqual({ code: 0, stdout: 'linux/arm\n', stderr: '' })
    expect(amd64).toEqual({ code: 0, stdout: 'linux/amd64\n', stderr: '' })
  })

  test('a qemu CPU model proves the ARM level: GOARM=7 runs on ARMv7, not on ARMv6', async () => {
    const armv7 = await runForeign(bin('linux', 'arm'), 'arm', [], { cpu: 'cortex-a7' })
    expect(armv7).toEqual({ code: 0, stdout: 'linux/arm\n', stderr: '' })
    const armv6 = await runForeign(bin('linux', 'arm'), 'arm', [], { cpu: 'arm1136' })
    expect(armv6).toMatchObject({ code: 132, signal: 'SIGILL', stdout: '' })
    expect(armv6.stderr).toMatch(/Illegal instruction/)
  })

  test('refuses a binary whose header does not match the arch asked for', async () => {
    await expect(runForeign(bin('linux', 'arm64'), 'arm', [])).rejects.toThrow(
      /is elf linux\/arm64, not linux\/arm/
    )
    await expect(runForeign(bin('windows', 'amd64'), 'amd64', [])).rejects.toThrow(
      /is pe windows\/amd64, not linux\/amd64/
    )
  })
})
