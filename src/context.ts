import { readFileSync } from 'node:fs'
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
  /** The repository's default branch, from the event payload; empty when the payload has none. */
  defaultBranch: string
  /** Who started the run: the user name for ghcr.io with github-token. */
  actor: string
  serverUrl: string
  /** The REST API's base: GITHUB_API_URL, which GitHub Enterprise sets to its own. */
  apiUrl: string
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
    defaultBranch: defaultBranch(env.GITHUB_EVENT_PATH),
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    // Locally, keep installed toolchains between runs like a self-hosted runner would.
    toolCacheDir: path.resolve(
      env.RUNNER_TOOL_CACHE || path.join(home, '.cache', 'go-package-action', 'tool-cache')
    ),
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
    runner: { os: process.platform, arch: process.arch }
  }
}

/** Every event that names a repository carries its default branch; a missing or odd payload has none. */
function defaultBranch(eventPath: string | undefined): string {
  if (!eventPath) return ''
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      repository?: { default_branch?: unknown }
    }
    const branch = event.repository?.default_branch
    return typeof branch === 'string' ? branch : ''
  } catch {
    return ''
  }
}
