/**
 * Reading typed values out of the YAML tree as go.yaml.in/yaml/v3 decodes them into GoReleaser's
 * Go fields, and collecting every problem and warning with its line and key path.
 */
import { parseTemplate, TemplateError } from '../template/index.js'
import {
  formatProblem,
  type GoReleaserProblem,
  type Templated,
  type TemplatedBool
} from './types.js'
import { describe, type YEntry, type YMap, type YNode, type YScalar } from './yaml-tree.js'

export class Reader {
  readonly problems: GoReleaserProblem[] = []
  private readonly warned: GoReleaserProblem[] = []

  constructor(
    readonly file: string,
    public version: 1 | 2 = 2
  ) {}

  error(line: number, keyPath: string, problem: string): void {
    this.problems.push({ line, keyPath, problem })
  }

  warn(line: number, keyPath: string, problem: string): void {
    this.warned.push({ line, keyPath, problem })
  }

  /** The warnings in the file's order. */
  get warnings(): string[] {
    return [...this.warned].sort((a, b) => a.line - b.line).map(w => formatProblem(this.file, w))
  }

  /** A template from the file, its syntax checked now. */
  template(text: string, line: number, keyPath: string): Templated {
    try {
      parseTemplate(text)
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e
      this.error(line, keyPath, e.message)
    }
    return Object.freeze({ text, where: `${this.file}:${line} ${keyPath}` })
  }

  /** A default GoReleaser fills in. */
  defaultTemplate(text: string, keyPath: string): Templated {
    return Object.freeze({ text, where: `${this.file} (GoReleaser's default) ${keyPath}` })
  }
}

/** yaml.v3's null: a plain ~, null, Null, NULL or nothing. */
export function isNull(node: YNode): boolean {
  return (
    node.kind === 'scalar' && node.plain && ['', '~', 'null', 'Null', 'NULL'].includes(node.value)
  )
}

function typeError(r: Reader, node: YNode, path: string, want: string): undefined {
  r.error(node.line, path, `must be ${want}, not ${describe(node)}`)
  return undefined
}

/** A Go string field: any scalar's text (`386` → "386", `true` → "true"); null → undefined. */
export function readString(r: Reader, node: YNode, path: string): string | undefined {
  if (node.kind !== 'scalar') return typeError(r, node, path, 'a string')
  if (isNull(node)) return undefined
  return node.value
}

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']
// yaml.v3 decodes YAML 1.1's booleans only into a bool field (decode.go).
const TRUE_11 = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']
const FALSE_11 = ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']

/** A Go bool field. */
export function readBool(r: Reader, node: YNode, path: string): boolean | undefined {
  if (node.kind !== 'scalar') return typeError(r, node, path, 'true or false')
  if (isNull(node)) return false
  const v = node.value
  if (node.plain && TRUE.includes(v)) return true
  if (node.plain && FALSE.includes(v)) return false
  if (TRUE_11.includes(v)) return true
  if (FALSE_11.includes(v)) return false
  return typeError(r, node, path, 'true or false')
}

/**
 * A Go integer field (int, os.FileMode): a plain number read as Go's strconv.ParseInt(s, 0, 64),
 * as yaml.v3 resolves it: `0644` and `0o644` are octal (420), `0x1ed` hex, `493` decimal.
 */
export function readInt(r: Reader, node: YNode, path: string): number | undefined {
  if (node.kind !== 'scalar') return typeError(r, node, path, 'a number')
  if (isNull(node)) return undefined
  const n = node.plain ? parseGoInt(node.value) : undefined
  if (n === undefined) return typeError(r, node, path, 'a number')
  return n
}

export function parseGoInt(text: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text)
  if (!m) {
    // yaml.v3 resolves 1.0 or 08 as a float, and decodes a whole float into an int field.
    if (/^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(text)) {
      const f = Number(text)
      return Number.isSafeInteger(f) ? f : undefined
    }
    return undefined
  }
  const sign = m[1] === '-' ? -1 : 1
  const digits = m[2] ?? ''
  let value: number
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16)
  else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8)
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2)
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8)
  else value = parseInt(digits, 10)
  return Number.isSafeInteger(value) ? sign * value : undefined
}

/** A file mode (os.FileMode, a uint32). */
export function readMode(r: Reader, node: YNode, path: string): number | undefined {
  const n = readInt(r, node, path)
  if (n === undefined) return undefined
  if (n < 0 || n > 0xffffffff) {
    r.error(node.line, path, `must be a file mode such as 0644, not ${describe(node)}`)
    return undefined
  }
  return n
}

/** A Go []string field: a list of scalars (a single string is refused, as yaml.v3 does). */
export function readList(r: Reader, node: YNode, path: string): string[] {
  if (isNull(node)) return []
  if (node.kind !== 'seq') return typeError(r, node, path, 'a list') ?? []
  return readItems(r, node.items, path)
}

function readItems(r: Reader, items: readonly YNode[], path: string): string[] {
  const out: string[] = []
  items.forEach((item, i) => {
    const s = readString(r, item, `${path}[${i}]`)
    if (s !== undefined) out.push(s)
  })
  return out
}

