// The benchmark's comparisons, one function each: what runs, from which state, against what.
import { execFile } from 'node:child_process'
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { CacheServer } from '../__tests__/helpers/cache-server.js'
import { DEFAULT_TARGETS } from '../src/build/targets.js'
import { goHome, NO_CHECKS, seededToolCache, tempDir } from '../__tests__/helpers/fixtures.js'
import { BUNDLE, NODE24 } from '../__tests__/helpers/run-action.js'
import { type BundleRun, type GoHome, runBundle } from './action-run.js'
import { buildAndPush, emptyDaemon } from './docker-image.js'
import type { BenchEnvironment } from './environment.js'
import { configure, runGoreleaser } from './goreleaser.js'
import { type Contender, type Measured, measure } from './measure.js'
import { type BenchModule, checkout } from './modules.js'
import { runPlain } from './plain.js'
import { ratio } from './stats.js'
import type { ToolName } from './tools.js'

const exec = promisify(execFile)

/** One figure the report checks: a ratio of two medians, or a time in milliseconds. */
export interface Comparison {
  what: string
  unit: 'ratio' | 'ms'
  value: number
  target?: number
  met?: boolean
}

export interface SuiteResult {
  title: string
  /** How the contenders start and what they do, in a sentence or two. */
  setup: string
  measured: Measured[]
  comparisons: Comparison[]
}

export interface SuiteContext {
  env: BenchEnvironment
  tools: Record<ToolName, string>
  repetitions: number
  log: (line: string) => void
}

const byId = (measured: Measured[], id: string): Measured => {
  const found = measured.find(m => m.id === id)
  if (!found) throw new Error(`no contender ${id}`)
  return found
}

const compare = (
  measured: Measured[],
  a: string,
  b: string,
  what: string,
  target?: number
): Comparison => ({
  what,
  unit: 'ratio',
  ...ratio(byId(measured, a).medianMs, byId(measured, b).medianMs, target)
})

/** `1.26.8` for the action's go-version: the version the local go.dev/dl serves. */
const goVersionInput = (env: BenchEnvironment): string => env.goVersion.replace(/^go/, '')

