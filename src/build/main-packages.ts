import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ActionError, InputError } from '../errors.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import { execCapture } from '../util/exec.js'

export interface MainPackage {
  importPath: string
  dir: string
  /** The binary's file name, without .exe. */
  binary: string
}

export interface BuildUnits {
  /** Names the archives and checksums: binary-name, else the module's last path element. */
  project: string
  packages: MainPackage[]
}

interface Listed {
  importPath: string
  name: string
  dir: string
  error: string
}

/** example.com/tool/v2 → tool: the /vN of semantic import versioning is not part of the name. */
export function projectName(modulePath: string): string {
  const parts = modulePath.split('/')
  const last = parts.at(-1) ?? modulePath
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts.at(-2) as string) : last
}

export function modulePathOf(workDir: string): string {
  try {
    const m = /^\s*module\s+(\S+)/m.exec(readFileSync(path.join(workDir, 'go.mod'), 'utf8'))
    if (m?.[1]) return m[1].replace(/^"|"$/g, '')
  } catch {
    // A go.work without go.mod: the folder names the project.
  }
  return path.basename(workDir)
}

// /abs/repo/go.mod:3: unknown directive: foo (go.mod:3:5 when the problem has a column).
const POSITION = /^(.+?):(\d+(?::\d+)?): (.*)$/

/**
 * The go command's report of a go.mod or go.work that does not parse (`go: errors parsing
 * go.mod:`, then a `file:line: problem` line per problem), with the file relative to workDir;
 * undefined for any other failure. The go command names the file relative to its own directory
 * or absolutely, whichever is shorter, and the header sometimes by its base name only.
 */
export function moduleFileErrors(stderr: string, workDir: string): string | undefined {
  const lines = stderr.split(/\r?\n/).map(l => l.trimEnd())
  const start = lines.findIndex(l => /^go: errors parsing .+:$/.test(l))
  if (start < 0) return undefined
  const base = path.basename((lines[start] as string).slice('go: errors parsing '.length, -1))
  const problems = lines
    .slice(start + 1)
    .filter(Boolean)
    .map(line => {
      const m = POSITION.exec(line)
      if (!m || path.basename(m[1] as string) !== base) return line
      const file = path.relative(workDir, path.resolve(workDir, m[1] as string))
      return `${file.split(path.sep).join('/')}:${m[2]}: ${m[3]}`
    })
  return problems.length > 0 ? problems.join('\n') : undefined
}

async function goList(
  go: GoToolchain,
  workDir: string,
  pattern: string,
  tags: readonly string[]
): Promise<Listed[]> {
  const format = '{{.ImportPath}}\t{{.Name}}\t{{.Dir}}\t{{if .Error}}{{.Error}}{{end}}'
  const args = [
    'list',
    '-e',
    `-f=${format}`,
    ...(tags.length ? [`-tags=${tags.join(',')}`] : []),
    pattern
  ]
  const result = await execCapture(go.goBinary, args, { cwd: workDir })
  if (result.code !== 0 && !result.stdout.trim()) {
    // A go.mod or go.work that does not parse is no fault of main: name the file and the line.
    const unparsed = moduleFileErrors(result.stderr, workDir)
    if (unparsed) throw new ActionError(unparsed)
    throw new InputError('main', `"${pattern}": ${result.stderr.trim() || 'go list failed'}`)
  }
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [importPath = '', name = '', dir = '', error = ''] = line.split('\t')
      return { importPath, name, dir, error: error.replace(/\s+/g, ' ').trim() }
    })
}

/** The main packages `main` names, expanded and checked before anything is built. */
async function mainPackagesOf(
  go: GoToolchain,
  workDir: string,
  entries: readonly string[],
  tags: readonly string[]
): Promise<Array<Omit<MainPackage, 'binary'>>> {
  const found = new Map<string, Omit<MainPackage, 'binary'>>()
  for (const entry of entries) {
    const listed = await goList(go, workDir, entry, tags)
    if (entry.includes('...')) {
      const mains = listed.filter(p => p.name === 'main')
      if (mains.length === 0) throw new InputError('main', `"${entry}" matches no main package`)
      for (const p of mains) found.set(p.importPath, { importPath: p.importPath, dir: p.dir })
      continue
    }
    const p = listed[0]
    if (!p || p.error) throw new InputError('main', `"${entry}": ${p?.error || 'no such package'}`)
    if (p.name !== 'main')
      throw new InputError('main', `"${entry}" is not a main package (it is package ${p.name})`)
    found.set(p.importPath, { importPath: p.importPath, dir: p.dir })
  }
  return [...found.values()]
}

/**
 * Decides what to build: the main packages and their binary names. Undefined means a library
 * module (the default main `.` and no main package anywhere): there is nothing to build.
 */
export async function resolveBuildUnits(
  go: GoToolchain,
  workDir: string,
  main: readonly string[],
  binaryName: string,
  tags: readonly string[]
): Promise<BuildUnits | undefined> {
  const project = binaryName || projectName(modulePathOf(workDir))
  const isDefault = main.length === 1 && main[0] === '.'
  if (isDefault) {
    const [root] = await goList(go, workDir, '.', tags)
    if (root?.name !== 'main') {
      const mains = (await goList(go, workDir, './...', tags)).filter(p => p.name === 'main')
      if (mains.length === 0) return undefined
      const candidates = mains.map(
        p => `./${path.relative(workDir, p.dir).split(path.sep).join('/')}`
      )
      throw new InputError(
        'main',
        `the module's root is not a main package; set main to ${candidates.join(', ')} (or ./...)`
      )
    }
  }
  const found = await mainPackagesOf(go, workDir, main, tags)
  if (found.length === 1)
    return {
      project,
      packages: [{ ...(found[0] as Omit<MainPackage, 'binary'>), binary: project }]
    }
  const packages = found.map(p => ({ ...p, binary: path.basename(p.dir) }))
  const names = new Map<string, string>()
  for (const p of packages) {
    const other = names.get(p.binary)
    if (other)
      throw new ActionError(
        `main: ${other} and ${p.importPath} would both build a binary named ${p.binary}`
      )
    names.set(p.binary, p.importPath)
  }
  return { project, packages: packages.sort((a, b) => a.binary.localeCompare(b.binary)) }
}

/**
 * One build's main (a GoReleaser file's builds[].main): a package path or folder, or a .go file
 * as go build takes it. `where` names the key in errors.
 */
export async function resolveMain(
  go: GoToolchain,
  cwd: string,
  main: string,
  tags: readonly string[],
  where: string
): Promise<{ pkg: Omit<MainPackage, 'binary'>; main: string }> {
  const isFile = main.endsWith('.go')
  const dir = isFile ? path.dirname(main) : main
  const pattern = dir === '.' || dir === '' ? '.' : /^(\.{1,2}\/|\/)/.test(dir) ? dir : `./${dir}`
  let listed: Listed[]
  try {
    listed = await goList(go, cwd, pattern, tags)
  } catch (e) {
    if (e instanceof InputError)
      throw new ActionError(`${where}: ${e.message.replace(/^main: /, '')}`)
    throw e
  }
  const p = listed[0]
  if (!p || p.error) throw new ActionError(`${where}: "${main}": ${p?.error || 'no such package'}`)
  if (p.name !== 'main')
    throw new ActionError(`${where}: "${main}" is not a main package (it is package ${p.name})`)
  const pkg = { importPath: p.importPath, dir: p.dir }
  return { pkg, main: isFile ? (main.startsWith('.') ? main : `./${main}`) : p.importPath }
}
