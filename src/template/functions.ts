/**
 * The functions templates can call: Go's text/template builtins (funcs.go) and GoReleaser's
 * additions (goreleaser.com/customization/templates). Each is declared with its parameter types,
 * which are checked as Go checks them. html, js, urlquery and call are not provided, nor
 * GoReleaser's abs, mdv2escape, filter, reverseFilter, urlPathEscape, englishJoin and the
 * file-reading and hashing functions.
 */
import type { CallContext, ParamType, TemplateFunction } from './evaluate.js'
import {
  isTrue,
  kindOf,
  numberOf,
  sprint,
  sprintf,
  sprintln,
  typeName,
  type Value
} from './values.js'

const fn = (
  params: readonly ParamType[],
  call: (args: Value[], ctx: CallContext) => Value,
  variadic?: ParamType
): TemplateFunction => ({ params, call, variadic })

const str = (args: Value[], i: number): string => args[i] as string

// Comparison (funcs.go): basic kinds only, and an int never equals a float.
type Basic = 'bool' | 'int' | 'float' | 'string'
function basicKind(v: Value): Basic | undefined {
  const k = kindOf(v)
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : undefined
}

function eq(a: Value, rest: Value[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of rest) {
    const k2 = basicKind(b)
    let truth = false
    if (k1 !== k2) {
      const aNil = a === null || a === undefined
      const bNil = b === null || b === undefined
      if (!aNil && !bNil)
        throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`)
      if (k1 === undefined && k2 === undefined) truth = aNil && bNil
    } else if (k1 === undefined) {
      const aNil = a === null || a === undefined
      const bNil = b === null || b === undefined
      if (aNil || bNil) truth = aNil === bNil
      else throw new Error(`non-comparable type ${typeName(b)}`)
    } else {
      truth = k1 === 'float' ? numberOf(a) === numberOf(b) : a === b
    }
    if (truth) return true
  }
  return false
}

function lt(a: Value, b: Value): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === undefined || k2 === undefined) throw new Error('invalid type for comparison')
  if (k1 !== k2)
    throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`)
  if (k1 === 'bool') throw new Error('invalid type for comparison')
  if (k1 === 'string') return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0
  return numberOf(a) < numberOf(b)
}

function indexArg(v: Value, cap: number): number {
  if (v === null || v === undefined) throw new Error('cannot index slice/array with nil')
  if (kindOf(v) !== 'int') throw new Error(`cannot index slice/array with type ${typeName(v)}`)
  const x = v as number
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`)
  return x
}

function index(item: Value, indexes: Value[]): Value {
  if (item === null || item === undefined) throw new Error('index of untyped nil')
  let cur: Value = item
  for (const ix of indexes) {
    const k = kindOf(cur)
    if (k === 'nil') throw new Error('index of nil pointer')
    if (k === 'list' || k === 'string') {
      const n: number = k === 'string' ? Buffer.byteLength(cur as string) : (cur as Value[]).length
      const x = indexArg(ix, n)
      if (x === n) throw new Error(`index out of range: ${x}`)
      cur = k === 'string' ? (Buffer.from(cur as string)[x] as number) : (cur as Value[])[x]
    } else if (k === 'map') {
      if (kindOf(ix) !== 'string') {
        throw new Error(
          ix === null || ix === undefined
            ? 'value is nil; should be of type string'
            : `value has type ${typeName(ix)}; should be string`
        )
      }
      const m = cur as { [key: string]: Value }
      cur = Object.prototype.hasOwnProperty.call(m, ix as string) ? m[ix as string] : null
    } else {
      throw new Error(`can't index item of type ${typeName(cur)}`)
    }
  }
  return cur === undefined ? null : cur
}