/** 1 and 2: the whole pipeline, cold and warm, against the same work as plain commands. */
export async function pipelineSuite(ctx: SuiteContext, module: BenchModule): Promise<SuiteResult> {
  const { env, tools, log } = ctx
  const actionCheckout = await checkout(module)
  const plainCheckout = await checkout(module)
  const inputs = {
    'go-version': goVersionInput(env),
    'go-download-base-url': env.dl.url,
    image: `${env.registry.host}/bench/${module.name}`,
    'base-image': env.base.reference,
    push: 'true',
    release: 'false'
  }
  let coldCache: CacheServer | undefined
  // What a runner starts with: its tool cache, an empty HOME, and a cache service.
  type Runner = Pick<BundleRun, 'toolCache' | 'home' | 'cacheUrl'>
  let runner: Runner | undefined
  const onRunner = () =>
    runBundle({ module, checkout: actionCheckout, inputs, ...(runner as Runner) })

  // Warm: a fresh runner whose image has Go in its tool cache, and a cache service holding what an
  // earlier run of the same commit saved. A hosted runner has the same paths every time (Go's
  // build cache keys name GOROOT and the module cache), so the warm runner keeps its paths and
  // starts each run empty but for Go.
  const warmCache = await env.cacheServer()
  const warm: Runner = {
    toolCache: await seededToolCache(),
    home: await goHome(),
    cacheUrl: warmCache.url
  }
  const freshWarmRunner = async (): Promise<void> => {
    await rm(warm.home.HOME, { recursive: true, force: true })
    await mkdir(warm.home.HOME, { recursive: true })
    for (const entry of await readdir(warm.toolCache))
      if (entry !== 'go')
        await rm(path.join(warm.toolCache, entry), { recursive: true, force: true })
    await rm(path.join(actionCheckout.dir, 'dist'), { recursive: true, force: true })
    runner = warm
  }
  log(`${module.name}: priming the cache service for the warm runs…`)
  await freshWarmRunner()
  await onRunner()
  const plain = {
    module,
    checkout: plainCheckout,
    home: await goHome(),
    tools,
    repository: `${env.registry.host}/bench/${module.name}-crane`,
    base: env.base.reference,
    outDir: await tempDir('gpa-bench-plain-')
  }
  log(`${module.name}: warming the plain commands' Go caches…`)
  await runPlain(plain)
  // In place: a machine that keeps its state, as the plain commands' does (a self-hosted runner):
  // Go and staticcheck in the tool cache, warm Go caches, no cache service. The same starting
  // point as the plain commands, so the difference is the action's own overhead.
  const inPlace: Runner = { toolCache: await seededToolCache(), home: await goHome() }
  const onInPlace = () =>
    runBundle({
      module,
      checkout: actionCheckout,
      inputs: { ...inputs, cache: 'false' },
      ...inPlace
    })
  log(`${module.name}: warming the in-place runner…`)
  await onInPlace()

  const contenders: Contender[] = [
    {
      id: 'action-cold',
      label: 'the action, cold: empty tool cache, Go caches and cache service',
      prepare: async () => {
        await coldCache?.stop()
        coldCache = await env.cacheServer()
        runner = {
          toolCache: await tempDir('gpa-bench-tc-'),
          home: await goHome(),
          cacheUrl: coldCache.url
        }
        await rm(path.join(actionCheckout.dir, 'dist'), { recursive: true, force: true })
      },
      run: onRunner
    },
    {
      id: 'action-warm',
      label: 'the action, warm: Go in the tool cache, caches restored from the cache service',
      prepare: freshWarmRunner,
      run: onRunner
    },
    {
      id: 'action-in-place',
      label: 'the action in place: Go, staticcheck and warm Go caches already there (cache: false)',
      prepare: () => rm(path.join(actionCheckout.dir, 'dist'), { recursive: true, force: true }),
      run: onInPlace
    },
    {
      id: 'plain',
      label:
        'plain commands, warm Go caches: go vet; staticcheck; go test -race -cover; go build ×6; tar/zip; sha256sum; crane',
      run: () => runPlain(plain)
    }
  ]
  const measured = await measure(contenders, ctx.repetitions, log)
  await coldCache?.stop()
  return {
    title: `The pipeline on ${module.title}`,
    setup:
      'Checks (vet, staticcheck, go test -race), the six default targets, archives and checksums, and a two-platform image pushed to the local registry; no release. ' +
      'Cold: a runner with nothing (Go downloaded from the local go.dev/dl, staticcheck built, modules fetched through the module proxy). ' +
      'Warm: a fresh runner whose tool cache holds Go, and caches restored by the step (the post step finds exact hits and saves nothing). ' +
      'In place: the action where Go, staticcheck and the Go caches are already there and warm (a self-hosted runner; cache: false). ' +
      'Plain: the same commands one after another, from the same state as in place (Go, staticcheck and crane installed, Go caches warm).',
    measured,
    comparisons: [
      compare(
        measured,
        'action-in-place',
        'plain',
        'action in place ÷ plain commands (overhead)',
        1.1
      ),
      compare(
        measured,
        'action-warm',
        'plain',
        'warm action, caches restored ÷ plain commands',
        1.1
      ),
      compare(measured, 'action-cold', 'action-warm', 'cold ÷ warm action')
    ]
  }
}

