import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import {
  parseTemplate,
  render,
  renderTemplate,
  TemplateError,
  type TemplateFunction
} from '../../src/template/index.js'

const DATA = { Arch: 'amd64', Os: 'linux', Version: '1.2.3', Env: { HOME: '/root' } }

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError)
    return e as TemplateError
  }
  throw new Error('did not throw')
}

describe('TemplateError messages', () => {
  it('quotes the template and points at an unknown field, listing the known ones', () => {
    const e = errorOf(() => renderTemplate('{{ .Nope }}', DATA))
    expect(e.message).toBe(
      'template: {{ .Nope }}: at 1:4: unknown field .Nope (known: .Arch, .Env, .Os, .Version)'
    )
    expect(e).toBeInstanceOf(ActionError)
    expect([e.line, e.column, e.template]).toEqual([1, 4, '{{ .Nope }}'])
  })

  it('names the path of a nested unknown field', () => {
    const e = errorOf(() => renderTemplate('{{ .Os }}-{{ .Env.NOPE }}', DATA))
    expect(e.message).toBe(
      'template: {{ .Os }}-{{ .Env.NOPE }}: at 1:14: unknown field .Env.NOPE (known: .Env.HOME)'
    )
  })

  it('counts lines and columns in characters', () => {
    const e = errorOf(() => renderTemplate('é\n{{ if .Os }}\n  {{ .Nope }}{{ end }}', DATA))
    expect([e.line, e.column]).toEqual([3, 6])
    expect(e.message).toMatch(
      /^template: é⏎\{\{ if \.Os \}\}⏎ {2}\{\{ \.Nope \}\}\{\{ end \}\}: at 3:6: /
    )
  })

  it('cuts a long template to the part around the spot', () => {
    const text = `${'x'.repeat(200)}{{ .Nope }}`
    const e = errorOf(() => renderTemplate(text, DATA))
    expect(e.message).toMatch(/^template: …x+\{\{ \.Nope \}\}: at 1:204: unknown field \.Nope/)
    expect(e.message.length).toBeLessThan(220)
  })

  it('reports an unknown function at parse time', () => {
    const e = errorOf(() => parseTemplate('{{ .Os | foo }}'))
    expect(e.message).toBe('template: {{ .Os | foo }}: at 1:10: unknown function "foo"')
  })

  it.each([
    ['{{ end }}', 'at 1:1: unexpected {{end}}'],
    ['a{{ else }}', 'at 1:2: unexpected {{else}}'],
    ['{{ .Version', 'at 1:1: unclosed action'],
    ['{{ if .Os }}x', 'at 1:14: unexpected EOF: missing {{end}}'],
    ['{{ "abc }}', 'at 1:4: unterminated quoted string'],
    ['{{ `abc }}', 'at 1:4: unterminated raw quoted string'],
    ['{{ break }}', 'at 1:4: {{break}} outside {{range}}'],
    ['{{ range .X }}{{ else }}{{ continue }}{{ end }}', 'at 1:28: {{continue}} outside {{range}}'],
    ['{{ $x }}', 'at 1:4: undefined variable "$x"'],
    ['{{ if .A }}{{ $x := 1 }}{{ end }}{{ $x }}', 'at 1:37: undefined variable "$x"'],
    ['{{ (.A }}', 'at 1:8: unclosed left paren'],
    ['{{ .A) }}', 'at 1:6: unexpected right paren'],
    ['{{ }}', 'at 1:4: missing value for command'],
    ['{{ .A | 3 }}', 'at 1:9: non executable command in pipeline stage 2'],
    ['{{ 3.X }}', 'at 1:4: bad number syntax: "3.X"'],
    ['{{ "a".X }}', 'at 1:7: unexpected . after term "\\"a\\""'],
    ['{{/* x */ 3 }}', 'at 1:1: comment ends before closing delimiter'],
    ['{{/* x', 'at 1:1: unclosed comment'],
    [
      '{{ template "x" }}',
      'at 1:4: {{template}} is not supported (one template, no sub-templates)'
    ],
    [
      '{{ define "x" }}{{ end }}',
      'at 1:4: {{define}} is not supported (one template, no sub-templates)'
    ],
    ['{{ .A # }}', 'at 1:7: unexpected <#> in operand'],
    ['{{ "\\q" }}', 'at 1:4: invalid syntax in "\\q"'],
    ['{{ if .A }}{{ else }}{{ else }}{{ end }}', 'at 1:25: expected {{end}}; found {{else}}'],
    ['{{ range $a, $b, $c := .X }}{{ end }}', 'at 1:16: too many declarations in range'],
    ['{{ 1 2 }}x', null]
  ])('%s fails to parse: %s', (text, message) => {
    if (message === null) {
      // Parses; fails when rendered.
      expect(() => parseTemplate(text)).not.toThrow()
      return
    }
    const e = errorOf(() => parseTemplate(text))
    expect(e.message).toBe(`template: ${text.replace(/\n/g, '⏎')}: ${message}`)
  })

  it.each([
    ['{{ 1 2 }}', "at 1:4: can't give argument to non-function 1"],
    ['{{ replace .Version "." }}', 'at 1:4: wrong number of args for replace: want 3 got 2'],
    ['{{ tolower 3 }}', 'at 1:12: expected string; found 3'],
    ['{{ tolower nil }}', 'at 1:12: cannot assign nil to string'],
    ['{{ replace .Major "." "-" }}', 'at 1:12: wrong type for value; expected string; got int'],
    [
      '{{ incpatch "banana" }}',
      'at 1:4: error calling incpatch: "banana" is not a semantic version (1.2.3 or v1.2.3)'
    ],
    [
      '{{ eq 1 "1" }}',
      'at 1:4: error calling eq: incompatible types for comparison: int and string'
    ],
    ['{{ index .List 5 }}', 'at 1:4: error calling index: index out of range: 5'],
    ['{{ nil }}', 'at 1:4: nil is not a command'],
    ['{{ .Version.Major }}', "at 1:4: can't evaluate field Major in type string"],
    ['{{ range .Version }}{{ end }}', "at 1:10: range can't iterate over 1.2.3"],
    ['{{ if nil }}{{ end }}', 'at 1:7: nil is not a command'],
    ['{{ map "a" }}', 'at 1:4: error calling map: map expects even number of arguments, got 1'],
    [
      '{{ reReplaceAll "(" .Version "" }}',
      'at 1:4: error calling reReplaceAll: error parsing regexp:'
    ]
  ])('%s fails to render: %s', (text, message) => {
    const t = parseTemplate(text)
    const e = errorOf(() => render(t, { ...DATA, Major: 1, List: [1] }))
    expect(e.message.startsWith(`template: ${text}: ${message}`)).toBe(true)
  })
})

