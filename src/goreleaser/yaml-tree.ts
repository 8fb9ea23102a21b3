/**
 * The YAML of a GoReleaser file as a small tree with line numbers, read the way GoReleaser's
 * go.yaml.in/yaml/v3 decoder reads it: every scalar is kept as its text (and whether it was plain
 * or quoted), and its type is decided by the field that reads it, as yaml.v3 decides it by the
 * Go field's type (`goarch: 386` is the string "386", `mode: 0644` is the number 420, `on` is a
 * string). Anchors and aliases are resolved, `<<` merge keys are applied (keys written in the
 * mapping win over merged ones), duplicate keys, several documents and a top level that is not a
 * mapping are refused.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml'
import { parseAllDocuments, Scalar } from 'yaml'

export interface YScalar {
  readonly kind: 'scalar'
  readonly line: number
  /** The scalar's value as a string (a plain `0644` is "0644"; `~` is "~"). */
  readonly value: string
  /** Plain (unquoted, not a block scalar): only plain scalars can be null, bool or numbers. */
  readonly plain: boolean
}

export interface YEntry {
  readonly key: string
  readonly keyLine: number
  readonly value: YNode
}

export interface YMap {
  readonly kind: 'map'
  readonly line: number
  readonly entries: readonly YEntry[]
}

export interface YSeq {
  readonly kind: 'seq'
  readonly line: number
  readonly items: readonly YNode[]
}

export type YNode = YScalar | YMap | YSeq

/** A problem in the YAML itself, at a line (0 when the file as a whole is meant). */
export class YamlProblem extends Error {
  constructor(
    readonly line: number,
    readonly keyPath: string,
    readonly problem: string
  ) {
    super(problem)
  }
}

export const MAX_FILE_BYTES = 1024 * 1024
/** Aliases expand in place; this bounds what a small file of nested aliases can grow to. */
export const MAX_NODES = 200_000

/** Parses the file into a tree whose top is a mapping; throws YamlProblem. */
export function parseYamlTree(text: string): YMap {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_FILE_BYTES) {
    throw new YamlProblem(
      0,
      '',
      `the file is ${bytes} bytes; a GoReleaser file over 1 MiB is refused`
    )
  }
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {
    lineCounter,
    schema: 'failsafe',
    merge: false,
    uniqueKeys: true,
    prettyErrors: false
  })
  const lineOf = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line
  const list = Array.isArray(docs) ? docs : []
  for (const doc of list) {
    const err = doc.errors[0]
    if (err) {
      const line = lineOf(err.pos[0])
      const message = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''
      if (err.code === 'DUPLICATE_KEY') {
        const rest = text.slice(err.pos[0]).split('\n')[0] ?? ''
        const key = (/^(.*?)\s*:(\s|$)/.exec(rest)?.[1] ?? rest).trim()
        throw new YamlProblem(
          line,
          '',
          `duplicate key ${JSON.stringify(key)}; GoReleaser refuses it too`
        )
      }
      throw new YamlProblem(line, '', `not valid YAML: ${message}`)
    }
  }
  if (list.length > 1) {
    const second = list[1] as Document.Parsed
    throw new YamlProblem(
      lineOf(second.range[0]),
      '',
      `a second YAML document ("---"); a GoReleaser file holds one`
    )
  }
  const doc = list[0] as Document.Parsed | undefined
  if (!doc || doc.contents === null || (isScalar(doc.contents) && isNull(doc.contents))) {
    return { kind: 'map', line: 1, entries: [] }
  }
  const budget = { left: MAX_NODES }
  const tree = convert(doc, doc.contents as Node, lineOf, 0, budget)
  if (tree.kind !== 'map') {
    throw new YamlProblem(
      tree.line,
      '',
      `the file must be a mapping of GoReleaser keys (version, builds, archives, …), not ${describe(tree)}`
    )
  }
  return tree
}

function isNull(s: Scalar): boolean {
  return s.type === Scalar.PLAIN && ['', '~', 'null', 'Null', 'NULL'].includes(String(s.value))
}

export function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping'
  if (node.kind === 'seq') return 'a list'
  return node.plain ? `the value ${JSON.stringify(node.value)}` : 'a string'
}

function convert(
  doc: Document.Parsed,
  node: Node,
  lineOf: (offset: number | undefined) => number,
  depth: number,
  budget: { left: number }
): YNode {
  if (depth > 200) throw new YamlProblem(lineOf(node.range?.[0]), '', 'YAML nested too deeply')
  if (--budget.left < 0) {
    throw new YamlProblem(
      lineOf(node.range?.[0]),
      '',
      `the YAML expands to more than ${MAX_NODES} values (aliases of aliases); write it out`
    )
  }
  if (isAlias(node)) {
    const target = node.resolve(doc)
    if (!target) throw new YamlProblem(lineOf(node.range?.[0]), '', `unknown alias *${node.source}`)
    return convert(doc, target as Node, lineOf, depth + 1, budget)
  }
  const line = lineOf(node.range?.[0])
  if (isScalar(node)) {
    return {
      kind: 'scalar',
      line,
      value: node.value === null || node.value === undefined ? '' : String(node.value),
      plain: node.type === Scalar.PLAIN || node.type === undefined
    }
  }
  if (isSeq(node)) {
    return {
      kind: 'seq',
      line,
      items: node.items.map(item =>
        item === null
          ? { kind: 'scalar', line, value: '', plain: true }
          : convert(doc, item as Node, lineOf, depth + 1, budget)
      )
    }
  }
  if (isMap(node)) {
    const own: YEntry[] = []
    const merged: YEntry[] = []
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      const keyLine = lineOf(keyNode?.range?.[0] ?? node.range?.[0])
      const resolvedKey = keyNode && isAlias(keyNode) ? (keyNode.resolve(doc) as Node) : keyNode
      if (resolvedKey && !isScalar(resolvedKey)) {
        throw new YamlProblem(
          keyLine,
          '',
          'a mapping key must be a plain value, not a list or mapping'
        )
      }
      const key = resolvedKey ? String(resolvedKey.value ?? '') : ''
      const valueNode = pair.value as Node | null
      const value: YNode = valueNode
        ? convert(doc, valueNode, lineOf, depth + 1, budget)
        : { kind: 'scalar', line: keyLine, value: '', plain: true }
      if (key === '<<' && resolvedKey && (resolvedKey as Scalar).type === Scalar.PLAIN) {
        const sources = value.kind === 'seq' ? value.items : [value]
        for (const source of sources) {
          if (source.kind !== 'map') {
            throw new YamlProblem(
              keyLine,
              '',
              `a << merge key takes a mapping or a list of mappings, not ${describe(source)}`
            )
          }
          for (const e of source.entries) {
            if (!merged.some(m => m.key === e.key)) merged.push(e)
          }
        }
        continue
      }
      own.push({ key, keyLine, value })
    }
    const entries = [...own, ...merged.filter(m => !own.some(o => o.key === m.key))]
    return { kind: 'map', line, entries }
  }
  throw new YamlProblem(line, '', 'unexpected YAML node')
}
