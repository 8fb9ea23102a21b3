import path from 'node:path'
import { type GoVersionSpec, parseVersionSpec } from './go-version.js'

export interface VersionFromFile {
  spec: GoVersionSpec
  /** Where the version came from, for the log: "go.mod toolchain line". */
  source: string
}

function directive(contents: string, name: string): string | undefined {
  // go.mod directives sit at the start of a line; comments after them are allowed.
  const m = new RegExp(`^\\s*${name}\\s+([^\\s/]+)`, 'm').exec(contents)
  return m?.[1]
}

/**
 * The toolchain line names an exact release and wins; the go line is a minimum,
 * so it means the newest patch release of that minor (go 1.26 or go 1.26.2 → ~1.26.x).
 */
function fromModuleFile(contents: string, file: string): VersionFromFile | string {
  const toolchain = directive(contents, 'toolchain')
  if (toolchain && toolchain !== 'default') {
    const spec = parseVersionSpec(toolchain)
    if (spec?.kind === 'exact') return { spec, source: `${file} toolchain line (${toolchain})` }
    return `the toolchain line "${toolchain}" is not a Go release name such as go1.26.8`
  }
  const go = directive(contents, 'go')
  if (!go) return 'it has neither a toolchain nor a go line'
  const exact = parseVersionSpec(go)
  if (!exact || exact.kind === 'alias') return `the go line "${go}" is not a Go version`
  const range = exact.kind === 'exact' ? `~${exact.version}` : exact.range
  return { spec: { kind: 'range', range, text: go }, source: `${file} go line (${go})` }
}

function fromToolVersions(contents: string, file: string): VersionFromFile | string {
  for (const line of contents.split('\n')) {
    const [tool, version] = line.replace(/#.*/, '').trim().split(/\s+/)
    if ((tool === 'golang' || tool === 'go') && version) {
      const spec = parseVersionSpec(version)
      return spec
        ? { spec, source: `${file} (${tool} ${version})` }
        : `"${version}" is not a Go version`
    }
  }
  return 'it has no "golang <version>" line'
}

/** Reads the Go version a file asks for; a string result explains why the file gives none. */
export function parseVersionFile(file: string, contents: string): VersionFromFile | string {
  const base = path.basename(file)
  if (base === 'go.mod' || base === 'go.work') return fromModuleFile(contents, base)
  if (base === '.tool-versions') return fromToolVersions(contents, base)
  const text = contents.trim().split(/\s+/)[0] ?? ''
  const spec = parseVersionSpec(text)
  return spec ? { spec, source: `${base} (${text})` } : `"${text}" is not a Go version`
}
