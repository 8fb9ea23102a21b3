import { describe, expect, it } from '@jest/globals'
import {
  GoReleaserConfigError,
  readGoReleaserConfig,
  targetName
} from '../../src/goreleaser/index.js'

function read(text: string) {
  return readGoReleaserConfig(text, '.goreleaser.yml')
}

function errorOf(text: string): string {
  try {
    read(text)
  } catch (e) {
    expect(e).toBeInstanceOf(GoReleaserConfigError)
    return (e as Error).message
  }
  throw new Error('read without an error')
}

const lines = (...l: string[]) => ['version: 2', ...l].join('\n') + '\n'

describe('builds', () => {
  it('refuses build hooks, overrides, another builder or Go, and library build modes', () => {
    expect(
      errorOf(
        lines(
          'builds:',
          '  - hooks:',
          '      post: upx {{ .Path }}',
          '    overrides:',
          '      - goos: linux',
          '        goarch: amd64',
          '        ldflags: [-X a=b]',
          '    builder: rust',
          '    tool: go1.22.0',
          '    command: test',
          '    buildmode: c-shared'
        )
      )
    ).toBe(
      [
        '.goreleaser.yml:3: builds[0].hooks: build hooks run commands that can change the binaries, and go-package-action does not run them; run the commands in a workflow step before the action, and remove the hooks',
        '.goreleaser.yml:5: builds[0].overrides: per-target overrides are not supported by go-package-action; write a separate build for those targets',
        '.goreleaser.yml:9: builds[0].builder: builder "rust": go-package-action builds Go only',
        '.goreleaser.yml:10: builds[0].tool: tool "go1.22.0": go-package-action builds with the Go it sets up (go-version); remove tool',
        '.goreleaser.yml:11: builds[0].command: command "test": go-package-action runs go build only',
        '.goreleaser.yml:12: builds[0].buildmode: buildmode "c-shared" is not supported by go-package-action (it builds executables: leave it empty or write pie)'
      ].join('\n')
    )
  })

  it('accepts empty hooks, builder go, tool go and buildmode pie; warns about dist settings', () => {
    const { config, warnings } = read(
      lines(
        'builds:',
        '  - hooks: {}',
        '    builder: go',
        '    tool: go',
        '    buildmode: pie',
        '    no_unique_dist_dir: true',
        '    mod_timestamp: "{{ .CommitTimestamp }}"'
      )
    )
    expect(config.builds[0]?.buildmode).toBe('pie')
    expect(config.builds[0]?.modTimestamp?.text).toBe('{{ .CommitTimestamp }}')
    expect(warnings).toEqual([
      ".goreleaser.yml:7: builds[0].no_unique_dist_dir: GoReleaser's dist layout does not apply: the action writes to its output-dir; this key is ignored"
    ])
  })

  it('reads targets, completing each with its default variant, and warns about the keys it overrides', () => {
    const { config, warnings } = read(
      lines(
        'builds:',
        '  - goos: [plan9]',
        '    targets:',
        '      - linux_amd64',
        '      - linux_arm_7',
        '      - darwin_arm64_v8.2',
        '      - go_first_class',
        '      - linux_mips',
        '      - windows_amd64_v3'
      )
    )
    expect(warnings).toEqual([
      '.goreleaser.yml:3: builds[0].goos: ignored because builds[0].targets is set (as GoReleaser does)'
    ])
    expect(config.builds[0]?.targets.map(targetName)).toEqual([
      'linux_amd64_v1',
      'linux_arm_7',
      'darwin_arm64_v8.2',
      'darwin_amd64_v1',
      'darwin_arm64_v8.0',
      'linux_386_sse2',
      'linux_arm_6',
      'linux_arm64_v8.0',
      'windows_386_sse2',
      'windows_amd64_v1',
      'linux_mips_hardfloat',
      'windows_amd64_v3'
    ])
    expect(config.builds[0]?.targets[1]).toEqual({ goos: 'linux', goarch: 'arm', goarm: '7' })
  })

  it('refuses a target GoReleaser refuses', () => {
    expect(errorOf(lines('builds:', '  - targets: [linux]'))).toBe(
      '.goreleaser.yml:3: builds[0].targets[0]: "linux" is not a valid build target (invalid goos: linux; write goos_goarch or goos_goarch_variant, e.g. linux_arm_7)'
    )
    expect(errorOf(lines('builds:', '  - goos: [linux, beos]'))).toBe(
      '.goreleaser.yml:3: builds[0].goos: invalid goos: beos (GoReleaser refuses it)'
    )
    expect(
      errorOf(lines('builds:', '  - goos: [linux]', '    goarch: [amd64]', '    goamd64: [v5]'))
    ).toBe('.goreleaser.yml:5: builds[0].goamd64: invalid goamd64: v5 (GoReleaser refuses it)')
  })

  it('expands every variant and applies ignore with variants', () => {
    const { config } = read(
      lines(
        'builds:',
        '  - goos: [linux, js]',
        '    goarch: [amd64, mips64le, riscv64, wasm]',
        '    goamd64: [v1, v3]',
        '    gomips: [softfloat]',
        '    goriscv64: [rva22u64]',
        '    ignore:',
        '      - goos: linux',
        '        goarch: amd64',
        '        goamd64: v1'
      )
    )
    expect(config.builds[0]?.targets.map(targetName)).toEqual([
      'linux_amd64_v3',
      'linux_mips64le_softfloat',
      'linux_riscv64_rva22u64',
      'js_wasm'
    ])
  })

  it('refuses two builds with one id', () => {
    expect(errorOf(lines('builds:', '  - id: a', '  - id: a'))).toBe(
      '.goreleaser.yml:4: builds[1].id: found 2 builds with the ID "a" (also builds[0]); give each its own id'
    )
  })
})

