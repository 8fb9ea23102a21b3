// What the figures were measured on: the machine and every contender's version.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { promisify } from 'node:util'
import { REGISTRY_BINARY } from '../__tests__/helpers/registry.js'
import { NODE24 } from '../__tests__/helpers/run-action.js'
import type { BenchEnvironment } from './environment.js'
import type { ToolName } from './tools.js'

const exec = promisify(execFile)

async function firstLine(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout, stderr } = await exec(file, args, { env: env ?? process.env })
    return (stdout.trim() || stderr.trim()).split('\n')[0] ?? ''
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
  }
}

async function osName(): Promise<string> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '')
  return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release)?.[1] ?? `${os.type()} ${os.release()}`
}

export async function describeMachine(
  env: BenchEnvironment,
  tools: Record<ToolName, string>
): Promise<Array<[string, string]>> {
  const cpus = os.cpus()
  const goreleaser = await exec(tools.goreleaser, ['--version']).then(
    r => /GitVersion:\s*(\S+)/.exec(r.stdout)?.[1] ?? 'unknown',
    () => 'unknown'
  )
  return [
    ['CPU', `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`],
    ['Memory', `${Math.round(os.totalmem() / 2 ** 30)} GiB`],
    ['OS', `${await osName()}, Linux ${os.release()}`],
    ['Go', env.goVersion],
    ['Node (runs the bundle)', await firstLine(NODE24, ['--version'])],
    ['staticcheck', await firstLine(tools.staticcheck, ['-version'])],
    ['GoReleaser', goreleaser],
    ['crane', await firstLine(tools.crane, ['version'])],
    [
      'Docker',
      await firstLine('docker', ['version', '--format', '{{.Server.Version}}'], {
        ...process.env,
        ...env.docker.env
      })
    ],
    ['Registry', await firstLine(REGISTRY_BINARY, ['--version'])]
  ]
}
