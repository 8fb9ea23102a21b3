import { describe, expect, test } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  DEFAULT_LDFLAGS,
  LINK_BOOL_FLAGS,
  LINK_VALUE_FLAGS,
  parseLdflags,
  renderTemplate,
  splitQuoted,
  TEMPLATE_FIELDS,
  validateTemplate
} from '../../src/build/ldflags.js'
import { InputError } from '../../src/errors.js'

const values = Object.fromEntries(TEMPLATE_FIELDS.map(f => [f, `<${f}>`])) as Parameters<
  typeof renderTemplate
>[1]

describe('ldflags templates', () => {
  test('the default injects version, commit and date like GoReleaser', () => {
    expect(renderTemplate(DEFAULT_LDFLAGS, values)).toBe(
      '-s -w -X main.version=<Version> -X main.commit=<Commit> -X main.date=<Date>'
    )
  })

  test('every documented field renders, with or without spaces inside the braces', () => {
    const template = TEMPLATE_FIELDS.map(f => `{{ .${f} }}`).join(' ')
    expect(renderTemplate(template, values)).toBe(TEMPLATE_FIELDS.map(f => `<${f}>`).join(' '))
    expect(() => validateTemplate(template)).not.toThrow()
  })

  test('an unknown field or a stray {{ is an error naming ldflags', () => {
    expect(() => validateTemplate('-X main.v={{.Versoin}}')).toThrow(
      /^ldflags: unknown template field \{\{\.Versoin\}\}/
    )
    expect(() => validateTemplate('-X main.v={{Version}}')).toThrow(/^ldflags: has a \{\{ … \}\}/)
  })
})

describe('splitQuoted (Go cmd/internal/quoted.Split)', () => {
  test.each([
    ['-s -w', ['-s', '-w']],
    ['  -s\t-w\n\r-X  a.b=c  ', ['-s', '-w', '-X', 'a.b=c']],
    [`-X 'main.msg=a b' -X "main.q=it's"`, ['-X', 'main.msg=a b', '-X', "main.q=it's"]],
    // A quote inside a field is text; a quoted field ends at its quote, even without a space.
    [`-X main.v='a`, ['-X', "main.v='a"]],
    [`'a'b "c"'d'`, ['a', 'b', 'c', 'd']],
    [`''`, ['']],
    ['', []]
  ])('%j', (input, fields) => {
    expect(splitQuoted(input)).toEqual({ fields })
  })

  test('an unterminated quote', () => {
    expect(splitQuoted(`-X 'main.v=a`)).toEqual({ unterminated: "'" })
    expect(splitQuoted(`-s "`)).toEqual({ unterminated: '"' })
  })
})

