// GoReleaser v2 doing what the action's build stage does by default: the six default targets,
// static (CGO_ENABLED=0), -trimpath, the same ldflags, files dated at the commit, tar.gz (zip on
// windows) with README/LICENSE/CHANGELOG, and one sha256 checksums file. Nothing is published.
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { GoHome } from './action-run.js'
import type { BenchModule, Checkout } from './modules.js'

const exec = promisify(execFile)

export function goreleaserConfig(module: BenchModule): string {
  return `# Written by the benchmark: the action's default build stage, in GoReleaser's words.
version: 2
project_name: ${module.name}
builds:
  - main: ${module.main}
    binary: ${module.binary}
    env: [CGO_ENABLED=0]
    goos: [linux, darwin, windows]
    goarch: [amd64, arm64]
    flags: [-trimpath, -buildvcs=false]
    ldflags:
      - -s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.CommitDate}} -buildid=
    mod_timestamp: '{{ .CommitTimestamp }}'
archives:
  - formats: [tar.gz]
    format_overrides:
      - goos: windows
        formats: [zip]
    name_template: '{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}'
    files: [README*, LICENSE*, CHANGELOG*]
checksum:
  name_template: '{{ .ProjectName }}_{{ .Version }}_checksums.txt'
  algorithm: sha256
snapshot:
  version_template: '{{ .Version }}'
changelog:
  disable: true
`
}

/** Writes .goreleaser.yaml into the checkout (GoReleaser's checkout, not the action's). */
export async function configure(module: BenchModule, checkout: Checkout): Promise<void> {
  await writeFile(path.join(checkout.dir, '.goreleaser.yaml'), goreleaserConfig(module))
}

export async function runGoreleaser(
  binary: string,
  checkout: Checkout,
  home: GoHome
): Promise<void> {
  await exec(binary, ['release', '--snapshot', '--skip=publish', '--clean'], {
    cwd: checkout.dir,
    env: { ...process.env, ...home, GOTOOLCHAIN: 'local' },
    maxBuffer: 64 * 1024 * 1024
  })
}
