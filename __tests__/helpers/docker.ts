// Starts a private Docker daemon (Debian's docker.io, dockerd 20.10) for tests that need a real
// `docker pull` / `docker build` / `docker run`, isolated from any other daemon on the machine:
// its own data root, exec root, pid file, socket and daemon.json, all under one mkdtemp directory.
//
// Usage:
//   const daemon = await startDocker()
//   await daemon.docker(['pull', `${registry.host}/distroless/static:nonroot`])
//   if (!daemon.binfmt.arm64) throw new Error(daemon.binfmt.why)
//   await daemon.stop()
//
// dockerd missing is an error, never a skip: `sudo apt-get install docker.io`. It must run as root.
//
// No --containerd: without it dockerd starts its own containerd with its config, state, root and
// gRPC socket under exec-root/containerd and data-root/containerd, so two daemons (ours and any
// other) do not share one. (dockerd would instead use a system containerd if one listened on
// /run/containerd/containerd.sock; the unique --containerd-namespace keeps even that case apart.)
//
// The network is off: --bridge=none and no iptables, so containers run with --network=none and
// the host's firewall and sysctls (--ip-forward=false) are left as they are. Storage is vfs, which
// works on any filesystem (plain copies; slow and large, but the test images are tiny).
//
// binfmt: `docker run --platform linux/arm64` on an amd64 host needs qemu-user-static registered
// in binfmt_misc with the F flag (the kernel opens the interpreter at registration, so it runs
// inside a container's mount namespace where /usr/bin/qemu-*-static does not exist). The helper
// registers Debian's /usr/lib/binfmt.d/qemu-{aarch64,arm}.conf if they are not registered yet and
// reports in `binfmt` whether each works, with the reason when not; a test that needs it fails
// with that reason.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  access,
  constants,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  rmdir,
  writeFile
} from 'node:fs/promises'
import http from 'node:http'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { spawnDaemon } from './daemon.js'

// Debian's docker.io puts it in /usr/sbin; Docker's own packages (GitHub's runners) in /usr/bin.
export const DOCKERD_BINARY =
  ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find(f => existsSync(f)) ?? '/usr/sbin/dockerd'

export interface DockerResult {
  code: number
  stdout: string
  stderr: string
}

export interface DockerCommandOptions {
  /** Added to the environment (after DOCKER_HOST and DOCKER_CONFIG), e.g. DOCKER_BUILDKIT: '0'. */
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Written to the command's stdin, e.g. a Dockerfile for `docker build -f - .` */
  input?: string | Buffer
  /** Kill the command after this long (default 240 s) and throw. */
  timeoutMs?: number
}

export interface BinfmtSupport {
  /** linux/arm64 binaries run here, in containers too (qemu-aarch64 registered with F). */
  arm64: boolean
  /** linux/arm/v7 binaries run here, in containers too (qemu-arm registered with F). */
  arm: boolean
  /** Why one of them does not, e.g. `linux/arm64: not root, cannot register …`; unset when both do. */
  why?: string
}

