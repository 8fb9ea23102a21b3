import * as actionsExec from '@actions/exec'
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
  /** Set when the command ran out of its time limit and was killed (with its process group). */
  timedOutMs?: number
}

export interface ExecOptions {
  cwd?: string
  env?: Record<string, string>
  /** Echo the command and its output into the log (off for probes whose output we parse). */
  echo?: boolean
  /**
   * A time limit: past it the command and everything it started (its process group) are killed,
   * and the result says so in `timedOutMs` (the code is then 124, as timeout(1) reports it).
   */
  timeoutMs?: number
  /** Write stdout, unchanged bytes, to this file instead of capturing it (needs timeoutMs). */
  stdoutFile?: string
}

/** The process environment without unset entries: what a child is given, and templates read. */
export function processEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  return env
}

/** Runs a command and captures its output; a non-zero exit is returned, not thrown. */
export async function execCapture(
  command: string,
  args: string[],
  options: ExecOptions = {}
): Promise<ExecResult> {
  const { timeoutMs } = options
  if (timeoutMs !== undefined) return execWithTimeout(command, args, { ...options, timeoutMs })
  const result = await actionsExec.getExecOutput(command, args, {
    cwd: options.cwd,
    env: options.env ?? (process.env as Record<string, string>),
    ignoreReturnCode: true,
    silent: !options.echo
  })
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}

/** A command in its own process group, so that a time limit kills what it started too. */
function execWithTimeout(
  command: string,
  args: string[],
  options: ExecOptions & { timeoutMs: number }
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    if (options.echo) process.stdout.write(`[command]${command} ${args.join(' ')}\n`)
    const group = process.platform !== 'win32'
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: group,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true
    })
    let stdout = ''
    let stderr = ''
    // Binary output (staticcheck -f binary) goes to its file as bytes; the result waits for it.
    const written = options.stdoutFile
      ? new Promise<void>((done, fail) => {
          const file = createWriteStream(options.stdoutFile as string)
          file.on('finish', done).on('error', fail)
          child.stdout.pipe(file)
        })
      : Promise.resolve()
    if (!options.stdoutFile)
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s
        if (options.echo) process.stdout.write(s)
      })
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s
      if (options.echo) process.stderr.write(s)
    })
    let timedOut = false
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (group && child.pid) process.kill(-child.pid, signal)
        else child.kill(signal)
      } catch {
        // already gone
      }
    }
    let hard: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      kill('SIGTERM')
      hard = setTimeout(() => kill('SIGKILL'), 5_000)
    }, options.timeoutMs)
    child.on('error', error => {
      clearTimeout(timer)
      if (hard) clearTimeout(hard)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      if (hard) clearTimeout(hard)
      // Whatever the group still holds after the leader is gone goes too, on time-out.
      if (timedOut) kill('SIGKILL')
      written.then(
        () =>
          resolve(
            timedOut
              ? { code: 124, stdout, stderr, timedOutMs: options.timeoutMs }
              : { code: code ?? 1, stdout, stderr }
          ),
        reject
      )
    })
  })
}
