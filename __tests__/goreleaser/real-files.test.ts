import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  GoReleaserConfigError,
  readGoReleaserConfig,
  targetName
} from '../../src/goreleaser/index.js'
import { render, renderTemplate } from '../../src/template/index.js'
import { parseTemplate } from '../../src/template/index.js'

// Real GoReleaser files, copied unchanged from the module zips of the Go module proxy
// (testdata/goreleaser/README.md).
function fixture(name: string): string {
  return readFileSync(new URL(`../../testdata/goreleaser/${name}`, import.meta.url), 'utf8')
}

function errorOf(text: string): GoReleaserConfigError {
  try {
    readGoReleaserConfig(text, '.goreleaser.yml')
  } catch (e) {
    expect(e).toBeInstanceOf(GoReleaserConfigError)
    return e as GoReleaserConfigError
  }
  throw new Error('read without an error')
}

/** The line number of the first line of text that starts with `start` (after spaces). */
function lineOf(text: string, start: string, from = 0): number {
  const lines = text.split('\n')
  const i = lines.findIndex((l, n) => n >= from && l.trimStart().startsWith(start))
  if (i < 0) throw new Error(`no line starts with ${start}`)
  return i + 1
}

const CROC_OS =
  '{{ if eq .Os "darwin" }}macOS{{ else if eq .Os "linux" }}Linux{{ else if eq .Os "windows" }}Windows' +
  '{{ else if eq .Os "openbsd" }}OpenBSD{{ else if eq .Os "netbsd" }}NetBSD{{ else if eq .Os "freebsd" }}FreeBSD' +
  '{{ else if eq .Os "dragonfly" }}DragonFlyBSD{{ else }}{{ .Os }}{{ end }}'
const CROC_ARCH =
  '{{ if eq .Arch "amd64" }}64bit{{ else if eq .Arch "386" }}32bit{{ else if eq .Arch "arm" }}ARM' +
  '{{ else if eq .Arch "arm64" }}ARM64{{ else }}{{ .Arch }}{{ end }}'
const CROC_NAME = `{{.ProjectName}}_{{.Version}}_${CROC_OS}-${CROC_ARCH}`

