// The checks stage as a runner runs it: vet, staticcheck (built from the module proxy) and go test
// -race on the Go modules in testdata/checks, with annotations, the job summary and the exit code.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { statSync } from 'node:fs'
import path from 'node:path'
import {
  cleanupTempDirs,
  goHome,
  machineGoSemver,
  seededToolCache,
  tempDir,
  writeFiles
} from '../helpers/fixtures.js'
import {
  type ActionRun,
  annotations,
  assertExit,
  check,
  REPO_ROOT,
  runAction
} from '../helpers/run-action.js'

const CHECKS = 'testdata/checks'
let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>
let firstRun: ActionRun

beforeAll(async () => {
  // One tool cache and one Go home for the file: staticcheck is built once, by this first run,
  // which also compiles the race runtime into a cold build cache: minutes on a small machine.
  toolCache = await seededToolCache()
  home = await goHome()
  firstRun = await checkModule(`${CHECKS}/clean`, {}, {}, 560_000)
}, 600_000)

afterAll(cleanupTempDirs)

async function checkModule(
  dir: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  timeoutMs = 280_000
) {
  return runAction({
    inputs: { cache: 'false', targets: 'none', 'working-directory': dir, ...inputs },
    cwd: REPO_ROOT,
    toolCache,
    env: { ...home, ...env },
    timeoutMs
  })
}

/** The `::error file=…` annotations as "file:line[:col] title". */
function errorPlaces(run: ActionRun): string[] {
  return annotations(run, 'error')
    .filter(a => a.props.file)
    .map(
      a => `${a.props.file}:${a.props.line}${a.props.col ? `:${a.props.col}` : ''} ${a.props.title}`
    )
}

function failureMessage(run: ActionRun): string | undefined {
  return annotations(run, 'error').find(a => !a.props.file)?.message
}

