// Seeded random templates rendered by the engine and by Go's text/template: printf's verbs and
// flags over every kind of value, the string functions over awkward Unicode, time layouts, and
// random token soup in actions (which mostly must fail to parse, in both). Same seed, same cases.
import { describe, expect, it } from '@jest/globals'
import { renderTemplate } from '../../src/template/index.js'
import { type GoTemplateCase, renderWithGo } from '../helpers/go-template.js'
import { GO_DATA } from './cases.js'

function random(seed: number): { n: (max: number) => number; pick: <T>(a: readonly T[]) => T } {
  let s = seed
  const n = (max: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s % max
  }
  return { n, pick: <T>(a: readonly T[]): T => a[n(a.length)] as T }
}

/** A Go string literal (JSON's escapes are Go's too). */
const q = (s: string): string => JSON.stringify(s)

function printfCases(): GoTemplateCase[] {
  const { pick } = random(42)
  const values = [
    '3',
    '-42',
    '0',
    '255',
    '1.5',
    '-0.125',
    '2.5',
    '1e6',
    '1e-7',
    '123456.789',
    '"hé"'
  ].concat([
    '"abc"',
    '""',
    'true',
    'false',
    '.SI',
    '.MSI',
    "'x'",
    '.NIL',
    '100000.0',
    '0.1',
    '-1e21'
  ])
  const flags = ['', '-', '+', '#', '0', ' ', '-0', '+0']
  const widths = ['', '1', '5', '10']
  const precisions = ['', '.0', '.1', '.3', '.10']
  // %x, %X and %b of a float (hexadecimal and binary floats) are not supported: not generated.
  const verbs = ['v', 's', 'd', 'q', 'f', 'e', 'g', 'G', 'E', 't', 'c', 'o', 'U', 'T', 'F']
  const cases: GoTemplateCase[] = []
  for (let i = 0; i < 1500; i++) {
    const f = `%${pick(flags)}${pick(widths)}${pick(precisions)}${pick(verbs)}`
    cases.push({
      template: `{{ printf "${f}|%v" ${pick(values)} ${pick(values)} }}`,
      data: GO_DATA
    })
  }
  for (const a of values)
    for (const b of values)
      for (const t of ['eq', 'lt', 'print', 'and', 'or', 'println', 'index', 'slice'])
        cases.push({ template: `{{ ${t} ${a} ${b} }}`, data: GO_DATA })
  for (const a of values)
    cases.push(
      { template: `{{ if ${a} }}T{{ else }}F{{ end }}`, data: GO_DATA },
      { template: `{{ len ${a} }}`, data: GO_DATA },
      { template: `{{ printf "%x|%X|%b|% x|%#x" ${Array(5).fill(a).join(' ')} }}`, data: GO_DATA }
    )
  return cases.filter(c => !/%[-+# 0-9.]*[xXb]/.test(c.template) || !/[.e]\d|1e/.test(c.template))
}

function functionCases(): GoTemplateCase[] {
  const { pick } = random(7)
  const strings = ['', 'a', 'hello world', ' x ', 'ÀÉ', 'straße', 'ǅemal', 'a_b-c.d', '/a/b/']
    .concat(['a//b/../c', '..', '/', 'v1.2.3', '1.2.3-rc.1', 'v0.0.0+meta', '1.2', 'x\ty\n'])
    .concat([
      '\u00a0nb\u00a0',
      '\ufeffbom',
      'İstanbul',
      'ﬁ',
      '👍 ok',
      '\x01\x7f',
      'a"b\\c',
      'é́',
      'abab'
    ])
  const unary = [
    'title',
    'toupper',
    'tolower',
    'trim',
    'base',
    'dir',
    'incpatch',
    'incminor'
  ].concat(['incmajor', 'len', 'print'])
  const binary = ['trimprefix', 'trimsuffix', 'contains', 'split']
  const patterns = ['v\\\\-', '[\\\\s\\\\-]', '\\\\pL+', '\\\\Aa', 'b\\\\z', '(?m)^a$', '[\\\\S]+']
    .concat(['\\\\.', 'a', '(a)(b)?', 'é+', '^', '$', '\\\\d', 'x*', '(?i)A', '\\\\s+', '[^a]'])
    .concat(['(?P<w>\\\\w+)', '.', 'b|', '\\\\b'])
  const replacements = ['', '-', '$1', '${1}x', '$$', '$w', '${w}', '$0', '[$0]', '$1x', '$']
  const cases: GoTemplateCase[] = []
  for (const s of strings) {
    for (const f of unary) cases.push({ template: `{{ ${f} ${q(s)} }}` })
    cases.push({
      template: `{{ printf "%q|%+q|%#q|%x|% X|%5.2s|%-4s|%v" ${Array(8).fill(q(s)).join(' ')} }}`
    })
    for (let i = 0; i < 4; i++)
      cases.push(
        { template: `{{ ${pick(binary)} ${q(s)} ${q(pick(strings))} }}` },
        { template: `{{ replace ${q(s)} ${q(pick(strings))} ${q(pick(strings))} }}` },
        { template: `{{ reReplaceAll "${pick(patterns)}" ${q(s)} "${pick(replacements)}" }}` }
      )
  }
  const { n, pick: pickL } = random(11)
  const layouts = ['2006', '06', '01', '1', 'Jan', 'January', '02', '2', '_2', '15', '03', '3']
    .concat(['04', '4', '05', '5', 'PM', 'pm', 'Mon', 'Monday', 'MST', 'Z07:00', '-07:00', '-0700'])
    .concat(['Z0700', '-07', '.000', ',000', '.999', '.9', '.000000000', '002', '__2', 'Janx'])
    .concat(['Monx', 'x', ' ', 'T', '_2006', '.00x', '1234'])
  const nows = [
    '2026-01-02T03:04:05.678Z',
    '1999-12-31T23:59:59.999Z',
    '2024-02-29T12:00:00Z'
  ].concat(['2025-07-04T00:30:00.5Z', '0999-03-01T13:00:00.001Z'])
  for (let i = 0; i < 400; i++) {
    const layout = Array.from({ length: 1 + n(4) }, () => pickL(layouts)).join(
      pickL(['', ' ', '-', ':'])
    )
    cases.push({ template: `{{ time ${q(layout)} }}`, now: nows[i % nows.length] })
  }
  return cases.map(c => ({ ...c, data: {} }))
}

function grammarCases(): GoTemplateCase[] {
  const { n, pick } = random(99)
  const inside = ['.X', '.SI', '.MSI', '.MSI.one', '.U.V', '.', '$', '$x', '$x :=', '$x =']
    .concat(['$i, $v :=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-1', '0', '1.5', 'true'])
    .concat(['nil', 'print', 'len', 'eq', 'not', 'and', 'or', 'index', 'printf "%v"', 'if'])
    .concat(['else', 'end', 'range', 'with', 'break', 'continue', 'else if', 'else with'])
    .concat(['.X.Y', '$.X', '(.U).V', ',', '=', ':='])
  const texts = ['a', ' ', '\n', '  b  ', '']
  const cases: GoTemplateCase[] = []
  for (let i = 0; i < 4000; i++) {
    let t = ''
    const actions = 1 + n(5)
    for (let j = 0; j < actions; j++) {
      t += pick(texts)
      if (n(10) === 0) {
        t += `{{${pick(['', '- '])}/* c */${pick(['', ' -'])}}}`
        continue
      }
      const parts = Array.from({ length: 1 + n(4) }, () => pick(inside))
      t += `{{${pick(['', ' ', '- ', '-'])}${parts.join(pick([' ', '']))}${pick(['', ' ', ' -', '-'])}}}`
    }
    cases.push({ template: t + pick(texts), data: GO_DATA, missingKey: pick(['error', 'default']) })
  }
  for (let i = 0; i < 1500; i++) {
    const control = pick(['if', 'with', 'range'])
    const pipe = pick(['.X', '.SI', '.MSI', '.SIEmpty', '0', '1', '$x := .SI', '$i, $v := .SI'])
    const body = pick(['{{.}}', '{{$}}', 'x', '{{break}}', '{{continue}}', '{{$x}}', '{{$v}}'])
    const otherwise = pick(['', '{{else}}E', '{{else if .X}}EI', '{{else with .SI}}{{.}}'])
    cases.push({
      template: `{{$x := 0}}{{${control} ${pipe}}}${body}${otherwise}{{end}}{{$x}}`,
      data: GO_DATA
    })
  }
  return cases
}

function ours(c: GoTemplateCase): string {
  try {
    const output = renderTemplate(c.template, c.data, {
      now: new Date(c.now ?? '2026-01-02T03:04:05.678Z'),
      missingKey: c.missingKey
    })
    return `ok: ${JSON.stringify(output)}`
  } catch (e) {
    return `fails (${(e as Error).message})`
  }
}

describe('seeded random templates, against Go text/template', () => {
  it.each([
    ['printf, comparisons and builtins over every kind of value', printfCases],
    ['string, path, version, regexp and time functions', functionCases],
    ['token soup and control structures', grammarCases]
  ])(
    '%s',
    async (_name, make) => {
      const cases = make()
      const go = await renderWithGo(cases)
      const differ: string[] = []
      cases.forEach((c, i) => {
        const g = go[i]
        const mine = ours(c)
        const theirs = g?.ok ? `ok: ${JSON.stringify(g.output)}` : `fails (${g?.error})`
        if (mine.startsWith('ok') !== theirs.startsWith('ok') || (g?.ok && mine !== theirs))
          differ.push(`${JSON.stringify(c.template)}\n  ours: ${mine}\n  Go:   ${theirs}`)
      })
      expect(differ.slice(0, 10)).toEqual([])
    },
    120_000
  )
})
