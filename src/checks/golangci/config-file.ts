// The golangci-lint configuration file, found as golangci-lint v2.15.0 finds it
// (pkg/config/base_loader.go, through spf13/viper v1.12.0): config name ".golangci", looked for
// in the working directory, then each parent directory up to the file system's root, then the
// home directory; in each directory the extensions in viper's order (json, toml, yaml, yml, then
// formats golangci-lint does not document). Here the walk stops at the workspace root: nothing
// outside the workspace is read, and a file that leads out of it through a symlink is refused.
import { lstatSync } from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { ActionError } from '../../errors.js'
import { excerpt, lookupInWorkspace, readSmallFile } from '../../workspace/paths.js'

export interface GolangciConfigFile {
  /** Absolute, under the workspace path as given (a symlinked file keeps its own path). */
  file: string
  /** Relative to the workspace, with forward slashes: how messages and the summary name it. */
  name: string
  /** Only v2 files are run; a v1 file is refused with the migrate command. */
  version: 2
}

/** The names golangci-lint documents, in the order it tries them in each directory. */
export const GOLANGCI_CONFIG_NAMES = [
  '.golangci.json',
  '.golangci.toml',
  '.golangci.yaml',
  '.golangci.yml'
] as const

// Viper also takes these extensions (viper.SupportedExts); golangci-lint would read such a file,
// so one is not skipped in favour of a file further up, but refused with what to do.
const UNDOCUMENTED = ['properties', 'props', 'prop', 'hcl', 'tfvars', 'dotenv', 'env', 'ini']

/** How messages name what reads the file (there is no input naming it). */
const WHO = 'golangci-lint'

/** At most this much is read: configurations with long exclusion lists stay far below it. */
export const GOLANGCI_CONFIG_MAX_BYTES = 512 * 1024

const MIGRATE_GUIDE = 'https://golangci-lint.run/docs/product/migration-guide/'

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

function exists(p: string): boolean {
  try {
    lstatSync(p)
    return true
  } catch {
    return false
  }
}

function slash(p: string): string {
  return p.split(path.sep).join('/')
}

/**
 * The golangci-lint configuration that applies to workDir: the first `.golangci.{json,toml,yaml,
 * yml}` from workDir up to the workspace root, checked to be a v2 file. Undefined when there is
 * none in the workspace (golangci-lint itself would go on looking above it and in the home
 * directory; the caller runs it with --no-config then). A v1 file, a file golangci-lint reads but
 * this action does not (.golangci.ini …), a directory or FIFO in the file's place, an empty,
 * unreadable or huge file, or one that leads out of the workspace, is an ActionError naming it.
 */
export function findGolangciConfig(
  workDir: string,
  workspace: string
): GolangciConfigFile | undefined {
  const root = path.resolve(workspace)
  let dir = path.resolve(workDir)
  if (!isInside(dir, root))
    throw new ActionError(
      `${WHO}: the working directory ${dir} is outside the workspace ${root}; no configuration is looked for there`
    )
  for (;;) {
    for (const name of GOLANGCI_CONFIG_NAMES) {
      const candidate = path.join(dir, name)
      if (!exists(candidate)) continue
      const shown = slash(path.relative(root, candidate))
      // Symlinks followed inside the workspace only; a directory, FIFO, socket or device refused
      // without being opened (an InputError, which is an ActionError, naming the file).
      const real = lookupInWorkspace({
        workspace: root,
        base: root,
        given: shown,
        input: WHO,
        kind: 'file'
      })
      if (!real) continue
      return { file: candidate, name: shown, version: checkVersion(real, shown) }
    }
    for (const ext of UNDOCUMENTED) {
      const candidate = path.join(dir, `.golangci.${ext}`)
      if (!exists(candidate)) continue
      const shown = slash(path.relative(root, candidate))
      throw new ActionError(
        `${WHO}: ${shown} is a configuration golangci-lint would read, but go-package-action reads only ` +
          `${GOLANGCI_CONFIG_NAMES.join(', ')}; write it as .golangci.yml`
      )
    }
    if (dir === root) return undefined
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function v1Error(name: string, found: string): ActionError {
  return new ActionError(
    `${WHO}: ${name} is a golangci-lint v1 configuration (${found}); golangci-lint v2 reads only files ` +
      `that start with version: "2". Convert it with \`golangci-lint migrate --config ${name}\` ` +
      `(golangci-lint v2; it keeps the old file as a backup), see ${MIGRATE_GUIDE}`
  )
}

/** golangci-lint's own check (pkg/config/loader.go): version must be "2" (2 decodes to "2"). */
function versionOf(value: unknown, name: string): 2 {
  if (value === undefined || value === null) throw v1Error(name, 'it has no version')
  if (value === '2' || value === 2) return 2
  const shown = typeof value === 'string' ? `"${excerpt(value, 20)}"` : excerpt(String(value), 20)
  if (value === '1' || value === 1) throw v1Error(name, `version ${shown}`)
  throw new ActionError(
    `${WHO}: ${name} has version ${shown}; golangci-lint v2 reads only version "2"`
  )
}

function topLevel(value: unknown, name: string, format: string): Record<string, unknown> {
  if (value === null || value === undefined)
    throw new ActionError(`${WHO}: ${name} holds no settings; a v2 file starts with version: "2"`)
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ActionError(`${WHO}: ${name} is not a ${format} mapping of settings`)
  return value as Record<string, unknown>
}

function checkVersion(real: string, name: string): 2 {
  const text = readSmallFile(real, WHO, GOLANGCI_CONFIG_MAX_BYTES, name)
  if (text.trim() === '')
    throw new ActionError(
      `${WHO}: ${name} is empty; golangci-lint v2 refuses a file without version: "2"`
    )
  const ext = path.extname(name).toLowerCase()
  if (ext === '.json') {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new ActionError(
        `${WHO}: ${name} is not valid JSON: ${excerpt((error as Error).message, 120)}`
      )
    }
    return versionOf(topLevel(value, name, 'JSON').version, name)
  }
  if (ext === '.toml') return versionOf(tomlVersion(text), name)
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false })
  const first = doc.errors[0]
  if (first) {
    const offset = first.pos[0]
    const line = text.slice(0, offset).split('\n').length
    throw new ActionError(
      `${WHO}: ${name}${line ? ` line ${line}` : ''} is not valid YAML: ${excerpt(first.message.split('\n')[0] ?? '', 120)}`
    )
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 1000 })
  } catch (error) {
    throw new ActionError(
      `${WHO}: ${name} cannot be read: ${excerpt((error as Error).message, 120)}`
    )
  }
  return versionOf(topLevel(value, name, 'YAML').version, name)
}

/**
 * The top-level `version` of a TOML file, by lines: a key before the first [table] header.
 * A string ("2", '2') or a bare number; undefined when there is none.
 */
function tomlVersion(text: string): unknown {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line.startsWith('[')) return undefined
    const m =
      /^(?:version|"version"|'version')\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))\s*(?:#.*)?$/.exec(
        line
      )
    if (!m) continue
    if (m[1] !== undefined) return m[1]
    if (m[2] !== undefined) return m[2]
    const bare = m[3] as string
    return /^\d+$/.test(bare) ? Number(bare) : bare
  }
  return undefined
}
