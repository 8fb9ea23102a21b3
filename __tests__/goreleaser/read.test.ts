import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import {
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_LDFLAGS,
  GORELEASER_FILES,
  GoReleaserConfigError,
  readGoReleaserConfig,
  targetName
} from '../../src/goreleaser/index.js'

const FILE = '.goreleaser.yml'

function read(text: string) {
  return readGoReleaserConfig(text, FILE)
}

function errorOf(text: string): string {
  try {
    read(text)
  } catch (e) {
    expect(e).toBeInstanceOf(GoReleaserConfigError)
    expect(e).toBeInstanceOf(ActionError)
    return (e as Error).message
  }
  throw new Error('read without an error')
}

const lines = (...l: string[]) => l.join('\n') + '\n'

describe('GORELEASER_FILES', () => {
  it('lists the names GoReleaser v2.15.1 looks for, in its order (cmd/config.go)', () => {
    expect(GORELEASER_FILES).toEqual([
      '.config/goreleaser.yml',
      '.config/goreleaser.yaml',
      '.goreleaser.yml',
      '.goreleaser.yaml',
      'goreleaser.yml',
      'goreleaser.yaml'
    ])
  })
})

describe("GoReleaser's defaults", () => {
  it('fills an empty file the way GoReleaser v2.15.1 does', () => {
    const { config, warnings } = read('')
    expect(warnings).toEqual([])
    expect(config.version).toBe(1)
    expect(config.projectName).toBeUndefined()
    const b = config.builds[0]
    expect(config.builds).toHaveLength(1)
    expect(b?.id).toBeUndefined()
    expect([b?.dir, b?.main, b?.binary.text, b?.skip]).toEqual([
      '.',
      '.',
      '{{ .ProjectName }}',
      false
    ])
    expect(b?.ldflags).toEqual([
      { text: DEFAULT_LDFLAGS, where: ".goreleaser.yml (GoReleaser's default) builds[0].ldflags" }
    ])
    expect(DEFAULT_LDFLAGS).toBe(
      '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}} -X main.builtBy=goreleaser'
    )
    // linux, darwin, windows × amd64, arm64, 386, without darwin/386.
    expect(b?.targets.map(targetName)).toEqual([
      'linux_amd64_v1',
      'linux_arm64_v8.0',
      'linux_386_sse2',
      'darwin_amd64_v1',
      'darwin_arm64_v8.0',
      'windows_amd64_v1',
      'windows_arm64_v8.0',
      'windows_386_sse2'
    ])
    const a = config.archives[0]
    expect(a?.id).toBe('default')
    expect(a?.formats).toEqual(['tar.gz'])
    expect(a?.nameTemplate.text).toBe(
      '{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
    )
    expect(a?.files.map(f => [f.src.text, f.defaulted])).toEqual([
      ['license*', true],
      ['LICENSE*', true],
      ['readme*', true],
      ['README*', true],
      ['changelog*', true],
      ['CHANGELOG*', true]
    ])
    expect(a?.buildsInfo).toEqual({ mode: 0o755 })
    expect(a?.wrapInDirectory).toBe(false)
    expect(config.checksum).toEqual({
      nameTemplate: {
        text: '{{ .ProjectName }}_{{ .Version }}_checksums.txt',
        where: ".goreleaser.yml (GoReleaser's default) checksum.name_template"
      },
      algorithm: 'sha256',
      disable: false,
      ids: []
    })
    expect(config.snapshot.versionTemplate.text).toBe('{{ .Version }}-SNAPSHOT-{{ .ShortCommit }}')
    expect(config.release.nameTemplate.text).toBe('{{.Tag}}')
    expect(config.release.mode).toBe('keep-existing')
    expect(config.release.prerelease).toBe(false)
    expect(config.nfpms).toEqual([])
    expect(Object.isFrozen(config.builds[0]?.targets)).toBe(true)
  })

  it('takes the project name from release.github.name, and gives it to the build id', () => {
    const { config } = read(
      lines('version: 2', 'release:', '  github:', '    owner: o', '    name: tool')
    )
    expect(config.projectName).toBe('tool')
    expect(config.builds[0]?.id).toBe('tool')
  })

  it('uses the binary name template when an archive is a binary', () => {
    const { config } = read(lines('version: 2', 'archives:', '  - formats: [binary]'))
    expect(config.archives[0]?.nameTemplate.text).toBe(
      DEFAULT_ARCHIVE_NAME.replace('{{ .ProjectName }}', '{{ .Binary }}')
    )
  })

  it('fills an nfpm', () => {
    const { config } = read(lines('version: 2', 'project_name: p', 'nfpms:', '  - formats: [deb]'))
    const n = config.nfpms[0]
    expect([n?.id, n?.packageName.text, n?.bindir.text]).toEqual([
      'default',
      '{{ .ProjectName }}',
      '/usr/bin'
    ])
    expect(n?.fileNameTemplate.text).toBe(
      '{{ .PackageName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
    )
  })
})