/** GoReleaser's StringArray: a list, or one string as a list of one (pkg/config/marshaler.go). */
export function readStringArray(r: Reader, node: YNode, path: string): string[] {
  if (isNull(node)) return []
  if (node.kind === 'scalar') return [node.value]
  if (node.kind !== 'seq') return typeError(r, node, path, 'a string or a list') ?? []
  return readItems(r, node.items, path)
}

/** GoReleaser's FlagArray: a list, or one string split on white space (marshaler.go). */
export function readFlagArray(r: Reader, node: YNode, path: string): string[] {
  if (isNull(node)) return []
  if (node.kind === 'scalar') return node.value.split(/\s+/).filter(s => s !== '')
  return readStringArray(r, node, path)
}

/** Templates, each with its own line. */
export function templates(
  r: Reader,
  node: YNode,
  path: string,
  read: (r: Reader, node: YNode, path: string) => string[]
): Templated[] {
  const values = read(r, node, path)
  if (node.kind === 'seq') {
    return values.map((v, i) => r.template(v, node.items[i]?.line ?? node.line, `${path}[${i}]`))
  }
  return values.map(v => r.template(v, node.line, path))
}

export function readTemplate(r: Reader, node: YNode, path: string): Templated | undefined {
  const s = readString(r, node, path)
  return s === undefined || s === '' ? undefined : r.template(s, node.line, path)
}

/** A GoReleaser string field that holds "true", "false" or a template (tmpl.Bool). */
export function readTemplatedBool(r: Reader, node: YNode, path: string): TemplatedBool {
  const s = readString(r, node, path)
  if (s === undefined || s === '' || s === 'false') return false
  if (s === 'true') return true
  return r.template(s, node.line, path)
}

/** A map of strings to strings (Go map[string]string). */
export function readStringMap(r: Reader, node: YNode, path: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (isNull(node)) return out
  if (node.kind !== 'map') return typeError(r, node, path, 'a mapping') ?? out
  for (const e of node.entries) {
    const s = readString(r, e.value, `${path}.${e.key}`)
    if (s !== undefined) out[e.key] = s
  }
  return out
}

export type Handler = (e: YEntry, path: string) => void

/** How a key is treated. */
export type Rule =
  | Handler
  /** Not done by the action and shipping nothing different: a warning. */
  | { readonly warn: string }
  /** Would change what ships, and the action does not do it: an error. */
  | { readonly error: string }
  /** Removed in GoReleaser v2: an error in a version 2 file; in a version 1 file `v1` reads it. */
  | { readonly removed: string; readonly v1?: Handler }
  /** Deprecated in GoReleaser v2 but still read by v2.15.1 (with a notice): read, and warned in v2. */
  | { readonly deprecated: string; readonly read: Handler }

/** GoReleaser Pro's keys: unknown to GoReleaser (OSS) v2, which refuses them. */
const PRO_KEYS = new Set([
  'includes',
  'variables',
  'nightly',
  'furies',
  'partial',
  'monorepo',
  'before_publish',
  'after',
  'dmg',
  'msi',
  'app_bundles',
  'pkgs',
  'nsis',
  'template_files',
  'npms',
  'cloudsmiths',
  'dockerhub',
  'prebuilt'
])

export function unknownKey(key: string): string {
  const pro = PRO_KEYS.has(key) ? ': it is a GoReleaser Pro key' : ''
  return `unknown key ${JSON.stringify(key)} (GoReleaser v2 has no such key${pro})`
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

/**
 * Walks a mapping: every key is classified by its rule; an unknown key is an error, as in
 * GoReleaser's strict decoding. Null (an empty value) is an empty mapping.
 */
export function walk(
  r: Reader,
  node: YNode,
  path: string,
  rules: Readonly<Record<string, Rule>>
): YMap | undefined {
  if (isNull(node)) return undefined
  if (node.kind !== 'map') {
    r.error(node.line, path, `must be a mapping, not ${describe(node)}`)
    return undefined
  }
  for (const e of node.entries) {
    const p = join(path, e.key)
    const rule = Object.prototype.hasOwnProperty.call(rules, e.key) ? rules[e.key] : undefined
    if (rule === undefined) r.error(e.keyLine, p, unknownKey(e.key))
    else if (typeof rule === 'function') rule(e, p)
    else if ('warn' in rule) r.warn(e.keyLine, p, rule.warn)
    else if ('error' in rule) r.error(e.keyLine, p, rule.error)
    else if ('removed' in rule) {
      if (r.version === 2) r.error(e.keyLine, p, `removed in GoReleaser v2; ${rule.removed}`)
      else rule.v1?.(e, p)
    } else {
      if (r.version === 2) r.warn(e.keyLine, p, `deprecated in GoReleaser v2; ${rule.deprecated}`)
      rule.read(e, p)
    }
  }
  return node
}

/** Each item of a list of mappings (null: none). */
export function eachItem(
  r: Reader,
  node: YNode,
  path: string,
  fn: (item: YNode, path: string, line: number, index: number) => void
): void {
  if (isNull(node)) return
  if (node.kind !== 'seq') {
    r.error(node.line, path, `must be a list, not ${describe(node)}`)
    return
  }
  node.items.forEach((item, i) => fn(item, `${path}[${i}]`, item.line, i))
}

export function scalarText(node: YNode): string {
  return (node as YScalar).value
}
