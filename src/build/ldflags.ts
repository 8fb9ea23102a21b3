import { InputError } from '../errors.js'
import { excerpt } from '../workspace/paths.js'

export const DEFAULT_LDFLAGS =
  '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}}'

/** The fields an ldflags template may use; README documents each. */
export const TEMPLATE_FIELDS = [
  'Version',
  'Tag',
  'Commit',
  'ShortCommit',
  'Date',
  'Timestamp',
  'ProjectName',
  'Binary',
  'Os',
  'Arch',
  'Variant'
] as const

export type TemplateValues = Record<(typeof TEMPLATE_FIELDS)[number], string>

const FIELD = /\{\{\s*\.(\w+)\s*\}\}/g

/** Checks a template's fields before anything runs, so a typo fails with the input's name. */
export function validateTemplate(template: string, input = 'ldflags'): void {
  for (const m of template.matchAll(FIELD)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1] as string)) {
      throw new InputError(
        input,
        `unknown template field {{.${m[1]}}}; known fields: ${TEMPLATE_FIELDS.map(f => `.${f}`).join(', ')}`
      )
    }
  }
  const rest = template.replace(FIELD, '')
  if (rest.includes('{{'))
    throw new InputError(input, 'has a {{ … }} that is not a field such as {{.Version}}')
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(FIELD, (_, name: keyof TemplateValues) => values[name])
}

/**
 * The flags of `go tool link`, from `go tool link 2>&1` of Go 1.26.8 (linux/amd64). Bool flags
 * take no separate value (-s, or -s=false); the others take the next field unless written
 * -flag=value. (plan9/amd64 alone also has the bool flag -8; it is left out.)
 */
export const LINK_BOOL_FLAGS: readonly string[] = [
  'V',
  'a',
  'asan',
  'aslr',
  'bindnow',
  'c',
  'checklinkname',
  'compressdwarf',
  'd',
  'debugnosplit',
  'dumpdep',
  'e',
  'f',
  'g',
  'h',
  'linkshared',
  'msan',
  'n',
  'pruneweakmap',
  'race',
  's',
  'v',
  'w'
]
export const LINK_VALUE_FLAGS: readonly string[] = [
  'B',
  'D',
  'E',
  'H',
  'I',
  'L',
  'R',
  'T',
  'X',
  'benchmark',
  'benchmarkprofile',
  'buildid',
  'buildmode',
  'capturehostobjs',
  'cpuprofile',
  'debugtextsize',
  'debugtramp',
  'extar',
  'extld',
  'extldflags',
  'fipso',
  'funcalign',
  'importcfg',
  'installsuffix',
  'k',
  'libgcc',
  'linkmode',
  'memprofile',
  'memprofilerate',
  'o',
  'pluginpath',
  'r',
  'randlayout',
  'strictdups',
  'tmpdir'
]

/** Flags the linker takes but that break the build the action runs, and why. */
const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  buildid: 'is set by the action (-buildid= makes builds reproducible); remove it',
  o: "is set by go build (each binary's path); remove it",
  importcfg: 'is set by go build; remove it',
  V: 'makes the linker print its version and write no binary; remove it'
}

/** What Go's strconv.ParseBool accepts, for -s=false and the like. */
const BOOL_VALUES = [
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False'
]

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r'

/**
 * Go's cmd/internal/quoted.Split, which go build applies to -ldflags: fields separated by spaces,
 * tabs and newlines; a field that starts with ' or " runs to the same quote, with no escapes.
 * Quotes elsewhere in a field are plain text. An unterminated quote gives its character instead.
 */
export function splitQuoted(s: string): { fields: string[] } | { unterminated: string } {
  const fields: string[] = []
  let i = 0
  while (i < s.length) {
    while (i < s.length && isSpace(s[i] as string)) i++
    if (i >= s.length) break
    const c = s[i] as string
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1)
      if (end < 0) return { unterminated: c }
      fields.push(s.slice(i + 1, end))
      i = end + 1
      continue
    }
    let j = i
    while (j < s.length && !isSpace(s[j] as string)) j++
    fields.push(s.slice(i, j))
    i = j
  }
  return { fields }
}

/** A field quoted for a message: one line, short. */
function q(text: string, max = 60): string {
  return `"${excerpt(text, max)}"`
}

