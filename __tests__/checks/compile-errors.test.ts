import { describe, expect, test } from '@jest/globals'
import { goTestVetAnalyzer, parseCompilerOutput } from '../../src/checks/compile-errors.js'

// Real Go 1.26 messages: `go vet -json` named each one's analyzer; go test printed the same
// messages (unusedresult aside, which go test does not run) as `./a.go:16:14: <message>` lines.
const VET_MESSAGES: Array<[string, string]> = [
  ['atomic', 'direct assignment to atomic value'],
  ['bools', 'redundant or: n == 1 || n == 1'],
  ['bools', 'suspect or: n != 1 || n != 2'],
  [
    'errorsas',
    'second argument to errors.As must be a non-nil pointer to either a type that implements error, or to any interface type'
  ],
  [
    'ifaceassert',
    'impossible type assertion: no type can implement both io.Reader and interface{Read() int} (conflicting types for Read method)'
  ],
  ['nilfunc', 'comparison of function F == nil is always false'],
  ['printf', 'fmt.Printf format %d has arg s of wrong type string'],
  ['printf', 'fmt.Printf format %d reads arg #2, but call has 1 arg'],
  ['printf', 'fmt.Println call has possible Printf formatting directive %d'],
  ['printf', 'non-constant format string in call to fmt.Printf'],
  ['printf', 'fmt.Printf call has arguments but no formatting directives'],
  ['printf', 'fmt.Println arg list ends with redundant newline'],
  ['printf', 'fmt.Printf format %z has unknown verb z'],
  ['printf', 'fmt.Printf format %d arg F is a func value, not called'],
  ['printf', 'fmt.Errorf format %w reads arg #2, but call has 1 arg'],
  ['slog', 'slog.Info arg "n" should be a string or a slog.Attr (possible missing key or value)'],
  [
    'stringintconv',
    'conversion from int to string yields a string of one rune, not a string of digits'
  ],
  ['tests', "Testfoo has malformed name: first letter after 'Test' must not be lowercase"],
  ['tests', 'ExampleNope refers to unknown identifier: Nope']
]

// Real Go 1.26 compiler errors (go build -gcflags=-e), first lines.
const COMPILER_MESSAGES = [
  'declared and not used: x',
  'undefined: undefinedThing',
  'not enough arguments in call to f',
  'too many arguments in call to f',
  'impossible type assertion: r.(T)',
  'cannot use 1 (untyped int constant) as string value in variable declaration',
  'cannot use "x" (untyped string constant) as int value in return statement',
  'missing return',
  // go vet's analyzers outside go test's subset are not go test's.
  'result of fmt.Errorf call not used'
]

describe('goTestVetAnalyzer', () => {
  test.each(VET_MESSAGES)('%s: %s', (analyzer, message) =>
    expect(goTestVetAnalyzer(message)).toBe(analyzer)
  )

  test.each(COMPILER_MESSAGES)('not vet: %s', message =>
    expect(goTestVetAnalyzer(message)).toBeUndefined()
  )
})

describe('parseCompilerOutput', () => {
  const ctx = { repoRoot: '/repo', cwd: '/repo' }
  const vetOfTestVariant =
    '# example.com/x\n# [example.com/x]\n./x_test.go:5:2: a message of a newer analyzer\n'

  test('only with goTest is vet output of kind vet: go vet itself prints type errors the same way', () => {
    expect(parseCompilerOutput(vetOfTestVariant, 'test', ctx, { goTest: true })).toStrictEqual([
      {
        tool: 'test',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/x',
        file: 'x_test.go',
        line: 5,
        column: 2,
        message: 'a message of a newer analyzer'
      }
    ])
    expect(parseCompilerOutput(vetOfTestVariant, 'vet', ctx).map(f => f.kind)).toEqual(['build'])
    const printf =
      '# example.com/x\n./x.go:7:3: fmt.Printf format %d has arg s of wrong type string'
    expect(parseCompilerOutput(printf, 'vet', ctx).map(f => f.kind)).toEqual(['build'])
  })

  test('a compile error under a plain header stays build with goTest, continuation lines kept', () => {
    const text =
      '# example.com/ce\n' +
      './a.go:14:2: not enough arguments in call to f\n\thave ()\n\twant (int)\n' +
      './a.go:16:14: fmt.Printf format %d has arg s of wrong type string\n'
    expect(parseCompilerOutput(text, 'test', ctx, { goTest: true })).toStrictEqual([
      {
        tool: 'test',
        kind: 'build',
        severity: 'error',
        package: 'example.com/ce',
        file: 'a.go',
        line: 14,
        column: 2,
        message: 'not enough arguments in call to f\nhave ()\nwant (int)'
      },
      {
        tool: 'test',
        kind: 'vet',
        code: 'printf',
        severity: 'error',
        package: 'example.com/ce',
        file: 'a.go',
        line: 16,
        column: 14,
        message: 'fmt.Printf format %d has arg s of wrong type string'
      }
    ])
  })
})
