import { describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { type TestParseContext, parseTestJson } from '../../src/checks/parse-test.js'
import { captured, moduleRoot, REPO } from '../helpers/captured-checks.js'

// Real output of `go test -json -cover ./...` (Go 1.26, -count=1), captured by
// testdata/unit/checks/capture.sh. Everything is on stdout, build errors included (build-output
// and build-fail events); exit 1 when anything failed.
const fixture = (name: string, root: string): string => captured(`${name}.stdout`, root)

/** The module at /repo/testdata/checks/<module>, its packages' directories from go list. */
function moduleCtx(module: string, packages: Record<string, string>): TestParseContext {
  const root = moduleRoot(module)
  const packageDirs = Object.fromEntries(
    Object.entries(packages).map(([pkg, dir]) => [pkg, path.posix.join(root, dir)])
  )
  return { repoRoot: REPO, cwd: root, packageDirs }
}

function parseFixture(
  name: string,
  module: string,
  packages: Record<string, string>
): ReturnType<typeof parseTestJson> {
  const ctx = moduleCtx(module, packages)
  return parseTestJson(fixture(name, ctx.cwd), ctx)
}

const fail = { tool: 'test', kind: 'fail', severity: 'error' } as const

describe('parseTestJson on real output', () => {
  test('clean: two packages, one skipped test, coverage, no findings', () => {
    const { findings, packages } = parseFixture('clean.test', 'clean', {
      'example.com/checks/clean': '.',
      'example.com/checks/clean/greet': 'greet'
    })
    expect(findings).toEqual([])
    expect(packages).toStrictEqual([
      {
        package: 'example.com/checks/clean',
        outcome: 'pass',
        passed: 1,
        failed: 0,
        skipped: 0,
        elapsedSeconds: expect.any(Number),
        coverage: 50
      },
      {
        package: 'example.com/checks/clean/greet',
        outcome: 'pass',
        passed: 1,
        failed: 0,
        skipped: 1,
        elapsedSeconds: expect.any(Number),
        coverage: 66.7
      }
    ])
    expect(packages[0]?.elapsedSeconds).toBeGreaterThan(0)
  })

  test('failing-test: a two-line t.Errorf, a failing subtest, its parent not reported again', () => {
    const { findings, packages } = parseFixture('failing-test.test', 'failing-test', {
      'example.com/checks/failing-test': '.'
    })
    expect(findings).toStrictEqual([
      {
        ...fail,
        package: 'example.com/checks/failing-test',
        test: 'TestAdd',
        file: 'testdata/checks/failing-test/calc_test.go',
        line: 7,
        message: 'Add(2, 2) = 0, want 4\nsecond line of the message'
      },
      {
        ...fail,
        package: 'example.com/checks/failing-test',
        test: 'TestTable/one',
        file: 'testdata/checks/failing-test/calc_test.go',
        line: 19,
        message: 'Add(1, 1) = 0, want 2'
      }
    ])
    // Subtests count: TestAdd, TestTable and TestTable/one failed; TestTable/zero and TestPasses passed.
    expect(packages).toStrictEqual([
      {
        package: 'example.com/checks/failing-test',
        outcome: 'fail',
        passed: 2,
        failed: 3,
        skipped: 0,
        elapsedSeconds: expect.any(Number),
        coverage: 100
      }
    ])
  })

  test('panic: placed at the first frame in the repository, an inlined one in a non-test file', () => {
    const { findings, packages } = parseFixture('panic.test', 'panic', {
      'example.com/checks/panic': '.'
    })
    expect(findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'panic',
        severity: 'error',
        package: 'example.com/checks/panic',
        test: 'TestOfEmpty',
        file: 'testdata/checks/panic/first.go',
        line: 6,
        message:
          'panic: runtime error: index out of range [0] with length 0 [recovered, repanicked]'
      }
    ])
    // The binary died before printing coverage.
    expect(packages).toStrictEqual([
      {
        package: 'example.com/checks/panic',
        outcome: 'fail',
        passed: 1,
        failed: 1,
        skipped: 0,
        elapsedSeconds: expect.any(Number)
      }
    ])
  })

  test('racy without -race passes', () => {
    const { findings, packages } = parseFixture('racy.test', 'racy', {
      'example.com/checks/racy': '.'
    })
    expect(findings).toEqual([])
    expect(packages.map(p => [p.outcome, p.passed, p.coverage])).toEqual([['pass', 1, 100]])
  })

  test('racy with -race: one race finding, and no second finding for "race detected"', () => {
    const { findings, packages } = parseFixture('racy.race', 'racy', {
      'example.com/checks/racy': '.'
    })
    // Which goroutine reads and which writes first changes from one capture to the next.
    const access = String.raw`(read|write) by goroutine \d+ in racy\.Twice\.func1 \(testdata/checks/racy/counter\.go:14\)`
    expect(findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'race',
        severity: 'error',
        package: 'example.com/checks/racy',
        test: 'TestTwice',
        file: 'testdata/checks/racy/counter.go',
        line: 14,
        message: expect.stringMatching(new RegExp(`^data race: ${access}; previous ${access}$`))
      }
    ])
    expect(packages.map(p => [p.outcome, p.passed, p.failed, p.coverage])).toEqual([
      ['fail', 0, 1, 100]
    ])
  })

  test('broken-test: the build-output events give a build finding; the package fails with no tests', () => {
    const { findings, packages } = parseFixture('broken-test.test', 'broken-test', {
      'example.com/checks/broken-test': '.'
    })
    expect(findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'build',
        severity: 'error',
        package: 'example.com/checks/broken-test',
        file: 'testdata/checks/broken-test/shape_test.go',
        line: 6,
        column: 19,
        message: 'undefined: undefinedWant'
      }
    ])
    expect(packages).toStrictEqual([
      {
        package: 'example.com/checks/broken-test',
        outcome: 'fail',
        passed: 0,
        failed: 0,
        skipped: 0,
        elapsedSeconds: 0
      }
    ])
  })

  test("vet-in-test: what go test's own vet says is of kind vet; compile errors stay build", () => {
    const ctx = moduleCtx('vet-in-test', {
      'example.com/checks/vet-in-test': '.',
      'example.com/checks/vet-in-test/broken': 'broken',
      'example.com/checks/vet-in-test/brokenlib': 'brokenlib',
      'example.com/checks/vet-in-test/format': 'format',
      'example.com/checks/vet-in-test/notests': 'notests'
    })
    // As the checks run it: with -cover, so the columns of non-test files are left out.
    const { findings, packages } = parseTestJson(fixture('vet-in-test.test', ctx.cwd), {
      ...ctx,
      coverInstrumented: true
    })
    // Packages build in parallel, so the failures come in any order.
    findings.sort(
      (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0)
    )
    const vet = { tool: 'test', kind: 'vet', severity: 'error' } as const
    const build = { tool: 'test', kind: 'build', severity: 'error' } as const
    const dir = 'testdata/checks/vet-in-test'
    expect(findings).toStrictEqual([
      // A compile error in a test variant: one header, `# pkg [pkg.test]`.
      {
        ...build,
        package: 'example.com/checks/vet-in-test/broken',
        file: `${dir}/broken/broken_test.go`,
        line: 6,
        column: 16,
        message: 'undefined: undefinedWant'
      },
      // A compile error in a package without tests: one plain `# pkg` header.
      {
        ...build,
        package: 'example.com/checks/vet-in-test/brokenlib',
        file: `${dir}/brokenlib/brokenlib.go`,
        line: 5,
        message: 'cannot use 1 (untyped int constant) as string value in return statement'
      },
      // go test's vet on a test variant: `# pkg`, then `# [pkg]`.
      {
        ...vet,
        code: 'printf',
        package: 'example.com/checks/vet-in-test/format',
        file: `${dir}/format/format.go`,
        line: 7,
        message: 'fmt.Printf format %d has arg s of wrong type string'
      },
      {
        ...vet,
        code: 'printf',
        package: 'example.com/checks/vet-in-test',
        file: `${dir}/label_test.go`,
        line: 9,
        column: 20,
        message: 'fmt.Printf format %d has arg Label() of wrong type string'
      },
      // go test's vet on a package without tests: the plain `# pkg` header of brokenlib; the
      // message tells them apart.
      {
        ...vet,
        code: 'printf',
        package: 'example.com/checks/vet-in-test/notests',
        file: `${dir}/notests/notests.go`,
        line: 7,
        message: 'fmt.Printf format %s has arg n of wrong type int'
      },
      {
        ...vet,
        code: 'stringintconv',
        package: 'example.com/checks/vet-in-test/notests',
        file: `${dir}/notests/notests.go`,
        line: 10,
        message: 'conversion from int to string yields a string of one rune, not a string of digits'
      }
    ])
    expect(packages.map(p => [p.package, p.outcome])).toEqual([
      ['example.com/checks/vet-in-test', 'fail'],
      ['example.com/checks/vet-in-test/broken', 'fail'],
      ['example.com/checks/vet-in-test/brokenlib', 'fail'],
      ['example.com/checks/vet-in-test/format', 'fail'],
      ['example.com/checks/vet-in-test/notests', 'fail']
    ])
  })

  test('nested: a module in sub/mod of the repository, tested from there', () => {
    // testdata/checks/nested is the repository root here, as GITHUB_WORKSPACE would be.
    const ctx = {
      repoRoot: REPO,
      cwd: `${REPO}/sub/mod`,
      packageDirs: { 'example.com/checks/nested': `${REPO}/sub/mod` }
    }
    const { findings, packages } = parseTestJson(fixture('nested.test', REPO), ctx)
    expect(findings).toStrictEqual([
      {
        ...fail,
        package: 'example.com/checks/nested',
        test: 'TestOf',
        file: 'sub/mod/half_test.go',
        line: 7,
        message: 'Of(3) = 2, want 1'
      }
    ])
    expect(packages.map(p => [p.package, p.outcome, p.failed])).toEqual([
      ['example.com/checks/nested', 'fail', 1]
    ])
  })
})