describe('archives and checksum', () => {
  it('refuses two archives without an id', () => {
    expect(errorOf(lines('archives:', '  - formats: [zip]', '  - formats: [tar.gz]'))).toBe(
      '.goreleaser.yml:4: archives[1].id: found 2 archives with the ID "default" (also archives[0]); give each its own id'
    )
  })

  it('reads sha512, refuses other algorithms, split and extra files', () => {
    expect(
      read(lines('checksum:', '  algorithm: sha512', '  disable: true')).config.checksum
    ).toMatchObject({
      algorithm: 'sha512',
      disable: true
    })
    expect(
      errorOf(
        lines('checksum:', '  algorithm: md5', '  split: true', '  extra_files:', '    - glob: ./x')
      )
    ).toBe(
      [
        '.goreleaser.yml:3: checksum.algorithm: checksum algorithm "md5" is not supported by go-package-action (it writes sha256 or sha512)',
        '.goreleaser.yml:4: checksum.split: a checksum file per artifact is not supported by go-package-action (it writes one checksums file); remove split',
        '.goreleaser.yml:5: checksum.extra_files: checksums of extra files are not supported by go-package-action; remove extra_files'
      ].join('\n')
    )
  })
})

describe('nfpms', () => {
  it('reads every field', () => {
    const { config } = read(
      lines(
        'nfpms:',
        '  - id: pkg',
        '    ids: [cli]',
        '    package_name: tool',
        '    file_name_template: "{{ .ConventionalFileName }}"',
        '    formats: [deb, rpm, apk]',
        '    vendor: V',
        '    homepage: https://x',
        '    maintainer: M <m@x>',
        '    description: D',
        '    license: MIT',
        '    bindir: /usr/local/bin',
        '    section: utils',
        '    priority: optional',
        '    epoch: "2"',
        '    release: "1"',
        '    prerelease: beta1',
        '    version_metadata: git',
        '    umask: 0o002',
        '    mtime: "{{ .CommitDate }}"',
        '    dependencies: [git]',
        '    recommends: [less]',
        '    suggests: [vim]',
        '    conflicts: [old]',
        '    replaces: [old]',
        '    provides: [tool]',
        '    contents:',
        '      - src: ./completions/tool.bash',
        '        dst: /usr/share/bash-completion/completions/tool',
        '        type: config',
        '        packager: deb',
        '        file_info:',
        '          mode: 0644',
        '          owner: root',
        '    scripts:',
        '      postinstall: scripts/post.sh',
        '    deb:',
        '      lintian_overrides: [statically-linked-binary]',
        '      fields:',
        '        Bugs: https://x/issues',
        '    rpm:',
        '      summary: S',
        '      scripts:',
        '        posttrans: scripts/posttrans.sh',
        '    overrides:',
        '      rpm:',
        '        dependencies: [git-core]'
      )
    )
    const n = config.nfpms[0]
    expect(n).toMatchObject({
      id: 'pkg',
      ids: ['cli'],
      formats: ['deb', 'rpm', 'apk'],
      vendor: 'V',
      license: 'MIT',
      section: 'utils',
      priority: 'optional',
      epoch: '2',
      release: '1',
      prerelease: 'beta1',
      versionMetadata: 'git',
      umask: 0o002,
      dependencies: ['git'],
      recommends: ['less'],
      suggests: ['vim'],
      conflicts: ['old'],
      replaces: ['old'],
      provides: ['tool'],
      deb: {
        lintian_overrides: ['statically-linked-binary'],
        fields: { Bugs: 'https://x/issues' }
      },
      rpm: { summary: 'S', scripts: { posttrans: 'scripts/posttrans.sh' } },
      overrides: { rpm: { dependencies: ['git-core'] } }
    })
    expect(n?.packageName).toEqual({
      text: 'tool',
      where: '.goreleaser.yml:5 nfpms[0].package_name'
    })
    expect(n?.fileNameTemplate.text).toBe('{{ .ConventionalFileName }}')
    expect([n?.homepage?.text, n?.maintainer?.text, n?.description?.text, n?.bindir.text]).toEqual([
      'https://x',
      'M <m@x>',
      'D',
      '/usr/local/bin'
    ])
    expect(n?.contents[0]).toEqual({
      src: {
        text: './completions/tool.bash',
        where: '.goreleaser.yml:29 nfpms[0].contents[0].src'
      },
      dst: {
        text: '/usr/share/bash-completion/completions/tool',
        where: '.goreleaser.yml:30 nfpms[0].contents[0].dst'
      },
      type: 'config',
      packager: 'deb',
      fileInfo: {
        mode: 0o644,
        owner: { text: 'root', where: '.goreleaser.yml:35 nfpms[0].contents[0].file_info.owner' }
      },
      expand: false
    })
    expect(n?.scripts.postinstall?.text).toBe('scripts/post.sh')
  })

  it('refuses package signatures, packager sections in overrides, unknown formats and replacements', () => {
    expect(
      errorOf(
        lines(
          'nfpms:',
          '  - formats: [deb, msi]',
          '    file_name_template: "{{ .ProjectName }}_{{ .Arch }}"',
          '    deb:',
          '      signature:',
          '        key_file: key.gpg',
          '    overrides:',
          '      deb:',
          '        deb:',
          '          compression: xz',
          '    replacements:',
          '      amd64: x86_64'
        )
      )
    ).toBe(
      [
        '.goreleaser.yml:3: nfpms[0].formats[1]: invalid package format "msi" (GoReleaser knows apk, deb, rpm, termux.deb, archlinux, ipk)',
        '.goreleaser.yml:7: nfpms[0].deb.signature: signing packages is not done by go-package-action, so the package would ship unsigned; remove the signature',
        '.goreleaser.yml:10: nfpms[0].overrides.deb.deb: packager settings inside overrides are not supported by go-package-action; write them in nfpms[0].deb',
        '.goreleaser.yml:12: nfpms[0].replacements: removed in GoReleaser v2; write the name as a template instead: file_name_template: "{{ .ProjectName }}_{{ if eq .Arch \\"amd64\\" }}x86_64{{ else }}{{ .Arch }}{{ end }}"'
      ].join('\n')
    )
  })
})

