/**
 * Executes a parsed template over data (Go's text/template exec.go): it only looks values up,
 * compares and formats them, and calls the functions it was given; it never runs anything.
 */
import { PositionedError } from './lexer.js'
import type { ArgNode, CommandNode, ControlNode, Node, PipeNode } from './parser.js'
import {
  formatValue,
  GoFloat,
  isMap,
  isTrue,
  kindOf,
  sortedKeys,
  typeName,
  type Value
} from './values.js'

/** The type of a function parameter: what Go's text/template checks an argument against. */
export type ParamType = 'any' | 'string' | 'int' | 'bool' | 'list' | 'map'

/** What a function sees besides its arguments. */
export interface CallContext {
  now: Date
  env: Readonly<Record<string, string>>
}

/** A function templates can call. call throws to fail the template ("error calling name: …"). */
export interface TemplateFunction {
  params: readonly ParamType[]
  /** The type of further arguments, for a variadic function. */
  variadic?: ParamType
  call(args: Value[], ctx: CallContext): Value
}

export interface ExecOptions {
  functions: ReadonlyMap<string, TemplateFunction>
  /** error (default): a field missing from a map fails, listing the known ones; zero: it is nil. */
  missingKey: 'error' | 'default'
  ctx: CallContext
  /** The most characters the output may have. */
  maxOutput: number
}

class BreakSignal {}
class ContinueSignal {}

/** A value that is no value at all: a missing map key (Go's invalid reflect.Value). */
const MISSING = undefined

const PARAM_TYPE_NAMES: Record<ParamType, string> = {
  any: 'interface {}',
  string: 'string',
  int: 'int',
  bool: 'bool',
  list: '[]interface {}',
  map: 'map[string]interface {}'
}

const fits = (t: ParamType, v: Value): boolean => {
  const k = kindOf(v)
  switch (t) {
    case 'any':
      return true
    case 'string':
      return k === 'string'
    case 'int':
      return k === 'int'
    case 'bool':
      return k === 'bool'
    case 'list':
      return k === 'list'
    case 'map':
      return k === 'map'
  }
}