function slice(item: Value, indexes: Value[]): Value {
  if (item === null || item === undefined) throw new Error('slice of untyped nil')
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`)
  const k = kindOf(item)
  let cap: number
  if (k === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string')
    cap = Buffer.byteLength(item as string)
  } else if (k === 'list') cap = (item as Value[]).length
  else throw new Error(`can't slice item of type ${typeName(item)}`)
  const idx = [0, cap]
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, cap)
  })
  const [lo, hi] = idx as [number, number]
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`)
  if (k === 'string')
    return Buffer.from(item as string)
      .subarray(lo, hi)
      .toString('utf8')
  return (item as Value[]).slice(lo, hi)
}

function len(v: Value): number {
  switch (kindOf(v)) {
    case 'string':
      return Buffer.byteLength(v as string)
    case 'list':
      return (v as Value[]).length
    case 'map':
      return Object.keys(v as object).length
    case 'nil':
      throw new Error('len of nil pointer')
    default:
      throw new Error(`len of type ${typeName(v)}`)
  }
}

// GoReleaser's semver helpers (Masterminds semver's IncPatch/IncMinor/IncMajor), on a strict
// MAJOR.MINOR.PATCH[-pre][+build] with an optional leading v that is kept.
const SEMVER =
  /^(v?)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/

function incVersion(v: string, part: 'major' | 'minor' | 'patch'): string {
  const m = SEMVER.exec(v)
  if (!m) throw new Error(`${JSON.stringify(v)} is not a semantic version (1.2.3 or v1.2.3)`)
  let [major, minor, patch] = [Number(m[2]), Number(m[3]), Number(m[4])]
  const pre = m[5] !== undefined
  if (part === 'major') [major, minor, patch] = [major + 1, 0, 0]
  else if (part === 'minor') [minor, patch] = [minor + 1, 0]
  else if (!pre) patch++
  return `${m[1]}${major}.${minor}.${patch}`
}

// Go's path.Clean, path.Base and path.Dir.
export function cleanPath(p: string): string {
  if (p === '') return '.'
  const rooted = p.startsWith('/')
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop()
      else if (!rooted) out.push('..')
    } else out.push(part)
  }
  const s = (rooted ? '/' : '') + out.join('/')
  return s === '' ? '.' : s
}

export function basePath(p: string): string {
  if (p === '') return '.'
  const s = p.replace(/\/+$/, '')
  if (s === '') return '/'
  return s.slice(s.lastIndexOf('/') + 1)
}

export function dirPath(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1))
}

/** Go's strings.Title: the first letter of each word upper-cased, the rest left as it is. */
export function title(s: string): string {
  let prev = ' '
  let out = ''
  for (const c of s) {
    // unicode.ToTitle: a title-case letter (ǅ) is already what it should be.
    out += isSeparator(prev) && !/\p{Lt}/u.test(c) ? mapCase(c, true) : c
    prev = c
  }
  return out
}

function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0
  if (cp <= 0x7f) {
    if (/[0-9A-Za-z_]/.test(c)) return false
    return true
  }
  if (/[\p{L}\p{Nd}]/u.test(c)) return false
  return GO_SPACE.test(c)
}

/** unicode.IsSpace beyond ASCII: U+0085, U+00A0 and the Z categories' spaces and separators. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]$/u

/** Go's strings.TrimSpace (Unicode white space as unicode.IsSpace has it). */
function trimSpace(s: string): string {
  return s.replace(
    /^[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]+|[\t\n\v\f\r \u0085\u00a0\p{Zs}\u2028\u2029]+$/gu,
    ''
  )
}

/** Go's strings.ToUpper/ToLower: rune by rune, a rune whose case maps to several stays itself. */
function mapCase(s: string, upper: boolean): string {
  let out = ''
  for (const c of s) {
    // İ is the one letter whose full lower case (i + dot) differs from its simple one (i).
    const m = upper ? c.toUpperCase() : c === '\u0130' ? 'i' : c.toLowerCase()
    out += Array.from(m).length === 1 ? m : c
  }
  return out
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Go's time.Time.Format in UTC, for every layout element Go knows. */
export function formatTime(t: Date, layout: string): string {
  const year = t.getUTCFullYear()
  const month = t.getUTCMonth()
  const day = t.getUTCDate()
  const hour = t.getUTCHours()
  const minute = t.getUTCMinutes()
  const second = t.getUTCSeconds()
  const nanos = t.getUTCMilliseconds() * 1_000_000
  const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1
  const p2 = (n: number): string => String(n).padStart(2, '0')
  const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z'
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
  let out = ''
  let i = 0
  const frac = (ch: string, n: number): string => {
    const digits = String(nanos).padStart(9, '0').slice(0, Math.min(n, 9))
    if (ch === '0') return digits
    return digits.replace(/0+$/, '')
  }
  while (i < layout.length) {
    const rest = layout.slice(i)
    const c = layout[i] as string
    let token: string | undefined
    let len = 0
    const take = (s: string, value: string): boolean => {
      if (!rest.startsWith(s)) return false
      token = value
      len = s.length
      return true
    }
    switch (c) {
      case 'J':
        if (take('January', MONTHS[month] as string)) break
        if (rest.startsWith('Jan') && !isLower(rest[3]))
          take('Jan', (MONTHS[month] as string).slice(0, 3))
        break
      case 'M':
        if (take('Monday', DAYS[t.getUTCDay()] as string)) break
        if (rest.startsWith('Mon') && !isLower(rest[3])) {
          take('Mon', (DAYS[t.getUTCDay()] as string).slice(0, 3))
          break
        }
        take('MST', 'UTC')
        break
      case '0':
        if (
          take('01', p2(month + 1)) ||
          take('02', p2(day)) ||
          take('03', p2(hour % 12 || 12)) ||
          take('04', p2(minute)) ||
          take('05', p2(second)) ||
          take('06', p2(year % 100)) ||
          take('002', String(yday).padStart(3, '0'))
        )
          break
        break
      case '1':
        if (!take('15', p2(hour))) take('1', String(month + 1))
        break
      case '2':
        if (!take('2006', String(year).padStart(4, '0'))) take('2', String(day))
        break
      case '_':
        if (rest.startsWith('_2006')) {
          token = `_${String(year).padStart(4, '0')}`
          len = 5
        } else if (!take('_2', String(day).padStart(2, ' ')))
          take('__2', String(yday).padStart(3, ' '))
        break
      case '3':
        take('3', String(hour % 12 || 12))
        break
      case '4':
        take('4', String(minute))
        break
      case '5':
        take('5', String(second))
        break
      case 'P':
        take('PM', hour >= 12 ? 'PM' : 'AM')
        break
      case 'p':
        take('pm', hour >= 12 ? 'pm' : 'am')
        break
      case '-':
        if (
          take('-070000', '+000000') ||
          take('-07:00:00', '+00:00:00') ||
          take('-0700', '+0000') ||
          take('-07:00', '+00:00')
        )
          break
        take('-07', '+00')
        break
      case 'Z':
        if (
          take('Z070000', 'Z') ||
          take('Z07:00:00', 'Z') ||
          take('Z0700', 'Z') ||
          take('Z07:00', 'Z')
        )
          break
        take('Z07', 'Z')
        break
      case '.':
      case ',': {
        const ch = layout[i + 1]
        if (ch === '0' || ch === '9') {
          let j = i + 1
          while (layout[j] === ch) j++
          if (!isDigit(layout[j])) {
            const f = frac(ch, j - i - 1)
            token = ch === '9' && f === '' ? '' : c + f
            len = j - i
          }
        }
        break
      }
    }
    if (token === undefined) {
      out += c
      i++
    } else {
      out += token
      i += len
    }
  }
  return out
}

/** Go's regexp syntax, as far as JavaScript's can take it: (?P<name>…), leading flags, \z. */
function goRegExp(re: string): RegExp {
  let flags = 'gu'
  let src = re
  const lead = /^\(\?([imsU]+)\)/.exec(src)
  if (lead) {
    if ((lead[1] as string).includes('U')) throw new Error('the U flag (ungreedy) is not supported')
    flags += (lead[1] as string).replace(/[^ims]/g, '')
    src = src.slice(lead[0].length)
  }
  src = translateEscapes(src)
  try {
    return new RegExp(src, flags)
  } catch (e) {
    throw new Error(`error parsing regexp: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/**
 * Go's RE2 escapes in JavaScript's terms: \s and \S are ASCII only in Go (JavaScript's \s takes
 * Unicode spaces and U+FEFF), \A and \z anchor the text, \pL is \p{L}, an escaped punctuation
 * character is \xHH, (?P<name>…) is (?<name>…).
 */