describe('the checks stage', () => {
  test('a clean module passes every check, with a summary of checks and tests', () => {
    const run = firstRun
    assertExit(run, 0)
    check(run, () => {
      expect(annotations(run, 'error')).toEqual([])
      expect(run.log).toContain('staticcheck v0.8.2 (built)')
      expect(run.summary).toMatch(/\| vet \| ✅ pass \| [\d.]+ s \|/)
      expect(run.summary).toMatch(/\| staticcheck \| ✅ pass \|/)
      expect(run.summary).toMatch(/\| test \| ✅ pass \| .*go test -cover -race/)
      expect(run.summary).toMatch(
        /\| `example\.com\/checks\/clean` \| ✅ pass \| 1 \| 0 \| 0 \| [\d.]+ s \| \d+\.\d% \|/
      )
      expect(run.summary).toMatch(
        /\| `example\.com\/checks\/clean\/greet` \| ✅ pass \| 1 \| 0 \| 1 \|/
      )
    })
  })

  test('a second run with the same tool cache does not build staticcheck again', async () => {
    const slot = `${process.arch}-go${await machineGoSemver()}`
    const binary = path.join(toolCache, 'staticcheck', 'v0.8.2', slot, 'staticcheck')
    const builtAt = statSync(binary).mtimeMs
    const run = await checkModule(`${CHECKS}/clean`)
    assertExit(run, 0)
    check(run, () => {
      expect(run.log).toContain('staticcheck v0.8.2 (tool cache)')
      expect(run.log).not.toContain('Building staticcheck')
      expect(run.log).not.toContain('go: downloading')
      expect(statSync(binary).mtimeMs).toBe(builtAt)
    })
  })

  test('go vet: a printf misuse is annotated at its column (and fails go test, which vets too)', async () => {
    const run = await checkModule(`${CHECKS}/printf`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toContain(`${CHECKS}/printf/report.go:8:22 go vet (printf)`)
      expect(
        annotations(run, 'error').find(a => a.props.title === 'go vet (printf)')?.message
      ).toBe('fmt.Sprintf format %d has arg "many" of wrong type string')
      expect(run.summary).toMatch(/\| vet \| ❌ fail \|/)
      expect(run.summary).toContain('**go vet (printf)**')
      expect(failureMessage(run)).toMatch(/^Checks failed: vet \(1 finding\)/)
    })
  })

  test('go vet: copylocks, which staticcheck does not report', async () => {
    const run = await checkModule(`${CHECKS}/vet`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual([`${CHECKS}/vet/tally.go:21:14 go vet (copylocks)`])
      expect(run.summary).toMatch(/\| staticcheck \| ✅ pass \|/)
      expect(run.summary).toMatch(/\| test \| ✅ pass \|/)
    })
  })

  test('staticcheck: SA4006', async () => {
    const run = await checkModule(`${CHECKS}/staticcheck`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual([`${CHECKS}/staticcheck/sum.go:6:2 staticcheck SA4006`])
      expect(annotations(run, 'error')[0]?.message).toBe('this value of total is never used')
      expect(run.summary).toMatch(/\| vet \| ✅ pass \|/)
      expect(failureMessage(run)).toMatch(/^Checks failed: staticcheck \(1 finding\)/)
    })
  })

  test('a failing test: t.Errorf and t.Fatalf lines, with no column', async () => {
    const run = await checkModule(`${CHECKS}/failing-test`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual([
        `${CHECKS}/failing-test/calc_test.go:7 TestAdd failed`,
        `${CHECKS}/failing-test/calc_test.go:19 TestTable/one failed`
      ])
      expect(annotations(run, 'error')[0]?.message).toBe(
        'Add(2, 2) = 0, want 4\nsecond line of the message'
      )
      expect(run.summary).toMatch(
        /\| `example\.com\/checks\/failing-test` \| ❌ fail \| 2 \| 3 \| 0 \|/
      )
    })
  })

  test('a data race: -race catches it at the first frame in the module; race: false passes', async () => {
    const racy = await checkModule(`${CHECKS}/racy`)
    assertExit(racy, 1)
    check(racy, () => {
      expect(errorPlaces(racy)).toEqual([`${CHECKS}/racy/counter.go:14 data race in TestTwice`])
      expect(annotations(racy, 'error')[0]?.message).toMatch(
        /^data race: (read|write) by goroutine \d+/
      )
    })

    const noRace = await checkModule(`${CHECKS}/racy`, { race: 'false' })
    assertExit(noRace, 0)
    check(noRace, () =>
      expect(noRace.summary).toMatch(/\| test \| ✅ pass \| .*`go test -cover \.\/\.\.\.`/)
    )
  })

  test('without cgo -race cannot run: a warning says why and the tests run without it', async () => {
    const run = await checkModule(
      `${CHECKS}/racy`,
      { vet: 'false', staticcheck: 'false' },
      { CGO_ENABLED: '0' }
    )
    assertExit(run, 0)
    check(run, () => {
      expect(annotations(run, 'warning').map(a => a.message)).toContainEqual(
        expect.stringMatching(/^race: tests run without -race because cgo is off/)
      )
      expect(run.summary).toContain('-race is off: cgo is off')
    })
  })

  test('a test file that does not compile: one annotation for the place all three tools report', async () => {
    const run = await checkModule(`${CHECKS}/broken-test`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual([
        `${CHECKS}/broken-test/shape_test.go:6:19 does not compile`
      ])
      expect(annotations(run, 'error')[0]?.message).toBe('undefined: undefinedWant')
      expect(failureMessage(run)).toMatch(
        /vet \(1 finding\), staticcheck \(1 finding\), test \(1 finding\)/
      )
    })
  })

  test('a panicking test is annotated at the first frame in the module', async () => {
    const run = await checkModule(`${CHECKS}/panic`)
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual([`${CHECKS}/panic/first.go:6 TestOfEmpty panicked`])
      expect(annotations(run, 'error')[0]?.message).toMatch(
        /^panic: runtime error: index out of range/
      )
    })
  })

  test('a module in a subdirectory gets paths relative to the repository root', async () => {
    const run = await runAction({
      inputs: { cache: 'false', targets: 'none', 'working-directory': 'sub/mod' },
      cwd: path.join(REPO_ROOT, CHECKS, 'nested'),
      toolCache,
      env: home
    })
    assertExit(run, 1)
    check(run, () => {
      expect(errorPlaces(run)).toEqual(['sub/mod/half_test.go:7 TestOf failed'])
      expect(run.summary).toContain('sub/mod/half_test.go:7')
    })
  })

  test('more findings than GitHub annotates: the most useful first, then a notice saying how many more', async () => {
    const tests = Array.from(
      { length: 14 },
      (_, i) =>
        `func TestFail${String(i).padStart(2, '0')}(t *testing.T) {\n\tt.Error("failure ${i}")\n}\n`
    )
    const dir = await writeFiles(await tempDir('gpa-many-'), {
      'go.mod': 'module example.com/many\n\ngo 1.26\n',
      'many.go':
        'package many\n\n// Reset has an SA4006.\nfunc Reset(xs []int) int {\n\tn := len(xs)\n\tn = 0\n\treturn n\n}\n',
      'many_test.go': `package many\n\nimport "testing"\n\n${tests.join('\n')}`
    })
    const run = await runAction({
      inputs: { cache: 'false', targets: 'none' },
      cwd: dir,
      toolCache,
      env: home
    })
    assertExit(run, 1)
    check(run, () => {
      const errors = annotations(run, 'error')
      // Nine findings plus the step's own failure message: GitHub's ten.
      expect(errors).toHaveLength(10)
      expect(errors.filter(a => a.props.title?.endsWith('failed'))).toHaveLength(9)
      expect(annotations(run, 'notice').map(a => a.message)).toContainEqual(
        expect.stringMatching(
          /^6 more findings are not annotated .* the job summary lists them all/
        )
      )
      // Every finding is in the summary, the staticcheck one included.
      for (let i = 0; i < 14; i++) expect(run.summary).toContain(`failure ${i}`)
      expect(run.summary).toContain('staticcheck SA4006')
    })
  })

  test('checks off: the stage is skipped', async () => {
    const run = await checkModule(`${CHECKS}/staticcheck`, {
      vet: 'false',
      staticcheck: 'false',
      test: 'false'
    })
    assertExit(run, 0)
    expect(run.summary).toMatch(/\| Checks \| ⏭️ skipped \|/)
  })
})