export function execute(root: readonly Node[], data: Value, opts: ExecOptions): string {
  let out = ''
  let steps = 0
  const vars: { name: string; value: Value }[] = [{ name: '$', value: data }]
  const fail = (message: string, pos: number): never => {
    throw new PositionedError(message, pos)
  }
  const write = (s: string, pos: number): void => {
    out += s
    if (out.length > opts.maxOutput)
      fail(`output longer than ${opts.maxOutput} characters; stopped`, pos)
  }
  const step = (pos: number): void => {
    if (++steps > 1_000_000) fail('too many steps (over 1,000,000); stopped', pos)
  }

  const setVar = (name: string, value: Value, pos: number): void => {
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i] as { name: string; value: Value }
      if (v.name === name) {
        v.value = value
        return
      }
    }
    fail(`undefined variable: ${name}`, pos)
  }
  const varValue = (name: string, pos: number): Value => {
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i] as { name: string; value: Value }
      if (v.name === name) return v.value
    }
    return fail(`undefined variable: ${name}`, pos)
  }

  function walkList(dot: Value, list: readonly Node[]): void {
    for (const n of list) walk(dot, n)
  }

  function walk(dot: Value, node: Node): void {
    switch (node.kind) {
      case 'text':
        write(node.text, 0)
        return
      case 'action': {
        step(node.pos)
        const v = evalPipeline(dot, node.pipe)
        if (node.pipe.decl.length === 0)
          write(v === null || v === undefined ? '<no value>' : formatValue(v), node.pos)
        return
      }
      case 'break':
        throw new BreakSignal()
      case 'continue':
        throw new ContinueSignal()
      case 'if':
      case 'with': {
        step(node.pos)
        const mark = vars.length
        try {
          const v = evalPipeline(dot, node.pipe)
          if (isTrue(v)) walkList(node.kind === 'with' ? v : dot, node.list)
          else if (node.elseList) walkList(dot, node.elseList)
        } finally {
          vars.length = mark
        }
        return
      }
      case 'range':
        walkRange(dot, node)
        return
    }
  }

  function walkRange(dot: Value, node: ControlNode): void {
    step(node.pos)
    const mark0 = vars.length
    try {
      const val = evalPipeline(dot, node.pipe)
      const mark = vars.length
      const { decl, isAssign } = node.pipe
      const one = (index: Value, elem: Value): void => {
        step(node.pos)
        if (decl.length > 0) {
          if (isAssign) setVar(decl[0] as string, decl.length > 1 ? index : elem, node.pos)
          else (vars[vars.length - 1] as { value: Value }).value = elem
        }
        if (decl.length > 1) {
          if (isAssign) setVar(decl[1] as string, elem, node.pos)
          else (vars[vars.length - 2] as { value: Value }).value = index
        }
        try {
          walkList(elem, node.list)
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e
        } finally {
          vars.length = mark
        }
      }
      let ran = false
      try {
        switch (kindOf(val)) {
          case 'int': {
            if (decl.length > 1)
              fail(`can't use ${formatValue(val)} to iterate over more than one variable`, node.pos)
            for (let i = 0; i < (val as number); i++) {
              ran = true
              one(MISSING, i)
            }
            break
          }
          case 'list':
            ;(val as Value[]).forEach((elem, i) => {
              ran = true
              one(i, elem)
            })
            break
          case 'map': {
            const m = val as { [key: string]: Value }
            for (const k of sortedKeys(m)) {
              ran = true
              one(k, m[k])
            }
            break
          }
          case 'nil':
            break
          default:
            fail(`range can't iterate over ${formatValue(val)}`, node.pipe.pos)
        }
      } catch (e) {
        if (!(e instanceof BreakSignal)) throw e
      }
      if (!ran && node.elseList) walkList(dot, node.elseList)
    } finally {
      vars.length = mark0
    }
  }

  function evalPipeline(dot: Value, pipe: PipeNode): Value {
    let value: Value | typeof NO_FINAL = NO_FINAL
    for (const cmd of pipe.cmds) value = evalCommand(dot, cmd, value)
    const v = value === NO_FINAL ? MISSING : value
    for (const name of pipe.decl) {
      if (pipe.isAssign) setVar(name, v, pipe.pos)
      else vars.push({ name, value: v })
    }
    return v
  }

  function notAFunction(cmd: CommandNode, final: FinalArg): void {
    if (cmd.args.length > 1 || final !== NO_FINAL)
      fail(`can't give argument to non-function ${argText(cmd.args[0] as ArgNode)}`, cmd.pos)
  }

  function evalCommand(dot: Value, cmd: CommandNode, final: FinalArg): Value {
    const first = cmd.args[0] as ArgNode
    step(first.pos)
    switch (first.kind) {
      case 'field':
        return evalFieldChain(dot, dot, first, first.idents, cmd, final, '')
      case 'chain': {
        const recv = evalArg(dot, 'any', first.node)
        return evalFieldChain(dot, recv, first, first.idents, cmd, final, '')
      }
      case 'identifier':
        return evalFunction(dot, first.name, first.pos, cmd.args.slice(1), final)
      case 'pipe':
        notAFunction(cmd, final)
        return evalPipeline(dot, first)
      case 'variable': {
        const value = varValue(first.name, first.pos)
        if (first.idents.length === 0) {
          notAFunction(cmd, final)
          return value
        }
        return evalFieldChain(dot, value, first, first.idents, cmd, final, first.name)
      }
    }
    notAFunction(cmd, final)
    switch (first.kind) {
      case 'bool':
        return first.value
      case 'dot':
        return dot
      case 'nil':
        return fail('nil is not a command', first.pos)
      case 'number':
        return numberValue(first)
      case 'string':
        return first.value
    }
  }

  function evalFieldChain(
    dot: Value,
    receiver: Value,
    node: ArgNode,
    idents: readonly string[],
    cmd: CommandNode | undefined,
    final: FinalArg,
    base: string
  ): Value {
    let recv = receiver
    let path = base
    idents.forEach((name, i) => {
      const last = i === idents.length - 1
      const hasArgs = last && ((cmd?.args.length ?? 0) > 1 || final !== NO_FINAL)
      recv = evalField(recv, name, path, node.pos, hasArgs)
      path += `.${name}`
    })
    return recv
  }

  function evalField(
    recv: Value,
    name: string,
    path: string,
    pos: number,
    hasArgs: boolean
  ): Value {
    if (recv === MISSING) {
      if (opts.missingKey === 'error')
        fail(`nil data; no entry for key ${JSON.stringify(name)}`, pos)
      return MISSING
    }
    if (recv === null) return fail(`nil pointer evaluating interface {}.${name}`, pos)
    if (isMap(recv)) {
      if (hasArgs) fail(`${name} is not a method but has arguments`, pos)
      if (Object.prototype.hasOwnProperty.call(recv, name)) return recv[name]
      if (opts.missingKey === 'error') {
        const keys = sortedKeys(recv)
        const shown = keys.slice(0, 12).map(k => `${path}.${k}`)
        const known = keys.length
          ? ` (known: ${shown.join(', ')}${keys.length > shown.length ? ', …' : ''})`
          : ' (the map is empty)'
        fail(`unknown field ${path}.${name}${known}`, pos)
      }
      return MISSING
    }
    return fail(`can't evaluate field ${name} in type ${typeName(recv)}`, pos)
  }

  function evalFunction(
    dot: Value,
    name: string,
    pos: number,
    args: readonly ArgNode[],
    final: FinalArg
  ): Value {
    const fn = opts.functions.get(name)
    if (!fn) return fail(`unknown function ${JSON.stringify(name)}`, pos)
    const numIn = args.length + (final === NO_FINAL ? 0 : 1)
    const numFixed = fn.params.length
    if (fn.variadic !== undefined) {
      if (numIn < numFixed)
        fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`, pos)
    } else if (numIn !== numFixed) {
      fail(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`, pos)
    }
    // and/or evaluate their arguments one by one and stop at the first that decides.
    if (name === 'and' || name === 'or') {
      let v: Value = MISSING
      for (const a of args) {
        v = evalArg(dot, 'any', a)
        if (isTrue(v) === (name === 'or')) return v
      }
      if (final !== NO_FINAL) v = final
      return v
    }
    const argv: Value[] = []
    args.forEach((a, i) => {
      argv.push(evalArg(dot, (i < numFixed ? fn.params[i] : fn.variadic) as ParamType, a))
    })
    if (final !== NO_FINAL) {
      const t = (argv.length < numFixed ? fn.params[argv.length] : fn.variadic) as ParamType
      argv.push(validateType(final, t, pos))
    }
    try {
      return fn.call(argv, opts.ctx)
    } catch (e) {
      if (e instanceof PositionedError) throw e
      return fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`, pos)
    }
  }

  function validateType(v: Value, t: ParamType, pos: number): Value {
    if (v === null || v === undefined) {
      if (t === 'any' || t === 'list' || t === 'map') return null
      return fail(`invalid value; expected ${PARAM_TYPE_NAMES[t]}`, pos)
    }
    if (!fits(t, v))
      fail(`wrong type for value; expected ${PARAM_TYPE_NAMES[t]}; got ${typeName(v)}`, pos)
    return v
  }

  function evalArg(dot: Value, t: ParamType, n: ArgNode): Value {
    switch (n.kind) {
      case 'dot':
        return validateType(dot, t, n.pos)
      case 'nil':
        if (t === 'any' || t === 'list' || t === 'map') return null
        return fail(`cannot assign nil to ${PARAM_TYPE_NAMES[t]}`, n.pos)
      case 'field':
        return validateType(
          evalFieldChain(dot, dot, n, n.idents, undefined, NO_FINAL, ''),
          t,
          n.pos
        )
      case 'variable': {
        const v = varValue(n.name, n.pos)
        const r = n.idents.length
          ? evalFieldChain(dot, v, n, n.idents, undefined, NO_FINAL, n.name)
          : v
        return validateType(r, t, n.pos)
      }
      case 'pipe':
        return validateType(evalPipeline(dot, n), t, n.pos)
      case 'identifier':
        return validateType(evalFunction(dot, n.name, n.pos, [], NO_FINAL), t, n.pos)
      case 'chain': {
        const recv = evalArg(dot, 'any', n.node)
        return validateType(
          evalFieldChain(dot, recv, n, n.idents, undefined, NO_FINAL, ''),
          t,
          n.pos
        )
      }
    }
    // Literals.
    const expected: Record<ParamType, string> = {
      any: '',
      string: 'string',
      int: 'integer',
      bool: 'bool',
      list: '',
      map: ''
    }
    if (t === 'any') return n.kind === 'number' ? numberValue(n) : n.value
    if (t === 'string' && n.kind === 'string') return n.value
    if (t === 'int' && n.kind === 'number' && !n.isFloat) return n.value
    if (t === 'bool' && n.kind === 'bool') return n.value
    if (t === 'list' || t === 'map')
      return fail(`can't handle ${argText(n)} for arg of type ${PARAM_TYPE_NAMES[t]}`, n.pos)
    return fail(`expected ${expected[t]}; found ${argText(n)}`, n.pos)
  }

  try {
    walkList(data, root)
  } catch (e) {
    if (e instanceof BreakSignal || e instanceof ContinueSignal) return out
    throw e
  }
  return out
}

const NO_FINAL = Symbol('no final argument')
type FinalArg = Value | typeof NO_FINAL

function numberValue(n: Extract<ArgNode, { kind: 'number' }>): Value {
  return n.isFloat ? new GoFloat(n.value) : n.value
}

/** An argument as written, for messages. */
function argText(n: ArgNode): string {
  switch (n.kind) {
    case 'field':
      return `.${n.idents.join('.')}`
    case 'variable':
      return [n.name, ...n.idents].join('.')
    case 'chain':
      return `(…).${n.idents.join('.')}`
    case 'identifier':
      return n.name
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return String(n.value)
    case 'number':
      return n.text
    case 'string':
      return n.text
    case 'pipe':
      return '(…)'
  }
}
