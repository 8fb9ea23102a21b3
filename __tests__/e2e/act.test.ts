// The matrix workflow (.github/workflows/matrix.yml) run for real by nektos/act in host mode, with
// act's own artifact and cache servers, against the local registry and the GitHub stand-in: the
// checks job, four legs, one publish job, one release and one image index.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { actBinary, actionFolders } from '../helpers/act.js'
import { type DistrolessBase, pushDistrolessBase } from '../helpers/distroless-base.js'
import { cleanupTempDirs, gitEnv, goHome, seededToolCache, tempDir } from '../helpers/fixtures.js'
import { type GitHubServer, startGitHubServer } from '../helpers/github-server.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import { NODE24, REPO_ROOT } from '../helpers/run-action.js'

const run = promisify(execFile)
let registry: Registry
let github: GitHubServer
let base: DistrolessBase

beforeAll(async () => {
  ;[registry, github] = await Promise.all([startRegistry(), startGitHubServer()])
  base = await pushDistrolessBase(registry.host)
}, 120_000)

afterEach(() => expect(github.violations).toEqual([]))

afterAll(async () => {
  await Promise.all([registry?.stop(), github?.stop()])
  await cleanupTempDirs()
})

/** The repository as a runner checks it out, on a v1.2.3 tag, named octo-org/hello. */
async function repository(): Promise<string> {
  const dir = await tempDir('gpa-act-repo-')
  await run('git', ['clone', '-q', REPO_ROOT, dir])
  const git = (...args: string[]) =>
    run('git', args, {
      cwd: dir,
      env: gitEnv()
    })
  await git('tag', 'v1.2.3')
  await git('remote', 'set-url', 'origin', 'https://github.com/octo-org/hello.git')
  return dir
}

function act(
  args: string[],
  cwd: string,
  env: Record<string, string>
): Promise<{ code: number; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0] as string, args.slice(1), {
      cwd,
      // Node 24 first: act runs node actions with the node on PATH, and ours is node24.
      env: { ...process.env, ...env, PATH: `${path.dirname(NODE24)}:${process.env.PATH}` }
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    child.once('error', reject)
    child.once('close', code => resolve({ code: code ?? -1, log }))
  })
}

describe('the matrix workflow under act', () => {
  test('the checks, four legs and the publish job: one release, one index', async () => {
    const [binary, folders, repo] = await Promise.all([actBinary(), actionFolders(), repository()])
    const work = await tempDir('gpa-act-')
    // In host mode act's tool cache is <XDG_CACHE_HOME>/act/tool_cache; a runner image comes with
    // Go in it, and go.dev cannot be reached from here.
    await seededToolCache(path.join(work, 'cache', 'act', 'tool_cache'))
    const event = path.join(work, 'event.json')
    await writeFile(
      event,
      JSON.stringify({
        ref: 'refs/tags/v1.2.3',
        repository: { full_name: 'octo-org/hello', default_branch: 'main' }
      })
    )
    const args = [
      binary,
      'push',
      '-W',
      '.github/workflows/matrix.yml',
      '-P',
      'ubuntu-latest=-self-hosted',
      // Host mode gives every job this machine's HOME and Go caches: one job at a time, as if each
      // had a runner of its own.
      '--concurrent-jobs',
      '1',
      '-e',
      event,
      '--artifact-server-path',
      path.join(work, 'artifacts'),
      '--artifact-server-addr',
      '127.0.0.1',
      '--cache-server-addr',
      '127.0.0.1',
      '--var',
      `IMAGE=${registry.host}/octo/hello`,
      '--var',
      `BASE_IMAGE=${base.reference}`,
      '--env',
      `GITHUB_API_URL=${github.apiUrl}`,
      '-s',
      `GITHUB_TOKEN=${github.token}`,
      ...Object.entries(folders).flatMap(([uses, dir]) => ['--local-repository', `${uses}=${dir}`])
    ]
    // Host mode hands the jobs this environment: Go caches of their own, not the machine's.
    const { GOCACHE, GOMODCACHE, GOPATH } = await goHome()
    const result = await act(args, repo, {
      XDG_CACHE_HOME: path.join(work, 'cache'),
      GOCACHE,
      GOMODCACHE,
      GOPATH,
      GOFLAGS: '-modcacherw'
    })
    const jobs = ['checks ', 'build-1', 'build-2', 'build-3', 'build-4', 'publish']
    const lines = (job: string) =>
      result.log.split('\n').filter(l => l.startsWith(`[matrix/${job}]`))
    if (result.code !== 0) {
      const failed = jobs.filter(job => !lines(job).some(l => l.includes('🏁  Job succeeded')))
      const logs = failed.map(job => lines(job).slice(-200).join('\n'))
      throw new Error(
        `act exited ${result.code}; jobs not succeeded: ${failed}\n${logs.join('\n')}`
      )
    }
    for (const job of jobs) expect(lines(job).join('\n')).toContain('🏁  Job succeeded')
    // The checks ran once, in their own job; the legs only built, and every job used act's cache
    // server (the publish job has no Go to cache).
    const checks = lines('checks ').join('\n')
    for (const tool of ['vet', 'staticcheck', 'test'])
      expect(checks).toContain(`| ${tool}: pass in`)
    expect(checks).toContain('Cache tools: saved as go-package-action-tools-')
    for (const leg of jobs.slice(1, 5)) {
      const log = lines(leg).join('\n')
      expect(log).toContain('Checks: skipped (vet, staticcheck, vulncheck and test are all false)')
      expect(log).toContain('Cache build: saved as go-package-action-build-')
    }
    const releases = github.releases()
    expect(releases).toHaveLength(1)
    expect(releases[0]).toMatchObject({ tag: 'v1.2.3', draft: false })
    expect(releases[0]?.assets.map(a => a.name).sort()).toEqual([
      'hello_1.2.3_checksums.txt',
      'hello_1.2.3_darwin_arm64.tar.gz',
      'hello_1.2.3_linux_amd64.tar.gz',
      'hello_1.2.3_linux_arm64.tar.gz',
      'hello_1.2.3_windows_amd64.zip'
    ])
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--raw',
      `docker://${registry.host}/octo/hello:1.2.3`
    ])
    const index = JSON.parse(stdout) as { manifests: Array<{ platform: object }> }
    expect(index.manifests.map(m => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])
  }, 1_200_000)
})
