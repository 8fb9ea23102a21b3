// Runs a linux binary built for another CPU under Debian's qemu-user-static, by invoking the static
// qemu binary directly (works whether or not binfmt_misc is registered).
//
// Before running, the binary's ELF header is checked against `arch`: with binfmt_misc registered the
// kernel would happily run an arm64 binary "natively" through qemu, which would prove nothing.
import { spawn } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import os from 'node:os'
import { readBinaryInfo } from './binary-format.js'

/** GOARCH values runForeign knows how to run on linux. */
export type ForeignArch = 'arm64' | 'arm' | 'amd64' | '386' | 'ppc64le' | 's390x' | 'riscv64'

const QEMU: Record<ForeignArch, string> = {
  arm64: '/usr/bin/qemu-aarch64-static',
  arm: '/usr/bin/qemu-arm-static',
  amd64: '/usr/bin/qemu-x86_64-static',
  '386': '/usr/bin/qemu-i386-static',
  ppc64le: '/usr/bin/qemu-ppc64le-static',
  s390x: '/usr/bin/qemu-s390x-static',
  riscv64: '/usr/bin/qemu-riscv64-static'
}

const HOST_GOARCH: Partial<Record<string, ForeignArch>> = { x64: 'amd64', arm64: 'arm64' }

export interface RunForeignOptions {
  /**
   * A qemu CPU model (`qemu-arm-static -cpu help`), which forces emulation even for the host's own
   * arch. For ARM levels: arm926 is ARMv5, arm1136 ARMv6 (VFPv2), cortex-a7 ARMv7. A GOARM=7
   * binary dies with SIGILL (code 132) on arm1136; GOARM=6 does on arm926.
   */
  cpu?: string
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Kill the process after this long (default 60 s) and throw. */
  timeoutMs?: number
}

export interface ForeignResult {
  /** The exit code; 128 + signal number when killed by a signal (qemu re-raises the guest's). */
  code: number
  stdout: string
  stderr: string
  /** Set when the process was killed by a signal, e.g. "SIGILL". */
  signal?: string
}

/** Where qemu-user-static keeps the emulator for arch; throws if it is not installed. */
export async function qemuFor(arch: ForeignArch): Promise<string> {
  const qemu = QEMU[arch]
  try {
    await access(qemu, constants.X_OK)
  } catch {
    throw new Error(
      `cannot run a linux/${arch} binary on this ${os.arch()} host: ${qemu} is missing; ` +
        'install it with `sudo apt-get install qemu-user-static`'
    )
  }
  return qemu
}

export async function runForeign(
  binary: string,
  arch: ForeignArch,
  args: string[],
  opts: RunForeignOptions = {}
): Promise<ForeignResult> {
  const info = await readBinaryInfo(binary)
  if (info.format !== 'elf' || info.os !== 'linux' || info.arch !== arch) {
    throw new Error(
      `runForeign(${binary}, '${arch}'): the file is ${info.format} ${info.os}/${info.arch}, not linux/${arch}`
    )
  }

  const native = HOST_GOARCH[process.arch] === arch && opts.cpu === undefined
  const [cmd, cmdArgs] = native
    ? [binary, args]
    : [await qemuFor(arch), [...(opts.cpu ? ['-cpu', opts.cpu] : []), binary, ...args]]

  // Through sh only to set `ulimit -c 0`: qemu writes qemu_*.core files into the working directory
  // when a guest crashes (e.g. SIGILL on purpose) and core dumps are allowed.
  const child = spawn(
    '/bin/sh',
    ['-c', 'ulimit -c 0 2>/dev/null; exec "$@"', 'sh', cmd, ...cmdArgs],
    {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))

  const timeoutMs = opts.timeoutMs ?? 60_000
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)

  try {
    const { code, signal } = await new Promise<{
      code: number | null
      signal: NodeJS.Signals | null
    }>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, signal) => resolve({ code, signal }))
    })
    const shown = [cmd, ...cmdArgs].join(' ')
    if (timedOut) {
      throw new Error(
        `\`${shown}\` did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`
      )
    }
    if (signal) {
      return { code: 128 + (os.constants.signals[signal] ?? 0), stdout, stderr, signal }
    }
    return { code: code ?? -1, stdout, stderr }
  } finally {
    clearTimeout(timer)
  }
}