const hasField = (text: string): boolean => /\{\{\s*\.\w+\s*\}\}/.test(text)

function checkX(value: string, input: string): void {
  const eq = value.indexOf('=')
  if (eq < 0)
    throw new InputError(
      input,
      `-X ${q(value)} has no =value; write -X ${value ? excerpt(value, 60) : 'main.version'}={{.Version}}`
    )
  // The linker's own rule: the last dot before = splits importpath from name.
  const left = value.slice(0, eq)
  const dot = left.lastIndexOf('.')
  if (hasField(left))
    throw new InputError(
      input,
      `-X ${q(value)}: the importpath.name before = cannot hold a template field; only the value can`
    )
  if (dot <= 0 || dot === left.length - 1)
    throw new InputError(
      input,
      `-X ${q(value)} is not importpath.name=value (for example -X main.version={{.Version}})`
    )
}

/**
 * The linker arguments an ldflags template makes, split the way go build splits -ldflags, with
 * each checked: every flag is one go tool link accepts, a flag that takes a value has one, -X is
 * importpath.name=value, and -buildid, -o, -importcfg and -V (which the build sets, or which
 * make no binary) are refused. Template fields are checked (validateTemplate) and kept, written
 * {{.Field}}, so each argument can be rendered on its own: a value with a space stays one
 * argument.
 */
export function parseLdflags(template: string, input = 'ldflags'): string[] {
  validateTemplate(template, input)
  const normalized = template.replace(FIELD, (_, name: string) => `{{.${name}}}`).trim()
  if (normalized.startsWith("'") || normalized.startsWith('"'))
    throw new InputError(
      input,
      `begins with a quote (${normalized[0]}), which go build does not accept; quote a value only, as in -X 'main.msg=a b'`
    )
  const split = splitQuoted(normalized)
  if ('unterminated' in split)
    throw new InputError(
      input,
      `has an unterminated ${split.unterminated} quote; a quoted field runs from a quote at its start to the same quote`
    )
  const args = split.fields
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const hint = /['"]/.test(`${args[i - 1] ?? ''}${arg}`)
      ? " (a quote counts only around a whole field: -X 'main.msg=a b')"
      : ''
    if (arg === '--')
      throw new InputError(
        input,
        `"--" would end the linker's flags and make the rest its object file; remove it`
      )
    if (arg.length < 2 || !arg.startsWith('-'))
      throw new InputError(
        input,
        `${q(arg)} is not a linker flag; every field is a flag such as -s, or the value of the flag before it${hint}`
      )
    const dashes = arg.startsWith('--') ? '--' : '-'
    const body = arg.slice(dashes.length)
    if (body.startsWith('-') || body.startsWith('='))
      throw new InputError(input, `${q(arg)} is not a linker flag (bad flag syntax)`)
    const eq = body.indexOf('=', 1)
    const name = eq < 0 ? body : body.slice(0, eq)
    let value = eq < 0 ? undefined : body.slice(eq + 1)
    const isBool = LINK_BOOL_FLAGS.includes(name)
    if (!isBool && !LINK_VALUE_FLAGS.includes(name))
      throw new InputError(
        input,
        `unknown linker flag ${dashes}${excerpt(name, 60)} (go tool link does not accept it)`
      )
    const refused = REFUSED_FLAGS[name]
    if (refused) throw new InputError(input, `-${name} ${refused}`)
    if (isBool) {
      // -v is a count: true, false or a number (Go's strconv.Atoi).
      if (value !== undefined && name === 'v' && !/^(?:true|false|[+-]?\d+)$/.test(value))
        throw new InputError(input, `-v=${excerpt(value, 40)}: -v takes a count or true/false`)
      if (value !== undefined && name !== 'v' && !BOOL_VALUES.includes(value))
        throw new InputError(input, `-${name}=${excerpt(value, 40)}: -${name} takes true or false`)
      continue
    }
    if (value === undefined) {
      if (i + 1 >= args.length) throw new InputError(input, `-${name} needs a value after it`)
      value = args[++i] as string
      // The linker reads an argument that starts with @ as a file of more arguments.
      if (value.startsWith('@'))
        throw new InputError(
          input,
          `-${name} ${q(value)}: the linker would read an argument starting with @ as a file of arguments; write -${name}=${excerpt(value, 40)}`
        )
    }
    if (name === 'X') checkX(value, input)
  }
  return args
}
