/**
 * The parser of Go's text/template (parse/parse.go) over the tokens of lexer.ts: a tree of text,
 * actions, if/with/range with else chains, break/continue, and pipelines of commands. Like Go it
 * checks at parse time that every function exists and every variable is declared in scope.
 * define, template and block are not supported (one template, no sub-templates).
 */
import { type Token, lex, PositionedError } from './lexer.js'

export type Node = TextNode | ActionNode | ControlNode | BreakNode | ContinueNode

export interface TextNode {
  kind: 'text'
  text: string
}
export interface ActionNode {
  kind: 'action'
  pos: number
  pipe: PipeNode
}
export interface ControlNode {
  kind: 'if' | 'with' | 'range'
  pos: number
  pipe: PipeNode
  list: Node[]
  elseList?: Node[]
}
export interface BreakNode {
  kind: 'break' | 'continue'
  pos: number
}
export type ContinueNode = BreakNode

export interface PipeNode {
  kind: 'pipe'
  pos: number
  /** Declared ($x :=) or assigned ($x =) variables, with their $. */
  decl: string[]
  isAssign: boolean
  cmds: CommandNode[]
}
export interface CommandNode {
  pos: number
  args: ArgNode[]
}
export type ArgNode =
  | { kind: 'field'; pos: number; idents: string[] }
  | { kind: 'variable'; pos: number; name: string; idents: string[] }
  | { kind: 'chain'; pos: number; node: ArgNode; idents: string[] }
  | { kind: 'identifier'; pos: number; name: string }
  | { kind: 'dot'; pos: number }
  | { kind: 'nil'; pos: number }
  | { kind: 'bool'; pos: number; value: boolean }
  | { kind: 'number'; pos: number; text: string; value: number; isFloat: boolean }
  | { kind: 'string'; pos: number; text: string; value: string }
  | PipeNode

/** Go's maxStackDepth for parenthesised pipelines. */
const MAX_DEPTH = 10000

