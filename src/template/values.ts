/**
 * Template values and how Go sees them. A value is what the caller's data holds (plain objects are
 * maps with string keys, arrays are lists), or what a literal or function makes:
 *
 *   string → string, boolean → bool, integer number → int, GoFloat or non-integer number → float64,
 *   null/undefined → nil, array → []interface{}, object → map[string]interface{}.
 *
 * formatValue is fmt's %v for these types, printf is fmt.Sprintf for the verbs templates use.
 */

/** A float64 whose value may be integral (the literal 3.0), so it prints and compares as a float. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type Value =
  | string
  | number
  | boolean
  | null
  | undefined
  | GoFloat
  | readonly Value[]
  | { readonly [key: string]: Value }

export type Kind = 'string' | 'int' | 'float' | 'bool' | 'nil' | 'list' | 'map'

export function kindOf(v: Value): Kind {
  if (v === null || v === undefined) return 'nil'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (v instanceof GoFloat) return 'float'
  if (Array.isArray(v)) return 'list'
  return 'map'
}

export function isMap(v: Value): v is { readonly [key: string]: Value } {
  return kindOf(v) === 'map'
}

export function numberOf(v: Value): number {
  return v instanceof GoFloat ? v.value : (v as number)
}

/** The Go type name, for messages and fmt's %!verb(type=value). */
export function typeName(v: Value): string {
  switch (kindOf(v)) {
    case 'string':
      return 'string'
    case 'int':
      return 'int'
    case 'float':
      return 'float64'
    case 'bool':
      return 'bool'
    case 'nil':
      return 'nil'
    case 'list':
      return '[]interface {}'
    case 'map':
      return 'map[string]interface {}'
  }
}

/** Go's truth: false, 0, "", nil and empty lists and maps are false. */
export function isTrue(v: Value): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return false
    case 'bool':
      return v as boolean
    case 'string':
      return (v as string).length > 0
    case 'int':
    case 'float':
      return numberOf(v) !== 0
    case 'list':
      return (v as Value[]).length > 0
    case 'map':
      return Object.keys(v as object).length > 0
  }
}

/** Map keys in Go's order (fmtsort: by byte value of the UTF-8 strings). */
export function sortedKeys(m: { readonly [key: string]: Value }): string[] {
  return Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

/** Go's float64 formatting: %v is 'g' with the shortest digits (exponent form outside 1e-4…1e6). */
export function formatFloat(f: number, verb = 'g', prec = -1): string {
  if (Number.isNaN(f)) return 'NaN'
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf'
  if (verb === 'f' || verb === 'F') return toFixedEven(f, prec < 0 ? 6 : Math.min(prec, 100))
  if (verb === 'e' || verb === 'E') {
    const s = goExp(toExponentialEven(f, prec < 0 ? 6 : Math.min(prec, 100)))
    return verb === 'E' ? s.toUpperCase() : s
  }
  // %g: shortest (prec -1) or prec significant digits.
  const exp = (prec < 0 ? f.toExponential() : toExponentialEven(f, Math.max(prec, 1) - 1)).split(
    'e'
  )
  const mant = exp[0] as string
  const x = Number(exp[1])
  const digits = mant.replace('-', '').replace('.', '')
  // strconv: %e form when the exponent is < -4 or >= the precision (6 for the shortest digits).
  const eprec = prec < 0 ? 6 : Math.max(prec, 1)
  let out: string
  if (x < -4 || x >= eprec) {
    out = goExp(`${mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant}e${x}`)
  } else {
    const sign = f < 0 ? '-' : ''
    if (x >= 0) {
      const intPart = digits.slice(0, x + 1).padEnd(x + 1, '0')
      const frac = digits.slice(x + 1).replace(/0+$/, '')
      out = sign + intPart + (frac ? `.${frac}` : '')
    } else {
      out = `${sign}0.${'0'.repeat(-x - 1)}${digits.replace(/0+$/, '')}`
    }
  }
  return verb === 'G' ? out.toUpperCase() : out
}

/** Adds one to the last digit of a decimal digit string (dots kept), carrying. */
function incrementDigits(s: string): string {
  const chars = s.split('')
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i] as string
    if (c === '.' || c === '-') continue
    if (c !== '9') {
      chars[i] = String(Number(c) + 1)
      return chars.join('')
    }
    chars[i] = '0'
  }
  const at = chars[0] === '-' ? 1 : 0
  chars.splice(at, 0, '1')
  return chars.join('')
}

