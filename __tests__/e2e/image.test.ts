// The image stage as a runner runs it: examples/hello built for three linux platforms and laid on
// a distroless-like base (made from Debian's files) in Debian's docker-registry, read back with
// skopeo and GNU tar, pulled and run by a Docker daemon; then pushed again, refused, retried, not
// pushed, and built from a Dockerfile through that daemon.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import { type DockerDaemon, startDocker } from '../helpers/docker.js'
import { type DistrolessBase, pushDistrolessBase } from '../helpers/distroless-base.js'
import {
  cleanupTempDirs,
  gitCheckout,
  goHome,
  seededToolCache,
  tempDir,
  NO_CHECKS,
  HELLO,
  COMMIT_DATE
} from '../helpers/fixtures.js'
import { type Registry, startRegistry } from '../helpers/registry.js'
import { type ActionRun, annotations, assertExit, check, runAction } from '../helpers/run-action.js'

const run = promisify(execFile)
const LINUX = 'linux/amd64 linux/arm64 linux/arm/v7'
// Built on a tag, but releasing is release.test.ts's concern.
const NO_RELEASE = { ...NO_CHECKS, release: 'false' }
const OCI = 'org.opencontainers.image'

let toolCache: string
let home: Awaited<ReturnType<typeof goHome>>
let open: Registry
let locked: Registry
let docker: DockerDaemon
let base: DistrolessBase
/** An empty Docker config, so the machine's own ~/.docker/config.json plays no part. */
let dockerConfig: string

beforeAll(async () => {
  ;[toolCache, home, open, locked, docker] = await Promise.all([
    seededToolCache(),
    goHome(),
    startRegistry(),
    startRegistry({ htpasswd: { user: 'ci', password: 's3cret' } }),
    startDocker()
  ])
  base = await pushDistrolessBase(open.host)
  dockerConfig = await tempDir('gpa-docker-config-')
}, 120_000)

afterAll(async () => {
  await Promise.all([open?.stop(), locked?.stop(), docker?.stop()])
  await cleanupTempDirs()
}, 60_000)

interface Options {
  inputs?: Record<string, string>
  env?: Record<string, string>
  ref?: string
  /** Another commit date makes another commit, so another image. */
  date?: string
}

async function packageImage(
  opts: Options = {}
): Promise<{ run: ActionRun; sha: string; dir: string }> {
  const { dir, sha } = await gitCheckout(HELLO, opts.date ?? COMMIT_DATE)
  const result = await runAction({
    inputs: {
      ...NO_RELEASE,
      targets: `${LINUX} darwin/arm64`,
      image: `${open.host}/octo/hello`,
      'base-image': base.reference,
      ...opts.inputs
    },
    cwd: dir,
    toolCache,
    env: {
      ...home,
      DOCKER_CONFIG: dockerConfig,
      GITHUB_SHA: sha,
      GITHUB_REF: opts.ref ?? 'refs/tags/v1.2.3',
      ...opts.env
    },
    timeoutMs: 280_000
  })
  return { run: result, sha, dir }
}

async function skopeoJson(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', ...args])
  return JSON.parse(stdout) as Record<string, unknown>
}

interface ImageConfigJson {
  architecture: string
  variant?: string
  created: string
  config: { User: string; Entrypoint: string[]; Cmd?: string[]; Labels: Record<string, string> }
}

/** `tar -tvz` of a blob fetched with a plain GET: GNU tar, not our reader, says what is in it. */
async function listLayer(registry: Registry, repository: string, digest: string): Promise<string> {
  const response = await fetch(`${registry.url}/v2/${repository}/blobs/${digest}`)
  expect(response.status).toBe(200)
  const dir = await tempDir('gpa-layer-')
  const file = path.join(dir, 'layer.tar.gz')
  await writeFile(file, Buffer.from(await response.arrayBuffer()))
  const { stdout } = await run('tar', ['--numeric-owner', '--full-time', '-tvzf', file])
  return stdout
}

const blobUploads = (registry: Registry) =>
  registry.requests.filter(r => r.url.includes('/blobs/uploads/'))