describe('keys GoReleaser v2 does not have', () => {
  it('refuses an unknown key at the top, naming it and its line', () => {
    expect(errorOf(lines('version: 2', 'project_name: p', 'foo: bar'))).toBe(
      '.goreleaser.yml:3: foo: unknown key "foo" (GoReleaser v2 has no such key)'
    )
  })

  it('refuses an unknown key inside a section, with its path', () => {
    expect(
      errorOf(lines('version: 2', 'builds:', '  - id: a', '  - id: b', '    mian: ./cmd/b'))
    ).toBe('.goreleaser.yml:5: builds[1].mian: unknown key "mian" (GoReleaser v2 has no such key)')
  })

  it('lists every problem, in the order of the file', () => {
    expect(
      errorOf(lines('version: 2', 'zzz: 1', 'archives:', '  - formats: [tar.xz]', 'aaa: 2'))
    ).toBe(
      [
        '.goreleaser.yml:2: zzz: unknown key "zzz" (GoReleaser v2 has no such key)',
        '.goreleaser.yml:4: archives[0].formats[0]: archive format "tar.xz" is not supported by go-package-action (it writes tar.gz, tgz, tar, zip, binary)',
        '.goreleaser.yml:5: aaa: unknown key "aaa" (GoReleaser v2 has no such key)'
      ].join('\n')
    )
  })
})