function translateEscapes(re: string): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < re.length; i++) {
    const c = re[i] as string
    if (c === '\\') {
      const e = re[i + 1] ?? ''
      i++
      if (e === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]'
      else if (e === 'S')
        out += inClass ? '\\x00-\\x08\\x0b\\x0e-\\x1f\\x21-\\u{10ffff}' : '[^\\t\\n\\f\\r ]'
      else if (e === 'A' && !inClass) out += '^'
      else if (e === 'z' && !inClass) out += '(?![\\s\\S])'
      else if ((e === 'p' || e === 'P') && re[i + 1] !== '{') out += `\\${e}{${re[++i] ?? ''}}`
      // Go lets any punctuation be escaped; JavaScript's u flag only some: \xHH fits both.
      else if (/^[!-/:-@[-`{-~]$/.test(e))
        out += `\\x${e.charCodeAt(0).toString(16).padStart(2, '0')}`
      else out += `\\${e}`
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
    } else if (c === '[') {
      inClass = true
      out += c
      if (re[i + 1] === '^') out += re[++i] as string
      if (re[i + 1] === ']') out += re[++i] as string
      continue
    } else if (c === '(' && re.startsWith('(?P<', i)) {
      out += '(?<'
      i += 3
      continue
    }
    out += c
  }
  return out
}

/** Go's Regexp.Expand for a replacement: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, d, braced, bare) => {
    if (d === '$') return '$'
    const name = (braced ?? bare) as string | undefined
    if (name === undefined) return all
    if (/^\d+$/.test(name)) return m[Number(name)] ?? ''
    return m.groups?.[name] ?? ''
  })
}

/** Go's Regexp.ReplaceAllString: empty matches right after a match are not replaced. */
export function reReplaceAll(re: string, s: string, repl: string): string {
  const rx = goRegExp(re)
  let out = ''
  let lastEnd = 0
  let lastMatchEnd = -1
  let search = 0
  while (search <= s.length) {
    rx.lastIndex = search
    const m = rx.exec(s)
    if (!m) break
    const start = m.index
    const end = start + m[0].length
    out += s.slice(lastEnd, start)
    if (end > lastMatchEnd || start === 0) out += expand(repl, m)
    lastEnd = end
    lastMatchEnd = end
    const width = (s.codePointAt(search) ?? 0) > 0xffff ? 2 : 1
    if (search + width > end) search += width
    else if (search + 1 > end) search++
    else search = end
  }
  return out + s.slice(lastEnd)
}

function listContains(items: Value[], item: Value): boolean {
  return items.some(x => {
    const k = kindOf(x)
    if (k !== kindOf(item)) return false
    if (k === 'nil') return true
    if (k === 'float') return numberOf(x) === numberOf(item)
    return (k === 'string' || k === 'int' || k === 'bool') && x === item
  })
}

/** Go's builtins. and/or are evaluated lazily by the evaluator; their entries give the arity. */
export const BUILTINS: Readonly<Record<string, TemplateFunction>> = {
  and: fn(['any'], () => null, 'any'),
  or: fn(['any'], () => null, 'any'),
  not: fn(['any'], a => !isTrue(a[0])),
  len: fn(['any'], a => len(a[0])),
  index: fn(['any'], a => index(a[0], a.slice(1)), 'any'),
  slice: fn(['any'], a => slice(a[0], a.slice(1)), 'any'),
  eq: fn(['any'], a => eq(a[0], a.slice(1)), 'any'),
  ne: fn(['any', 'any'], a => !eq(a[0], [a[1]])),
  lt: fn(['any', 'any'], a => lt(a[0], a[1])),
  le: fn(['any', 'any'], a => lt(a[0], a[1]) || eq(a[0], [a[1]])),
  gt: fn(['any', 'any'], a => !(lt(a[0], a[1]) || eq(a[0], [a[1]]))),
  ge: fn(['any', 'any'], a => !lt(a[0], a[1])),
  print: fn([], a => sprint(a), 'any'),
  printf: fn(['string'], a => sprintf(str(a, 0), a.slice(1)), 'any'),
  println: fn([], a => sprintln(a), 'any')
}

/** GoReleaser's functions (those that only compute). */
export const GORELEASER_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  replace: fn(['string', 'string', 'string'], a => {
    const [s, old, repl] = [str(a, 0), str(a, 1), str(a, 2)]
    // strings.ReplaceAll with an empty old inserts repl around every rune.
    if (old === '') return repl + Array.from(s).join(repl) + (s === '' ? '' : repl)
    return s.split(old).join(repl)
  }),
  split: fn(['string', 'string'], a => goSplit(str(a, 0), str(a, 1))),
  contains: fn(['string', 'string'], a => str(a, 0).includes(str(a, 1))),
  tolower: fn(['string'], a => mapCase(str(a, 0), false)),
  toupper: fn(['string'], a => mapCase(str(a, 0), true)),
  title: fn(['string'], a => title(str(a, 0))),
  trim: fn(['string'], a => trimSpace(str(a, 0))),
  trimprefix: fn(['string', 'string'], a =>
    str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0)
  ),
  trimsuffix: fn(['string', 'string'], a =>
    str(a, 0).endsWith(str(a, 1))
      ? str(a, 0).slice(0, str(a, 0).length - str(a, 1).length)
      : str(a, 0)
  ),
  time: fn(['string'], (a, ctx) => formatTime(ctx.now, str(a, 0))),
  incpatch: fn(['string'], a => incVersion(str(a, 0), 'patch')),
  incminor: fn(['string'], a => incVersion(str(a, 0), 'minor')),
  incmajor: fn(['string'], a => incVersion(str(a, 0), 'major')),
  dir: fn(['string'], a => dirPath(str(a, 0))),
  base: fn(['string'], a => basePath(str(a, 0))),
  envOrDefault: fn(['string', 'string'], (a, ctx) => {
    // Set (even to "") gives its value; unset gives the default.
    const v = Object.prototype.hasOwnProperty.call(ctx.env, str(a, 0))
      ? ctx.env[str(a, 0)]
      : undefined
    return v ?? str(a, 1)
  }),
  isEnvSet: fn(['string'], (a, ctx) =>
    Object.prototype.hasOwnProperty.call(ctx.env, str(a, 0)) ? ctx.env[str(a, 0)] !== '' : false
  ),
  map: fn(
    [],
    a => {
      if (a.length % 2 !== 0)
        throw new Error('map expects even number of arguments, got ' + a.length)
      // No prototype: a key such as __proto__ is a key like any other.
      const m = Object.create(null) as Record<string, Value>
      for (let i = 0; i < a.length; i += 2) m[a[i] as string] = a[i + 1]
      return m
    },
    'string'
  ),
  indexOrDefault: fn(['map', 'string', 'string'], a => {
    const m = (a[0] ?? {}) as Record<string, Value>
    return Object.prototype.hasOwnProperty.call(m, str(a, 1)) ? (m[str(a, 1)] as Value) : a[2]
  }),
  list: fn([], a => a.map(x => (x === undefined ? null : x)), 'any'),
  in: fn(['list', 'any'], a => listContains((a[0] ?? []) as Value[], a[1])),
  reReplaceAll: fn(['string', 'string', 'string'], a =>
    reReplaceAll(str(a, 0), str(a, 1), str(a, 2))
  )
}

/** Go's strings.Split: an empty separator splits after each UTF-8 sequence. */
function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s)
  return s.split(sep)
}