describe('croc v10.7.0 (a GoReleaser v1 file: build:, replacements, brews, scoop, announce)', () => {
  const text = fixture('croc-v10.7.0.goreleaser.yml')

  it('is refused at each replacements line, with the template that names the files the same', () => {
    const e = errorOf(text)
    const nfpmLine = lineOf(text, 'replacements:')
    const archiveLine = lineOf(text, 'replacements:', nfpmLine)
    expect([nfpmLine, archiveLine]).toEqual([39, 58])
    expect(e.message).toBe(
      `.goreleaser.yml:39: nfpms[0].replacements: removed in GoReleaser v2; write the name as a template instead: file_name_template: ${JSON.stringify(CROC_NAME)}\n` +
        `.goreleaser.yml:58: archives[0].replacements: removed in GoReleaser v2; write the name as a template instead: name_template: ${JSON.stringify(CROC_NAME)}`
    )
    expect([e.line, e.keyPath]).toEqual([39, 'nfpms[0].replacements'])
    expect(e.problems).toHaveLength(2)
  })

  it('suggests a template that gives v1’s names', () => {
    const t = parseTemplate(CROC_NAME)
    const name = (Os: string, Arch: string) =>
      render(t, { ProjectName: 'croc', Version: '10.7.0', Os, Arch })
    expect(name('darwin', 'amd64')).toBe('croc_10.7.0_macOS-64bit')
    expect(name('linux', '386')).toBe('croc_10.7.0_Linux-32bit')
    expect(name('windows', 'arm64')).toBe('croc_10.7.0_Windows-ARM64')
    expect(name('dragonfly', 'amd64')).toBe('croc_10.7.0_DragonFlyBSD-64bit')
    expect(name('linux', 'arm')).toBe('croc_10.7.0_Linux-ARM')
  })

  describe('with the replacements removed', () => {
    const fixed = text.replace(/^ {4}replacements:\n(?: {6}.*\n)+/gm, '')
    const { config, warnings } = readGoReleaserConfig(fixed, '.goreleaser.yml')

    it('reads the v1 build: and warns about brews, scoop and announce', () => {
      expect(fixed).not.toContain('replacements')
      expect(config.version).toBe(1)
      expect(config.projectName).toBe('croc')
      expect(warnings).toEqual([
        `.goreleaser.yml:${lineOf(fixed, 'brews:')}: brews: publishing a Homebrew formula is not done by go-package-action; this key is ignored`,
        `.goreleaser.yml:${lineOf(fixed, 'scoop:')}: scoop: publishing a Scoop manifest is not done by go-package-action; this key is ignored`,
        `.goreleaser.yml:${lineOf(fixed, 'announce:')}: announce: announcing the release is not done by go-package-action; this key is ignored`
      ])
    })

    it('expands the targets exactly as GoReleaser does', () => {
      // goos × goarch × goarm [7], minus ignore (darwin/386, freebsd/arm) and minus what Go does
      // not build (darwin/arm, windows/arm, dragonfly other than amd64), in GoReleaser's order.
      expect(config.builds).toHaveLength(1)
      expect(config.builds[0]?.targets.map(targetName)).toEqual([
        'darwin_amd64_v1',
        'darwin_arm64_v8.0',
        'linux_amd64_v1',
        'linux_386_sse2',
        'linux_arm_7',
        'linux_arm64_v8.0',
        'windows_amd64_v1',
        'windows_386_sse2',
        'windows_arm64_v8.0',
        'freebsd_amd64_v1',
        'freebsd_386_sse2',
        'freebsd_arm64_v8.0',
        'netbsd_amd64_v1',
        'netbsd_386_sse2',
        'netbsd_arm_7',
        'netbsd_arm64_v8.0',
        'openbsd_amd64_v1',
        'openbsd_386_sse2',
        'openbsd_arm_7',
        'openbsd_arm64_v8.0',
        'dragonfly_amd64_v1'
      ])
      expect(config.builds[0]?.targets[4]).toEqual({ goos: 'linux', goarch: 'arm', goarm: '7' })
    })

    it('reads the build, the archive and the nfpm', () => {
      const b = config.builds[0]
      expect(b?.id).toBe('croc')
      expect(b?.main).toBe('main.go')
      expect(b?.binary).toEqual({ text: 'croc', where: '.goreleaser.yml:5 build.binary' })
      expect(b?.ldflags.map(t => t.text)).toEqual([
        '-s -w -X main.Version="v{{.Version}}-{{.Date}}"'
      ])
      expect(b?.env.map(t => t.text)).toEqual(['CGO_ENABLED=0'])
      const a = config.archives[0]
      expect(a?.formats).toEqual(['tar.gz'])
      expect(a?.formatOverrides).toEqual([{ goos: 'windows', formats: ['zip'] }])
      expect(a?.nameTemplate.text).toBe('{{.ProjectName}}_{{.Version}}_{{.Os}}-{{.Arch}}')
      expect(a?.files.map(f => f.src.text)).toEqual([
        'README.md',
        'LICENSE',
        'zsh_autocomplete',
        'bash_autocomplete'
      ])
      const n = config.nfpms[0]
      expect(n?.formats).toEqual(['deb'])
      expect(n?.vendor).toBe('schollz.com')
      expect(n?.license).toBe('MIT')
      expect(n?.bindir.text).toBe('/usr/bin')
    })
  })
})