/**
 * JavaScript's toFixed and toExponential round a tie away from zero; Go rounds the exact binary
 * value, and an exact tie to even. A tie shows as a 5 followed only by zeros in a longer expansion.
 */
function toFixedEven(f: number, prec: number): string {
  // Above 1e21 toFixed switches to exponent form; such a float is an integer, exact as a BigInt.
  if (Math.abs(f) >= 1e21) return `${BigInt(f)}${prec > 0 ? `.${'0'.repeat(prec)}` : ''}`
  const long = f.toFixed(Math.min(100, prec + 30))
  const cut = long.length - (Math.min(100, prec + 30) - prec)
  const rest = long.slice(cut)
  if (!/^50*$/.test(rest)) return f.toFixed(prec)
  let kept = long.slice(0, prec === 0 ? cut - 1 : cut)
  const last = kept.replace(/[.-]/g, '').slice(-1)
  if (Number(last) % 2 === 1) kept = incrementDigits(kept)
  return kept
}

function toExponentialEven(f: number, prec: number): string {
  const long = f.toExponential(Math.min(100, prec + 30))
  const [mant, exp] = long.split('e') as [string, string]
  const dot = mant.indexOf('.')
  const rest = mant.slice(dot + 1 + prec)
  if (!/^50*$/.test(rest)) return f.toExponential(prec)
  let kept = mant.slice(0, prec === 0 ? dot : dot + 1 + prec)
  let e = Number(exp)
  const last = kept.replace(/[.-]/g, '').slice(-1)
  if (Number(last) % 2 === 1) {
    kept = incrementDigits(kept)
    // 9.5 → 10: renormalise to one digit before the point.
    const neg = kept.startsWith('-')
    const digits = kept.replace(/[.-]/g, '')
    if (digits.length > prec + 1) {
      e++
      const d = digits.slice(0, prec + 1)
      kept = (neg ? '-' : '') + d[0] + (prec > 0 ? `.${d.slice(1)}` : '')
    }
  }
  return `${kept}e${e >= 0 ? '+' : ''}${e}`
}

/** JavaScript's 1.5e+3 → Go's 1.5e+03 (at least two exponent digits). */
function goExp(s: string): string {
  return s.replace(
    /e([+-]?)(\d+)$/,
    (_, sign: string, d: string) => `e${sign || '+'}${d.padStart(2, '0')}`
  )
}

/** Go's strconv.Quote: "…" with Go escapes; printable Unicode is kept. */
export function quoteGo(s: string, asciiOnly = false): string {
  let out = '"'
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0
    if (c === '"' || c === '\\') out += `\\${c}`
    else if (cp >= 0x20 && cp < 0x7f) out += c
    else if (cp < 0x80 || asciiOnly || !isPrintable(c)) {
      const named: Record<string, string> = {
        '\x07': '\\a',
        '\b': '\\b',
        '\f': '\\f',
        '\n': '\\n',
        '\r': '\\r',
        '\t': '\\t',
        '\v': '\\v'
      }
      if (named[c]) out += named[c]
      else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`
      else if (cp === 0xfffd && !asciiOnly) out += c
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`
      else out += `\\U${cp.toString(16).padStart(8, '0')}`
    } else out += c
  }
  return `${out}"`
}

function isPrintable(c: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c) || c === ' '
}

/** fmt's %v. Inside lists and maps nil is <nil>; printValue prints a top-level nil as <no value>. */
export function formatValue(v: Value): string {
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>'
    case 'string':
      return v as string
    case 'bool':
      return String(v)
    case 'int':
      return String(v)
    case 'float':
      return formatFloat(numberOf(v))
    case 'list':
      return `[${(v as Value[]).map(formatValue).join(' ')}]`
    case 'map': {
      const m = v as { [key: string]: Value }
      return `map[${sortedKeys(m)
        .map(k => `${k}:${formatValue(m[k])}`)
        .join(' ')}]`
    }
  }
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(args: readonly Value[]): string {
  let out = ''
  args.forEach((a, i) => {
    const isString = typeof a === 'string'
    if (i > 0 && !isString && typeof args[i - 1] !== 'string') out += ' '
    out += formatValue(a)
  })
  return out
}

/** fmt.Sprintln: spaces between all operands, and a newline. */
export function sprintln(args: readonly Value[]): string {
  return `${args.map(formatValue).join(' ')}\n`
}