/** go test -json lines from events (Time left out, as parsers do not need it). */
function stream(...events: object[]): string {
  return events.map(e => JSON.stringify(e)).join('\n') + '\n'
}

const out = (Package: string, Test: string | undefined, Output: string): object => ({
  Action: 'output',
  Package,
  ...(Test ? { Test } : {}),
  Output
})

describe('parseTestJson edge cases', () => {
  const ctx: TestParseContext = {
    repoRoot: '/repo',
    cwd: '/repo',
    packageDirs: { 'example.com/a': '/repo/a', 'example.com/b': '/repo/b' }
  }

  test('events of two packages interleaved are kept apart', () => {
    const output = stream(
      { Action: 'start', Package: 'example.com/b' },
      { Action: 'start', Package: 'example.com/a' },
      { Action: 'run', Package: 'example.com/a', Test: 'TestA' },
      { Action: 'run', Package: 'example.com/b', Test: 'TestB' },
      out('example.com/a', 'TestA', '    a_test.go:3: from a\n'),
      out('example.com/b', 'TestB', '    b_test.go:4: from b\n'),
      out('example.com/a', 'TestA', '--- FAIL: TestA (0.00s)\n'),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestA', Elapsed: 0 },
      { Action: 'pass', Package: 'example.com/b', Test: 'TestB', Elapsed: 0 },
      out('example.com/b', undefined, 'coverage: 12.5% of statements\n'),
      { Action: 'pass', Package: 'example.com/b', Elapsed: 0.5 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 1.25 }
    )
    const { findings, packages } = parseTestJson(output, ctx)
    expect(findings).toStrictEqual([
      {
        ...fail,
        package: 'example.com/a',
        test: 'TestA',
        file: 'a/a_test.go',
        line: 3,
        message: 'from a'
      }
    ])
    expect(packages).toStrictEqual([
      {
        package: 'example.com/a',
        outcome: 'fail',
        passed: 0,
        failed: 1,
        skipped: 0,
        elapsedSeconds: 1.25
      },
      {
        package: 'example.com/b',
        outcome: 'pass',
        passed: 1,
        failed: 0,
        skipped: 0,
        elapsedSeconds: 0.5,
        coverage: 12.5
      }
    ])
  })

  test('a message spanning lines, with a blank line, and a t.Log line before it (as Go 1.26 prints them)', () => {
    const output = stream(
      out('example.com/a', 'TestX', '=== RUN   TestX\n'),
      out('example.com/a', 'TestX', '    a_test.go:6: a log line\n'),
      out('example.com/a', 'TestX', '    a_test.go:7: first\n'),
      out('example.com/a', 'TestX', '        \n'),
      out('example.com/a', 'TestX', '        after blank\n'),
      out('example.com/a', 'TestX', '            indented more\n'),
      out('example.com/a', 'TestX', '--- FAIL: TestX (0.00s)\n'),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestX', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 0 }
    )
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      {
        ...fail,
        package: 'example.com/a',
        test: 'TestX',
        file: 'a/a_test.go',
        line: 6,
        message: 'a log line'
      },
      {
        ...fail,
        package: 'example.com/a',
        test: 'TestX',
        file: 'a/a_test.go',
        line: 7,
        message: 'first\n\nafter blank\n    indented more'
      }
    ])
  })

  test('a line split over two output events is joined', () => {
    const output = stream(
      out('example.com/a', 'TestX', '    a_test.go:9: a very '),
      out('example.com/a', 'TestX', 'long line\n'),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestX', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 0 }
    )
    expect(parseTestJson(output, ctx).findings.map(f => f.message)).toEqual(['a very long line'])
  })

  test('outside the repository, or in a package without a known directory, a finding keeps no file', () => {
    const output = stream(
      out('example.com/elsewhere', 'TestX', '    x_test.go:34: want 1\n'),
      { Action: 'fail', Package: 'example.com/elsewhere', Test: 'TestX', Elapsed: 0 },
      out('example.com/a', 'TestP', 'panic: boom\n\ngoroutine 7 [running]:\n'),
      out(
        'example.com/a',
        'TestP',
        'example.com/dep.Explode(...)\n\t/home/runner/go/pkg/mod/example.com/dep@v1.0.0/dep.go:3\n'
      ),
      out(
        'example.com/a',
        'TestP',
        'testing.tRunner(0xc000003500, 0x5ecf58)\n\t/usr/local/go/src/testing/testing.go:2036 +0xea\n'
      ),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestP', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/elsewhere', Elapsed: 0 }
    )
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'panic',
        severity: 'error',
        package: 'example.com/a',
        test: 'TestP',
        message: 'panic: boom'
      },
      { ...fail, package: 'example.com/elsewhere', test: 'TestX', message: 'x_test.go:34: want 1' }
    ])
  })

  test('a failing test that said nothing is named; a package that failed outside any test is reported', () => {
    const output = stream(
      out('example.com/a', 'TestQuiet', '--- FAIL: TestQuiet (0.00s)\n'),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestQuiet', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 0 },
      out('example.com/b', undefined, 'PASS\n'),
      out('example.com/b', undefined, 'exit status 3\n'),
      out('example.com/b', undefined, 'FAIL\texample.com/b\t0.01s\n'),
      { Action: 'fail', Package: 'example.com/b', Elapsed: 0.01 }
    )
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      { ...fail, package: 'example.com/a', test: 'TestQuiet', message: 'TestQuiet failed' },
      { ...fail, package: 'example.com/b', message: 'example.com/b failed\nexit status 3' }
    ])
  })

  test('"race detected" without a race report in the package stays a plain failure', () => {
    const output = stream(
      out(
        'example.com/a',
        'TestR',
        '    testing.go:1712: race detected during execution of test\n'
      ),
      { Action: 'fail', Package: 'example.com/a', Test: 'TestR', Elapsed: 0 },
      { Action: 'fail', Package: 'example.com/a', Elapsed: 0 }
    )
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      {
        ...fail,
        package: 'example.com/a',
        test: 'TestR',
        message: 'testing.go:1712: race detected during execution of test'
      }
    ])
  })

  test('a setup failure names the importing package; -cover columns of non-test files are dropped', () => {
    // Real Go 1.26 events: a missing import, and go test's own vet under -cover (a.go:5:32 in truth).
    const output = stream(
      {
        ImportPath: 'example.com/sf/missing',
        Action: 'build-output',
        Output: '# example.com/sf/a\n'
      },
      {
        ImportPath: 'example.com/sf/missing',
        Action: 'build-output',
        Output:
          'a/a.go:3:8: no required module provides package example.com/sf/missing; to add it:\n'
      },
      {
        ImportPath: 'example.com/sf/missing',
        Action: 'build-output',
        Output: '\tgo get example.com/sf/missing\n'
      },
      { ImportPath: 'example.com/sf/missing', Action: 'build-fail' },
      { Action: 'start', Package: 'example.com/sf/a' },
      out('example.com/sf/a', undefined, 'FAIL\texample.com/sf/a [setup failed]\n'),
      {
        Action: 'fail',
        Package: 'example.com/sf/a',
        Elapsed: 0,
        FailedBuild: 'example.com/sf/missing'
      },
      { ImportPath: 'example.com/vm/p', Action: 'build-output', Output: '# example.com/vm/p\n' },
      {
        ImportPath: 'example.com/vm/p',
        Action: 'build-output',
        Output: 'p/p.go:5:183: fmt.Printf format %d has arg s of wrong type string\n'
      },
      { ImportPath: 'example.com/vm/p', Action: 'build-fail' },
      { Action: 'fail', Package: 'example.com/vm/p', Elapsed: 0, FailedBuild: 'example.com/vm/p' }
    )
    const { findings, packages } = parseTestJson(output, { ...ctx, coverInstrumented: true })
    expect(findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'build',
        severity: 'error',
        package: 'example.com/sf/a',
        file: 'a/a.go',
        line: 3,
        message:
          'no required module provides package example.com/sf/missing; to add it:\ngo get example.com/sf/missing'
      },
      {
        tool: 'test',
        kind: 'vet',
        code: 'printf',
        severity: 'error',
        package: 'example.com/vm/p',
        file: 'p/p.go',
        line: 5,
        message: 'fmt.Printf format %d has arg s of wrong type string'
      }
    ])
    expect(packages.map(p => [p.package, p.outcome])).toEqual([
      ['example.com/sf/a', 'fail'],
      ['example.com/vm/p', 'fail']
    ])
  })

  test("under go test's `# [pkg]` header a finding is vet's, whatever it says; a C compiler's is not", () => {
    const build = (id: string, ...lines: string[]): object[] => [
      ...lines.map(Output => ({ ImportPath: id, Action: 'build-output', Output })),
      { ImportPath: id, Action: 'build-fail' }
    ]
    const output = stream(
      ...build(
        'example.com/a [example.com/a.test]',
        '# example.com/a\n',
        '# [example.com/a]\n',
        './a/a_test.go:3:1: a message no analyzer printed before\n'
      ),
      ...build(
        'example.com/b [example.com/b.test]',
        '# example.com/b\n',
        '# [example.com/b]\n',
        "./b/b.go:4:2: error: use of undeclared identifier 'nope'\n"
      ),
      ...build(
        'example.com/b',
        '# example.com/b\n',
        './b/b.go:5:2: fmt.Println call has possible Printf formatting directive %d\n'
      )
    )
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'vet',
        severity: 'error',
        package: 'example.com/a',
        file: 'a/a_test.go',
        line: 3,
        column: 1,
        message: 'a message no analyzer printed before'
      },
      {
        tool: 'test',
        kind: 'build',
        severity: 'error',
        package: 'example.com/b',
        file: 'b/b.go',
        line: 4,
        column: 2,
        message: "error: use of undeclared identifier 'nope'"
      },
      {
        tool: 'test',
        kind: 'vet',
        code: 'printf',
        severity: 'error',
        package: 'example.com/b',
        file: 'b/b.go',
        line: 5,
        column: 2,
        message: 'fmt.Println call has possible Printf formatting directive %d'
      }
    ])
  })

  test('before Go 1.24, build errors came as text between the events', () => {
    const output =
      'go: downloading example.com/dep v1.0.0\n' +
      '# example.com/b [example.com/b.test]\n' +
      './b/b_test.go:6:19: undefined: want\n' +
      stream(out('example.com/b', undefined, 'FAIL\texample.com/b [build failed]\n'), {
        Action: 'fail',
        Package: 'example.com/b',
        Elapsed: 0
      })
    expect(parseTestJson(output, ctx).findings).toStrictEqual([
      {
        tool: 'test',
        kind: 'build',
        severity: 'error',
        package: 'example.com/b',
        file: 'b/b_test.go',
        line: 6,
        column: 19,
        message: 'undefined: want'
      }
    ])
  })

  test('a package with no test files is a skipped row without counts', () => {
    const output = stream(
      out('example.com/a', undefined, '?   \texample.com/a\t[no test files]\n'),
      { Action: 'skip', Package: 'example.com/a', Elapsed: 0 }
    )
    expect(parseTestJson(output, ctx)).toStrictEqual({
      findings: [],
      packages: [
        {
          package: 'example.com/a',
          outcome: 'skip',
          passed: 0,
          failed: 0,
          skipped: 0,
          elapsedSeconds: 0
        }
      ]
    })
  })
})
