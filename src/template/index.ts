/**
 * One template engine for every name the action fills in: Go's text/template grammar with
 * GoReleaser's functions, evaluated in TypeScript. It only looks values up, compares and formats
 * them; it never runs a command or reads a file.
 *
 *   const t = parseTemplate('{{ .ProjectName }}_{{ .Version }}')   // parse errors thrown here
 *   render(t, { ProjectName: 'hello', Version: '1.2.3' })           // 'hello_1.2.3'
 *
 * The grammar (parser.ts, as Go's parse package): text and {{ actions }} with {{- and -}}
 * trimming, {{/* comments *\/}}, fields .A.B, $ and variables ($x := …, $x = …), if / else if /
 * else, with / else with / else, range over lists, maps (sorted keys) and integers with
 * $i, $v :=, break and continue, pipelines with |, parentheses, and literals (Go strings with
 * their escapes, raw strings, characters, decimal/hex/octal/binary integers and floats, true,
 * false, nil). define, template and block are refused (one template), as are complex numbers.
 *
 * Values (values.ts) are JSON-like: strings, booleans, integers (a number without a fraction is a
 * Go int; 1.0 written in a template is a float64), other numbers, null, arrays and plain objects
 * (maps with string keys). Go's truth, comparisons (an int never equals a float or a string) and
 * fmt's printing apply, printf included, except %x, %X and %b of a float.
 *
 * Functions (functions.ts): Go's and or not len index slice eq ne lt le gt ge print printf
 * println (not html, js, urlquery, call) and GoReleaser's replace split contains tolower toupper
 * title (strings.Title: each word's first letter upper, the rest as it is) trim trimprefix
 * trimsuffix time incpatch incminor incmajor dir base envOrDefault isEnvSet map indexOrDefault
 * list in reReplaceAll (Go's regexp syntax, translated to JavaScript's for the common parts).
 * __tests__/template checks all of it against Go's own text/template.
 */
import { ActionError } from '../errors.js'
import { excerpt } from '../workspace/paths.js'
import { execute, type TemplateFunction } from './evaluate.js'
import { BUILTINS, GORELEASER_FUNCTIONS } from './functions.js'
import { PositionedError } from './lexer.js'
import { type Node, parse } from './parser.js'
import type { Value } from './values.js'

export type { CallContext, ParamType, TemplateFunction } from './evaluate.js'
export { GoFloat, type Value } from './values.js'

/** A template that does not parse or fails to render; the message quotes it and points at the spot. */
export class TemplateError extends ActionError {
  constructor(
    readonly template: string,
    /** 1-based line and column (in characters) of the spot. */
    readonly line: number,
    readonly column: number,
    readonly detail: string
  ) {
    super(`template: ${quoteTemplate(template, line, column)}: at ${line}:${column}: ${detail}`)
  }
}

export interface ParseOptions {
  /** More functions, or replacements of the GoReleaser ones (Go's builtins cannot be replaced). */
  functions?: Readonly<Record<string, TemplateFunction>>
}

export interface Template {
  readonly text: string
  /** @internal */
  readonly root: readonly Node[]
  /** @internal */
  readonly functions: ReadonlyMap<string, TemplateFunction>
}

export interface RenderOptions {
  /** The clock of the time function (default: now). */
  now?: Date
  /** What envOrDefault and isEnvSet see (default: data.Env when it is an object, else nothing). */
  env?: Readonly<Record<string, string>>
  /**
   * 'error' (the default, like GoReleaser): a field missing from the data fails, listing the
   * known ones. 'default': it is nil and prints as <no value>, as Go's default.
   */
  missingKey?: 'error' | 'default'
  /** The most characters the output may have (default 1,000,000). */
  maxOutput?: number
}

/** Parses a template: syntax, functions and variables are checked here, before anything runs. */
export function parseTemplate(text: string, options: ParseOptions = {}): Template {
  const functions = new Map<string, TemplateFunction>(
    Object.entries({ ...GORELEASER_FUNCTIONS, ...options.functions, ...BUILTINS })
  )
  try {
    const root = parse(text, name => functions.has(name))
    return Object.freeze({ text, root, functions })
  } catch (e) {
    throw toTemplateError(text, e)
  }
}

/** Renders a parsed template over data (an object whose keys are the fields: .Version, .Env.HOME). */
export function render(template: Template, data: unknown, options: RenderOptions = {}): string {
  const dataEnv = (data as { Env?: unknown } | null | undefined)?.Env
  const env =
    options.env ??
    (dataEnv !== null && typeof dataEnv === 'object' && !Array.isArray(dataEnv)
      ? (dataEnv as Record<string, string>)
      : {})
  try {
    return execute(template.root, data as Value, {
      functions: template.functions,
      missingKey: options.missingKey ?? 'error',
      ctx: { now: options.now ?? new Date(), env },
      maxOutput: options.maxOutput ?? 1_000_000
    })
  } catch (e) {
    throw toTemplateError(template.text, e)
  }
}

/** parseTemplate and render in one call. */
export function renderTemplate(
  text: string,
  data: unknown,
  options: RenderOptions & ParseOptions = {}
): string {
  return render(parseTemplate(text, options), data, options)
}

function toTemplateError(text: string, e: unknown): unknown {
  if (!(e instanceof PositionedError)) return e
  const before = text.slice(0, Math.max(0, Math.min(e.pos, text.length)))
  const line = before.split('\n').length
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length + 1
  return new TemplateError(text, line, column, e.message)
}

/** The template on one line; a long one cut to the part around the spot. */
function quoteTemplate(text: string, line: number, column: number): string {
  const max = 100
  if (Array.from(text).length <= max) return excerpt(text, max)
  const lines = text.split('\n')
  const chars = Array.from(lines[line - 1] ?? '')
  const from = Math.max(0, column - 1 - 40)
  const head = from > 0 || line > 1 ? '…' : ''
  return head + excerpt(chars.slice(from).join(''), max - head.length)
}