interface Spec {
  minus: boolean
  plus: boolean
  sharp: boolean
  space: boolean
  zero: boolean
  width?: number
  prec?: number
}

const runeLength = (s: string): number => Array.from(s).length

function pad(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0
  const n = runeLength(s)
  if (n >= width) return s
  const fill = width - n
  if (spec.minus) return s + ' '.repeat(fill)
  if (spec.zero) {
    if (numeric && /^[+\- ]/.test(s)) return s[0] + '0'.repeat(fill) + s.slice(1)
    if (numeric && /^0[xXbo]/.test(s)) return s.slice(0, 2) + '0'.repeat(fill) + s.slice(2)
    return '0'.repeat(fill) + s
  }
  return ' '.repeat(fill) + s
}

/** fmt's %!verb(type=value): the value printed with %v and the same flags. */
function badVerb(verb: string, v: Value, spec: Spec): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`
  return `%!${verb}(${typeName(v)}=${formatOne('v', v, spec)})`
}

function formatInt(n: number, verb: string, spec: Spec): string {
  const neg = n < 0
  const abs = Math.abs(n)
  let digits: string
  switch (verb) {
    case 'd':
    case 'v':
      digits = String(abs)
      break
    case 'x':
      digits = abs.toString(16)
      break
    case 'X':
      digits = abs.toString(16).toUpperCase()
      break
    case 'o':
    case 'O':
      digits = abs.toString(8)
      break
    case 'b':
      digits = abs.toString(2)
      break
    default:
      digits = String(abs)
  }
  if (spec.prec !== undefined) {
    digits = spec.prec === 0 && abs === 0 ? '' : digits.padStart(spec.prec, '0')
  }
  let prefix = ''
  if (verb === 'O') prefix = '0o'
  else if (spec.sharp) {
    if (verb === 'x') prefix = '0x'
    else if (verb === 'X') prefix = '0X'
    else if (verb === 'o' && !digits.startsWith('0')) prefix = '0'
    else if (verb === 'b') prefix = '0b'
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : ''
  const zeroOk = spec.zero && !spec.minus && spec.prec === undefined
  let body = prefix + digits
  if (zeroOk && spec.width !== undefined) {
    const fill = spec.width - sign.length - body.length
    if (fill > 0) body = prefix + '0'.repeat(fill) + digits
    return sign + body
  }
  return pad(sign + body, { ...spec, zero: false }, true)
}

function hexString(s: string, spec: Spec, upper: boolean): string {
  const bytes = Buffer.from(s, 'utf8')
  const parts = Array.from(bytes, b => b.toString(16).padStart(2, '0'))
  const hx = (p: string): string => (upper ? p.toUpperCase() : p)
  const prefix = upper ? '0X' : '0x'
  if (spec.space) return parts.map(p => (spec.sharp ? prefix : '') + hx(p)).join(' ')
  return (spec.sharp && parts.length ? prefix : '') + hx(parts.join(''))
}

function formatOne(verb: string, v: Value, spec: Spec): string {
  const kind = kindOf(v)
  // fmt formats each element of a list or map (key and value) with the verb and all its flags.
  if (kind === 'list' && verb !== 'T')
    return `[${(v as Value[]).map(x => formatOne(verb, x, spec)).join(' ')}]`
  if (kind === 'map' && verb !== 'T') {
    const m = v as { [key: string]: Value }
    const items = sortedKeys(m).map(
      k => `${formatOne(verb, k, spec)}:${formatOne(verb, m[k], spec)}`
    )
    return `map[${items.join(' ')}]`
  }
  switch (verb) {
    case 'T':
      return pad(
        v === null || v === undefined ? '<nil>' : truncate(typeName(v), spec.prec),
        spec,
        false
      )
    case 'v':
      if (spec.sharp && kind === 'string') return pad(quoteGo(v as string), spec, false)
      if (kind === 'int') return formatInt(v as number, 'd', spec)
      if (kind === 'float') return formatFloatSpec(numberOf(v), 'g', spec)
      if (kind === 'string') return pad(truncate(v as string, spec.prec), spec, false)
      return pad(formatValue(v), spec, false)
    case 's':
      if (kind !== 'string') return badVerb(verb, v, spec)
      return pad(truncate(v as string, spec.prec), spec, false)
    case 'q':
      if (kind === 'string') {
        const s = truncate(v as string, spec.prec)
        if (spec.sharp && canBackquote(s)) return pad(`\`${s}\``, spec, false)
        return pad(quoteGo(s, spec.plus), spec, false)
      }
      if (kind === 'int') return pad(quoteRune(v as number), spec, false)
      return badVerb(verb, v, spec)
    case 'x':
    case 'X':
      if (kind === 'string')
        return pad(hexString(truncate(v as string, spec.prec), spec, verb === 'X'), spec, false)
      if (kind === 'int') return formatInt(v as number, verb, spec)
      return badVerb(verb, v, spec)
    case 'd':
    case 'o':
    case 'O':
    case 'b':
      if (kind === 'int') return formatInt(v as number, verb, spec)
      return badVerb(verb, v, spec)
    case 'c':
      if (kind === 'int') return pad(runeOf(v as number), spec, false)
      return badVerb(verb, v, spec)
    case 'U':
      if (kind === 'int') {
        const u = `U+${(v as number)
          .toString(16)
          .toUpperCase()
          .padStart(Math.max(4, spec.prec ?? 0), '0')}`
        return pad(spec.sharp ? `${u} '${runeOf(v as number)}'` : u, spec, false)
      }
      return badVerb(verb, v, spec)
    case 't':
      if (kind === 'bool') return pad(String(v), spec, false)
      return badVerb(verb, v, spec)
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      if (kind === 'float') return formatFloatSpec(numberOf(v), verb, spec)
      return badVerb(verb, v, spec)
    default:
      return badVerb(verb, v, spec)
  }
}