/** 3: cross-compile + archives + checksums, against GoReleaser, with warm and with empty Go caches. */
export async function buildSuite(ctx: SuiteContext, module: BenchModule): Promise<SuiteResult> {
  const { env, tools, log } = ctx
  const actionCheckout = await checkout(module)
  const releaserCheckout = await checkout(module)
  await configure(module, releaserCheckout)
  const toolCache = await seededToolCache()
  const inputs = { ...NO_CHECKS, release: 'false', 'go-version': goVersionInput(env) }
  const warm = { action: await goHome(), goreleaser: await goHome() }
  let cold = { action: await goHome(), goreleaser: await goHome() }
  const action = (home: () => GoHome) => () =>
    runBundle({ module, checkout: actionCheckout, inputs, toolCache, home: home() })
  log(`${module.name}: warming both build caches…`)
  await action(() => warm.action)()
  await runGoreleaser(tools.goreleaser, releaserCheckout, warm.goreleaser)

  const emptyHomes = async (): Promise<void> => {
    cold = { action: await goHome(), goreleaser: await goHome() }
  }
  const contenders: Contender[] = [
    {
      id: 'action-warm',
      label: 'the action (build only), warm Go build cache',
      run: action(() => warm.action)
    },
    {
      id: 'goreleaser-warm',
      label: 'goreleaser release --snapshot --skip=publish --clean, warm Go build cache',
      run: () => runGoreleaser(tools.goreleaser, releaserCheckout, warm.goreleaser)
    },
    {
      id: 'action-cold',
      label: 'the action (build only), empty Go caches',
      prepare: emptyHomes,
      run: action(() => cold.action)
    },
    {
      id: 'goreleaser-cold',
      label: 'goreleaser, empty Go caches',
      prepare: emptyHomes,
      run: () => runGoreleaser(tools.goreleaser, releaserCheckout, cold.goreleaser)
    }
  ]
  const measured = await measure(contenders, ctx.repetitions, log)
  return {
    title: `Cross-compile + archives + checksums on ${module.title}`,
    setup:
      'The six default targets, static, -trimpath, the same ldflags, tar.gz (zip on windows) with README/LICENSE/CHANGELOG, one sha256 checksums file; no checks, no image. ' +
      'The action runs with Go already in its tool cache and caches off; GoReleaser v2.15.1 with an equivalent .goreleaser.yaml (see bench/goreleaser.ts). ' +
      'Each keeps its own Go caches; warm ones were filled by a run before the timed ones.',
    measured,
    comparisons: [
      compare(
        measured,
        'action-warm',
        'goreleaser-warm',
        'action ÷ GoReleaser, warm build cache',
        0.8
      ),
      compare(measured, 'action-cold', 'goreleaser-cold', 'action ÷ GoReleaser, empty build cache')
    ]
  }
}

/** 3b: the checks on every shipped platform against the runner's platform alone, warm. */
export async function checksSuite(ctx: SuiteContext, module: BenchModule): Promise<SuiteResult> {
  const { env, log } = ctx
  const co = await checkout(module)
  const toolCache = await seededToolCache()
  const home = await goHome()
  const inputs = (platforms: readonly string[]) => ({
    cache: 'false',
    test: 'false',
    vulncheck: 'false',
    targets: 'none',
    release: 'false',
    'go-version': goVersionInput(env),
    'check-platforms': platforms.join(' ')
  })
  const six = inputs(DEFAULT_TARGETS)
  const one = inputs(['linux/amd64'])
  const run = (given: Record<string, string>) => () =>
    runBundle({ module, checkout: co, inputs: given, toolCache, home })
  log(`${module.name}: building staticcheck and warming the Go and staticcheck caches…`)
  await run(six)()
  await run(one)()
  const contenders: Contender[] = [
    {
      id: 'six',
      label: 'vet + staticcheck for the six default targets (merged)',
      run: run(six),
      figure: 'Checks'
    },
    {
      id: 'one',
      label: 'vet + staticcheck for linux/amd64 alone',
      run: run(one),
      figure: 'Checks'
    }
  ]
  const measured = await measure(contenders, ctx.repetitions, log)
  return {
    title: `Checks on every shipped platform on ${module.title}`,
    setup:
      'The Checks stage alone (vet and staticcheck; no tests, no vulncheck, nothing built), with one tool cache and warm Go and staticcheck caches: ' +
      'check-platforms set to the six default targets (one configuration per distinct set of the module’s files that compile; the log names them) against linux/amd64 alone.',
    measured,
    comparisons: [compare(measured, 'six', 'one', 'six targets ÷ one platform, warm', 1.5)]
  }
}

const LINUX_TARGETS = ['linux/amd64', 'linux/arm64']

