// Decides where "what ships" comes from: the project's GoReleaser file (found beside the module, or
// named by goreleaser-config), or the inputs. An input that contradicts the file is an error.
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import type { RunContext } from '../context.js'
import { DEFAULT_LDFLAGS } from '../build/ldflags.js'
import { DEFAULT_TARGETS } from '../build/targets.js'
import { modulePathOf, projectName } from '../build/main-packages.js'
import { InputError } from '../errors.js'
import { GORELEASER_FILES } from '../goreleaser/index.js'
import { readSmallFile, resolveInWorkspace } from '../workspace/paths.js'
import { checkTemplate } from './check-templates.js'
import { shipFromGoReleaser } from './from-goreleaser.js'
import { type PackageInputs, parsePackageFormats, shipFromInputs } from './from-inputs.js'
import type { ShipSpec, Templated } from './spec.js'

type Read = (name: string) => string

/** GoReleaser files can be long; this is far above any real one. */
const GORELEASER_MAX_BYTES = 1024 * 1024

/** Inputs the GoReleaser file replaces, with the value that means "not set". */
const REPLACED_BY_FILE: ReadonlyArray<[input: string, unset: string, key: string]> = [
  ['targets', DEFAULT_TARGETS.join(' '), 'builds[].goos/goarch/targets'],
  ['main', '.', 'builds[].main'],
  ['binary-name', '', 'builds[].binary (or project_name)'],
  ['ldflags', DEFAULT_LDFLAGS, 'builds[].ldflags'],
  ['build-tags', '', 'builds[].tags'],
  ['cgo', 'false', 'builds[].env CGO_ENABLED'],
  ['packages', '', 'nfpms']
]

const norm = (v: string): string => v.trim().split(/\s+/).join(' ')

/** The GoReleaser file this run uses, relative to the workspace for messages; undefined: none. */
function findGoReleaserFile(
  read: Read,
  ctx: RunContext,
  workDir: string
): { file: string; name: string } | undefined {
  const given = read('goreleaser-config').trim()
  if (given === 'none') return undefined
  if (given) {
    const file = resolveInWorkspace({
      workspace: ctx.workspace,
      base: workDir,
      given,
      input: 'goreleaser-config',
      kind: 'file'
    })
    return { file, name: given }
  }
  for (const name of GORELEASER_FILES) {
    const file = path.join(workDir, name)
    if (existsSync(file) && statSync(file).isFile()) {
      // Checked as if named: a link out of the workspace is refused, not followed.
      resolveInWorkspace({
        workspace: ctx.workspace,
        base: workDir,
        given: name,
        input: 'goreleaser-config',
        kind: 'file'
      })
      return { file, name }
    }
  }
  return undefined
}

export function readShip(
  read: Read,
  ctx: RunContext,
  workDir: string,
  warnings: string[],
  mode: 'all' | 'build' | 'publish' = 'all'
): ShipSpec {
  const releaseNameInput = read('release-name').trim()
  let releaseName: Templated | undefined
  if (releaseNameInput) {
    checkTemplate(releaseNameInput, 'release-name')
    releaseName = { text: releaseNameInput, where: 'release-name' }
  }
  const found = findGoReleaserFile(read, ctx, workDir)
  if (!found) {
    const packages: PackageInputs = {
      formats: parsePackageFormats(read('packages')),
      maintainer: read('package-maintainer').trim() || ctx.repository.split('/')[0] || 'unknown',
      description: read('package-description').trim(),
      license: read('package-license').trim(),
      homepage:
        read('package-homepage').trim() ||
        (ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : ''),
      vendor: read('package-vendor').trim()
    }
    return shipFromInputs(packages, releaseName)
  }
  const text = readSmallFile(found.file, 'goreleaser-config', GORELEASER_MAX_BYTES, found.name)
  const ship = shipFromGoReleaser(text, found.name, projectName(modulePathOf(workDir)))
  let legTargets: string[] | undefined
  for (const [input, unset, key] of REPLACED_BY_FILE) {
    const value = read(input)
    // A matrix leg builds its share of the file's targets: there, targets picks them.
    if (input === 'targets' && mode === 'build' && value.trim() && norm(value) !== norm(unset)) {
      legTargets = value.split(/[\s,]+/).filter(Boolean)
      continue
    }
    if (value.trim() && norm(value) !== norm(unset))
      throw new InputError(
        input,
        `is set, and ${found.name} decides it (${key}): remove the input, or set goreleaser-config: none to use the inputs instead of the file`
      )
  }
  warnings.push(...ship.warnings)
  ship.legTargets = legTargets
  if (releaseName) {
    // GoReleaser's default name ({{.Tag}}) is no choice of the file's; a name it writes is.
    const fileName = ship.release.nameTemplate
    if (fileName && !fileName.where.includes("(GoReleaser's default)"))
      throw new InputError(
        'release-name',
        `is set, and ${fileName.where} names the release too: keep one of them`
      )
    ship.release.nameTemplate = releaseName
  }
  return ship
}