describe('the API', () => {
  it('parses once and renders many times', () => {
    const t = parseTemplate('{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}')
    expect(render(t, { ProjectName: 'hello', Os: 'linux', Arch: 'amd64' })).toBe(
      'hello_linux_amd64'
    )
    expect(render(t, { ProjectName: 'hello', Os: 'darwin', Arch: 'arm64' })).toBe(
      'hello_darwin_arm64'
    )
  })

  it('takes the clock and the environment from the options', () => {
    const now = new Date('2024-02-29T23:59:58Z')
    expect(renderTemplate('{{ time "2006-01-02 15:04:05" }}', {}, { now })).toBe(
      '2024-02-29 23:59:58'
    )
    expect(renderTemplate('{{ envOrDefault "X" "d" }}', {}, { env: { X: 'x' } })).toBe('x')
    expect(renderTemplate('{{ envOrDefault "X" "d" }}', { Env: { X: 'from data' } })).toBe(
      'from data'
    )
    expect(renderTemplate('{{ isEnvSet "X" }}', {})).toBe('false')
  })

  it('prints a missing field as <no value> with missingKey: default', () => {
    expect(renderTemplate('{{ .Nope }}', {}, { missingKey: 'default' })).toBe('<no value>')
    expect(renderTemplate('{{ .A.B }}', {}, { missingKey: 'default' })).toBe('<no value>')
  })

  it('takes more functions, checked at parse time', () => {
    const functions: Record<string, TemplateFunction> = {
      shout: { params: ['string'], call: ([s]) => `${String(s).toUpperCase()}!` },
      fail: {
        params: [],
        call: () => {
          throw new Error('no')
        }
      }
    }
    expect(renderTemplate('{{ .Os | shout }}', DATA, { functions })).toBe('LINUX!')
    expect(errorOf(() => renderTemplate('{{ fail }}', DATA, { functions })).detail).toBe(
      'error calling fail: no'
    )
    expect(() => parseTemplate('{{ shout .Os }}')).toThrow('unknown function "shout"')
  })

  it('does not let the builtins be replaced', () => {
    const functions = { eq: { params: [], call: () => 'mine' } }
    expect(renderTemplate('{{ eq 1 1 }}', {}, { functions })).toBe('true')
  })

  it('bounds the output', () => {
    const e = errorOf(() =>
      renderTemplate('{{ range 100 }}xxxxxxxxxx{{ end }}', {}, { maxOutput: 500 })
    )
    expect(e.detail).toBe('output longer than 500 characters; stopped')
  })

  it('bounds the work', () => {
    const e = errorOf(() => renderTemplate('{{ range 2000000 }}{{ end }}', {}))
    expect(e.detail).toBe('too many steps (over 1,000,000); stopped')
  })

  it('never reads a property of the prototype as a field', () => {
    expect(() => renderTemplate('{{ .constructor }}', {})).toThrow('unknown field .constructor')
    expect(() => renderTemplate('{{ .toString }}', { a: 1 })).toThrow('unknown field .toString')
  })
})
