// Starts a test daemon (docker-registry, dockerd) as a child process, keeping the tail of its output
// for error messages, and a promise that rejects if it exits while the test is still waiting for it.
import { spawn, type ChildProcess } from 'node:child_process'

const MAX_LOG = 64 * 1024

export interface Daemon {
  child: ChildProcess
  /** The last 64 KB of its stdout and stderr, interleaved. */
  log(): string
  /** Rejects when the process fails to start or exits; await it only while waiting for it to be ready. */
  exited: Promise<never>
}

export function spawnDaemon(name: string, binary: string, args: readonly string[]): Daemon {
  let log = ''
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const append = (data: Buffer): void => {
    log = (log + data.toString()).slice(-MAX_LOG)
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${signal ?? code}) while starting:\n${log}`))
    )
  })
  exited.catch(() => undefined)
  return { child, log: () => log, exited }
}