describe('native image, pushed on a tag', () => {
  let first: Awaited<ReturnType<typeof packageImage>>

  beforeAll(async () => {
    open.requests.length = 0
    first = await packageImage()
  }, 300_000)

  test('one index over the three linux platforms, tagged as metadata-action would', async () => {
    assertExit(first.run, 0)
    const digest = first.run.outputs['image-digest'] as string
    check(first.run, () => {
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(first.run.outputs['image-tags']?.split('\n')).toEqual(
        ['1.2.3', '1.2', '1', 'latest'].map(tag => `${open.host}/octo/hello:${tag}`)
      )
    })
    const index = await skopeoJson('--raw', `docker://${open.host}/octo/hello:1.2.3`)
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    const manifests = index.manifests as Array<{ digest: string; platform: object }>
    expect(manifests.map(m => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])
    expect(index.annotations).toEqual({
      [`${OCI}.base.digest`]: base.digest,
      [`${OCI}.base.name`]: base.reference,
      [`${OCI}.created`]: COMMIT_DATE,
      [`${OCI}.revision`]: first.sha,
      [`${OCI}.source`]: 'https://github.com/octo-org/hello',
      [`${OCI}.version`]: '1.2.3'
    })
    // Every tag names the same index, whose digest is the output.
    for (const tag of ['1.2', '1', 'latest']) {
      const other = await skopeoJson(`docker://${open.host}/octo/hello:${tag}`)
      expect(other.Digest).toBe(digest)
    }
    // Tags were put last: after the three manifests and the index.
    const puts = open.requests
      .filter(r => r.method === 'PUT' && r.url.includes('/manifests/'))
      .map(r => r.url.replace(/^.*\/manifests\//, ''))
    expect(puts.slice(0, 4).every(ref => ref.startsWith('sha256:'))).toBe(true)
    expect(puts.slice(4)).toEqual(['1.2.3', '1.2', '1', 'latest'])
  })

  test('each platform: user 65532, entrypoint /app, labels, and /app 0755 owned by nonroot', async () => {
    for (const [arch, variant] of [
      ['amd64', undefined],
      ['arm64', 'v8'],
      ['arm', 'v7']
    ] as const) {
      const platform = ['--override-os', 'linux', '--override-arch', arch]
      if (variant) platform.push('--override-variant', variant)
      const ref = `docker://${open.host}/octo/hello:1.2.3`
      const config = (await skopeoJson(...platform, '--config', ref)) as unknown as ImageConfigJson
      expect(config.architecture).toBe(arch)
      expect(config.created).toBe(COMMIT_DATE)
      expect(config.config.User).toBe('65532:65532')
      expect(config.config.Entrypoint).toEqual(['/app'])
      expect(config.config.Cmd).toBeUndefined()
      expect(config.config.Labels).toMatchObject({
        [`${OCI}.version`]: '1.2.3',
        [`${OCI}.revision`]: first.sha,
        [`${OCI}.base.digest`]: base.digest
      })
      const index = (await skopeoJson('--raw', ref)) as unknown as {
        manifests: Array<{ digest: string; platform: { architecture: string } }>
      }
      const entry = index.manifests.find(m => m.platform.architecture === arch)
      const { layers } = (await skopeoJson(
        '--raw',
        `docker://${open.host}/octo/hello@${entry?.digest}`
      )) as unknown as { layers: Array<{ digest: string }> }
      expect(layers[0]?.digest).toBe(base.layer.digest)
      const listing = await listLayer(open, 'octo/hello', layers[1]?.digest as string)
      expect(listing).toMatch(/^-rwxr-xr-x 65532\/65532 +\d+ 2026-01-02 03:04:05 app\n$/)
    }
  })

  test('the summary shows the digest, the platforms and their sizes', () => {
    const digest = first.run.outputs['image-digest'] as string
    check(first.run, () => {
      expect(first.run.summary).toContain(`### Image \`${open.host}/octo/hello\``)
      expect(first.run.summary).toContain(`Digest \`${digest}\` (image index)`)
      expect(first.run.summary).toContain(`Base \`${base.reference}\` at \`${base.digest}\``)
      for (const p of ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']) {
        expect(first.run.summary).toMatch(
          new RegExp(`\\| ${p} \\| \`sha256:[0-9a-f]{64}\` \\| [\\d.]+ MiB \\|`)
        )
      }
    })
  })

  test('a Docker daemon pulls it and runs it with no network, on amd64 and (through qemu) arm64', async () => {
    const ref = `${open.host}/octo/hello:1.2.3`
    const expected = `hello 1.2.3 (commit ${first.sha}, built ${COMMIT_DATE})\n`
    const pulled = await docker.docker(['pull', '--quiet', ref])
    expect(pulled).toMatchObject({ code: 0 })
    const amd64 = await docker.docker(['run', '--rm', '--network=none', ref, '-version'])
    expect(amd64).toMatchObject({ code: 0, stdout: expected })
    const user = await docker.docker(['inspect', '--format', '{{.Config.User}}', ref])
    expect(user.stdout.trim()).toBe('65532:65532')
    // Needs qemu-aarch64 registered with binfmt_misc (the helper does it; it says why when it can't).
    if (!docker.binfmt.arm64) throw new Error(`cannot run linux/arm64 here: ${docker.binfmt.why}`)
    const arm64 = await docker.docker([
      'run',
      '--rm',
      '--network=none',
      '--platform',
      'linux/arm64',
      '--pull',
      'always',
      ref,
      '-version'
    ])
    expect(arm64).toMatchObject({ code: 0, stdout: expected })
  })

  test('pushing the same commit again gives the same digest and uploads no blob', async () => {
    open.requests.length = 0
    const again = await packageImage()
    assertExit(again.run, 0)
    check(again.run, () => {
      expect(again.sha).toBe(first.sha)
      expect(again.run.outputs['image-digest']).toBe(first.run.outputs['image-digest'])
      expect(blobUploads(open)).toEqual([])
      expect(again.run.log).toContain('blobs 0 uploaded, 7 already there')
    })
  })
})

describe('registry with htpasswd', () => {
  test('credentials from the inputs, then from the Docker config; a wrong password moves no tag', async () => {
    const image = `${locked.host}/octo/hello`
    const withInputs = await packageImage({
      inputs: { image, 'registry-username': 'ci', 'registry-password': 's3cret' }
    })
    assertExit(withInputs.run, 0)
    const digest = withInputs.run.outputs['image-digest']
    // Masked (the runner hides it), and never printed otherwise.
    const leaks = withInputs.run.log.split('\n').filter(l => l.includes('s3cret'))
    check(withInputs.run, () => expect(leaks).toEqual(['::add-mask::s3cret']))
    // The base is in another registry: its layer was copied, not mounted.
    expect(withInputs.run.log).toContain('1 copied')

    const config = await tempDir('gpa-docker-config-')
    await writeFile(
      path.join(config, 'config.json'),
      JSON.stringify({
        auths: { [locked.host]: { auth: Buffer.from('ci:s3cret').toString('base64') } }
      })
    )
    const withConfig = await packageImage({
      inputs: { image, 'image-tags': 'from-config' },
      env: { DOCKER_CONFIG: config }
    })
    assertExit(withConfig.run, 0)
    expect(withConfig.run.outputs['image-digest']).toBe(digest)

    // Another commit, so another image, with a wrong password: a clear error, latest not moved.
    locked.requests.length = 0
    const wrong = await packageImage({
      inputs: { image, 'registry-username': 'ci', 'registry-password': 'wrong' },
      date: '2026-02-03T04:05:06Z'
    })
    assertExit(wrong.run, 1)
    check(wrong.run, () => {
      const errors = annotations(wrong.run, 'error').map(a => a.message)
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(
            `registry ${locked.host} refused access to octo/hello: .*check registry-username and registry-password`
          )
        )
      ])
      expect(locked.requests.filter(r => r.method === 'PUT')).toEqual([])
    })
    const latest = await skopeoJson('--creds', 'ci:s3cret', `docker://${image}:latest`)
    expect(latest.Digest).toBe(digest)
  })
})

