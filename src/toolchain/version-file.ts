import path from 'node:path'
import { excerpt } from '../workspace/paths.js'
import { type GoVersionSpec, parseVersionSpec } from './go-version.js'

export interface VersionFromFile {
  spec: GoVersionSpec
  /** Where the version came from, for the log: "go.mod toolchain line (go1.26.8)". */
  source: string
}

interface Directive {
  /** 1-based. */
  line: number
  /** The line without its comment, trimmed: "go 1.26". */
  text: string
  /** The words after the directive's name. */
  args: string[]
}

/**
 * The first top-level `name …` line of a go.mod or go.work. Comments (//) are dropped, and lines
 * inside a block (require ( … )) are skipped: go and toolchain are never in one.
 */
function directive(contents: string, name: string): Directive | undefined {
  const lines = contents.split('\n')
  let inBlock = false
  for (const [i, raw] of lines.entries()) {
    const text = raw.replace(/\/\/[\s\S]*$/, '').trim()
    if (inBlock) {
      if (text === ')') inBlock = false
      continue
    }
    if (text.endsWith('(')) {
      inBlock = true
      continue
    }
    const [word, ...args] = text.split(/\s+/)
    if (word === name) return { line: i + 1, text, args }
  }
  return undefined
}

/** `"go 1.x.y.z"` quoted for a message, never longer than a short excerpt. */
function quoted(text: string): string {
  return `"${excerpt(text)}"`
}

/**
 * The toolchain line names an exact release and wins; the go line is a minimum,
 * so it means the newest patch release of that minor (go 1.26 or go 1.26.2 → ~1.26.x).
 */
function fromModuleFile(contents: string, base: string, name: string): VersionFromFile | string {
  const toolchain = directive(contents, 'toolchain')
  if (toolchain && !(toolchain.args.length === 1 && toolchain.args[0] === 'default')) {
    const value = toolchain.args[0] ?? ''
    const spec = toolchain.args.length === 1 ? parseVersionSpec(value) : undefined
    if (spec?.kind === 'exact') return { spec, source: `${base} toolchain line (${value})` }
    return `${name}:${toolchain.line}: ${quoted(toolchain.text)} is not a Go release name such as toolchain go1.26.8`
  }
  const go = directive(contents, 'go')
  if (!go) return `${name} has neither a toolchain nor a go line`
  const value = go.args[0] ?? ''
  const spec = go.args.length === 1 ? parseVersionSpec(value) : undefined
  if (!spec || spec.kind === 'alias')
    return `${name}:${go.line}: ${quoted(go.text)} is not a Go version (for example go 1.26 or go 1.26.2)`
  const range = spec.kind === 'exact' ? `~${spec.version}` : spec.range
  return { spec: { kind: 'range', range, text: value }, source: `${base} go line (${value})` }
}

function fromToolVersions(contents: string, base: string, name: string): VersionFromFile | string {
  for (const [i, line] of contents.split('\n').entries()) {
    const text = line.replace(/#.*/, '').trim()
    const [tool, version] = text.split(/\s+/)
    if ((tool === 'golang' || tool === 'go') && version) {
      const spec = parseVersionSpec(version)
      return spec
        ? { spec, source: `${base} (${tool} ${version})` }
        : `${name}:${i + 1}: ${quoted(text)} is not a Go version (for example golang 1.26.8)`
    }
  }
  return `${name} has no "golang <version>" line`
}

function fromVersionFile(contents: string, base: string, name: string): VersionFromFile | string {
  const lines = contents.split('\n')
  const index = lines.findIndex(line => line.trim() !== '')
  if (index < 0) return `${name} is empty; it should hold a Go version such as 1.26.8`
  const text = (lines[index] as string).trim().split(/\s+/)[0] as string
  const spec = parseVersionSpec(text)
  return spec
    ? { spec, source: `${base} (${text})` }
    : `${name}:${index + 1}: ${quoted(text)} is not a Go version (for example 1.26.8 or 1.26)`
}

/**
 * Reads the Go version a file asks for; a string result explains why the file gives none, and
 * starts with the file's name (and the line, when one line is wrong): `go.mod:3: "go 1.x" is not a
 * Go version`. The file's format comes from file's base name; name is how messages call it
 * (default: the base name). A message quotes at most a short excerpt of the file.
 */
export function parseVersionFile(
  file: string,
  contents: string,
  name: string = path.basename(file)
): VersionFromFile | string {
  const base = path.basename(file)
  if (base === 'go.mod' || base === 'go.work') return fromModuleFile(contents, base, name)
  if (base === '.tool-versions') return fromToolVersions(contents, base, name)
  return fromVersionFile(contents, base, name)
}