function formatFloatSpec(f: number, verb: string, spec: Spec): string {
  let s = formatFloat(f, verb, spec.prec ?? -1)
  if (spec.plus && f >= 0) s = `+${s}`
  else if (spec.space && f >= 0) s = ` ${s}`
  return pad(s, spec, true)
}

/** strconv.CanBackquote: no control character but tab, no `, no U+FEFF. */
function canBackquote(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0
    if ((cp < 0x20 && c !== '\t') || cp === 0x7f || c === '`' || c === '\ufeff') return false
  }
  return true
}

function truncate(s: string, prec: number | undefined): string {
  return prec === undefined ? s : Array.from(s).slice(0, prec).join('')
}

/** A code point as a string; an invalid one is U+FFFD, as Go has it. */
function runeOf(cp: number): string {
  return cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)
    ? '\uFFFD'
    : String.fromCodePoint(cp)
}

function quoteRune(cp: number): string {
  const c = runeOf(cp)
  if (c === "'") return "'\\''"
  if (c === '"') return `'"'`
  const q = quoteGo(c)
  return `'${q.slice(1, -1)}'`
}

/** fmt.Sprintf for the verbs and flags templates use: %v %s %q %d %x %X %o %b %c %U %t %e %f %g
 * with flags + - # 0 space, width and precision (or *). Bad verbs, missing and extra arguments are
 * written the way fmt writes them (%!d(string=x), %!s(MISSING), %!(EXTRA …)). */
export function sprintf(format: string, args: readonly Value[]): string {
  let out = ''
  let argi = 0
  let i = 0
  while (i < format.length) {
    const c = format[i] as string
    if (c !== '%') {
      out += c
      i++
      continue
    }
    i++
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false }
    for (; i < format.length; i++) {
      const f = format[i]
      if (f === '-') spec.minus = true
      else if (f === '+') spec.plus = true
      else if (f === '#') spec.sharp = true
      else if (f === ' ') spec.space = true
      else if (f === '0') spec.zero = true
      else break
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++
        const a = args[argi++]
        return kindOf(a) === 'int' ? (a as number) : undefined
      }
      const m = /^\d+/.exec(format.slice(i))
      if (!m) return undefined
      i += m[0].length
      return Number(m[0])
    }
    spec.width = num()
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true
      spec.width = -spec.width
    }
    if (format[i] === '.') {
      i++
      spec.prec = num() ?? 0
    }
    if (i >= format.length) {
      out += '%!(NOVERB)'
      break
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0)
    i += verb.length
    if (verb === '%') {
      out += '%'
      continue
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`
      continue
    }
    out += formatOne(verb, args[argi++], spec)
  }
  if (argi < args.length) {
    const extra = args
      .slice(argi)
      .map(a => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a)}`))
    out += `%!(EXTRA ${extra.join(', ')})`
  }
  return out
}
