// The Docker path to the same image: for each linux platform, `docker build` of a Dockerfile that
// COPYs the prebuilt binary onto the base, `docker push`, then `docker manifest` makes the index.
// Classic builder (buildx is not in Debian 12), as the action's Dockerfile mode uses it here.
import { mkdir, copyFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { DockerDaemon } from '../__tests__/helpers/docker.js'

export function dockerfile(base: string): string {
  return `FROM ${base}\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n`
}

export interface DockerImageRun {
  docker: DockerDaemon
  base: string
  /** linux target → prebuilt binary */
  binaries: Record<string, string>
  repository: string
  tag: string
  workDir: string
}

async function docker(daemon: DockerDaemon, args: string[], cwd?: string): Promise<void> {
  const result = await daemon.docker(args, {
    cwd,
    env: { DOCKER_BUILDKIT: '0' },
    timeoutMs: 600_000
  })
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${result.stderr}`)
}

/** A fresh runner's daemon: no images, so the base is pulled as it would be there. */
export async function emptyDaemon(daemon: DockerDaemon): Promise<void> {
  await docker(daemon, ['system', 'prune', '--all', '--force'])
}

export async function buildAndPush(opts: DockerImageRun): Promise<void> {
  const refs: string[] = []
  for (const [target, binary] of Object.entries(opts.binaries)) {
    const slug = target.replaceAll('/', '-')
    const context = path.join(opts.workDir, `context-${slug}`)
    await mkdir(context, { recursive: true })
    await copyFile(binary, path.join(context, 'app'))
    await writeFile(path.join(context, 'Dockerfile'), dockerfile(opts.base))
    const ref = `${opts.repository}:${opts.tag}-${slug}`
    await docker(opts.docker, ['build', '--pull', '--platform', target, '-t', ref, '.'], context)
    await docker(opts.docker, ['push', ref])
    refs.push(ref)
  }
  const index = `${opts.repository}:${opts.tag}`
  await docker(opts.docker, ['manifest', 'create', '--insecure', index, ...refs])
  await docker(opts.docker, ['manifest', 'push', '--insecure', '--purge', index])
}
