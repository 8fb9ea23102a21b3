// The same work as the action, as plain commands run one after another: what a workflow of `run:`
// steps would do on a machine that already has Go, staticcheck and crane, and warm Go caches.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { COMMIT_DATE } from '../__tests__/helpers/fixtures.js'
import { DEFAULT_TARGETS } from '../src/build/targets.js'
import type { GoHome } from './action-run.js'
import type { BenchModule, Checkout } from './modules.js'

const exec = promisify(execFile)

export interface PlainTools {
  staticcheck: string
  crane: string
}

export interface PlainRun {
  module: BenchModule
  checkout: Checkout
  home: GoHome
  tools: PlainTools
  /** `host/repository`, pushed as `:tag` (an index) and `:tag-<os>-<arch>`. */
  repository: string
  base: string
  outDir: string
}

const DOCUMENTS = /^(README|LICENSE|LICENCE|CHANGELOG)/i

/** Runs each step, timing it; returns each step's milliseconds. */
export async function runPlain(opts: PlainRun): Promise<Record<string, number>> {
  const { module, checkout, home, tools, outDir } = opts
  const env = { ...process.env, ...home }
  const inModule = { cwd: checkout.dir, env, maxBuffer: 64 * 1024 * 1024 }
  const times: Record<string, number> = {}
  const step = async (name: string, body: () => Promise<unknown>): Promise<void> => {
    const started = Date.now()
    await body()
    times[name] = (times[name] ?? 0) + Date.now() - started
  }
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })

  await step('vet', () => exec('go', ['vet', './...'], inModule))
  await step('staticcheck', () => exec(tools.staticcheck, ['./...'], inModule))
  await step('test', () => exec('go', ['test', '-race', '-cover', './...'], inModule))

  const version = module.tag.replace(/^v/, '')
  const ldflags = `-s -w -X main.version=${version} -X main.commit=${checkout.sha} -X main.date=${COMMIT_DATE} -buildid=`
  const documents = (await readdir(checkout.dir)).filter(f => DOCUMENTS.test(f))
  const archives: string[] = []
  const binaries: Record<string, string> = {}
  for (const target of DEFAULT_TARGETS) {
    const [goos, goarch] = target.split('/') as [string, string]
    const name = `${module.name}_${version}_${goos}_${goarch}`
    const dir = path.join(outDir, name)
    const binary = path.join(dir, goos === 'windows' ? `${module.binary}.exe` : module.binary)
    binaries[target] = binary
    await step('build', () =>
      exec(
        'go',
        ['build', '-trimpath', '-buildvcs=false', `-ldflags=${ldflags}`, '-o', binary, module.main],
        {
          ...inModule,
          env: { ...env, GOOS: goos, GOARCH: goarch, CGO_ENABLED: '0' }
        }
      )
    )
    await step('archives', async () => {
      for (const doc of documents) await copyFile(path.join(checkout.dir, doc), path.join(dir, doc))
      const files = [path.basename(binary), ...documents]
      if (goos === 'windows') {
        archives.push(`${name}.zip`)
        await exec('zip', ['-q', '-X', path.join(outDir, `${name}.zip`), ...files], { cwd: dir })
      } else {
        archives.push(`${name}.tar.gz`)
        await exec(
          'tar',
          [
            '--sort=name',
            `--mtime=${COMMIT_DATE}`,
            '--owner=0',
            '--group=0',
            '--numeric-owner',
            '-czf',
            path.join(outDir, `${name}.tar.gz`),
            ...files
          ],
          { cwd: dir }
        )
      }
    })
  }
  await step('checksums', () =>
    exec(
      'sh',
      ['-c', `sha256sum ${archives.join(' ')} > ${module.name}_${version}_checksums.txt`],
      { cwd: outDir }
    )
  )
  await step('image', () => pushWithCrane(opts, binaries))
  return times
}

/** Each linux binary as /app (owned by nonroot) on the base's image for its platform, then one index. */
async function pushWithCrane(opts: PlainRun, binaries: Record<string, string>): Promise<void> {
  const crane = (...args: string[]) =>
    exec(opts.tools.crane, [...args, '--insecure'], { env: process.env })
  const tag = opts.module.tag.replace(/^v/, '')
  const manifests: string[] = []
  for (const [target, binary] of Object.entries(binaries)) {
    if (!target.startsWith('linux/')) continue
    const slug = target.replaceAll('/', '-')
    const layerDir = path.join(opts.outDir, `layer-${slug}`)
    await mkdir(layerDir, { recursive: true })
    await copyFile(binary, path.join(layerDir, 'app'))
    const layer = path.join(opts.outDir, `layer-${slug}.tar.gz`)
    await exec(
      'tar',
      [
        '--owner=65532',
        '--group=65532',
        '--numeric-owner',
        `--mtime=${COMMIT_DATE}`,
        '-czf',
        layer,
        'app'
      ],
      { cwd: layerDir }
    )
    const ref = `${opts.repository}:${tag}-${slug}`
    await crane('append', '--platform', target, '-b', opts.base, '-f', layer, '-t', ref)
    await crane('mutate', ref, '--entrypoint', '/app', '--user', '65532:65532', '-t', ref)
    manifests.push(ref)
  }
  await crane(
    'index',
    'append',
    '-t',
    `${opts.repository}:${tag}`,
    ...manifests.flatMap(m => ['-m', m])
  )
}