describe('failures and retries', () => {
  test('a 500 for one blob upload is retried and the push succeeds', async () => {
    open.requests.length = 0
    open.failNext((method, url) => method === 'PUT' && url.includes('/blobs/uploads/'), 500)
    const result = await packageImage({
      inputs: { image: `${open.host}/octo/flaky`, targets: 'linux/amd64' }
    })
    assertExit(result.run, 0)
    check(result.run, () => {
      const statuses = open.requests
        .filter(r => r.method === 'PUT' && r.url.includes('/blobs/uploads/'))
        .map(r => r.status)
      expect(statuses[0]).toBe(500)
      expect(statuses.slice(1).every(s => s === 201)).toBe(true)
      expect(result.run.log).toMatch(
        /PUT \/v2\/octo\/flaky\/blobs\/uploads\/\S+ answered 500 .*; retrying in [\d.]+s \(attempt 2\)/
      )
    })
    // One platform: a plain manifest, no index.
    const raw = await skopeoJson('--raw', `docker://${open.host}/octo/flaky:1.2.3`)
    expect(raw.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    expect(raw.Digest ?? result.run.outputs['image-digest']).toBeDefined()
  })

  test('a registry that is down is a clear error', async () => {
    const probe = net.createServer()
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as net.AddressInfo).port
    await new Promise(resolve => probe.close(resolve))
    const result = await packageImage({
      inputs: { image: `127.0.0.1:${port}/octo/hello`, targets: 'linux/amd64' }
    })
    assertExit(result.run, 1)
    check(result.run, () =>
      expect(annotations(result.run, 'error').map(a => a.message)).toEqual([
        expect.stringMatching(new RegExp(`^registry 127\\.0\\.0\\.1:${port} cannot be reached`))
      ])
    )
  })

  test('image-binary that is not built fails before the checks and the build', async () => {
    const result = await packageImage({ inputs: { 'image-binary': 'nope' } })
    assertExit(result.run, 1)
    check(result.run, () => {
      expect(annotations(result.run, 'error').map(a => a.message)).toEqual([
        'image-binary: "nope" is not among the binaries built (hello)'
      ])
      expect(result.run.log).not.toContain('Building ')
    })
  })
})

