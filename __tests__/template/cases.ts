// Template cases rendered by both the action's engine (src/template) and Go's text/template with
// the same functions (__tests__/helpers/gotemplate): the outputs must be equal, and a case that
// fails in one must fail in the other. Taken from GoReleaser's documented templates
// (goreleaser.com/customization/templates, archive name_template examples) and from Go's own
// text/template/exec_test.go (the cases within this engine's grammar, data as JSON).

export interface TemplateCase {
  name: string
  template: string
  /** 'release' (GoReleaser-like fields), 'go' (exec_test.go's tVal as JSON), or the data itself. */
  data?: 'release' | 'go' | Record<string, unknown> | unknown[] | string | number | boolean | null
  env?: Record<string, string>
  now?: string
  missingKey?: 'error' | 'default'
  /** What the output must be (Go's must match it too); omitted when Go's output is the reference. */
  want?: string
  /** The case must fail, in both engines. */
  fails?: boolean
}

/** The fields GoReleaser passes, as the action would. */
export const RELEASE_DATA = {
  ProjectName: 'hello',
  Version: '1.2.3',
  RawVersion: '1.2.3',
  Tag: 'v1.2.3',
  Commit: '0123456789abcdef0123456789abcdef01234567',
  ShortCommit: '0123456',
  Os: 'linux',
  Arch: 'amd64',
  Arm: '',
  Mips: '',
  Amd64: 'v1',
  Binary: 'hello',
  IsSnapshot: false,
  Prerelease: '',
  Major: 1,
  Minor: 2,
  Patch: 3,
  Env: { HOME: '/home/runner', EMPTY: '', GOOS: 'linux' },
  Targets: ['linux_amd64', 'darwin_arm64', 'windows_amd64'],
  Labels: { os: 'linux', arch: 'amd64' }
}

/** exec_test.go's tVal, the parts JSON can hold. */
export const GO_DATA = {
  True: true,
  I: 17,
  X: 'x',
  S: 'xyz',
  SI: [3, 4, 5],
  SB: [true, false],
  SIEmpty: [],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  MXI: { one: 1 },
  MII: {},
  FloatZero: 0,
  F: 1.5,
  NIL: null,
  U: { V: 'v' },
  W: { X: 'x2' }
}

const ARCHIVE_DEFAULT =
  '{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}'
const REPLACEMENTS =
  '{{ .ProjectName }}_{{ title .Os }}_{{ if eq .Arch "amd64" }}x86_64{{ else if eq .Arch "386" }}i386{{ else }}{{ .Arch }}{{ end }}'
const CROC =
  '{{ .ProjectName }}_v{{ .Version }}_{{- if eq .Os "darwin" }}macOS{{- else if eq .Os "windows" }}Windows{{- else }}{{ title .Os }}{{ end }}-{{- if eq .Arch "amd64" }}64bit{{ else if eq .Arch "arm64" }}ARM64{{ else }}{{ .Arch }}{{ end }}'

const target = (
  Os: string,
  Arch: string,
  extra: Record<string, unknown> = {}
): Record<string, unknown> => ({
  ...RELEASE_DATA,
  Os,
  Arch,
  ...extra
})