describe('release and snapshot', () => {
  it('reads the release', () => {
    const { config, warnings } = read(
      lines(
        'release:',
        '  github: { owner: o, name: n }',
        '  draft: true',
        '  replace_existing_draft: true',
        '  replace_existing_artifacts: true',
        '  prerelease: auto',
        '  make_latest: false',
        '  mode: append',
        '  name_template: "v{{ .Version }}"',
        '  header: "## {{ .Tag }}"',
        '  extra_files:',
        '    - glob: ./dist/*.sig',
        '      name_template: "{{ .ArtifactName }}"',
        '  skip_upload: "{{ .IsSnapshot }}"',
        '  target_commitish: main',
        '  discussion_category_name: Releases'
      )
    )
    expect(config.release).toMatchObject({
      draft: true,
      replaceExistingDraft: true,
      replaceExistingArtifacts: true,
      prerelease: 'auto',
      makeLatest: false,
      mode: 'append',
      github: { owner: 'o', name: 'n' }
    })
    expect(config.release.nameTemplate.text).toBe('v{{ .Version }}')
    expect(config.release.header?.text).toBe('## {{ .Tag }}')
    expect(config.release.extraFiles).toEqual([
      {
        glob: { text: './dist/*.sig', where: '.goreleaser.yml:13 release.extra_files[0].glob' },
        nameTemplate: {
          text: '{{ .ArtifactName }}',
          where: '.goreleaser.yml:14 release.extra_files[0].name_template'
        }
      }
    ])
    expect(config.release.skipUpload).toEqual({
      text: '{{ .IsSnapshot }}',
      where: '.goreleaser.yml:15 release.skip_upload'
    })
    expect(config.projectName).toBe('n')
    expect(warnings).toEqual([
      ".goreleaser.yml:3: release.github: go-package-action releases to the workflow's repository; release.github is not used to choose it",
      ".goreleaser.yml:16: release.target_commitish: the release is made for the workflow's ref; not done by go-package-action; this key is ignored",
      '.goreleaser.yml:17: release.discussion_category_name: opening a release discussion is not done by go-package-action; this key is ignored'
    ])
  })

  it('refuses bad release values and include_meta', () => {
    expect(
      errorOf(
        lines(
          'release:',
          '  prerelease: maybe',
          '  mode: merge',
          '  make_latest: sometimes',
          '  include_meta: true'
        )
      )
    ).toBe(
      [
        '.goreleaser.yml:3: release.prerelease: must be auto, true or false, not "maybe"',
        '.goreleaser.yml:4: release.mode: must be one of keep-existing, append, prepend, replace, not "merge"',
        '.goreleaser.yml:5: release.make_latest: must be auto, true, false or a template, not "sometimes"',
        ".goreleaser.yml:6: release.include_meta: uploading GoReleaser's metadata.json and artifacts.json is not done by go-package-action; remove include_meta"
      ].join('\n')
    )
  })
})