describe('version 1 and version 2 spellings', () => {
  it('refuses build: in a version 2 file, with the v2 spelling', () => {
    expect(errorOf(lines('version: 2', 'build:', '  main: ./cmd/x'))).toBe(
      '.goreleaser.yml:2: build: removed in GoReleaser v2; write `builds:` with a list of builds instead of `build:`'
    )
  })

  it('reads build: in a file without a version', () => {
    const { config } = read(
      lines('project_name: x', 'build:', '  main: ./cmd/x', '  goos: [linux]', '  goarch: [arm64]')
    )
    expect(config.builds.map(b => [b.main, b.targets.map(targetName)])).toEqual([
      ['./cmd/x', ['linux_arm64_v8.0']]
    ])
  })

  it('refuses brews[].tap and scoop in a version 2 file', () => {
    expect(
      errorOf(lines('version: 2', 'brews:', '  - tap:', '      owner: o', 'scoop:', '  bucket: {}'))
    ).toBe(
      [
        '.goreleaser.yml:3: brews[0].tap: removed in GoReleaser v2; write `repository` instead of `tap`',
        '.goreleaser.yml:5: scoop: removed in GoReleaser v2; write `scoops:` with a list instead of `scoop:` (publishing to Scoop is not done by go-package-action)'
      ].join('\n')
    )
  })

  it('only warns about them in a version 1 file', () => {
    const { warnings } = read(
      lines('version: 1', 'brews:', '  - tap:', '      owner: o', 'scoop:', '  bucket: {}')
    )
    expect(warnings).toEqual([
      '.goreleaser.yml:2: brews: publishing a Homebrew formula is not done by go-package-action; this key is ignored',
      '.goreleaser.yml:5: scoop: publishing a Scoop manifest is not done by go-package-action; this key is ignored'
    ])
  })

  it('reads strip_parent_binary_folder in a version 1 file and refuses it in a version 2 file', () => {
    const v1 = read(lines('archives:', '  - strip_parent_binary_folder: true', '    rlcp: true'))
    expect(v1.config.archives[0]?.stripBinaryDirectory).toBe(true)
    expect(errorOf(lines('version: 2', 'archives:', '  - strip_parent_binary_folder: true'))).toBe(
      '.goreleaser.yml:3: archives[0].strip_parent_binary_folder: removed in GoReleaser v2; write `strip_binary_directory` instead'
    )
  })

  it('accepts what GoReleaser v2.15.1 still reads with a deprecation notice, with a warning', () => {
    const { config, warnings } = read(
      lines(
        'version: 2',
        'builds:',
        '  - gobinary: go',
        'archives:',
        '  - format: zip',
        '    formats: [tar.gz]',
        '    builds: [a]',
        'snapshot:',
        '  name_template: "{{ .Version }}-dev"'
      )
    )
    expect(warnings).toEqual([
      '.goreleaser.yml:3: builds[0].gobinary: deprecated in GoReleaser v2; write `tool` instead of `gobinary`',
      '.goreleaser.yml:5: archives[0].format: deprecated in GoReleaser v2; write `formats: [...]` instead of `format`',
      '.goreleaser.yml:7: archives[0].builds: deprecated in GoReleaser v2; write `ids` instead of `builds`',
      '.goreleaser.yml:9: snapshot.name_template: deprecated in GoReleaser v2; write `version_template` instead of `name_template`'
    ])
    // archive.go appends the deprecated format to formats.
    expect(config.archives[0]?.formats).toEqual(['tar.gz', 'zip'])
    expect(config.archives[0]?.ids).toEqual(['a'])
    expect(config.snapshot.versionTemplate.text).toBe('{{ .Version }}-dev')
  })

  it('refuses a version other than 1 or 2', () => {
    expect(errorOf(lines('version: 3'))).toBe(
      '.goreleaser.yml:1: version: must be 2 (or 1 for a GoReleaser v1 file), not 3'
    )
    expect(errorOf(lines('version: "2"'))).toBe(
      '.goreleaser.yml:1: version: must be a number, not a string'
    )
  })
})

describe('replacements (removed from GoReleaser)', () => {
  it('suggests the template with the replaced .Os and .Arch', () => {
    const text = lines(
      'archives:',
      '  - name_template: "{{.ProjectName}}_{{.Version}}_{{.Os}}-{{.Arch}}"',
      '    replacements:',
      '      amd64: 64bit',
      '      darwin: macOS',
      '      linux: Linux'
    )
    const want =
      '{{.ProjectName}}_{{.Version}}_{{ if eq .Os "darwin" }}macOS{{ else if eq .Os "linux" }}Linux{{ else }}{{ .Os }}{{ end }}-{{ if eq .Arch "amd64" }}64bit{{ else }}{{ .Arch }}{{ end }}'
    expect(errorOf(text)).toBe(
      `.goreleaser.yml:3: archives[0].replacements: removed in GoReleaser v2; write the name as a template instead: name_template: ${JSON.stringify(want)}`
    )
    // The same in a version 2 file.
    expect(errorOf('version: 2\n' + text)).toContain('.goreleaser.yml:4: archives[0].replacements:')
  })

  it('starts from the default name, and keeps trim markers and .Arm', () => {
    const text = lines('archives:', '  - replacements:', '      "386": i386')
    expect(errorOf(text)).toBe(
      '.goreleaser.yml:2: archives[0].replacements: removed in GoReleaser v2; write the name as a template instead: name_template: ' +
        JSON.stringify(
          '{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ if eq .Arch "386" }}i386{{ else }}{{ .Arch }}{{ end }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
        )
    )
    const trimmed = lines(
      'archives:',
      '  - name_template: "x_{{- .Arm -}}_y"',
      '    replacements:',
      '      "7": seven'
    )
    expect(errorOf(trimmed)).toContain(
      JSON.stringify('x_{{- if eq .Arm "7" }}seven{{ else }}{{ .Arm }}{{ end -}}_y')
    )
  })

  it('says how when a field is used other than as {{ .Os }}', () => {
    const text = lines('archives:', '  - replacements:', '      "6": v6')
    expect(errorOf(text)).toContain('write the replacements into name_template with')
  })

  it('says how when no field can be rewritten', () => {
    const text = lines(
      'archives:',
      '  - name_template: "{{ title .Os }}"',
      '    replacements:',
      '      darwin: macOS'
    )
    expect(errorOf(text)).toBe(
      '.goreleaser.yml:3: archives[0].replacements: removed in GoReleaser v2; write the replacements into name_template with {{ if eq .Os "…" }}…{{ else }}{{ .Os }}{{ end }} (and the same for .Arch and .Arm)'
    )
  })
})