describe('not pushed', () => {
  test('a pull request writes an OCI layout into output-dir and pushes nothing', async () => {
    open.requests.length = 0
    const result = await packageImage({
      ref: 'refs/pull/7/merge',
      env: { GITHUB_EVENT_NAME: 'pull_request' }
    })
    assertExit(result.run, 0)
    const layout = path.join(result.dir, 'dist', 'image')
    check(result.run, () => {
      expect(result.run.outputs['image-layout']).toBe(layout)
      expect(result.run.outputs['image-tags'] ?? '').toBe('')
      expect(open.requests.filter(r => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([])
      expect(result.run.summary).toContain('Not pushed (a pull request (push: auto))')
    })
    const tag = `sha-${result.sha.slice(0, 7)}`
    const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string; annotations: Record<string, string> }>
    }
    expect(index.manifests.map(m => m.annotations['org.opencontainers.image.ref.name'])).toEqual([
      tag
    ])
    expect(index.manifests[0]?.digest).toBe(result.run.outputs['image-digest'])
    // skopeo reads it and copies it into a registry: the layout is complete (base layers included).
    const config = (await skopeoJson(
      '--override-arch',
      'arm64',
      '--config',
      `oci:${layout}:${tag}`
    )) as unknown as ImageConfigJson
    expect(config.config.Entrypoint).toEqual(['/app'])
    await run('skopeo', [
      'copy',
      '--all',
      '--dest-tls-verify=false',
      `oci:${layout}:${tag}`,
      `docker://${open.host}/octo/from-layout:${tag}`
    ])
    const copied = await skopeoJson(`docker://${open.host}/octo/from-layout:${tag}`)
    expect(copied.Digest).toBe(result.run.outputs['image-digest'])
  })
})

describe('Dockerfile mode', () => {
  test('builds each platform with the daemon, pushes one index, and it runs', async () => {
    const { dir, sha } = await gitCheckout(HELLO, COMMIT_DATE)
    await mkdir(path.join(dir, 'build'))
    await writeFile(
      path.join(dir, 'build', 'Dockerfile'),
      [
        `FROM ${base.reference}`,
        'ARG TARGETARCH',
        'LABEL com.example.arch=$TARGETARCH',
        'COPY --chown=65532:65532 app /app',
        'COPY hello /usr/local/bin/hello',
        'USER nonroot:nonroot',
        'ENTRYPOINT ["/app"]',
        ''
      ].join('\n')
    )
    const result = await runAction({
      inputs: {
        ...NO_RELEASE,
        targets: 'linux/amd64 linux/arm64',
        image: `${open.host}/octo/docker-hello`,
        dockerfile: 'build/Dockerfile'
      },
      cwd: dir,
      toolCache,
      env: {
        ...home,
        ...docker.env,
        GITHUB_SHA: sha,
        GITHUB_REF: 'refs/tags/v1.2.3'
      },
      timeoutMs: 280_000
    })
    assertExit(result, 0)
    check(result, () => {
      expect(result.summary).toContain("Built from the Dockerfile with Docker's classic builder")
    })
    const ref = `${open.host}/octo/docker-hello:1.2.3`
    const index = await skopeoJson('--raw', `docker://${ref}`)
    expect((index.manifests as Array<{ platform: object }>).map(m => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' }
    ])
    const config = (await skopeoJson(
      '--override-arch',
      'arm64',
      '--config',
      `docker://${ref}`
    )) as unknown as ImageConfigJson
    expect(config.architecture).toBe('arm64')
    expect(config.created).toBe(COMMIT_DATE)
    expect(config.config.Labels).toMatchObject({
      'com.example.arch': 'arm64',
      [`${OCI}.version`]: '1.2.3',
      [`${OCI}.revision`]: sha
    })
    const expected = `hello 1.2.3 (commit ${sha}, built ${COMMIT_DATE})\n`
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const ran = await docker.docker([
        'run',
        '--rm',
        '--network=none',
        '--platform',
        platform,
        '--pull',
        'always',
        ref,
        '-version'
      ])
      expect(ran).toMatchObject({ code: 0, stdout: expected })
    }
  })
})