export interface DockerDaemon {
  /** `unix:///tmp/gpa-dk-XXXXXX/docker.sock` */
  host: string
  /** DOCKER_HOST and DOCKER_CONFIG (a fresh empty directory) for a `docker` command of your own. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string }
  /** Runs `docker` from PATH against this daemon; a non-zero exit is returned, not thrown. */
  docker(args: string[], opts?: DockerCommandOptions): Promise<DockerResult>
  binfmt: BinfmtSupport
  /** The temporary directory that holds everything of this daemon; gone after stop(). */
  dir: string
  /** The last 64 KB of dockerd's (and its containerd's) output, for failure messages. */
  log(): string
  /** SIGTERM (SIGKILL after 15 s), kills what is left of its containerd, unmounts, removes dir. */
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000
const COMMAND_TIMEOUT_MS = 240_000

export async function startDocker(): Promise<DockerDaemon> {
  try {
    await access(DOCKERD_BINARY, constants.X_OK)
  } catch {
    throw new Error(
      `${DOCKERD_BINARY} is missing: the docker tests need a Docker daemon; ` +
        'install it with `sudo apt-get install docker.io`'
    )
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the docker tests start their own dockerd, which needs root; this runs as uid ${process.getuid?.()}`
    )
  }
  const binfmt = await ensureBinfmt()
  // Short: the socket path must fit in sockaddr_un (108 bytes), and containerd's too.
  const dir = await mkdtemp('/tmp/gpa-dk-')
  const socket = path.join(dir, 'docker.sock')
  const host = `unix://${socket}`
  const env = { DOCKER_HOST: host, DOCKER_CONFIG: path.join(dir, 'config') }
  let child: ChildProcess | undefined
  try {
    await mkdir(env.DOCKER_CONFIG)
    // An empty daemon.json of its own, so /etc/docker/daemon.json (if any) changes nothing here.
    const configFile = path.join(dir, 'daemon.json')
    await writeFile(configFile, '{}\n')
    const namespace = `gpa-${randomBytes(4).toString('hex')}`
    const args = [
      '--iptables=false',
      '--ip6tables=false',
      '--ip-forward=false',
      '--bridge=none',
      '--storage-driver=vfs',
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'docker.pid')}`,
      `--config-file=${configFile}`,
      `--containerd-namespace=${namespace}`,
      `--containerd-plugins-namespace=${namespace}-plugins`,
      // Containers get 5 s after SIGTERM when the daemon stops, well within our 15 s.
      '--shutdown-timeout=5',
      `--host=${host}`
    ]

    const daemon = spawnDaemon('dockerd', DOCKERD_BINARY, args)
    const spawned = daemon.child
    child = spawned
    const exited = daemon.exited
    try {
      await Promise.race([
        waitForPing(socket, () => spawned.exitCode !== null || spawned.signalCode !== null),
        exited
      ])
    } catch (error) {
      throw new Error(`${(error as Error).message}\ndockerd log:\n${daemon.log()}`, {
        cause: error
      })
    }

    const docker = (args: string[], opts: DockerCommandOptions = {}): Promise<DockerResult> =>
      runDocker(args, { ...dockerEnv(), ...env, ...opts.env }, opts)
    let stopping: Promise<void> | undefined
    return {
      host,
      env,
      docker,
      binfmt,
      dir,
      log: daemon.log,
      stop: () => (stopping ??= shutdown(spawned, dir))
    }
  } catch (error) {
    if (child) await shutdown(child, dir)
    else await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** The caller's environment without DOCKER_* (a DOCKER_CONTEXT or DOCKER_TLS_VERIFY would win). */
function dockerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DOCKER_')) env[key] = value
  }
  return env
}

/** GET /_ping on the daemon's socket until it answers OK (or dockerd has exited). */
async function waitForPing(socket: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  let last: unknown
  while (Date.now() < deadline && !exited()) {
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.get({ socketPath: socket, path: '/_ping', timeout: 2_000 }, res => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('timeout', () => req.destroy(new Error('GET /_ping timed out')))
        req.on('error', reject)
      })
      if (status === 200) return
      last = new Error(`GET /_ping answered ${status}`)
    } catch (error) {
      last = error
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(
    `dockerd did not answer GET /_ping on ${socket} within ${START_TIMEOUT_MS} ms: ${String(last)}`
  )
}

function runDocker(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: DockerCommandOptions
): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('error', error => {
      clearTimeout(timer)
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error('the docker CLI is not on PATH: install docker.io (or docker-ce-cli)')
          : error
      )
    })
    child.once('close', code => {
      clearTimeout(timer)
      if (timedOut) {
        reject(
          new Error(
            `\`docker ${args.join(' ')}\` did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`
          )
        )
      } else resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/**
 * Stops dockerd and leaves nothing of it behind. On SIGTERM dockerd stops its containers (5 s,
 * --shutdown-timeout) and its containerd and unmounts what it mounted. After a SIGKILL (a daemon
 * stuck for 15 s) its containerd dies too (dockerd starts it with a parent-death signal), but the
 * running containers' shims and processes stay, and so do the mounts: data-root bound onto
 * itself and each container's network namespace (nsfs under exec-root/netns). So every process
 * whose command line names `dir` (the shims: `-address dir/exec/containerd/containerd.sock`) is
 * killed with its descendants (the containers' processes), and every mount under `dir` is
 * unmounted, before the directory is removed, and the killed containers' cgroups
 * (/sys/fs/cgroup/<controller>/docker/<id>) are removed.
 */
