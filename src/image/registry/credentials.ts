import * as core from '@actions/core'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../errors.js'
import type { Credentials } from './client.js'

/** The key docker, crane and ko use for Docker Hub, in config files and towards helpers. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/'
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])
const HELPER_TIMEOUT_MS = 30_000
/** The username docker writes beside an identity token, so its Secret is that token. */
const TOKEN_USERNAME = '<token>'

/** ghcr.io with the workflow's actor and token, when both are given. */
export function ghcrCredentials(
  registry: string,
  actor: string,
  token: string
): Credentials | undefined {
  if (hostKey(registry) !== 'ghcr.io' || !actor || !token) return undefined
  return { username: actor, password: token }
}

/**
 * Credentials for `registry` (host[:port] as in an image reference) from the Docker config, in
 * docker's order: credHelpers[registry], else credsStore, else auths[registry]. A helper that has
 * nothing for the registry falls back to auths, so a `docker login` kept in the file still works.
 */
export async function dockerConfigCredentials(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir()
): Promise<Credentials | undefined> {
  const file = env.DOCKER_CONFIG
    ? path.join(env.DOCKER_CONFIG, 'config.json')
    : path.join(home, '.docker', 'config.json')
  const config = await readConfig(file)
  if (!config) return undefined
  const wanted = hostKey(registry)

  const helper = stringOr(lookup(config.credHelpers, registry)) || stringOr(config.credsStore)
  if (helper) {
    const found = await fromHelper(helper, registry, env)
    if (found) return masked(found)
  }

  const entry = lookup(config.auths, registry)
  if (!isRecord(entry)) return undefined
  const found = fromAuthEntry(entry, file, wanted)
  return found && masked(found)
}

function masked(credentials: Credentials): Credentials {
  core.setSecret(credentials.password)
  return credentials
}

/** host[:port], lowercased, with Docker Hub's aliases folded into docker.io. */
function hostKey(key: string): string {
  const host = (
    key
      .trim()
      .replace(/^https?:\/\//i, '')
      .split('/')[0] ?? ''
  ).toLowerCase()
  return DOCKER_HUB_HOSTS.has(host) ? 'docker.io' : host
}

/** What docker hands a helper: the Hub's v1 URL, else the host as written. */
function serverUrl(registry: string): string {
  return hostKey(registry) === 'docker.io' ? DOCKER_HUB_KEY : registry
}

/**
 * The value under the key for `registry`: an exact key first (docker's own lookup), then any key
 * that names the same host, as `docker login` has written keys with schemes and paths over the years.
 */
function lookup(map: unknown, registry: string): unknown {
  if (!isRecord(map)) return undefined
  const wanted = hostKey(registry)
  const exact = wanted === 'docker.io' ? DOCKER_HUB_KEY : registry
  if (Object.hasOwn(map, exact)) return map[exact]
  const key = Object.keys(map).find(k => hostKey(k) === wanted)
  return key === undefined ? undefined : map[key]
}

async function readConfig(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ActionError(`cannot read the Docker config ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    // V8 quotes the text around the fault, which can be an auth value: keep only the position.
    const where = /at position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)
    throw new ActionError(
      `the Docker config ${file} is not valid JSON${where ? ` (${where[0]})` : ''}`
    )
  }
  if (!isRecord(parsed)) throw new ActionError(`the Docker config ${file} is not a JSON object`)
  return parsed
}

function fromAuthEntry(
  entry: Record<string, unknown>,
  file: string,
  registry: string
): Credentials | undefined {
  // docker sends an identity token as an OAuth refresh token (grant_type=refresh_token), which
  // registries that only take that flow need; as a Basic password beside <token> it works on e.g. ACR.
  const identityToken = stringOr(entry.identitytoken)
  if (identityToken) return { username: TOKEN_USERNAME, password: identityToken }
  const auth = stringOr(entry.auth)
  if (auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon <= 0)
      throw new ActionError(
        `the Docker config ${file}: the auth of ${registry} is not base64 of user:password`
      )
    // Split at the first colon: a username cannot hold one, a password (or token) may.
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  const username = stringOr(entry.username)
  const password = stringOr(entry.password)
  return username && password ? { username, password } : undefined
}

/** `docker-credential-<name> get`, as docker runs it; undefined when it has nothing for the registry. */
async function fromHelper(
  name: string,
  registry: string,
  env: NodeJS.ProcessEnv
): Promise<Credentials | undefined> {
  const program = `docker-credential-${name}`
  const result = await runHelper(program, serverUrl(registry), env)
  const fail = (why: string) =>
    new ActionError(`credential helper ${program} (for registry ${registry}): ${why}`)
  if ('error' in result) {
    if (result.error.code === 'ENOENT')
      throw fail('not found on PATH; install it, or remove it from credsStore/credHelpers')
    throw fail(result.error.message)
  }
  if (result.timedOut) throw fail(`no answer within ${HELPER_TIMEOUT_MS / 1000} s`)
  if (result.code !== 0) {
    // docker-credential-helpers print this on stdout (errCredentialsNotFound) and exit 1.
    if (/credentials not found/i.test(`${result.stdout}\n${result.stderr}`)) return undefined
    throw fail(`exited with ${result.code ?? result.signal}${detail(result)}`)
  }
  let answer: unknown
  try {
    answer = JSON.parse(result.stdout)
  } catch {
    // Its stdout may hold the secret: name the problem only.
    throw fail('its output is not JSON')
  }
  if (!isRecord(answer)) throw fail('its output is not a JSON object')
  const username = stringOr(answer.Username)
  const secret = stringOr(answer.Secret)
  if (!secret) return undefined
  // A Username of <token> marks Secret as an identity token: the same Basic treatment as auths.
  return { username, password: secret }
}

/** The helper's own words, for an error: stderr, or stdout when that is all it wrote and not JSON. */
function detail(result: HelperRun): string {
  let text = result.stderr.trim()
  const stdout = result.stdout.trim()
  if (!text && !stdout.startsWith('{')) text = stdout
  if (!text) return ''
  return `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`
}

interface HelperRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/** Spawns directly: the exec adapter cannot write to stdin, and PATH must come from `env`. */
function runHelper(
  program: string,
  input: string,
  env: NodeJS.ProcessEnv
): Promise<HelperRun | { error: NodeJS.ErrnoException }> {
  return new Promise(resolve => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    const finish = (code: number | null, signal: NodeJS.Signals | null, timedOut: boolean) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut
      })
    }
    // Settle at the limit without waiting for 'close': a grandchild may still hold the pipes open.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      child.stdout.destroy()
      child.stderr.destroy()
      finish(null, 'SIGKILL', true)
    }, HELPER_TIMEOUT_MS)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    // A helper that exits without reading stdin makes the write fail with EPIPE; its exit says more.
    child.stdin.on('error', () => undefined)
    child.on('error', error => {
      clearTimeout(timer)
      resolve({ error })
    })
    child.on('close', (code, signal) => finish(code, signal, false))
    child.stdin.end(input)
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