export function parse(text: string, hasFunction: (name: string) => boolean): Node[] {
  const tokens = lex(text)
  let i = 0
  const vars: string[] = ['$']
  let rangeDepth = 0
  let depth = 0

  const next = (): Token => tokens[Math.min(i++, tokens.length - 1)] as Token
  const peek = (): Token => tokens[Math.min(i, tokens.length - 1)] as Token
  const backup = (n = 1): void => {
    i -= n
  }
  const nextNonSpace = (): Token => {
    let t = next()
    while (t.type === 'space') t = next()
    return t
  }
  const peekNonSpace = (): Token => {
    const save = i
    const t = nextNonSpace()
    i = save
    return t
  }
  const fail = (message: string, pos: number): never => {
    throw new PositionedError(message, pos)
  }
  const describe = (t: Token): string => {
    switch (t.type) {
      case 'eof':
        return 'EOF'
      case 'keyword':
        return t.val === '.' ? '"."' : `{{${t.val}}}`
      case 'rightDelim':
        return '"}}"'
      case 'leftDelim':
        return '"{{"'
      case 'space':
        return 'space'
      case 'text':
        return JSON.stringify(t.val.length > 20 ? `${t.val.slice(0, 20)}…` : t.val)
      default:
        return `<${t.val}>`
    }
  }
  const unexpected = (t: Token, context: string): never =>
    fail(`unexpected ${describe(t)} in ${context}`, t.pos)

  type End = { kind: 'end' | 'else'; pos: number; elseIf?: 'if' | 'with' }

  function itemList(): { list: Node[]; end: End } {
    const list: Node[] = []
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction()
      if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) return { list, end: n as End }
      list.push(n as Node)
    }
    return fail('unexpected EOF: missing {{end}}', text.length)
  }

  function textOrAction(): Node | End {
    const t = nextNonSpace()
    if (t.type === 'text') return { kind: 'text', text: t.val }
    if (t.type === 'leftDelim') return action()
    return unexpected(t, 'input')
  }

  function action(): Node | End {
    const t = nextNonSpace()
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'break':
        case 'continue': {
          const r = nextNonSpace()
          if (r.type !== 'rightDelim') unexpected(r, `{{${t.val}}}`)
          if (rangeDepth === 0) fail(`{{${t.val}}} outside {{range}}`, t.pos)
          return { kind: t.val, pos: t.pos }
        }
        case 'else': {
          const p = peekNonSpace()
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with'))
            return { kind: 'else', pos: t.pos, elseIf: p.val }
          const r = nextNonSpace()
          if (r.type !== 'rightDelim') unexpected(r, 'else')
          return { kind: 'else', pos: t.pos }
        }
        case 'end': {
          const r = nextNonSpace()
          if (r.type !== 'rightDelim') unexpected(r, 'end')
          return { kind: 'end', pos: t.pos }
        }
        case 'if':
        case 'with':
        case 'range':
          return control(t.val, t.pos)
        case 'define':
        case 'template':
        case 'block':
          return fail(`{{${t.val}}} is not supported (one template, no sub-templates)`, t.pos)
      }
    }
    backup()
    const p = peek()
    return { kind: 'action', pos: p.pos, pipe: pipeline('command', 'rightDelim') }
  }

  function control(kind: 'if' | 'with' | 'range', pos: number): ControlNode {
    const mark = vars.length
    try {
      const pipe = pipeline(kind, 'rightDelim')
      if (kind === 'range') rangeDepth++
      const { list, end } = itemList()
      if (kind === 'range') rangeDepth--
      let elseList: Node[] | undefined
      if (end.kind === 'else') {
        if (end.elseIf && end.elseIf === kind) {
          // {{else if b}} is {{else}}{{if b}}…{{end}}{{end}}: the inner end closes both.
          const inner = nextNonSpace()
          elseList = [control(kind, inner.pos)]
        } else if (end.elseIf) {
          const inner = nextNonSpace()
          return fail(`unexpected {{${inner.val}}} after {{else}} in {{${kind}}}`, inner.pos)
        } else {
          const rest = itemList()
          if (rest.end.kind !== 'end') fail('expected {{end}}; found {{else}}', rest.end.pos)
          elseList = rest.list
        }
      }
      return { kind, pos, pipe, list, elseList }
    } finally {
      vars.length = mark
    }
  }

  function pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const start = peekNonSpace()
    const pipe: PipeNode = { kind: 'pipe', pos: start.pos, decl: [], isAssign: false, cmds: [] }
    for (;;) {
      const v = peekNonSpace()
      if (v.type !== 'variable') break
      const save = i
      nextNonSpace()
      const nx = peekNonSpace()
      if (nx.type === 'assign' || nx.type === 'declare') {
        pipe.isAssign = nx.type === 'assign'
        nextNonSpace()
        pipe.decl.push(v.val)
        if (nx.type === 'declare') vars.push(v.val)
        else useVar(v.val, v.pos)
        break
      }
      if (nx.type === 'char' && nx.val === ',') {
        nextNonSpace()
        pipe.decl.push(v.val)
        vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const after = peekNonSpace()
          if (after.type === 'variable' || after.type === 'rightDelim') continue
          fail('range can only initialize variables', after.pos)
        }
        fail(`too many declarations in ${context}`, nx.pos)
      }
      i = save
      break
    }
    for (;;) {
      const t = nextNonSpace()
      if (t.type === end) {
        checkPipeline(pipe, context, t.pos)
        return pipe
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'field':
        case 'identifier':
        case 'number':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup()
          pipe.cmds.push(command())
          continue
        case 'keyword':
          if (t.val === '.' || t.val === 'nil') {
            backup()
            pipe.cmds.push(command())
            continue
          }
      }
      unexpected(t, context)
    }
  }

  function checkPipeline(pipe: PipeNode, context: string, pos: number): void {
    if (pipe.cmds.length === 0) fail(`missing value for ${context}`, pos)
    pipe.cmds.slice(1).forEach((c, k) => {
      const kind = (c.args[0] as ArgNode).kind
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(kind))
        fail(`non executable command in pipeline stage ${k + 2}`, c.pos)
    })
  }

  function command(): CommandNode {
    const cmd: CommandNode = { pos: peekNonSpace().pos, args: [] }
    for (;;) {
      peekNonSpace()
      const op = operand()
      if (op) cmd.args.push(op)
      const t = next()
      if (t.type === 'space') {
        // Skip the space; the loop reads the next operand.
        continue
      }
      if (t.type === 'rightDelim' || t.type === 'rightParen') backup()
      else if (t.type !== 'pipe') unexpected(t, 'operand')
      break
    }
    if (cmd.args.length === 0) fail('empty command', cmd.pos)
    return cmd
  }

  function operand(): ArgNode | undefined {
    const node = term()
    if (!node) return undefined
    if (peek().type !== 'field') return node
    const idents: string[] = []
    const pos = peek().pos
    while (peek().type === 'field') idents.push(next().val.slice(1))
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: node.pos, idents: [...node.idents, ...idents] }
      case 'variable':
        return { ...node, idents: [...node.idents, ...idents] }
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term ${JSON.stringify(termText(node))}`, pos)
      default:
        return { kind: 'chain', pos: node.pos, node, idents }
    }
  }

  function termText(node: ArgNode): string {
    switch (node.kind) {
      case 'bool':
        return String(node.value)
      case 'string':
      case 'number':
        return node.text
      case 'nil':
        return 'nil'
      default:
        return '.'
    }
  }

  function useVar(name: string, pos: number): void {
    if (!vars.includes(name)) fail(`undefined variable ${JSON.stringify(name)}`, pos)
  }

  function term(): ArgNode | undefined {
    const t = nextNonSpace()
    switch (t.type) {
      case 'identifier':
        if (!hasFunction(t.val)) fail(`unknown function ${JSON.stringify(t.val)}`, t.pos)
        return { kind: 'identifier', pos: t.pos, name: t.val }
      case 'keyword':
        if (t.val === '.') return { kind: 'dot', pos: t.pos }
        if (t.val === 'nil') return { kind: 'nil', pos: t.pos }
        break
      case 'variable':
        useVar(t.val, t.pos)
        return { kind: 'variable', pos: t.pos, name: t.val, idents: [] }
      case 'field':
        return { kind: 'field', pos: t.pos, idents: [t.val.slice(1)] }
      case 'bool':
        return { kind: 'bool', pos: t.pos, value: t.val === 'true' }
      case 'number':
      case 'charConstant':
        return parseNumber(t)
      case 'leftParen': {
        if (depth >= MAX_DEPTH) fail('max expression depth exceeded', t.pos)
        depth++
        try {
          return pipeline('parenthesized pipeline', 'rightParen')
        } finally {
          depth--
        }
      }
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: t.pos, text: t.val, value: unquote(t) }
    }
    backup()
    return undefined
  }

  const list: Node[] = []
  for (;;) {
    if (peekNonSpace().type === 'eof') break
    const n = textOrAction()
    if (n.kind === 'end' || n.kind === 'else')
      fail(`unexpected {{${n.kind}}}`, findDelim(text, n.pos))
    list.push(n as Node)
  }
  return list
}

/** The {{ that opens the action holding pos, for messages about {{end}} and {{else}}. */
function findDelim(text: string, pos: number): number {
  const at = text.lastIndexOf('{{', pos)
  return at < 0 ? pos : at
}

function parseNumber(t: Token): ArgNode {
  if (t.type === 'charConstant') {
    const s = unquoteGo(t.val.slice(1, -1), "'", t.pos)
    const cps = Array.from(s)
    if (cps.length !== 1) throw new PositionedError(`malformed character constant: ${t.val}`, t.pos)
    return {
      kind: 'number',
      pos: t.pos,
      text: t.val,
      value: cps[0]?.codePointAt(0) ?? 0,
      isFloat: false
    }
  }
  const raw = t.val
  if (raw.endsWith('i'))
    throw new PositionedError(`complex numbers are not supported: ${raw}`, t.pos)
  const clean = raw.replace(/_/g, '')
  const sign = clean.startsWith('-') ? -1 : 1
  const body = clean.replace(/^[+-]/, '')
  const bad = (): never => {
    throw new PositionedError(`illegal number syntax: ${JSON.stringify(raw)}`, t.pos)
  }
  if (raw.includes('__') || raw.endsWith('_')) bad()
  const isHex = /^0[xX]/.test(body)
  let value: number
  let isFloat = false
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) value = parseInt(body.slice(2), 16)
  else if (/^0[oO][0-7]+$/.test(body)) value = parseInt(body.slice(2), 8)
  else if (/^0[bB][01]+$/.test(body)) value = parseInt(body.slice(2), 2)
  else if (/^0[0-7]+$/.test(body)) value = parseInt(body.slice(1), 8)
  else if (/^(0|[1-9][0-9]*)$/.test(body)) value = parseInt(body, 10)
  else if (!isHex && /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body)) {
    value = Number(body)
    isFloat = true
  } else return bad()
  value *= sign
  if (!isFloat && !Number.isSafeInteger(value))
    throw new PositionedError(`${raw} overflows the supported integer range`, t.pos)
  // Go gives a float literal with an integral value the type int when it is used as a value.
  if (isFloat && Number.isInteger(value) && Number.isSafeInteger(value) && !/[eE.]/.test(body))
    isFloat = false
  return { kind: 'number', pos: t.pos, text: raw, value, isFloat }
}

function unquote(t: Token): string {
  if (t.type === 'rawString') return t.val.slice(1, -1).replace(/\r/g, '')
  return unquoteGo(t.val.slice(1, -1), '"', t.pos)
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\'
}

/** Go's strconv.Unquote for the body of a "…" string or '…' character (escapes as Go has them). */
export function unquoteGo(body: string, quote: '"' | "'", pos: number): string {
  const bad = (): never => {
    throw new PositionedError(`invalid syntax in ${quote}${body}${quote}`, pos)
  }
  let out = ''
  const bytes: number[] = []
  const flush = (): void => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('utf8')
      bytes.length = 0
    }
  }
  for (let k = 0; k < body.length;) {
    const c = body[k] as string
    if (c !== '\\') {
      flush()
      if (c === quote) bad()
      out += c
      k++
      continue
    }
    const e = body[k + 1]
    if (e === undefined) bad()
    k += 2
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      flush()
      out += SIMPLE_ESCAPES[e]
    } else if (e === quote) {
      flush()
      out += e
    } else if (e === 'x') {
      const h = body.slice(k, k + 2)
      if (!/^[0-9a-fA-F]{2}$/.test(h)) bad()
      bytes.push(parseInt(h, 16))
      k += 2
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const o = body.slice(k - 1, k + 2)
      if (!/^[0-7]{3}$/.test(o)) bad()
      const v = parseInt(o, 8)
      if (v > 255) bad()
      bytes.push(v)
      k += 2
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8
      const h = body.slice(k, k + n)
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) bad()
      const cp = parseInt(h, 16)
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) bad()
      flush()
      out += String.fromCodePoint(cp)
      k += n
    } else bad()
  }
  flush()
  return out
}
