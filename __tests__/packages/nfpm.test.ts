import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { chmod, copyFile, mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ActionError } from '../../src/errors.js'
import {
  conventionalFileName,
  nfpmConfig,
  packageArch,
  PACKAGE_FORMATS,
  writePackage,
  type PackageFormat,
  type PackageSpec
} from '../../src/packages/nfpm.js'
import { cleanupTempDirs, tempDir, writeFiles } from '../helpers/fixtures.js'
import { packagedHello, sharedNfpm } from '../helpers/nfpm.js'

const execFileAsync = promisify(execFile)

/** 2026-01-02T03:04:05Z, the commit time the packages are dated with. */
const MTIME = 1767323045
const GREETING = 'hello from a package'

async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync(cmd, args, {
    cwd,
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 64 * 1024 * 1024
  })
  return stdout
}

async function sh(script: string): Promise<string> {
  return run('sh', ['-c', script])
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

let nfpm: string
let hello: string

/** A project folder: the binary at dist/hello, docs, a config file and two scripts. */
async function project(): Promise<string> {
  const dir = await tempDir('gpa-pkg-project-')
  await writeFiles(dir, {
    'README.md': '# hello\n',
    'docs/a.md': 'a\n',
    'docs/b.md': 'b\n',
    'hello.conf': 'greeting = hi\n',
    'scripts/postinstall.sh': '#!/bin/sh\necho installed hello\n',
    'scripts/preremove.sh': '#!/bin/sh\necho removing hello\n'
  })
  await mkdir(path.join(dir, 'dist'))
  await copyFile(hello, path.join(dir, 'dist', 'hello'))
  await chmod(path.join(dir, 'dist', 'hello'), 0o755)
  return dir
}

function spec(format: PackageFormat, over: Partial<PackageSpec> = {}): PackageSpec {
  return {
    format,
    name: 'hello',
    version: '1.2.3',
    goarch: 'amd64',
    maintainer: 'Jane Doe <jane@example.com>',
    description: 'Says hello.',
    vendor: 'Example Inc.',
    homepage: 'https://example.com/hello',
    license: 'MIT',
    section: 'utils',
    priority: 'optional',
    bindir: '/usr/bin',
    binaries: [{ source: 'dist/hello', name: 'hello' }],
    contents: [
      { src: 'README.md', dst: '/usr/share/doc/hello/README.md', type: 'doc' },
      { src: 'docs/*.md', dst: '/usr/share/doc/hello/extra' },
      { src: 'hello.conf', dst: '/etc/hello/hello.conf', type: 'config|noreplace' },
      { src: '/usr/bin/hello', dst: '/usr/local/bin/hi', type: 'symlink' },
      { dst: '/var/lib/hello', type: 'dir', mode: 0o750 }
    ],
    dependencies: ['ca-certificates'],
    recommends: ['curl'],
    scripts: { postinstall: 'scripts/postinstall.sh', preremove: 'scripts/preremove.sh' },
    mtime: MTIME,
    ...over
  }
}

/** Writes spec's package from a fresh project into a fresh folder, under nfpm's own name. */
async function build(s: PackageSpec, cwd?: string): Promise<string> {
  const dir = cwd ?? (await project())
  const out = await tempDir('gpa-pkg-out-')
  const file = path.join(out, conventionalFileName(s))
  await writePackage(nfpm, s, file, { tempDir: await tempDir('gpa-pkg-tmp-'), cwd: dir })
  return file
}

beforeAll(async () => {
  ;[{ binary: nfpm }, hello] = await Promise.all([sharedNfpm(), packagedHello()])
}, 900_000)

afterAll(cleanupTempDirs)

describe('conventionalFileName', () => {
  it('ports nfpm names: arch per format, prerelease, metadata and release', () => {
    const s = (format: PackageFormat, over: Partial<PackageSpec> = {}): PackageSpec =>
      spec(format, over)
    expect(conventionalFileName(s('deb'))).toBe('hello_1.2.3_amd64.deb')
    expect(conventionalFileName(s('rpm'))).toBe('hello-1.2.3-1.x86_64.rpm')
    expect(conventionalFileName(s('apk'))).toBe('hello_1.2.3_x86_64.apk')
    expect(conventionalFileName(s('deb', { version: '1.2.3-rc.1' }))).toBe(
      'hello_1.2.3~rc.1_amd64.deb'
    )
    expect(conventionalFileName(s('rpm', { version: '1.2.3-rc-1', release: '2' }))).toBe(
      'hello-1.2.3~rc_1-2.x86_64.rpm'
    )
    expect(conventionalFileName(s('apk', { version: '1.2.3-rc.1+abc', release: '2' }))).toBe(
      'hello_1.2.3_rc.1-r2-pabc_x86_64.apk'
    )
    expect(conventionalFileName(s('deb', { version: '1.2.3+git.1', release: '3' }))).toBe(
      'hello_1.2.3+git.1-3_amd64.deb'
    )
  })

  it('maps Go architectures as nfpm does for GoReleaser (GOARCH + GOARM, not GOAMD64)', () => {
    const table = (goarch: string, goarm?: string, goamd64?: string): string[] =>
      PACKAGE_FORMATS.map(format => packageArch({ format, goarch, goarm, goamd64 }))
    expect(table('amd64')).toEqual(['amd64', 'x86_64', 'x86_64'])
    expect(table('amd64', undefined, 'v3')).toEqual(['amd64', 'x86_64', 'x86_64'])
    expect(table('arm64')).toEqual(['arm64', 'aarch64', 'aarch64'])
    expect(table('arm', '7')).toEqual(['armhf', 'armv7hl', 'armv7'])
    expect(table('arm', '6')).toEqual(['armhf', 'armv6hl', 'armhf'])
    expect(table('arm', '5')).toEqual(['armel', 'armv5tel', 'arm5'])
    expect(table('386')).toEqual(['i386', 'i386', 'x86'])
    expect(table('ppc64le')).toEqual(['ppc64el', 'ppc64le', 'ppc64le'])
    expect(table('s390x')).toEqual(['s390x', 's390x', 's390x'])
    expect(table('riscv64')).toEqual(['riscv64', 'riscv64', 'riscv64'])
    expect(table('loong64')).toEqual(['loong64', 'loongarch64', 'loongarch64'])
  })

  it('equals the name nfpm picks itself when given a folder as --target', async () => {
    const dir = await tempDir('gpa-pkg-names-')
    await writeFile(path.join(dir, 'tool'), 'not really a binary\n')
    const arches: Pick<PackageSpec, 'goarch' | 'goarm'>[] = [
      { goarch: 'amd64' },
      { goarch: 'arm64' },
      { goarch: 'arm', goarm: '7' },
      { goarch: 'arm', goarm: '6' },
      { goarch: '386' },
      { goarch: 'riscv64' }
    ]
    const versions: Partial<PackageSpec>[] = [
      { version: '1.2.3' },
      { version: '1.2.3-rc.1' },
      { version: '1.2.3-rc-1+git.abc', release: '2' },
      { version: '0.4.0', prerelease: 'beta', versionMetadata: 'p1', release: 'r5' },
      { version: '2.0.0', epoch: '1' }
    ]
    const cases = PACKAGE_FORMATS.flatMap(format =>
      arches.flatMap(arch =>
        versions.map(v =>
          spec(format, {
            ...arch,
            ...v,
            binaries: [{ source: 'tool', name: 'tool' }],
            contents: [],
            scripts: undefined
          })
        )
      )
    )
    const names = new Map<PackageSpec, string>()
    for (let i = 0; i < cases.length; i += 6) {
      await Promise.all(
        cases.slice(i, i + 6).map(async (s, j) => {
          const target = path.join(dir, `out-${i + j}`)
          await mkdir(target)
          const config = path.join(dir, `nfpm-${i + j}.json`)
          await writeFile(config, JSON.stringify(nfpmConfig(s)))
          await run(
            nfpm,
            ['pkg', '--packager', s.format, '--config', config, '--target', target],
            dir
          )
          const [name] = await readdir(target)
          names.set(s, name ?? '')
        })
      )
    }
    for (const s of cases) expect(conventionalFileName(s)).toBe(names.get(s))
    expect(cases).toHaveLength(90)
  })
})

describe('writePackage', () => {
  it('writes a .deb that dpkg reads, installs from and runs', async () => {
    const deb = await build(spec('deb'))
    expect(path.basename(deb)).toBe('hello_1.2.3_amd64.deb')

    const info = await run('dpkg-deb', ['--info', deb])
    for (const line of [
      'Package: hello',
      'Version: 1.2.3',
      'Architecture: amd64',
      'Maintainer: Jane Doe <jane@example.com>',
      'Description: Says hello.',
      'Homepage: https://example.com/hello',
      'Section: utils',
      'Priority: optional',
      'Depends: ca-certificates',
      'Recommends: curl'
    ])
      expect(info).toContain(` ${line}\n`)
    // The scripts and the conffiles list are in the control archive.
    expect(info).toMatch(/\bpostinst\b/)
    expect(info).toMatch(/\bprerm\b/)
    expect(info).toMatch(/\bconffiles\b/)

    const contents = await run('dpkg-deb', ['--contents', deb])
    const entry = (p: string): string | undefined =>
      contents.split('\n').find(l => l.endsWith(` ${p}`) || l.includes(` ${p} -> `))
    expect(entry('./usr/bin/hello')).toMatch(/^-rwxr-xr-x root\/root +\d+ 2026-01-02 03:04 /)
    expect(entry('./usr/share/doc/hello/README.md')).toMatch(/^-rw-r--r-- root\/root /)
    expect(entry('./usr/share/doc/hello/extra/a.md')).toBeDefined()
    expect(entry('./usr/share/doc/hello/extra/b.md')).toBeDefined()
    expect(entry('./etc/hello/hello.conf')).toMatch(/^-rw-r--r-- root\/root /)
    expect(entry('./usr/local/bin/hi')).toMatch(/^lrwxrwxrwx root\/root .* -> \/usr\/bin\/hello$/)
    expect(entry('./var/lib/hello/')).toMatch(/^drwxr-x--- root\/root /)
    // Every entry, directories included, carries the commit time and root ownership.
    for (const line of contents.trim().split('\n'))
      expect(line).toMatch(/^[-dl][rwx-]{9} root\/root +\d+ 2026-01-02 03:04 \.\//)

    const control = await tempDir('gpa-pkg-control-')
    await run('dpkg-deb', ['--control', deb, control])
    expect(await readFile(path.join(control, 'conffiles'), 'utf8')).toBe('/etc/hello/hello.conf\n')
    expect(await readFile(path.join(control, 'postinst'), 'utf8')).toBe(
      '#!/bin/sh\necho installed hello\n'
    )

    // Install into a throwaway root (never the machine's), then run what was installed.
    const root = await tempDir('gpa-pkg-root-')
    const admin = path.join(root, 'var', 'lib', 'dpkg')
    await mkdir(path.join(admin, 'updates'), { recursive: true })
    await mkdir(path.join(admin, 'info'), { recursive: true })
    await writeFile(path.join(admin, 'status'), '')
    const unpacked = await tempDir('gpa-pkg-x-')
    await run('dpkg-deb', ['-x', deb, unpacked])
    expect((await run(path.join(unpacked, 'usr', 'bin', 'hello'), [])).trim()).toBe(GREETING)
    await run('dpkg', [
      `--root=${root}`,
      `--admindir=${admin}`,
      '--force-not-root',
      '--force-script-chrootless',
      '--force-depends',
      '--unpack',
      deb
    ])
    expect((await run(path.join(root, 'usr', 'bin', 'hello'), [])).trim()).toBe(GREETING)
    // Unpacked, not configured (no maintainer script ran): dpkg holds the conffile as .dpkg-new.
    expect(await readFile(path.join(root, 'etc', 'hello', 'hello.conf.dpkg-new'), 'utf8')).toBe(
      'greeting = hi\n'
    )
    expect(
      await run('dpkg-query', [`--admindir=${admin}`, '-W', '-f=${Status} ${Version}', 'hello'])
    ).toBe('install ok unpacked 1.2.3')
  })

  it('writes an .rpm that rpm reads', async () => {
    const rpm = await build(spec('rpm'))
    expect(path.basename(rpm)).toBe('hello-1.2.3-1.x86_64.rpm')

    const info = await run('rpm', ['-qip', rpm])
    const fields: [string, string][] = [
      ['Name', 'hello'],
      ['Version', '1.2.3'],
      ['Release', '1'],
      ['Architecture', 'x86_64'],
      ['License', 'MIT'],
      ['URL', 'https://example.com/hello'],
      ['Summary', 'Says hello.'],
      ['Vendor', 'Example Inc.'],
      ['Build Host', 'reproducible'],
      ['Build Date', 'Fri Jan  2 03:04:05 2026']
    ]
    for (const [field, value] of fields)
      expect(info).toMatch(new RegExp(`^${field} *: ${value.replace(/\./g, '\\.')}$`, 'm'))

    const files = (await run('rpm', ['-qlp', rpm])).trim().split('\n')
    expect(files).toEqual(
      expect.arrayContaining([
        '/usr/bin/hello',
        '/usr/share/doc/hello/README.md',
        '/usr/share/doc/hello/extra/a.md',
        '/etc/hello/hello.conf',
        '/usr/local/bin/hi',
        '/var/lib/hello'
      ])
    )
    expect((await run('rpm', ['-qp', '--configfiles', rpm])).trim()).toBe('/etc/hello/hello.conf')
    expect((await run('rpm', ['-qp', '--docfiles', rpm])).trim()).toBe(
      '/usr/share/doc/hello/README.md'
    )
    const listing = await run('rpm', ['-qlvp', rpm])
    expect(listing).toMatch(/^-rwxr-xr-x +1 root +root +\d+ Jan +2 +2026 \/usr\/bin\/hello$/m)

    const cpio = await sh(`rpm2cpio '${rpm}' | cpio -t --quiet`)
    expect(cpio.trim().split('\n')).toEqual(
      expect.arrayContaining(['/usr/bin/hello', '/etc/hello/hello.conf', '/usr/local/bin/hi'])
    )
    const requires = await run('rpm', ['-qp', '--requires', rpm])
    expect(requires.split('\n')).toContain('ca-certificates')
    expect(await run('rpm', ['-qp', '--scripts', rpm])).toContain('echo installed hello')

    const unpacked = await tempDir('gpa-pkg-x-')
    // The archive's names are absolute: --no-absolute-filenames keeps them inside `unpacked`.
    await sh(`cd '${unpacked}' && rpm2cpio '${rpm}' | cpio -idm --quiet --no-absolute-filenames`)
    expect((await run(path.join(unpacked, 'usr', 'bin', 'hello'), [])).trim()).toBe(GREETING)
  })

  it('writes an .apk whose control and data tar read, and whose binary runs', async () => {
    const apk = await build(spec('apk'))
    expect(path.basename(apk)).toBe('hello_1.2.3_x86_64.apk')
    // An unsigned apk is two gzip streams (control, data), each a tar without its end blocks.
    const listing = await sh(`tar -tvzif '${apk}' 2>/dev/null`)
    const names = listing.split('\n').map(l => l.split(' ').pop())
    expect(names).toEqual(
      expect.arrayContaining([
        '.PKGINFO',
        '.post-install',
        '.pre-deinstall',
        'usr/bin/hello',
        'etc/hello/hello.conf'
      ])
    )
    expect(listing).toMatch(/^-rwxr-xr-x root\/root +\d+ 2026-01-02 03:04 usr\/bin\/hello$/m)
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +\d+ 2026-01-02 03:04 \.post-install$/m)

    const unpacked = await tempDir('gpa-pkg-x-')
    await sh(`tar -xzif '${apk}' -C '${unpacked}' 2>/dev/null`)
    const pkginfo = await readFile(path.join(unpacked, '.PKGINFO'), 'utf8')
    for (const line of [
      'pkgname = hello',
      'pkgver = 1.2.3',
      'arch = x86_64',
      'depend = ca-certificates',
      'license = MIT'
    ])
      expect(pkginfo).toContain(`${line}\n`)
    expect((await run(path.join(unpacked, 'usr', 'bin', 'hello'), [])).trim()).toBe(GREETING)
  })

  it('gives byte-identical packages from two folders, checkouts and clocks', async () => {
    // Two checkouts of the same sources: other folders, other file dates, group-writable modes
    // (a checkout under umask 002), other temp and output folders.
    const a = await project()
    const b = await project()
    for (const f of ['README.md', 'docs/a.md', 'docs/b.md', 'hello.conf', 'scripts/postinstall.sh'])
      await chmod(path.join(b, f), 0o664)
    for (const f of ['README.md', 'hello.conf', 'scripts/postinstall.sh', 'scripts/preremove.sh'])
      await utimes(path.join(b, f), 1_000_000_000, 1_000_000_000)
    const sums: Record<string, string[]> = {}
    for (const format of PACKAGE_FORMATS) {
      const s = spec(format)
      const first = await build(s, a)
      await new Promise(resolve => setTimeout(resolve, 1100))
      const second = await build(s, b)
      expect(first).not.toBe(second)
      sums[format] = [await sha256(first), await sha256(second)]
      // The package file itself is dated with the commit time.
      expect(Math.round(statSync(first).mtimeMs / 1000)).toBe(MTIME)
    }
    for (const format of PACKAGE_FORMATS) {
      const [x, y] = sums[format] ?? []
      expect({ format, sha256: y }).toEqual({ format, sha256: x })
    }
    process.stderr.write(`reproducible package sha256: ${JSON.stringify(sums)}\n`)
  })

  it('handles a prerelease as nfpm does: sorted before the release', async () => {
    const s = { version: '1.2.3-rc.1' }
    const [deb, rpm, apk] = await Promise.all(PACKAGE_FORMATS.map(f => build(spec(f, s))))
    expect(path.basename(deb ?? '')).toBe('hello_1.2.3~rc.1_amd64.deb')
    expect(path.basename(rpm ?? '')).toBe('hello-1.2.3~rc.1-1.x86_64.rpm')
    expect(path.basename(apk ?? '')).toBe('hello_1.2.3_rc.1_x86_64.apk')
    expect((await run('dpkg-deb', ['-f', deb ?? '', 'Version'])).trim()).toBe('1.2.3~rc.1')
    await run('dpkg', ['--compare-versions', '1.2.3~rc.1', 'lt', '1.2.3'])
    expect((await run('rpm', ['-qp', '--qf', '%{VERSION}-%{RELEASE}', rpm ?? ''])).trim()).toBe(
      '1.2.3~rc.1-1'
    )
    expect(
      (await run('rpm', ['--eval', '%{lua: print(rpm.vercmp("1.2.3~rc.1", "1.2.3"))}'])).trim()
    ).toBe('-1')
    expect(await sh(`tar -xzOif '${apk}' .PKGINFO 2>/dev/null`)).toContain('pkgver = 1.2.3_rc.1\n')
  })

  it('declares the architecture each format names (arm64, arm/7)', async () => {
    const dir = await project()
    const arm64 = { goarch: 'arm64' }
    const arm7 = { goarch: 'arm', goarm: '7' }
    const debArm64 = await build(spec('deb', arm64), dir)
    const debArm7 = await build(spec('deb', arm7), dir)
    const rpmArm64 = await build(spec('rpm', arm64), dir)
    const rpmArm7 = await build(spec('rpm', arm7), dir)
    const apkArm7 = await build(spec('apk', arm7), dir)
    expect((await run('dpkg-deb', ['-f', debArm64, 'Architecture'])).trim()).toBe('arm64')
    expect((await run('dpkg-deb', ['-f', debArm7, 'Architecture'])).trim()).toBe('armhf')
    expect((await run('rpm', ['-qp', '--qf', '%{ARCH}', rpmArm64])).trim()).toBe('aarch64')
    expect((await run('rpm', ['-qp', '--qf', '%{ARCH}', rpmArm7])).trim()).toBe('armv7hl')
    expect(path.basename(apkArm7)).toBe('hello_1.2.3_armv7.apk')
    expect(await sh(`tar -xzOif '${apkArm7}' .PKGINFO 2>/dev/null`)).toContain('arch = armv7\n')
  })

  it('keeps a $ in the text as it is: nfpm expands no variable of the runner', async () => {
    process.env.GPA_TEST_SECRET = 'leaked'
    try {
      const s = spec('deb', {
        description: 'Costs $5, not $GPA_TEST_SECRET or ${GPA_TEST_SECRET}.',
        maintainer: 'Jo $$ <jo@example.com>',
        dependencies: ['libfoo$GPA_TEST_SECRET']
      })
      const deb = await build(s)
      // Read as text: dpkg itself would refuse the $ in a package name.
      const control = await sh(`dpkg-deb --ctrl-tarfile '${deb}' | tar -xOf - ./control`)
      expect(control).toContain(`\nDescription: ${s.description}\n`)
      expect(control).toContain(`\nMaintainer: ${s.maintainer}\n`)
      expect(control).toContain('\nDepends: libfoo$GPA_TEST_SECRET\n')
      expect(control).not.toContain('leaked')
    } finally {
      delete process.env.GPA_TEST_SECRET
    }
  })

  it('names the package and the missing file when a contents src does not exist', async () => {
    const dir = await project()
    const out = await tempDir('gpa-pkg-out-')
    const file = path.join(out, 'hello.deb')
    const s = spec('deb', {
      contents: [{ src: 'missing/NOTES.md', dst: '/usr/share/doc/hello/NOTES.md' }]
    })
    const attempt = writePackage(nfpm, s, file, {
      tempDir: await tempDir('gpa-pkg-tmp-'),
      cwd: dir
    })
    await expect(attempt).rejects.toThrow(ActionError)
    await expect(attempt).rejects.toThrow(
      /nfpm could not write the deb package hello_1\.2\.3_amd64\.deb: .*missing\/NOTES\.md/
    )
    // Nothing is left behind: no package, no partial file.
    expect(await readdir(out)).toEqual([])
  })

  it('names a missing script and a missing nfpm', async () => {
    const dir = await project()
    const out = await tempDir('gpa-pkg-out-')
    const opts = { tempDir: await tempDir('gpa-pkg-tmp-'), cwd: dir }
    await expect(
      writePackage(
        nfpm,
        spec('rpm', { scripts: { postremove: 'scripts/gone.sh' } }),
        path.join(out, 'x.rpm'),
        opts
      )
    ).rejects.toThrow(
      /the postremove script scripts\/gone\.sh of the rpm package hello-1\.2\.3-1\.x86_64\.rpm does not exist/
    )
    await expect(
      writePackage('/nonexistent/nfpm', spec('apk'), path.join(out, 'x.apk'), opts)
    ).rejects.toThrow(
      /nfpm is not at \/nonexistent\/nfpm, so the apk package hello_1\.2\.3_x86_64\.apk/
    )
    expect(existsSync(path.join(out, 'x.apk'))).toBe(false)
  })
})