async function shutdown(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  await killProcessesUnder(dir)
  await unmountUnder(dir)
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
}

/** SIGKILLs every process with `dir/` in its command line and their descendants, then waits. */
async function killProcessesUnder(dir: string): Promise<void> {
  const needle = Buffer.from(`${dir}/`)
  const matched: number[] = []
  const children = new Map<number, number[]>()
  for (const name of await readdir('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      if ((await readFile(`/proc/${pid}/cmdline`)).includes(needle)) matched.push(pid)
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), pid])
    } catch {
      // gone meanwhile
    }
  }
  const pids = new Set<number>()
  const add = (pid: number): void => {
    if (pids.has(pid) || pid === process.pid) return
    pids.add(pid)
    for (const child of children.get(pid) ?? []) add(child)
  }
  matched.forEach(add)
  // Their containers' cgroups, read while they are alive: /docker/<id> (the default cgroup-parent).
  const cgroups = new Set<string>()
  for (const pid of pids) {
    try {
      for (const line of (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n')) {
        const cgroup = line.split(':')[2]
        if (cgroup && /^\/docker\/[0-9a-f]{64}$/.test(cgroup)) cgroups.add(cgroup)
      }
    } catch {
      // gone meanwhile
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + 5_000
  while ([...pids].some(alive) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  if (cgroups.size > 0) await removeCgroups(cgroups)
}

/** rmdir each cgroup path in every cgroup hierarchy mounted (v1 controllers and v2). */
async function removeCgroups(cgroups: Set<string>): Promise<void> {
  const hierarchies = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map(line => line.split(' '))
    .filter(fields => fields[2] === 'cgroup' || fields[2] === 'cgroup2')
    .map(fields => fields[1] as string)
  for (const hierarchy of hierarchies) {
    for (const cgroup of cgroups) {
      const target = path.join(hierarchy, cgroup)
      // EBUSY for a moment while the killed tasks are still being released.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          await rmdir(target)
          break
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EBUSY') break
          await new Promise(resolve => setTimeout(resolve, 50))
        }
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Mount points at or under dir, deepest first, from /proc/self/mounts (octal escapes decoded). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mounts', 'utf8')
  const points = text
    .split('\n')
    .map(line => line.split(' ')[1])
    .filter((p): p is string => p !== undefined)
    .map(p =>
      p.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    )
    .filter(p => p === dir || p.startsWith(`${dir}/`))
  return [...new Set(points)].sort((a, b) => b.length - a.length)
}

async function unmountUnder(dir: string): Promise<void> {
  // A mount point may be mounted more than once (stacked); go round until none is left.
  for (let round = 0; round < 5; round++) {
    const points = await mountsUnder(dir)
    if (points.length === 0) return
    for (const point of points) {
      const { code } = await run('umount', [point])
      if (code !== 0) await run('umount', ['-l', point]) // busy: detach it now, free it later
    }
  }
  const left = await mountsUnder(dir)
  if (left.length > 0) throw new Error(`cannot unmount ${left.join(', ')} left by dockerd`)
}

// ---- binfmt_misc ----------------------------------------------------------------------------

const BINFMT = '/proc/sys/fs/binfmt_misc'

const QEMU_BINFMT = [
  { key: 'arm64', platform: 'linux/arm64', name: 'qemu-aarch64' },
  { key: 'arm', platform: 'linux/arm/v7', name: 'qemu-arm' }
] as const

/**
 * Makes sure qemu-aarch64 and qemu-arm are registered in binfmt_misc with the F flag, registering
 * Debian's qemu-user-static entries when they are missing. The registration is left in place: it
 * is global to the kernel (not to this test or this daemon), harmless, and exactly what
 * `systemd-binfmt` or `docker run --privileged tonistiigi/binfmt` would leave on a CI host.
 * An entry someone registered without F is not replaced (it is theirs); it is reported instead.
 */
export async function ensureBinfmt(): Promise<BinfmtSupport> {
  const why: string[] = []
  const mounted = await mountBinfmt()
  const result: BinfmtSupport = { arm64: false, arm: false }
  for (const entry of QEMU_BINFMT) {
    const problem = mounted ?? (await registerQemu(entry.name))
    if (problem === undefined) result[entry.key] = true
    else why.push(`${entry.platform}: ${problem}`)
  }
  if (why.length > 0) result.why = why.join('; ')
  return result
}

/** Mounts binfmt_misc if it is not; returns why it cannot be used, or undefined. */
async function mountBinfmt(): Promise<string | undefined> {
  if (await exists(`${BINFMT}/status`)) return undefined
  if (process.getuid?.() !== 0) {
    return `binfmt_misc is not mounted on ${BINFMT} and mounting it needs root`
  }
  const { code, stderr } = await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT])
  if (code !== 0 || !(await exists(`${BINFMT}/status`))) {
    return `mounting binfmt_misc on ${BINFMT} was refused (exit ${code}: ${stderr.trim()}); a container needs --privileged for that`
  }
  return undefined
}

/** Registers /usr/lib/binfmt.d/<name>.conf unless present; returns why it is unusable, or undefined. */
async function registerQemu(name: string): Promise<string | undefined> {
  const entryFile = `${BINFMT}/${name}`
  if (!(await exists(entryFile))) {
    const conf = `/usr/lib/binfmt.d/${name}.conf`
    let rule: string | undefined
    try {
      rule = (await readFile(conf, 'utf8'))
        .split('\n')
        .map(line => line.trim())
        .find(line => line !== '' && !line.startsWith('#') && !line.startsWith(';'))
    } catch {
      return `${conf} is missing: install it with \`sudo apt-get install qemu-user-static\``
    }
    if (!rule) return `${conf} holds no binfmt rule`
    if (process.getuid?.() !== 0) return `${name} is not registered and registering it needs root`
    try {
      await writeFile(`${BINFMT}/register`, rule)
    } catch (error) {
      // EEXIST: another test registered it at the same moment, which is fine.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        return `registering ${conf} in ${BINFMT}/register was refused: ${String(error)}`
      }
    }
  }
  let status: string
  try {
    status = await readFile(entryFile, 'utf8')
  } catch (error) {
    return `${entryFile} cannot be read after registering: ${String(error)}`
  }
  if (!/^enabled$/m.test(status)) {
    return `${name} is registered but disabled (echo 1 > ${entryFile})`
  }
  const flags = /^flags: *(\S*)$/m.exec(status)?.[1] ?? ''
  if (!flags.includes('F')) {
    return (
      `${name} is registered without the F flag (flags: ${flags || 'none'}), so its interpreter ` +
      `cannot be found inside a container; re-register it: echo -1 > ${entryFile}, then write ` +
      `/usr/lib/binfmt.d/${name}.conf to ${BINFMT}/register`
    )
  }
  return undefined
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

function run(command: string, args: string[]): Promise<DockerResult> {
  return new Promise(resolve => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', error => resolve({ code: -1, stdout, stderr: String(error) }))
    child.once('close', code => resolve({ code: code ?? -1, stdout, stderr }))
  })
}
