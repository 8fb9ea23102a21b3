/**
 * The lexer of Go's text/template (parse/lex.go), for the default delimiters {{ and }}: text,
 * actions with their trim markers ({{- and -}}), comments, and the items inside an action.
 * Positions are offsets into the template (UTF-16 code units), turned into line:column for messages.
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'char'
  | 'string'
  | 'rawString'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'identifier'
  | 'field'
  | 'variable'
  | 'leftParen'
  | 'rightParen'
  | 'keyword'
  | 'eof'

export interface Token {
  type: TokenType
  /** The token's text as written (a string with its quotes, a field with its dot). */
  val: string
  pos: number
}

/** A lexing or parsing error at an offset; index.ts turns it into a TemplateError. */
export class PositionedError extends Error {
  constructor(
    message: string,
    readonly pos: number
  ) {
    super(message)
  }
}

/** Words that are keywords inside an action (nil and . are items of their own in Go). */
export const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'nil',
  'range',
  'template',
  'with'
])

const LEFT = '{{'
const RIGHT = '}}'
const SPACE_CHARS = ' \t\r\n'

export const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n'

/** Go's isAlphaNumeric: _, a Unicode letter or digit. */
export function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c))
}

const hasLeftTrimMarker = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1])
const hasRightTrimMarker = (s: string, at: number): boolean => isSpace(s[at]) && s[at + 1] === '-'

function trimRightLength(s: string): number {
  let n = 0
  while (n < s.length && SPACE_CHARS.includes(s[s.length - 1 - n] as string)) n++
  return n
}

function trimLeftLength(s: string, from: number): number {
  let i = from
  while (i < s.length && SPACE_CHARS.includes(s[i] as string)) i++
  return i - from
}

