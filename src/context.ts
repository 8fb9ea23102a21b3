import os from 'node:os'
import path from 'node:path'

/** Where and for what the action runs: read once from the runner's environment. */
export interface RunContext {
  /** No GITHUB_ACTIONS: a developer's machine (npm start); no cache service, nothing published. */
  local: boolean
  workspace: string
  repository: string
  ref: string
  sha: string
  eventName: string
  serverUrl: string
  toolCacheDir: string
  tempDir: string
  runner: { os: string; arch: string }
}

export function readContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const local = env.GITHUB_ACTIONS !== 'true'
  const home = os.homedir()
  return {
    local,
    workspace: path.resolve(env.GITHUB_WORKSPACE || process.cwd()),
    repository: env.GITHUB_REPOSITORY ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    // Locally, keep installed toolchains between runs like a self-hosted runner would.
    toolCacheDir: path.resolve(
      env.RUNNER_TOOL_CACHE || path.join(home, '.cache', 'go-package-action', 'tool-cache')
    ),
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
    runner: { os: process.platform, arch: process.arch }
  }
}
