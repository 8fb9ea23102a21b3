import * as actionsExec from '@actions/exec'

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export interface ExecOptions {
  cwd?: string
  env?: Record<string, string>
  /** Echo the command and its output into the log (off for probes whose output we parse). */
  echo?: boolean
}

/** Runs a command and captures its output; a non-zero exit is returned, not thrown. */
export async function execCapture(
  command: string,
  args: string[],
  options: ExecOptions = {}
): Promise<ExecResult> {
  const result = await actionsExec.getExecOutput(command, args, {
    cwd: options.cwd,
    env: options.env ?? (process.env as Record<string, string>),
    ignoreReturnCode: true,
    silent: !options.echo
  })
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}
