// npm run bench: measures the action against the plain commands, GoReleaser and the Docker path,
// on examples/hello and a real CLI, and writes BENCHMARKS.md.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { cleanupTempDirs } from '../__tests__/helpers/fixtures.js'
import { REPO_ROOT } from '../__tests__/helpers/run-action.js'
import { startEnvironment } from './environment.js'
import { describeMachine } from './machine.js'
import { MODULES } from './modules.js'
import { renderReport } from './report.js'
import {
  buildSuite,
  checksSuite,
  imageSuite,
  pipelineSuite,
  startupSuite,
  type SuiteResult
} from './suites.js'
import { installTools } from './tools.js'

const log = (line: string): void => console.error(line)

const SUITES = [
  { name: 'pipeline', run: pipelineSuite },
  { name: 'build', run: buildSuite },
  { name: 'checks', run: checksSuite },
  { name: 'image', run: imageSuite }
]

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repetitions: { type: 'string', default: '3' },
      module: { type: 'string', multiple: true },
      suite: { type: 'string', multiple: true }
    }
  })
  const repetitions = Number(values.repetitions)
  if (!Number.isInteger(repetitions) || repetitions < 1)
    throw new Error(`--repetitions must be a whole number ≥ 1, not ${values.repetitions}`)
  const modules = values.module ? MODULES.filter(m => values.module?.includes(m.name)) : MODULES
  if (modules.length === 0)
    throw new Error(`--module: one of ${MODULES.map(m => m.name).join(', ')}`)
  const suites = values.suite ? SUITES.filter(s => values.suite?.includes(s.name)) : SUITES
  if (suites.length === 0) throw new Error(`--suite: one of ${SUITES.map(s => s.name).join(', ')}`)
  // Only a run of everything is BENCHMARKS.md; a part of it is written aside.
  const whole = modules.length === MODULES.length && suites.length === SUITES.length
  const reportFile = path.join(REPO_ROOT, whole ? 'BENCHMARKS.md' : '.local/bench-part.md')

  const tools = await installTools(log)
  log('Starting the local go.dev/dl, registry and Docker daemon…')
  const env = await startEnvironment()
  // Interrupted, it still stops its daemons and removes its folders.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the stand-ins…`)
      void Promise.allSettled([env.stop(), cleanupTempDirs()]).then(() => process.exit(130))
    })
  }
  try {
    const ctx = { env, tools, repetitions, log }
    const machine = await describeMachine(env, tools)
    const results: SuiteResult[] = []
    const startup = await startupSuite(ctx)
    // Written after every suite: a run that fails later keeps what it measured.
    const write = async (): Promise<void> => {
      const markdown = renderReport({
        date: new Date().toISOString().slice(0, 10),
        repetitions,
        command: 'npm run bench',
        machine,
        suites: [...results, startup],
        bundleBytes: startup.bundleBytes,
        distBytes: startup.distBytes
      })
      // Formatted as `npm run lint` wants every Markdown file of the repository.
      const options = (await prettier.resolveConfig(reportFile)) ?? {}
      await mkdir(path.dirname(reportFile), { recursive: true })
      await writeFile(
        reportFile,
        await prettier.format(markdown, { ...options, filepath: reportFile })
      )
    }
    for (const module of modules) {
      for (const suite of suites) {
        const result = await suite.run(ctx, module)
        log(`== ${result.title}`)
        for (const c of result.comparisons) log(`   ${c.what}: ${c.value.toFixed(2)}`)
        results.push(result)
        await write()
      }
    }
    log(`Wrote ${path.relative(REPO_ROOT, reportFile)}`)
  } finally {
    await env.stop()
    await cleanupTempDirs()
  }
}

main().catch(error => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
})