describe('k9s v0.50.16 (version 2: before hooks, 4 builds, a folded name, nfpms, sboms)', () => {
  const text = fixture('k9s-v0.50.16.goreleaser.yml')
  const { config, warnings } = readGoReleaserConfig(text, '.goreleaser.yml')

  it('reads, warning about the changelog, brews and sboms', () => {
    expect(config.version).toBe(2)
    expect(warnings).toEqual([
      ".goreleaser.yml:94: changelog: writing GoReleaser's changelog is not done by go-package-action; this key is ignored (the action writes the release notes its own way)",
      '.goreleaser.yml:101: brews: publishing a Homebrew formula is not done by go-package-action; this key is ignored',
      '.goreleaser.yml:133: sboms: writing SBOMs is not done by go-package-action; this key is ignored'
    ])
  })

  it('reads the hooks, the env and the four builds', () => {
    expect(config.beforeHooks).toEqual([
      { text: 'go mod download', where: '.goreleaser.yml:7 before.hooks[0]' },
      { text: 'go generate ./...', where: '.goreleaser.yml:8 before.hooks[1]' }
    ])
    expect(config.env.map(t => t.text)).toEqual(['CGO_ENABLED=0'])
    expect(config.builds.map(b => [b.id, b.targets.map(targetName)])).toEqual([
      [
        'linux',
        ['linux_amd64_v1', 'linux_arm64_v8.0', 'linux_arm_7', 'linux_ppc64le_power8', 'linux_s390x']
      ],
      ['freebsd', ['freebsd_amd64_v1', 'freebsd_arm64_v8.0']],
      ['osx', ['darwin_amd64_v1', 'darwin_arm64_v8.0']],
      ['windows', ['windows_amd64_v1', 'windows_arm64_v8.0']]
    ])
    const b = config.builds[3]
    expect(b?.flags).toEqual([
      { text: '-trimpath', where: '.goreleaser.yml:70 builds[3].flags[0]' }
    ])
    expect(b?.ldflags.map(t => t.where)).toEqual([
      '.goreleaser.yml:72 builds[3].ldflags[0]',
      '.goreleaser.yml:73 builds[3].ldflags[1]',
      '.goreleaser.yml:74 builds[3].ldflags[2]'
    ])
    expect(b?.binary.text).toBe('{{ .ProjectName }}')
  })

  it('keeps the folded archive name template as YAML folds it, and it renders', () => {
    const a = config.archives[0]
    expect(a?.nameTemplate).toEqual({
      text:
        '{{ .ProjectName }}_ {{- title .Os }}_ {{- if eq .Arch "amd64" }}amd64 {{- else if eq .Arch "386" }}i386' +
        ' {{- else }}{{ .Arch }}{{ end }} {{- if .Arm }}v{{ .Arm }}{{ end }}',
      where: '.goreleaser.yml:77 archives[0].name_template'
    })
    const data = { ProjectName: 'k9s', Os: 'linux', Arch: 'arm', Arm: '7' }
    expect(renderTemplate(a?.nameTemplate.text ?? '', data)).toBe('k9s_Linux_armv7')
    expect(a?.formats).toEqual(['tar.gz'])
    expect(a?.formatOverrides).toEqual([{ goos: 'windows', formats: ['zip'] }])
    expect(a?.files.map(f => f.src.text)).toEqual([
      'license*',
      'LICENSE*',
      'readme*',
      'README*',
      'changelog*',
      'CHANGELOG*'
    ])
  })

  it('reads the checksum, snapshot and release', () => {
    expect(config.checksum.nameTemplate.text).toBe('checksums.sha256')
    expect(config.checksum.algorithm).toBe('sha256')
    expect(config.snapshot.versionTemplate).toEqual({
      text: '{{ .Tag }}-next',
      where: '.goreleaser.yml:92 snapshot.version_template'
    })
    expect(config.release.prerelease).toBe(false)
    expect(config.release.nameTemplate.text).toBe('{{.Tag}}')
  })

  it('reads the nfpm', () => {
    const n = config.nfpms[0]
    expect(n?.id).toBe('default')
    expect(n?.formats).toEqual(['deb', 'rpm', 'apk'])
    expect(n?.fileNameTemplate.text).toBe('{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}')
    expect(n?.packageName.text).toBe('{{ .ProjectName }}')
    expect(n?.maintainer?.text).toBe('Fernand Galiana')
    expect(n?.homepage?.text).toBe('https://k9scli.io')
    expect(n?.description?.text).toBe('Kubernetes CLI To Manage Your Clusters In Style!')
    expect(n?.license).toBe('Apache-2.0')
    expect(n?.bindir).toEqual({ text: '/usr/bin', where: '.goreleaser.yml:125 nfpms[0].bindir' })
    expect(n?.section).toBe('utils')
    expect(n?.contents).toEqual([
      {
        src: { text: './LICENSE', where: '.goreleaser.yml:128 nfpms[0].contents[0].src' },
        dst: {
          text: '/usr/share/doc/k9s/copyright',
          where: '.goreleaser.yml:129 nfpms[0].contents[0].dst'
        },
        fileInfo: { mode: 0o644 },
        expand: false
      }
    ])
  })
})

describe('fzf v0.65.2 (version 2 with deprecated keys and notarize)', () => {
  const { config, warnings } = readGoReleaserConfig(
    fixture('fzf-v0.65.2.goreleaser.yml'),
    '.goreleaser.yml'
  )

  it('reads, with a warning for each deprecated key and each step the action does not take', () => {
    expect(warnings).toEqual([
      '.goreleaser.yml:48: notarize: signing and notarizing macOS binaries is not done by go-package-action; this key is ignored',
      '.goreleaser.yml:85: archives[0].builds: deprecated in GoReleaser v2; write `ids` instead of `builds`',
      '.goreleaser.yml:87: archives[0].format: deprecated in GoReleaser v2; write `formats: [...]` instead of `format`',
      '.goreleaser.yml:90: archives[0].format_overrides[0].format: deprecated in GoReleaser v2; write `formats: [...]` instead of `format`',
      ".goreleaser.yml:95: release.github: go-package-action releases to the workflow's repository; release.github is not used to choose it",
      '.goreleaser.yml:102: snapshot.name_template: deprecated in GoReleaser v2; write `version_template` instead of `name_template`',
      ".goreleaser.yml:104: changelog: writing GoReleaser's changelog is not done by go-package-action; this key is ignored (the action writes the release notes its own way)"
    ])
  })

  it('maps the deprecated spellings and expands goarm 5, 6 and 7', () => {
    const a = config.archives[0]
    expect(a?.ids).toEqual(['fzf'])
    expect(a?.formats).toEqual(['tar.gz'])
    expect(config.snapshot.versionTemplate.text).toBe('{{ .Version }}-devel')
    expect(config.release.prerelease).toBe('auto')
    expect(config.release.nameTemplate.text).toBe('{{ .Version }}')
    expect(config.release.github).toEqual({ owner: 'junegunn', name: 'fzf' })
    expect(config.builds[0]?.targets.map(targetName)).toEqual([
      'darwin_amd64_v1',
      'darwin_arm64_v8.0',
      'linux_amd64_v1',
      'linux_arm_5',
      'linux_arm_6',
      'linux_arm_7',
      'linux_arm64_v8.0',
      'linux_loong64',
      'linux_ppc64le_power8',
      'linux_s390x',
      'windows_amd64_v1',
      'windows_arm64_v8.0',
      'freebsd_amd64_v1',
      'openbsd_amd64_v1',
      'android_arm64_v8.0'
    ])
  })
})

