// What ships when the project has no GoReleaser file: the action's own defaults, shaped by the
// inputs (packages, release-name), exactly as before GoReleaser files were read.
import { InputError } from '../errors.js'
import type { PackageFormat, ShipPackage, ShipSpec, Templated } from './spec.js'
import { literal } from './template-data.js'

export interface PackageInputs {
  /** deb, rpm, apk; empty: no packages. */
  formats: PackageFormat[]
  maintainer: string
  description: string
  license: string
  homepage: string
  vendor: string
}

const FORMATS: readonly PackageFormat[] = ['deb', 'rpm', 'apk']

/** The packages input: deb, rpm and apk, separated by spaces or commas; none is empty. */
export function parsePackageFormats(value: string): PackageFormat[] {
  const formats: PackageFormat[] = []
  for (const word of value.split(/[\s,]+/).filter(Boolean)) {
    if (word === 'none' && value.trim() === 'none') return []
    if (!(FORMATS as readonly string[]).includes(word))
      throw new InputError('packages', `"${word}" is not deb, rpm or apk`)
    if (!formats.includes(word as PackageFormat)) formats.push(word as PackageFormat)
  }
  return formats
}

function inputPackage(p: PackageInputs): ShipPackage {
  return {
    id: 'packages',
    where: 'packages',
    packageName: { text: '{{ .ProjectName }}', where: 'packages' },
    formats: p.formats,
    maintainer: literal(p.maintainer, 'package-maintainer'),
    description: literal(p.description, 'package-description'),
    vendor: p.vendor || undefined,
    homepage: p.homepage ? literal(p.homepage, 'package-homepage') : undefined,
    license: p.license || undefined,
    bindir: { text: '/usr/bin', where: 'packages' },
    overrides: {},
    contents: [],
    dependencies: [],
    recommends: [],
    suggests: [],
    conflicts: [],
    replaces: [],
    provides: [],
    scripts: {}
  }
}

export function shipFromInputs(packages: PackageInputs, releaseName?: Templated): ShipSpec {
  return {
    source: 'inputs',
    env: [],
    beforeHooks: [],
    archives: [
      {
        id: 'default',
        where: 'archives',
        formats: ['tar.gz'],
        // Windows users get a format Explorer opens without extra tools.
        formatOverrides: [{ goos: 'windows', formats: ['zip'] }],
        files: 'documents'
      }
    ],
    checksum: { algorithm: 'sha256', disable: false },
    packages: packages.formats.length > 0 ? [inputPackage(packages)] : [],
    release: { nameTemplate: releaseName, extraFiles: [] },
    warnings: []
  }
}