describe('types, read as go.yaml.in/yaml/v3 reads them into GoReleaser’s fields', () => {
  it('reads a number as a string where a string is meant (goarch: 386, goarm: 7)', () => {
    const { config } = read(
      lines('builds:', '  - goos: [linux]', '    goarch: [386, arm]', '    goarm: [7, 6]')
    )
    expect(config.builds[0]?.targets.map(targetName)).toEqual([
      'linux_386_sse2',
      'linux_arm_7',
      'linux_arm_6'
    ])
  })

  it('reads a file mode as yaml.v3 does: 0644 and 0o644 are octal, 644 decimal', () => {
    const { config } = read(
      lines(
        'archives:',
        '  - files:',
        '      - src: a',
        '        info: { mode: 0644 }',
        '      - src: b',
        '        info: { mode: 0o600 }',
        '      - src: c',
        '        info: { mode: 493 }',
        '      - src: d',
        '        info: { mode: 0x1ed }'
      )
    )
    expect(config.archives[0]?.files.map(f => f.info?.mode)).toEqual([0o644, 0o600, 493, 0o755])
    expect(
      errorOf(lines('archives:', '  - files:', '      - src: a', '        info: { mode: "0644" }'))
    ).toBe('.goreleaser.yml:4: archives[0].files[0].info.mode: must be a number, not a string')
  })

  it('reads on and yes as strings where a string is meant, and as booleans where a bool is', () => {
    const { config } = read(
      lines('project_name: on', 'archives:', '  - strip_binary_directory: yes', '    meta: off')
    )
    expect(config.projectName).toBe('on')
    expect(config.archives[0]?.stripBinaryDirectory).toBe(true)
    expect(config.archives[0]?.meta).toBe(false)
  })

  it('names the key and the line of a wrong type', () => {
    expect(errorOf(lines('version: 2', 'builds:', '  - goos: linux'))).toBe(
      '.goreleaser.yml:3: builds[0].goos: must be a list, not the value "linux"'
    )
    expect(errorOf(lines('version: 2', 'project_name:', '  - a'))).toBe(
      '.goreleaser.yml:3: project_name: must be a string, not a list'
    )
    expect(errorOf(lines('version: 2', 'archives:', '  name_template: x'))).toBe(
      '.goreleaser.yml:3: archives: must be a list, not a mapping'
    )
    expect(errorOf(lines('version: 2', 'archives:', '  - meta: maybe'))).toBe(
      '.goreleaser.yml:3: archives[0].meta: must be true or false, not the value "maybe"'
    )
  })

  it('reads ldflags and gcflags as a list or one string, flags and tags split on spaces', () => {
    const { config } = read(
      lines(
        'builds:',
        '  - ldflags: -s -w -X main.v={{.Version}}',
        '    gcflags: all=-N -l',
        '    flags: -trimpath -v',
        '    tags: [netgo, osusergo]'
      )
    )
    const b = config.builds[0]
    expect(b?.ldflags.map(t => t.text)).toEqual(['-s -w -X main.v={{.Version}}'])
    expect(b?.gcflags.map(t => t.text)).toEqual(['all=-N -l'])
    expect(b?.flags).toEqual([
      { text: '-trimpath', where: '.goreleaser.yml:4 builds[0].flags' },
      { text: '-v', where: '.goreleaser.yml:4 builds[0].flags' }
    ])
    expect(b?.tags.map(t => t.where)).toEqual([
      '.goreleaser.yml:5 builds[0].tags[0]',
      '.goreleaser.yml:5 builds[0].tags[1]'
    ])
  })

  it('reads true, false or a template where GoReleaser takes one', () => {
    const { config } = read(
      lines(
        'builds:',
        '  - skip: "{{ .IsSnapshot }}"',
        'archives:',
        '  - wrap_in_directory: "{{ .ProjectName }}-{{ .Version }}"',
        'release:',
        '  disable: true',
        '  make_latest: "{{ not .IsSnapshot }}"'
      )
    )
    expect(config.builds[0]?.skip).toEqual({
      text: '{{ .IsSnapshot }}',
      where: '.goreleaser.yml:2 builds[0].skip'
    })
    expect(config.archives[0]?.wrapInDirectory).toEqual({
      text: '{{ .ProjectName }}-{{ .Version }}',
      where: '.goreleaser.yml:4 archives[0].wrap_in_directory'
    })
    expect(config.release.disable).toBe(true)
    expect(config.release.makeLatest).toEqual({
      text: '{{ not .IsSnapshot }}',
      where: '.goreleaser.yml:7 release.make_latest'
    })
  })
})