describe('parseLdflags', () => {
  test.each([
    [
      DEFAULT_LDFLAGS,
      [
        '-s',
        '-w',
        '-X',
        'main.version={{.Version}}',
        '-X',
        'main.commit={{.Commit}}',
        '-X',
        'main.date={{.Date}}'
      ]
    ],
    // YAML folded over lines: newlines are spaces.
    ['-s\n-w\n-X main.version={{.Version}}\n', ['-s', '-w', '-X', 'main.version={{.Version}}']],
    ['-X=main.v={{ .Version }}', ['-X=main.v={{.Version}}']],
    [`-X 'main.msg=built {{ .Date }} by ci'`, ['-X', 'main.msg=built {{.Date}} by ci']],
    ['-X main.v=', ['-X', 'main.v=']],
    [
      '-X example.com/m/internal/version.Version={{.Version}}',
      ['-X', 'example.com/m/internal/version.Version={{.Version}}']
    ],
    ['--s -w=false -s=1 -v=2 -v', ['--s', '-w=false', '-s=1', '-v=2', '-v']],
    ['-v=true -v=-1 -v=+3', ['-v=true', '-v=-1', '-v=+3']],
    ['-extldflags -static -linkmode external', ['-extldflags', '-static', '-linkmode', 'external']],
    ['-extldflags "-static -lm"', ['-extldflags', '-static -lm']],
    [
      '-buildmode=pie -B gobuildid -r /opt/lib',
      ['-buildmode=pie', '-B', 'gobuildid', '-r', '/opt/lib']
    ],
    ['-X=@notafile.v=1', ['-X=@notafile.v=1']]
  ])('%j is accepted', (template, args) => {
    expect(parseLdflags(template)).toEqual(args)
  })

  test.each([
    [
      '-X main.version',
      'ldflags: -X "main.version" has no =value; write -X main.version={{.Version}}'
    ],
    [
      '-X=main.version',
      'ldflags: -X "main.version" has no =value; write -X main.version={{.Version}}'
    ],
    [
      '-X version=1',
      'ldflags: -X "version=1" is not importpath.name=value (for example -X main.version={{.Version}})'
    ],
    [
      '-X .v=1',
      'ldflags: -X ".v=1" is not importpath.name=value (for example -X main.version={{.Version}})'
    ],
    [
      '-X main.=1',
      'ldflags: -X "main.=1" is not importpath.name=value (for example -X main.version={{.Version}})'
    ],
    [
      '-X {{.Binary}}.v=1',
      'ldflags: -X "{{.Binary}}.v=1": the importpath.name before = cannot hold a template field; only the value can'
    ],
    ['-s -X', 'ldflags: -X needs a value after it'],
    ['-foo', 'ldflags: unknown linker flag -foo (go tool link does not accept it)'],
    ['-s --foo=1', 'ldflags: unknown linker flag --foo (go tool link does not accept it)'],
    ['-static', 'ldflags: unknown linker flag -static (go tool link does not accept it)'],
    ['-help', 'ldflags: unknown linker flag -help (go tool link does not accept it)'],
    [
      '-buildid=',
      'ldflags: -buildid is set by the action (-buildid= makes builds reproducible); remove it'
    ],
    [
      '-s --buildid abc',
      'ldflags: -buildid is set by the action (-buildid= makes builds reproducible); remove it'
    ],
    ['-o /tmp/evil', "ldflags: -o is set by go build (each binary's path); remove it"],
    ['-importcfg x', 'ldflags: -importcfg is set by go build; remove it'],
    ['-V', 'ldflags: -V makes the linker print its version and write no binary; remove it'],
    [
      '-s false',
      'ldflags: "false" is not a linker flag; every field is a flag such as -s, or the value of the flag before it'
    ],
    [
      'main.version=1',
      'ldflags: "main.version=1" is not a linker flag; every field is a flag such as -s, or the value of the flag before it'
    ],
    [
      '-s @/etc/passwd',
      'ldflags: "@/etc/passwd" is not a linker flag; every field is a flag such as -s, or the value of the flag before it'
    ],
    [
      '-s -',
      'ldflags: "-" is not a linker flag; every field is a flag such as -s, or the value of the flag before it'
    ],
    [
      '-X @a.b=c',
      'ldflags: -X "@a.b=c": the linker would read an argument starting with @ as a file of arguments; write -X=@a.b=c'
    ],
    [
      '-w -- -s',
      `ldflags: "--" would end the linker's flags and make the rest its object file; remove it`
    ],
    ['---s', 'ldflags: "---s" is not a linker flag (bad flag syntax)'],
    ['-=x', 'ldflags: "-=x" is not a linker flag (bad flag syntax)'],
    ['-s=yes', 'ldflags: -s=yes: -s takes true or false'],
    ['-v=lots', 'ldflags: -v=lots: -v takes a count or true/false'],
    ['-v=T', 'ldflags: -v=T: -v takes a count or true/false'],
    ['-X=', 'ldflags: -X "" has no =value; write -X main.version={{.Version}}'],
    [
      `-X main.v='a b'`,
      `ldflags: "b'" is not a linker flag; every field is a flag such as -s, or the value of the flag before it (a quote counts only around a whole field: -X 'main.msg=a b')`
    ],
    [
      `'-s -w'`,
      `ldflags: begins with a quote ('), which go build does not accept; quote a value only, as in -X 'main.msg=a b'`
    ],
    [
      `-X 'main.v=a`,
      `ldflags: has an unterminated ' quote; a quoted field runs from a quote at its start to the same quote`
    ],
    ['-X main.v={{.Nope}}', /^ldflags: unknown template field \{\{\.Nope\}\}/]
  ])('%j is refused', (template, message) => {
    let error: unknown
    try {
      parseLdflags(template)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('ldflags')
    if (typeof message === 'string') expect((error as Error).message).toBe(message)
    else expect((error as Error).message).toMatch(message)
  })

  test('a long unknown flag is quoted short', () => {
    expect(() => parseLdflags(`-${'z'.repeat(500)}`)).toThrow(
      /^ldflags: unknown linker flag -z{59}… \(/
    )
  })

  // The constant must list what go tool link accepts; this machine's Go tells.
  const goVersion = (() => {
    try {
      return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim()
    } catch {
      return ''
    }
  })()
  const testWithGo126 = goVersion.startsWith('go1.26') ? test : test.skip
  testWithGo126('LINK_*_FLAGS are the flags of go tool link (Go 1.26)', () => {
    const usage = spawnSync('go', ['tool', 'link'], { encoding: 'utf8' }).stderr
    const bool: string[] = []
    const value: string[] = []
    for (const m of usage.matchAll(/^ {2}-(\S+)( \S+)?(\t|\n)/gm)) {
      // flag.PrintDefaults: a value flag shows its value's name after its own.
      ;(m[2] ? value : bool).push(m[1] as string)
    }
    expect(bool.length + value.length).toBeGreaterThan(40)
    expect([...LINK_BOOL_FLAGS].sort()).toEqual(bool.sort())
    expect([...LINK_VALUE_FLAGS].sort()).toEqual(value.sort())
  })
})