describe('sections the action does not do', () => {
  it('refuses the object form of before hooks (GoReleaser Pro)', () => {
    expect(errorOf(lines('before:', '  hooks:', '    - cmd: go mod tidy'))).toBe(
      ".goreleaser.yml:4: before.hooks[0]: must be a command string (the object form of before hooks is GoReleaser Pro's)"
    )
  })

  it('refuses what would ship something else, unless it is switched off', () => {
    expect(
      errorOf(
        lines(
          'source:',
          '  enabled: true',
          'upx:',
          '  - enabled: true',
          'universal_binaries:',
          '  - replace: true',
          'makeselfs:',
          '  - id: x',
          'srpm:',
          '  enabled: true'
        )
      )
    ).toBe(
      [
        '.goreleaser.yml:3: source.enabled: a source archive is not made by go-package-action; remove the source section or set enabled: false',
        '.goreleaser.yml:5: upx[0]: compressing binaries with UPX changes the binaries, and go-package-action does not do it; remove the upx section',
        '.goreleaser.yml:7: universal_binaries[0]: macOS universal binaries are not made by go-package-action (it ships one binary per target); remove universal_binaries',
        '.goreleaser.yml:9: makeselfs[0]: makeself installers are not made by go-package-action; remove the makeselfs section',
        '.goreleaser.yml:11: srpm.enabled: a source RPM is not made by go-package-action; remove the srpm section'
      ].join('\n')
    )
    const off = read(
      lines(
        'source:',
        '  enabled: false',
        'upx:',
        '  - enabled: false',
        'snapcrafts:',
        '  - disable: true'
      )
    )
    expect(off.warnings).toEqual([])
  })

  it('warns about the steps that ship nothing different', () => {
    const keys = [
      'homebrew_casks',
      'nix',
      'winget',
      'aurs',
      'krews',
      'scoops',
      'chocolateys',
      'milestones',
      'announce',
      'signs',
      'docker_signs',
      'binary_signs',
      'notarize',
      'sboms',
      'blobs',
      'uploads',
      'artifactories',
      'publishers',
      'dockers',
      'docker_manifests',
      'kos',
      'gomod',
      'git',
      'report_sizes',
      'metadata',
      'mcp',
      'pro'
    ]
    const { warnings } = read(lines(...keys.map(k => `${k}: ~`)))
    expect(warnings.map(w => w.split(': ')[1])).toEqual(keys)
    expect(warnings[keys.indexOf('kos')]).toBe(
      ".goreleaser.yml:22: kos: building container images from this key is not done by go-package-action; this key is ignored (the action's image input builds the image)"
    )
  })
})