describe('templates', () => {
  it('checks each template’s syntax, naming the key and the line', () => {
    expect(errorOf(lines('version: 2', 'archives:', '  - name_template: "{{ .Os "'))).toBe(
      '.goreleaser.yml:3: archives[0].name_template: template: {{ .Os : at 1:1: unclosed action'
    )
    expect(
      errorOf(
        lines('version: 2', 'builds:', '  - ldflags:', '      - -X main.v={{ nope .Version }}')
      )
    ).toBe(
      '.goreleaser.yml:4: builds[0].ldflags[0]: template: -X main.v={{ nope .Version }}: at 1:14: unknown function "nope"'
    )
  })

  it('points at the first line of a multi-line template', () => {
    const msg = errorOf(
      lines('version: 2', 'release:', '  footer: |', '    line one', '    {{ if }}')
    )
    expect(msg.startsWith('.goreleaser.yml:3: release.footer: template: ')).toBe(true)
  })
})

describe('archive formats', () => {
  it('refuses a format GoReleaser writes and the action does not, and an unknown one', () => {
    expect(
      errorOf(
        lines(
          'version: 2',
          'archives:',
          '  - formats: [tar.zst]',
          '    format_overrides:',
          '      - goos: windows',
          '        formats: [7z]'
        )
      )
    ).toBe(
      [
        '.goreleaser.yml:3: archives[0].formats[0]: archive format "tar.zst" is not supported by go-package-action (it writes tar.gz, tgz, tar, zip, binary)',
        '.goreleaser.yml:6: archives[0].format_overrides[0].formats[0]: invalid archive format "7z" (GoReleaser knows tar.gz, tgz, tar, gz, tar.xz, txz, tar.zst, tzst, zip, binary, none)'
      ].join('\n')
    )
  })

  it('accepts none in a format override, and a single string for formats', () => {
    const { config } = read(
      lines(
        'version: 2',
        'archives:',
        '  - formats: zip',
        '    format_overrides:',
        '      - goos: darwin',
        '        formats: none'
      )
    )
    expect(config.archives[0]?.formats).toEqual(['zip'])
    expect(config.archives[0]?.formatOverrides).toEqual([{ goos: 'darwin', formats: ['none'] }])
  })

  it('reads archive files as strings or mappings', () => {
    const { config } = read(
      lines(
        'version: 2',
        'archives:',
        '  - files:',
        '      - LICENSE',
        '      - src: docs/*.md',
        '        dst: docs',
        '        strip_parent: true',
        '        info:',
        '          owner: root',
        '          mtime: "{{ .CommitDate }}"'
      )
    )
    expect(config.archives[0]?.files).toEqual([
      {
        src: { text: 'LICENSE', where: '.goreleaser.yml:4 archives[0].files[0]' },
        stripParent: false
      },
      {
        src: { text: 'docs/*.md', where: '.goreleaser.yml:5 archives[0].files[1].src' },
        dst: 'docs',
        stripParent: true,
        info: {
          owner: { text: 'root', where: '.goreleaser.yml:9 archives[0].files[1].info.owner' },
          mtime: {
            text: '{{ .CommitDate }}',
            where: '.goreleaser.yml:10 archives[0].files[1].info.mtime'
          }
        }
      }
    ])
  })
})