/** Splits a template into tokens; throws PositionedError at the first bad one. */
export function lex(input: string): Token[] {
  const tokens: Token[] = []
  let pos = 0
  const emit = (type: TokenType, start: number, end: number): void => {
    tokens.push({ type, val: input.slice(start, end), pos: start })
  }

  const atRightDelim = (at: number): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input, at) && input.startsWith(RIGHT, at + 2))
      return { delim: true, trim: true }
    if (input.startsWith(RIGHT, at)) return { delim: true, trim: false }
    return { delim: false, trim: false }
  }

  const atTerminator = (at: number): boolean => {
    const c = input[at]
    if (c === undefined || isSpace(c)) return true
    if ('.,|:()'.includes(c)) return true
    return input.startsWith(RIGHT, at)
  }

  const badChar = (at: number): never => {
    const c = String.fromCodePoint(input.codePointAt(at) ?? 0)
    throw new PositionedError(`bad character ${goRune(c)}`, at)
  }

  while (pos <= input.length) {
    // Text up to the next {{.
    const x = input.indexOf(LEFT, pos)
    if (x < 0) {
      if (pos < input.length) emit('text', pos, input.length)
      break
    }
    if (x > pos) {
      const delimEnd = x + LEFT.length
      const trim = hasLeftTrimMarker(input, delimEnd) ? trimRightLength(input.slice(pos, x)) : 0
      if (x - trim > pos) emit('text', pos, x - trim)
    }
    // The left delimiter.
    const actionStart = x
    pos = x + LEFT.length
    const trimLeft = hasLeftTrimMarker(input, pos)
    const afterMarker = trimLeft ? 2 : 0
    if (input.startsWith('/*', pos + afterMarker)) {
      const bodyStart = pos + afterMarker + 2
      const end = input.indexOf('*/', bodyStart)
      if (end < 0) throw new PositionedError('unclosed comment', actionStart)
      pos = end + 2
      const { delim, trim } = atRightDelim(pos)
      if (!delim) throw new PositionedError('comment ends before closing delimiter', actionStart)
      pos += (trim ? 2 : 0) + RIGHT.length
      if (trim) pos += trimLeftLength(input, pos)
      continue
    }
    emit('leftDelim', actionStart, actionStart + LEFT.length)
    pos += afterMarker
    let parenDepth = 0
    // Inside the action.
    for (;;) {
      const { delim, trim } = atRightDelim(pos)
      if (delim) {
        if (parenDepth !== 0) throw new PositionedError('unclosed left paren', pos)
        if (trim) pos += 2
        emit('rightDelim', pos, pos + RIGHT.length)
        pos += RIGHT.length
        if (trim) pos += trimLeftLength(input, pos)
        break
      }
      const start = pos
      const c = input[pos]
      if (c === undefined) throw new PositionedError('unclosed action', actionStart)
      if (isSpace(c)) {
        let n = 0
        while (isSpace(input[pos])) {
          pos++
          n++
        }
        // A trim-marked right delimiter starts with a space: leave that space to it.
        if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT, pos + 1)) {
          pos--
          if (n === 1) continue
        }
        emit('space', start, pos)
        continue
      }
      pos++
      switch (true) {
        case c === '=':
          emit('assign', start, pos)
          continue
        case c === ':':
          if (input[pos] !== '=') throw new PositionedError('expected :=', start)
          pos++
          emit('declare', start, pos)
          continue
        case c === '|':
          emit('pipe', start, pos)
          continue
        case c === '"': {
          for (;;) {
            const d = input[pos++]
            if (d === '\\') {
              const e = input[pos++]
              if (e !== undefined && e !== '\n') continue
              throw new PositionedError('unterminated quoted string', start)
            }
            if (d === undefined || d === '\n')
              throw new PositionedError('unterminated quoted string', start)
            if (d === '"') break
          }
          emit('string', start, pos)
          continue
        }
        case c === '`': {
          const end = input.indexOf('`', pos)
          if (end < 0) throw new PositionedError('unterminated raw quoted string', start)
          pos = end + 1
          emit('rawString', start, pos)
          continue
        }
        case c === "'": {
          for (;;) {
            const d = input[pos++]
            if (d === '\\') {
              const e = input[pos++]
              if (e !== undefined && e !== '\n') continue
              throw new PositionedError('unterminated character constant', start)
            }
            if (d === undefined || d === '\n')
              throw new PositionedError('unterminated character constant', start)
            if (d === "'") break
          }
          emit('charConstant', start, pos)
          continue
        }
        case c === '$' || (c === '.' && !/[0-9]/.test(input[pos] ?? '')): {
          const type = c === '$' ? 'variable' : 'field'
          if (atTerminator(pos)) {
            emit(type === 'variable' ? 'variable' : 'keyword', start, pos)
            continue
          }
          while (isAlphaNumeric(input[pos])) pos++
          if (!atTerminator(pos)) badChar(pos)
          emit(type, start, pos)
          continue
        }
        case c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9'): {
          pos = start
          const ok = scanNumber()
          if (!ok || input[pos] === '+' || input[pos] === '-')
            // Go lexes 1+2i as a complex number; complex numbers are not supported.
            throw new PositionedError(
              `bad number syntax: ${goQuote(input.slice(start, Math.max(pos, start + 1)))}`,
              start
            )
          emit('number', start, pos)
          continue
        }
        case isAlphaNumeric(c): {
          while (isAlphaNumeric(input[pos])) pos++
          const word = input.slice(start, pos)
          if (!atTerminator(pos)) badChar(pos)
          if (KEYWORDS.has(word)) emit('keyword', start, pos)
          else if (word === 'true' || word === 'false') emit('bool', start, pos)
          else emit('identifier', start, pos)
          continue
        }
        case c === '(':
          parenDepth++
          emit('leftParen', start, pos)
          continue
        case c === ')':
          parenDepth--
          if (parenDepth < 0) throw new PositionedError('unexpected right paren', start)
          emit('rightParen', start, pos)
          continue
        case c <= '\x7f' && c >= ' ':
          emit('char', start, pos)
          continue
        default: {
          const r = String.fromCodePoint(input.codePointAt(start) ?? 0)
          throw new PositionedError(`unrecognized character in action: ${goRune(r)}`, start)
        }
      }
    }
  }
  tokens.push({ type: 'eof', val: '', pos: input.length })
  return tokens

  function accept(valid: string): boolean {
    const c = input[pos]
    if (c !== undefined && valid.includes(c)) {
      pos++
      return true
    }
    return false
  }
  function acceptRun(valid: string): void {
    while (accept(valid));
  }
  function scanNumber(): boolean {
    accept('+-')
    let digits = '0123456789_'
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_'
      else if (accept('oO')) digits = '01234567_'
      else if (accept('bB')) digits = '01_'
    }
    acceptRun(digits)
    if (accept('.')) acceptRun(digits)
    if (digits.length === 11 && accept('eE')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-')
      acceptRun('0123456789_')
    }
    accept('i')
    if (isAlphaNumeric(input[pos])) {
      pos++
      return false
    }
    return true
  }
}

/** A character as Go's %#U prints it: U+0040 '@'. */
export function goRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`
}

/** A string quoted for a message, with JSON's escapes (close to Go's %q). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}