export const CASES: TemplateCase[] = [
  // GoReleaser: archive names.
  {
    name: 'default archive name, linux/amd64',
    template: ARCHIVE_DEFAULT,
    want: 'hello_1.2.3_linux_amd64'
  },
  {
    name: 'default archive name, linux/arm v7',
    template: ARCHIVE_DEFAULT,
    data: target('linux', 'arm', { Arm: '7' }),
    want: 'hello_1.2.3_linux_armv7'
  },
  {
    name: 'default archive name, linux/mips softfloat',
    template: ARCHIVE_DEFAULT,
    data: target('linux', 'mips', { Mips: 'softfloat' }),
    want: 'hello_1.2.3_linux_mips_softfloat'
  },
  {
    name: 'default archive name, amd64 v3',
    template: ARCHIVE_DEFAULT,
    data: target('linux', 'amd64', { Amd64: 'v3' }),
    want: 'hello_1.2.3_linux_amd64v3'
  },
  { name: 'v1 replacements, amd64', template: REPLACEMENTS, want: 'hello_Linux_x86_64' },
  {
    name: 'v1 replacements, 386',
    template: REPLACEMENTS,
    data: target('windows', '386'),
    want: 'hello_Windows_i386'
  },
  {
    name: 'v1 replacements, arm64',
    template: REPLACEMENTS,
    data: target('darwin', 'arm64'),
    want: 'hello_Darwin_arm64'
  },
  {
    name: 'croc, darwin/amd64',
    template: CROC,
    data: target('darwin', 'amd64'),
    want: 'hello_v1.2.3_macOS-64bit'
  },
  {
    name: 'croc, windows/arm64',
    template: CROC,
    data: target('windows', 'arm64'),
    want: 'hello_v1.2.3_Windows-ARM64'
  },
  {
    name: 'croc, linux/386',
    template: CROC,
    data: target('linux', '386'),
    want: 'hello_v1.2.3_Linux-386'
  },
  {
    name: 'snapshot name',
    template: '{{ incpatch .Version }}-SNAPSHOT-{{ .ShortCommit }}',
    want: '1.2.4-SNAPSHOT-0123456'
  },
  { name: 'checksum name', template: '{{ .ProjectName }}_{{ .Version }}_checksums.txt' },
  {
    name: 'ldflags',
    template:
      '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{ time "2006-01-02T15:04:05Z07:00" }}'
  },
  // GoReleaser functions.
  { name: 'Env field', template: '{{ .Env.HOME }}', want: '/home/runner' },
  { name: 'missing Env field fails', template: '{{ .Env.NOPE }}', fails: true },
  { name: 'index .Env', template: '{{ index .Env "GOOS" }}', want: 'linux' },
  { name: 'envOrDefault set', template: '{{ envOrDefault "HOME" "/tmp" }}', want: '/home/runner' },
  {
    name: 'envOrDefault unset',
    template: '{{ envOrDefault "NOPE" "fallback" }}',
    want: 'fallback'
  },
  {
    name: 'envOrDefault set empty',
    template: '[{{ envOrDefault "EMPTY" "fallback" }}]',
    want: '[]'
  },
  {
    name: 'isEnvSet',
    template: '{{ isEnvSet "HOME" }} {{ isEnvSet "EMPTY" }} {{ isEnvSet "NOPE" }}',
    want: 'true false false'
  },
  {
    name: 'env option',
    template: '{{ envOrDefault "TOKEN" "none" }}',
    env: { TOKEN: 'abc' },
    want: 'abc'
  },
  {
    name: 'incpatch',
    template: '{{ incpatch .Version }} {{ incpatch .Tag }}',
    want: '1.2.4 v1.2.4'
  },
  {
    name: 'incminor',
    template: '{{ incminor .Version }} {{ incminor .Tag }}',
    want: '1.3.0 v1.3.0'
  },
  {
    name: 'incmajor',
    template: '{{ incmajor .Version }} {{ incmajor "v0.9.9-rc.1" }}',
    want: '2.0.0 v1.0.0'
  },
  { name: 'incpatch prerelease', template: '{{ incpatch "1.2.3-rc.1+build.5" }}', want: '1.2.3' },
  { name: 'incpatch not a version fails', template: '{{ incpatch "banana" }}', fails: true },
  { name: 'replace', template: '{{ replace .Version "." "-" }}', want: '1-2-3' },
  { name: 'replace empty old', template: '{{ replace "ab" "" "-" }}', want: '-a-b-' },
  {
    name: 'tolower toupper',
    template: '{{ tolower "HeLLo" }} {{ toupper .Os }}',
    want: 'hello LINUX'
  },
  { name: 'title', template: '{{ title "hello wide-world of_go macOS" }}' },
  { name: 'trim', template: '[{{ trim "  \\t padded \\n " }}]', want: '[padded]' },
  {
    name: 'trimprefix',
    template: '{{ trimprefix .Tag "v" }} {{ trimprefix .Version "v" }}',
    want: '1.2.3 1.2.3'
  },
  { name: 'trimsuffix', template: '{{ trimsuffix "hello.tar.gz" ".gz" }}', want: 'hello.tar' },
  {
    name: 'contains',
    template: '{{ if contains .Version "-" }}pre{{ else }}stable{{ end }}',
    want: 'stable'
  },
  {
    name: 'split and index',
    template: '{{ index (split "a,b,c" ",") 1 }} {{ len (split .Version ".") }}',
    want: 'b 3'
  },
  {
    name: 'split range',
    template: '{{ range split "x:y:z" ":" }}<{{ . }}>{{ end }}',
    want: '<x><y><z>'
  },
  { name: 'time', template: '{{ time "2006-01-02" }}', want: '2026-01-02' },
  {
    name: 'time layouts',
    template:
      '{{ time "Mon Jan _2 15:04:05 MST 2006" }}|{{ time "Monday, January 2 06 3:4:5 PM pm" }}|{{ time "20060102150405" }}|{{ time "2006-01-02T15:04:05.000Z07:00" }}|{{ time ".999 -0700 -07:00 002 __2" }}',
    now: '2026-11-28T21:09:07.250Z'
  },
  {
    name: 'time single digits',
    template: '{{ time "1/2/06 3:4:5" }}',
    now: '2025-03-04T05:06:07Z',
    want: '3/4/25 5:6:7'
  },
  {
    name: 'base and dir',
    template:
      '{{ base "dist/linux_amd64/hello" }} {{ dir "dist/linux_amd64/hello" }} {{ base "" }} {{ dir "hello" }} {{ base "/a/b/" }}',
    want: 'hello dist/linux_amd64 . . b'
  },
  {
    name: 'map and index',
    template: '{{ $m := map "linux" "Linux" "darwin" "macOS" }}{{ index $m .Os }}',
    want: 'Linux'
  },
  { name: 'map odd arguments fails', template: '{{ map "a" }}', fails: true },
  {
    name: 'indexOrDefault',
    template:
      '{{ $m := map "amd64" "x86_64" }}{{ indexOrDefault $m .Arch "other" }} {{ indexOrDefault $m "arm" "other" }}',
    want: 'x86_64 other'
  },
  {
    name: 'list and in',
    template: '{{ in (list "linux" "darwin") .Os }} {{ in (list "windows") .Os }}',
    want: 'true false'
  },
  {
    name: 'reReplaceAll groups',
    template: '{{ reReplaceAll "(\\\\d+)\\\\.(\\\\d+)\\\\.(\\\\d+)" .Version "$3.$2.$1" }}',
    want: '3.2.1'
  },
  {
    name: 'reReplaceAll named and braces',
    template: '{{ reReplaceAll "(?P<major>\\\\d+)\\\\..*" .Version "v${major}x" }}',
    want: 'v1x'
  },
  {
    name: 'reReplaceAll empty matches',
    template: '{{ reReplaceAll "b*" "abc" "-" }}',
    want: '-a-c-'
  },
  {
    name: 'reReplaceAll $1x is a named group',
    template: '{{ reReplaceAll "(a)" "a" "$1x" }}',
    want: ''
  },
  // Trimming, comments, variables.
  { name: 'trim markers', template: 'a  {{- " b " -}}  c\n{{- 3 }}\n', want: 'a b c3\n' },
  { name: 'trim marker needs a space', template: '{{ 3 }} {{-4}}', want: '3 -4' },
  { name: 'comment', template: 'a{{/* a comment */}}b', want: 'ab' },
  { name: 'trimmed comment', template: 'a  {{- /* a comment */ -}}  b', want: 'ab' },
  { name: 'comment without delimiter fails', template: '{{/* a */ 3 }}', fails: true },
  {
    name: 'variables',
    template: '{{ $v := .Version }}{{ $p := .ProjectName }}{{ $p }}-{{ $v }}',
    want: 'hello-1.2.3'
  },
  { name: 'simple assignment', template: '{{$x := 2}}{{$x = 3}}{{$x}}', data: 'go', want: '3' },
  {
    name: 'nested assignment',
    template: '{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}',
    data: 'go',
    want: '3'
  },
  {
    name: 'nested assignment changes the last declaration',
    template: '{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}',
    data: 'go',
    want: '1'
  },
  { name: '$ in range', template: '{{ range .Targets }}{{ $.ProjectName }}_{{ . }} {{ end }}' },
  { name: 'undefined variable fails', template: '{{ $nope }}', fails: true },
  // Go's exec_test.go.
  { name: 'empty', template: '', data: 'go', want: '' },
  { name: 'text', template: 'some text', data: 'go', want: 'some text' },
  { name: 'nil action fails', template: '{{nil}}', data: 'go', fails: true },
  { name: '.X', template: '-{{.X}}-', data: 'go', want: '-x-' },
  { name: 'map .one', template: '{{.MSI.one}}', data: 'go', want: '1' },
  { name: 'map .two', template: '{{.MSI.two}}', data: 'go', want: '2' },
  {
    name: 'map .NO with missingkey=default',
    template: '{{.MSI.NO}}',
    data: 'go',
    missingKey: 'default',
    want: '<no value>'
  },
  { name: 'map .NO with missingkey=error fails', template: '{{.MSI.NO}}', data: 'go', fails: true },
  { name: 'field on string fails', template: '{{.X.Y}}', data: 'go', fails: true },
  { name: 'dot int', template: '<{{.}}>', data: 13, want: '<13>' },
  { name: 'dot float', template: '<{{.}}>', data: 15.1, want: '<15.1>' },
  { name: 'dot bool', template: '<{{.}}>', data: true, want: '<true>' },
  { name: 'dot string', template: '<{{.}}>', data: 'hello', want: '<hello>' },
  { name: 'dot slice', template: '<{{.}}>', data: [-1, -2, -3], want: '<[-1 -2 -3]>' },
  { name: 'dot map', template: '<{{.}}>', data: { two: 22, one: 1 }, want: '<map[one:1 two:22]>' },
  { name: '$ int', template: '{{$}}', data: 123, want: '123' },
  { name: 'NIL', template: '{{.NIL}}', data: 'go', want: '<no value>' },
  { name: 'unparenthesized non-function fails', template: '{{1 2}}', data: 'go', fails: true },
  { name: 'parenthesized non-function with no args', template: '{{(1)}}', data: 'go', want: '1' },
  { name: 'parens: $ in paren', template: '{{($).X}}', data: 'go', want: 'x' },
  { name: 'parens: chained fields', template: '{{(.U).V}} {{$.W.X}}', data: 'go', want: 'v x2' },
  {
    name: 'parens in pipeline',
    template: '{{printf `%d %d %d` (1) (2 | print) (len "abc")}}',
    data: 'go'
  },
  { name: 'if true', template: '{{if true}}TRUE{{end}}', data: 'go', want: 'TRUE' },
  { name: 'if false', template: '{{if false}}TRUE{{else}}FALSE{{end}}', data: 'go', want: 'FALSE' },
  { name: 'if nil fails', template: '{{if nil}}TRUE{{end}}', data: 'go', fails: true },
  { name: 'if 1', template: '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', data: 'go', want: 'NON-ZERO' },
  { name: 'if 0', template: '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', data: 'go', want: 'ZERO' },
  {
    name: 'if 1.5',
    template: '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}',
    data: 'go',
    want: 'NON-ZERO'
  },
  {
    name: 'if 0.0',
    template: '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}',
    data: 'go',
    want: 'ZERO'
  },
  {
    name: 'if emptystring',
    template: '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'EMPTY'
  },
  {
    name: 'if string',
    template: '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'NON-EMPTY'
  },
  {
    name: 'if emptyslice',
    template: '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'EMPTY'
  },
  {
    name: 'if slice',
    template: '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'NON-EMPTY'
  },
  {
    name: 'if emptymap',
    template: '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'EMPTY'
  },
  {
    name: 'if map unset',
    template: '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}',
    data: 'go',
    missingKey: 'default',
    want: 'ZERO'
  },
  {
    name: 'if else if',
    template: '{{if false}}FALSE{{else if true}}TRUE{{end}}',
    data: 'go',
    want: 'TRUE'
  },
  {
    name: 'if else chain',
    template: '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}',
    data: 'go',
    want: '3'
  },
  { name: 'print', template: '{{print "hello, print"}}', data: 'go', want: 'hello, print' },
  { name: 'print 123', template: '{{print 1 2 3}}', data: 'go', want: '1 2 3' },
  { name: 'print nil', template: '{{print nil}}', data: 'go', want: '<nil>' },
  { name: 'print mixed', template: '{{print "a" 1 2 "b" "c" 3.5 true .SI}}', data: 'go' },
  { name: 'println', template: '{{println 1 2 3}}', data: 'go', want: '1 2 3\n' },
  { name: 'printf int', template: '{{printf "%04x" 127}}', data: 'go', want: '007f' },
  { name: 'printf float', template: '{{printf "%g" 3.5}}', data: 'go', want: '3.5' },
  { name: 'printf string', template: '{{printf "%s" "hello"}}', data: 'go', want: 'hello' },
  {
    name: 'printf verbs',
    template:
      '{{printf "[%02d][%-5s][%5s][%q][%x][%X][% x][%#x][%v][%t][%c][%5.2f][%e][%+d][%o][%b][%%]" 7 "ab" "cd" "a\\"é\\n" "hé" 255 "ab" 255 .SI true 65 3.14159 1234.5678 5 8 5}}',
    data: 'go'
  },
  {
    name: 'printf bad verb, missing and extra',
    template: '{{printf "%d %s" "x" 3}}|{{printf "%d %d" 1}}|{{printf "%d" 1 "x" 2}}',
    data: 'go'
  },
  {
    name: 'printf %v of map and float',
    template: '{{printf "%v %v %v %v" .MSI 1e6 100000.0 0.00001}}',
    data: 'go'
  },
  {
    name: 'printf widths and flags',
    template:
      '{{printf "[%8.3f][%-8.2f][%08.3f][%+.1e][%x][%X][%5t][%.2s][%-6q][%+q][%#q][%U][%#U][%6d][%-6d|][% d][%x]" -3.14159 2.5 -1.5 12345.678 -255 "hi" true "héllo" "a" "é" "raw" 233 233 -42 42 42 .SI}}',
    data: 'go'
  },
  {
    name: 'printf %T',
    template: '{{printf "%T %T %T %T %T %T" "s" 1 1.5 true .SI .MSI}}',
    data: 'go'
  },
  {
    name: 'printf %g precision',
    template:
      '{{printf "%.3g %g %g %G %.2f %.0f" 1234.5678 0.000012345 123456789.0 1e-7 2.675 0.5}}',
    data: 'go'
  },
  {
    name: 'printf round half to even',
    template: '{{printf "%.0f %.0f %.1f %.2f %.0e %.1e %.0f" 1.5 2.5 0.25 1.125 2.5 9.75 -0.5}}',
    data: 'go'
  },
  {
    name: 'printf %02d from data',
    template: '{{ printf "%s_%02d" .ProjectName .Major }}',
    want: 'hello_01'
  },
  { name: 'printf in pipeline', template: '{{ .Version | printf "v%s" }}', want: 'v1.2.3' },
  {
    name: 'pipeline with function chain',
    template: '{{ .Os | toupper | printf "%s!" }}',
    want: 'LINUX!'
  },
  { name: 'not', template: '{{not true}} {{not false}}', data: 'go', want: 'false true' },
  {
    name: 'and',
    template: '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}',
    data: 'go',
    want: 'false 0 0 1'
  },
  {
    name: 'or',
    template: '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}',
    data: 'go',
    want: '0 1 true 1'
  },
  { name: 'or short-circuit', template: '{{or 0 1 (index nil 0)}}', data: 'go', want: '1' },
  { name: 'and short-circuit', template: '{{and 1 0 (index nil 0)}}', data: 'go', want: '0' },
  {
    name: 'or short-circuit2 fails',
    template: '{{or 0 0 (index nil 0)}}',
    data: 'go',
    fails: true
  },
  { name: 'and pipe-true', template: '{{1 | and 1}}', data: 'go', want: '1' },
  { name: 'or pipe-false', template: '{{0 | or 0}}', data: 'go', want: '0' },
  {
    name: 'and undef',
    template: '{{and 1 .Unknown}}',
    data: 'go',
    missingKey: 'default',
    want: '<no value>'
  },
  {
    name: 'boolean if not',
    template: '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}',
    data: 'go',
    want: 'FALSE'
  },
  {
    name: 'boolean if pipe',
    template: '{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}',
    data: 'go',
    want: 'FALSE'
  },
  { name: 'index slice', template: '{{index .SI 0}} {{index .SI 2}}', data: 'go', want: '3 5' },
  { name: 'index map', template: '{{index .MSI `two`}}', data: 'go', want: '2' },
  { name: 'index map missing', template: '{{index .MSI `XXX`}}', data: 'go', want: '<no value>' },
  { name: 'index out of range fails', template: '{{index .SI 3}}', data: 'go', fails: true },
  { name: 'index nil fails', template: '{{index nil 1}}', data: 'go', fails: true },
  { name: 'index string', template: '{{index .S 1}}', data: 'go', want: '121' },
  { name: 'slice[:]', template: '{{slice .SI}}', data: 'go', want: '[3 4 5]' },
  { name: 'slice[1:2]', template: '{{slice .SI 1 2}}', data: 'go', want: '[4]' },
  { name: 'string[1:]', template: '{{slice .S 1}}', data: 'go', want: 'yz' },
  { name: 'slice out of range fails', template: '{{slice .S 1 5}}', data: 'go', fails: true },
  {
    name: '3-index slice of string fails',
    template: '{{slice .S 1 2 2}}',
    data: 'go',
    fails: true
  },
  { name: 'len', template: '{{len .SI}} {{len .MSI}} {{len "héllo"}}', data: 'go', want: '3 3 6' },
  { name: 'len of int fails', template: '{{len 3}}', data: 'go', fails: true },
  { name: 'with true', template: '{{with true}}{{.}}{{end}}', data: 'go', want: 'true' },
  { name: 'with 0', template: '{{with 0}}{{.}}{{else}}ZERO{{end}}', data: 'go', want: 'ZERO' },
  { name: 'with 1.5', template: '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', data: 'go', want: '1.5' },
  {
    name: 'with slice',
    template: '{{with .SI}}{{.}}{{else}}EMPTY{{end}}',
    data: 'go',
    want: '[3 4 5]'
  },
  { name: 'with $x', template: '{{with $x := .SI}}{{$x}}{{end}}', data: 'go', want: '[3 4 5]' },
  {
    name: 'with else with',
    template: '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}',
    data: 'go',
    want: 'true'
  },
  {
    name: 'with else with chain',
    template: '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}',
    data: 'go',
    want: 'notempty'
  },
  { name: 'range []int', template: '{{range .SI}}-{{.}}-{{end}}', data: 'go', want: '-3--4--5-' },
  {
    name: 'range empty else',
    template: '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}',
    data: 'go',
    want: 'EMPTY'
  },
  {
    name: 'range []int break else',
    template: '{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}',
    data: 'go',
    want: '-3-'
  },
  {
    name: 'range []int continue else',
    template: '{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}',
    data: 'go',
    want: '-3--4--5-'
  },
  {
    name: 'range []bool',
    template: '{{range .SB}}-{{.}}-{{end}}',
    data: 'go',
    want: '-true--false-'
  },
  { name: 'range map', template: '{{range .MSI}}-{{.}}-{{end}}', data: 'go', want: '-1--3--2-' },
  {
    name: 'range map keys',
    template: '{{range $k, $v := .MSI}}{{$k}}={{$v}} {{end}}',
    data: 'go',
    want: 'one=1 three=3 two=2 '
  },
  {
    name: 'range $x SI',
    template: '{{range $x := .SI}}<{{$x}}>{{end}}',
    data: 'go',
    want: '<3><4><5>'
  },
  {
    name: 'range $x $y SI',
    template: '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}',
    data: 'go',
    want: '<0=3><1=4><2=5>'
  },
  {
    name: 'declare in range',
    template: '{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}',
    data: 'go',
    want: '<3><4><5>'
  },
  { name: 'range 5', template: '{{range $v := 5}}{{$v}}{{end}}', data: 'go', want: '01234' },
  {
    name: 'range int with two variables fails',
    template: '{{range $i, $v := 5}}{{$v}}{{end}}',
    data: 'go',
    fails: true
  },
  { name: 'range string fails', template: '{{range .S}}{{.}}{{end}}', data: 'go', fails: true },
  {
    name: 'range break in if',
    template: '{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}',
    data: 'go',
    want: '3'
  },
  {
    name: 'decimal',
    template:
      '{{print 1234}} {{print -1234}} {{print 0x1F}} {{print 0o17}} {{print 0b101}} {{print 1_000}}',
    data: 'go'
  },
  { name: 'float literals', template: '{{print 1.5}} {{print 1e3}} {{print .F}}', data: 'go' },
  { name: 'char constant', template: "{{print 'a'}} {{printf \"%c\" 'é'}}", data: 'go' },
  {
    name: 'string escapes',
    template: '{{ "tab\\there\\x41\\u00e9\\101" }}',
    data: 'go',
    want: 'tab\there' + 'A' + 'é' + 'A'
  },
  { name: 'raw string', template: '{{ `a\\nb` }}', data: 'go', want: 'a\\nb' },
  {
    name: 'eq',
    template: '{{eq 1 1}} {{eq "a" "b"}} {{eq .X "x"}} {{eq 3 1 2 3}}',
    data: 'go',
    want: 'true false true true'
  },
  {
    name: 'ne lt le gt ge',
    template: '{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}}',
    data: 'go',
    want: 'true true true true false'
  },
  { name: 'eq incompatible types fails', template: '{{eq 1 "1"}}', data: 'go', fails: true },
  { name: 'lt int float fails', template: '{{lt 1 1.5}}', data: 'go', fails: true },
  { name: 'eq with nil field', template: '{{eq .NIL "x"}}', data: 'go', want: 'false' },
  // Lexing corners and nesting.
  { name: 'delimiters inside strings', template: '{{ "}}" }}{{ printf "%s" "{{" }}', want: '}}{{' },
  { name: 'newlines inside an action', template: '{{ .Os\n  | toupper\n}}', want: 'LINUX' },
  {
    name: 'CRLF and Unicode text',
    template: 'héllo\r\n{{ .Os }} ✓\r\n',
    want: 'héllo\r\nlinux ✓\r\n'
  },
  {
    name: 'nested if, with and range',
    template:
      '{{ range $i, $t := .Targets }}{{ if $i }},{{ end }}{{ with split $t "_" }}{{ index . 0 }}/{{ if eq (index . 1) "amd64" }}x64{{ else }}{{ index . 1 }}{{ end }}{{ end }}{{ end }}',
    want: 'linux/x64,darwin/arm64,windows/x64'
  },
  {
    name: 'with $x else',
    template: '{{ with $x := .Arm }}arm{{ $x }}{{ else }}none{{ end }}',
    want: 'none'
  },
  {
    name: 'range over a map of labels',
    template: '{{ range $k, $v := .Labels }}{{ $k }}={{ $v }};{{ end }}',
    want: 'arch=amd64;os=linux;'
  },
  {
    name: 'and with a comparison',
    template: '{{ if and .Os (eq .Arch "amd64") (not .IsSnapshot) }}ok{{ end }}',
    want: 'ok'
  },
  {
    name: 'len piped to printf',
    template: '{{ len .Targets | printf "%d targets" }}',
    want: '3 targets'
  },
  {
    name: 'printf %03d piped',
    template: '{{ .Major | printf "%03d" }} {{ print .IsSnapshot }} {{ printf "%v" .Labels }}'
  },
  {
    name: 'title and case on non-ASCII',
    template: '{{ title "élan vital ñandú" }} {{ toupper "straße" }} {{ tolower "ÀÉÎ" }}'
  },
  {
    name: 'variable holding a map',
    template: '{{ $l := .Labels }}{{ $l.os }}-{{ $.Labels.arch }}',
    want: 'linux-amd64'
  },
  {
    name: 'assign in range keeps the outer variable',
    template: '{{ $last := "" }}{{ range .Targets }}{{ $last = . }}{{ end }}{{ $last }}',
    want: 'windows_amd64'
  },
  {
    name: 'prerelease check',
    template: '{{ if .Prerelease }}pre{{ else }}{{ .Major }}.{{ .Minor }}{{ end }}',
    want: '1.2'
  },
  {
    name: 'else if on with fails',
    template: '{{ with .Os }}a{{ else if .Arch }}b{{ end }}',
    fails: true
  },
  { name: 'unknown field on a nested map fails', template: '{{ .Labels.nope }}', fails: true },
  // Parse errors.
  { name: 'unknown function fails', template: '{{ foo }}', fails: true },
  { name: 'unexpected end fails', template: '{{ end }}', fails: true },
  { name: 'unclosed action fails', template: '{{ .Version', fails: true },
  { name: 'missing end fails', template: '{{ if .Version }}x', fails: true },
  { name: 'unterminated string fails', template: '{{ "abc }}', fails: true },
  { name: 'break outside range fails', template: '{{ break }}', fails: true },
  { name: 'wrong argument type fails', template: '{{ replace .Major "." "-" }}', fails: true },
  { name: 'wrong argument count fails', template: '{{ replace .Version "." }}', fails: true },
  { name: 'literal of wrong type fails', template: '{{ tolower 3 }}', fails: true }
]