describe('YAML', () => {
  it('resolves anchors, aliases and << merge keys (keys written win over merged ones)', () => {
    const { config } = read(
      lines(
        'version: 2',
        'builds:',
        '  - &common',
        '    id: a',
        '    goos: [linux]',
        '    goarch: [amd64]',
        '    ldflags: &ld',
        '      - -s -w',
        '  - <<: *common',
        '    id: b',
        '    goarch: [arm64]',
        '    gcflags: *ld'
      )
    )
    expect(config.builds.map(b => [b.id, b.targets.map(targetName), b.ldflags[0]?.text])).toEqual([
      ['a', ['linux_amd64_v1'], '-s -w'],
      ['b', ['linux_arm64_v8.0'], '-s -w']
    ])
    expect(config.builds[1]?.gcflags[0]?.text).toBe('-s -w')
  })

  it('refuses x- keys like any unknown key, as GoReleaser does', () => {
    expect(errorOf(lines('version: 2', 'x-common: &c', '  a: 1'))).toBe(
      '.goreleaser.yml:2: x-common: unknown key "x-common" (GoReleaser v2 has no such key)'
    )
  })

  it('refuses a duplicate key', () => {
    expect(errorOf(lines('version: 2', 'project_name: a', 'dist: d', 'project_name: b'))).toBe(
      '.goreleaser.yml:4: duplicate key "project_name"; GoReleaser refuses it too'
    )
  })

  it('refuses a second document, a top level that is not a mapping, and YAML that does not parse', () => {
    expect(errorOf(lines('version: 2', '---', 'version: 2'))).toBe(
      '.goreleaser.yml:2: a second YAML document ("---"); a GoReleaser file holds one'
    )
    expect(errorOf(lines('- a', '- b'))).toBe(
      '.goreleaser.yml:1: the file must be a mapping of GoReleaser keys (version, builds, archives, …), not a list'
    )
    expect(errorOf(lines('version: 2', 'builds: [a'))).toMatch(
      /^\.goreleaser\.yml:\d+: not valid YAML: /
    )
  })

  it('accepts a leading --- and comments', () => {
    expect(read(lines('---', '# comment', 'version: 2')).config.version).toBe(2)
  })

  it('refuses a file over 1 MiB', () => {
    const big = 'version: 2\n' + '#'.repeat(1024 * 1024) + '\n'
    expect(errorOf(big)).toBe(
      `.goreleaser.yml: the file is ${1024 * 1024 + 12} bytes; a GoReleaser file over 1 MiB is refused`
    )
  })
})

describe('hostile YAML', () => {
  it('refuses aliases of aliases that would expand without bound', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const next = String.fromCharCode(97 + i)
      bomb.push(
        `${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`
      )
    }
    expect(errorOf(bomb.join('\n') + '\n')).toMatch(
      /^\.goreleaser\.yml:\d+: the YAML expands to more than 200000 values \(aliases of aliases\); write it out$/
    )
  })

  it('refuses a v1-only key inside a section that is only warned about, in a version 2 file', () => {
    expect(errorOf(lines('version: 2', 'changelog:', '  skip: true'))).toBe(
      '.goreleaser.yml:3: changelog.skip: removed in GoReleaser v2; write `disable` instead of `skip`'
    )
  })
})