describe('golangci-lint v2.15.0 (source archive, snapcraft, dockers_v2, nfpm overrides)', () => {
  const text = fixture('golangci-lint-v2.15.0.goreleaser.yml')

  it('is refused for the source archive and the snap, which would ship more files', () => {
    expect(errorOf(text).message).toBe(
      '.goreleaser.yml:97: source.enabled: a source archive is not made by go-package-action; remove the source section or set enabled: false\n' +
        '.goreleaser.yml:162: snapcrafts[0]: snap packages are not made by go-package-action; remove the snapcrafts section'
    )
  })

  it('reads without them', () => {
    const fixed = text
      .replace(/^source:\n(?: {2}.*\n)+/m, '')
      .replace(/^snapcrafts:\n(?: {2}.*\n|\n)+?(?=\S)/m, '')
    const { config, warnings } = readGoReleaserConfig(fixed, '.goreleaser.yml')
    expect(warnings.map(w => w.split(': ')[1])).toEqual([
      'sboms',
      'changelog',
      'release.github',
      'aurs',
      'dockers_v2'
    ])
    expect(warnings[4]).toBe(
      `.goreleaser.yml:${lineOf(fixed, 'dockers_v2:')}: dockers_v2: building container images from this key is not done by go-package-action; this key is ignored (the action's image input builds the image)`
    )
    const b = config.builds[0]
    expect(b?.main).toBe('./cmd/golangci-lint/')
    expect(b?.ldflags.map(t => t.text)).toEqual([
      '-s -w -X main.version={{.Version}} -X main.commit={{.ShortCommit}} -X main.date={{.Date}}'
    ])
    // 6 goos × 10 goarch (arm twice), minus ignore and what Go does not build.
    expect(b?.targets).toHaveLength(27)
    expect(b?.targets.filter(t => t.goos === 'linux').map(targetName)).toEqual([
      'linux_amd64_v1',
      'linux_arm64_v8.0',
      'linux_arm_6',
      'linux_arm_7',
      'linux_386_sse2',
      'linux_ppc64le_power8',
      'linux_s390x',
      'linux_mips64_hardfloat',
      'linux_mips64le_hardfloat',
      'linux_riscv64_rva20u64',
      'linux_loong64'
    ])
    expect(config.archives[0]?.wrapInDirectory).toBe(true)
    expect(config.checksum.nameTemplate.text).toBe(
      '{{ .ProjectName }}-{{ .Version }}-checksums.txt'
    )
    expect(config.release.header?.text).toContain('{{ .Major }}{{ .Minor }}{{ .Patch }}')
    const n = config.nfpms[0]
    expect(n?.umask).toBe(0o022)
    expect(n?.rpm).toEqual({ group: 'Development/Tools' })
    expect(n?.overrides.deb?.recommends).toEqual(['golang-go'])
    expect(n?.overrides.rpm?.contents?.map(c => [c.dst.text, c.type])).toEqual([
      ['/usr/share/doc/golangci-lint/LICENSE', 'license'],
      ['/usr/share/doc/golangci-lint/README.md', 'readme']
    ])
  })
})

describe('gum v0.17.0 (a GoReleaser Pro file)', () => {
  it('is refused for the Pro keys', () => {
    expect(errorOf(fixture('gum-v0.17.0.goreleaser.yml')).message).toBe(
      '.goreleaser.yml:5: includes: unknown key "includes" (GoReleaser v2 has no such key: it is a GoReleaser Pro key)\n' +
        '.goreleaser.yml:9: variables: unknown key "variables" (GoReleaser v2 has no such key: it is a GoReleaser Pro key)'
    )
  })
})