/** 4: the image, native builder against a Docker build and push of the equivalent Dockerfile. */
export async function imageSuite(ctx: SuiteContext, module: BenchModule): Promise<SuiteResult> {
  const { env, log } = ctx
  const co = await checkout(module)
  const toolCache = await seededToolCache()
  const home = await goHome()
  const tag = module.tag.replace(/^v/, '')
  // The Go in the tool cache, whatever go.mod's go line asks for: go.dev is out of reach.
  const goVersion = goVersionInput(env)
  const inputs = (repository: string) => ({
    ...NO_CHECKS,
    release: 'false',
    'go-version': goVersion,
    targets: LINUX_TARGETS.join(' '),
    image: repository,
    'base-image': env.base.reference,
    push: 'true'
  })
  log(`${module.name}: building the binaries both image builders start from…`)
  const prebuilt = await tempDir('gpa-bench-prebuilt-')
  await runBundle({
    module,
    checkout: co,
    inputs: {
      ...NO_CHECKS,
      release: 'false',
      'go-version': goVersion,
      targets: LINUX_TARGETS.join(' '),
      // output-dir lies inside the workspace; the binaries are copied out for the Docker path.
      'output-dir': 'bench-prebuilt'
    },
    toolCache,
    home
  })
  await cp(path.join(co.dir, 'bench-prebuilt'), prebuilt, { recursive: true })
  const binaries = Object.fromEntries(
    LINUX_TARGETS.map(t => [t, path.join(prebuilt, t.replace('/', '_'), module.binary)])
  )
  let round = 0
  const repository = (builder: string) =>
    `${env.registry.host}/bench/${module.name}-${builder}-${round}`
  const contenders: Contender[] = [
    {
      id: 'native',
      // The report adds "(Image stage)": the figure compared.
      label: "the action's native builder: base manifests, our layer, push, index",
      figure: 'Image',
      prepare: async () => void round++,
      run: () =>
        runBundle({ module, checkout: co, inputs: inputs(repository('native')), toolCache, home })
    },
    {
      id: 'docker',
      label:
        'docker build (classic builder, --pull) + docker push per platform, docker manifest create/push',
      prepare: async () => {
        round++
        await emptyDaemon(env.docker)
        await mkdir(path.join(prebuilt, 'docker'), { recursive: true })
      },
      run: () =>
        buildAndPush({
          docker: env.docker,
          base: env.base.reference,
          binaries,
          repository: repository('docker'),
          tag,
          workDir: path.join(prebuilt, 'docker')
        })
    }
  ]
  const measured = await measure(contenders, ctx.repetitions, log)
  return {
    title: `The image on ${module.title}`,
    setup:
      'linux/amd64 and linux/arm64 binaries onto the distroless-like base in the local registry, pushed as one index to a new repository each time. ' +
      "The native figure is the action's Image stage (from its job summary, 0.1 s steps); Docker starts from a daemon with no images, as on a fresh runner, and pulls the base from the same registry.",
    measured,
    comparisons: [compare(measured, 'native', 'docker', 'native ÷ Docker path', 0.2)]
  }
}

/** Every .js file of the folder: the entry and the chunks it loads on demand. */
async function jsBytes(dir: string): Promise<number> {
  const files = (await readdir(dir)).filter(f => f.endsWith('.js'))
  const sizes = await Promise.all(files.map(async f => (await stat(path.join(dir, f))).size))
  return sizes.reduce((a, b) => a + b, 0)
}

/** 5: start-up of dist/index.js under Node 24, to its first input check, and its size. */
export async function startupSuite(
  ctx: SuiteContext
): Promise<SuiteResult & { bundleBytes: number; distBytes: number }> {
  const runNode = (args: string[], env: NodeJS.ProcessEnv) => async () => {
    await exec(NODE24, args, { env }).catch((error: { code?: number }) => {
      // The bundle is meant to stop at the bad input, with exit code 1.
      if (error.code !== 1) throw error
    })
  }
  const badInput = { PATH: process.env.PATH, GITHUB_ACTIONS: 'true', INPUT_MODE: 'bench' }
  const contenders: Contender[] = [
    {
      id: 'node',
      label: 'node -e 0 (Node 24 itself)',
      run: runNode(['-e', '0'], { PATH: process.env.PATH })
    },
    {
      id: 'bundle',
      label: 'node dist/index.js, to its error on `mode: bench`',
      run: runNode([BUNDLE], badInput)
    }
  ]
  const measured = await measure(contenders, Math.max(ctx.repetitions * 5, 15), () => undefined)
  const node = byId(measured, 'node').medianMs
  const bundle = byId(measured, 'bundle').medianMs
  // Node's own start is not the bundle's to shorten: the load is what the bundle adds to it.
  const load = bundle - node
  return {
    title: 'Start-up of dist/index.js',
    setup:
      'Each a new process under Node 24. The bundle parses its inputs and stops at the first bad one; what it adds to a bare Node start is its load time. ' +
      '@actions/cache (with the Azure storage SDK) and @actions/github load only when a cache or a release is used.',
    measured,
    comparisons: [
      { what: 'dist/index.js process, to its input check', unit: 'ms', value: bundle },
      {
        what: 'dist/index.js load (its process − bare Node)',
        unit: 'ms',
        value: load,
        target: 150,
        met: load <= 150
      }
    ],
    bundleBytes: (await stat(BUNDLE)).size,
    distBytes: await jsBytes(path.dirname(BUNDLE))
  }
}
