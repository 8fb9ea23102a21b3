// Docker config credentials against real files and real credential helpers (small shell scripts).
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { captureStdout } from '../helpers/stdout.js'
import { ActionError } from '../../src/errors.js'
import { dockerConfigCredentials, ghcrCredentials } from '../../src/image/registry/credentials.js'

let base: string
/** DOCKER_CONFIG for most tests. */
let configDir: string
/** Where the helper scripts live; only on PATH through the env given to the function. */
let bin: string
/** An empty home, so a developer's own ~/.docker never leaks in. */
let home: string
let env: NodeJS.ProcessEnv
/** ::add-mask:: commands written to stdout (core.setSecret). */
let masks: string[]

const b64 = (text: string): string => Buffer.from(text).toString('base64')

async function writeConfig(config: unknown, dir = configDir): Promise<void> {
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config))
}

/** An executable docker-credential-<name> with this sh body; `cat` reads the server URL. */
async function writeHelper(name: string, body: string): Promise<void> {
  const file = path.join(bin, `docker-credential-${name}`)
  await writeFile(file, `#!/bin/sh\n${body}\n`)
  await chmod(file, 0o755)
}

/** A helper that answers for every server, recording what it was given on stdin and argv. */
async function answeringHelper(name: string, username: string, secret: string): Promise<void> {
  await writeHelper(
    name,
    [
      `url=$(cat)`,
      `printf '%s' "$url" > "${path.join(base, `${name}.stdin`)}"`,
      `printf '%s' "$*" > "${path.join(base, `${name}.args`)}"`,
      `printf '{"ServerURL":"%s","Username":"${username}","Secret":"${secret}"}' "$url"`
    ].join('\n')
  )
}

/** A helper that has nothing stored, as docker-credential-helpers say it (stdout, exit 1). */
async function emptyHelper(name: string): Promise<void> {
  await writeHelper(
    name,
    `cat > /dev/null\necho 'credentials not found in native keychain'\nexit 1`
  )
}

const stdinOf = (name: string): Promise<string> =>
  readFile(path.join(base, `${name}.stdin`), 'utf8')

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'gpa-credentials-test-'))
  configDir = path.join(base, 'docker-config')
  bin = path.join(base, 'bin')
  home = path.join(base, 'home')
  await mkdir(bin)
  await mkdir(home)
  env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DOCKER_CONFIG: configDir }
  masks = []
  captureStdout(
    text => text.startsWith('::add-mask::'),
    masks,
    text => text.trim()
  )
})

afterEach(async () => {
  jest.restoreAllMocks()
  await rm(base, { recursive: true, force: true })
})

describe('dockerConfigCredentials: auths', () => {
  test('auth is base64 of user:password, split at the first colon, and the password is masked', async () => {
    await writeConfig({ auths: { 'registry.example.com': { auth: b64('alice:pa:ss:word') } } })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'alice',
      password: 'pa:ss:word'
    })
    expect(masks).toEqual(['::add-mask::pa:ss:word'])
  })

  test('username and password fields', async () => {
    await writeConfig({
      auths: { 'registry.example.com': { username: 'bob', password: 'hunter2' } }
    })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'bob',
      password: 'hunter2'
    })
    expect(masks).toEqual(['::add-mask::hunter2'])
  })

  test('identitytoken → <token> with the token as password', async () => {
    await writeConfig({
      auths: { 'example.azurecr.io': { auth: '', identitytoken: 'eyJ.refresh.token' } }
    })
    await expect(dockerConfigCredentials('example.azurecr.io', env, home)).resolves.toEqual({
      username: '<token>',
      password: 'eyJ.refresh.token'
    })
    expect(masks).toEqual(['::add-mask::eyJ.refresh.token'])
  })

  test.each([
    'https://index.docker.io/v1/',
    'index.docker.io',
    'docker.io',
    'registry-1.docker.io',
    'https://registry-1.docker.io/v2/'
  ])('docker.io matches the key %s', async key => {
    await writeConfig({ auths: { [key]: { auth: b64('hubuser:hubpass') } } })
    await expect(dockerConfigCredentials('docker.io', env, home)).resolves.toEqual({
      username: 'hubuser',
      password: 'hubpass'
    })
  })

  test('the canonical Docker Hub key wins over an alias', async () => {
    await writeConfig({
      auths: {
        'docker.io': { auth: b64('old:one') },
        'https://index.docker.io/v1/': { auth: b64('new:two') }
      }
    })
    await expect(dockerConfigCredentials('docker.io', env, home)).resolves.toEqual({
      username: 'new',
      password: 'two'
    })
  })

  test('http://127.0.0.1:5000/v2/ matches 127.0.0.1:5000, not another port', async () => {
    await writeConfig({ auths: { 'http://127.0.0.1:5000/v2/': { auth: b64('local:secret5000') } } })
    await expect(dockerConfigCredentials('127.0.0.1:5000', env, home)).resolves.toEqual({
      username: 'local',
      password: 'secret5000'
    })
    await expect(dockerConfigCredentials('127.0.0.1:5001', env, home)).resolves.toBeUndefined()
    await expect(dockerConfigCredentials('127.0.0.1', env, home)).resolves.toBeUndefined()
  })

  test('hosts compare case-insensitively, both ways', async () => {
    await writeConfig({ auths: { 'https://Registry.Example.COM': { auth: b64('carol:pw1') } } })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'carol',
      password: 'pw1'
    })
    await expect(dockerConfigCredentials('REGISTRY.example.com', env, home)).resolves.toEqual({
      username: 'carol',
      password: 'pw1'
    })
  })

  test('another registry, or an entry with nothing usable → undefined', async () => {
    await writeConfig({
      auths: {
        'registry.example.com': { auth: b64('dave:pw') },
        'empty.example.com': {},
        'half.example.com': { username: 'erin' }
      }
    })
    await expect(dockerConfigCredentials('other.example.com', env, home)).resolves.toBeUndefined()
    await expect(dockerConfigCredentials('empty.example.com', env, home)).resolves.toBeUndefined()
    await expect(dockerConfigCredentials('half.example.com', env, home)).resolves.toBeUndefined()
    expect(masks).toEqual([])
  })

  test('an auth that is not user:password → ActionError without the value', async () => {
    await writeConfig({ auths: { 'registry.example.com': { auth: b64('nocolonsecret') } } })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toContain(path.join(configDir, 'config.json'))
    expect((error as Error).message).not.toContain('nocolonsecret')
    expect((error as Error).message).not.toContain(b64('nocolonsecret'))
  })
})

describe('dockerConfigCredentials: the config file', () => {
  test('no config file → undefined', async () => {
    await expect(
      dockerConfigCredentials('registry.example.com', env, home)
    ).resolves.toBeUndefined()
    await expect(
      dockerConfigCredentials('registry.example.com', { PATH: env.PATH }, home)
    ).resolves.toBeUndefined()
  })

  test('without DOCKER_CONFIG: <home>/.docker/config.json', async () => {
    await writeConfig(
      { auths: { 'registry.example.com': { auth: b64('homeuser:homepw') } } },
      path.join(home, '.docker')
    )
    await expect(
      dockerConfigCredentials('registry.example.com', { PATH: env.PATH }, home)
    ).resolves.toEqual({ username: 'homeuser', password: 'homepw' })
  })

  test('DOCKER_CONFIG wins over <home>/.docker', async () => {
    await writeConfig(
      { auths: { 'registry.example.com': { auth: b64('homeuser:homepw') } } },
      path.join(home, '.docker')
    )
    await writeConfig({ auths: { 'registry.example.com': { auth: b64('envuser:envpw') } } })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'envuser',
      password: 'envpw'
    })
    // And an empty DOCKER_CONFIG directory means no credentials, not a fall back to home.
    await rm(path.join(configDir, 'config.json'))
    await expect(
      dockerConfigCredentials('registry.example.com', env, home)
    ).resolves.toBeUndefined()
  })

  test('invalid JSON → ActionError naming the file, without its contents', async () => {
    await mkdir(configDir)
    const file = path.join(configDir, 'config.json')
    await writeFile(file, '{"auths": {"registry.example.com": {"auth": "c2VjcmV0VmFsdWU="}} oops')
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^the Docker config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`
      )
    )
    expect((error as Error).message).not.toContain('c2VjcmV0VmFsdWU')
  })

  test('JSON that is not an object → ActionError naming the file', async () => {
    await mkdir(configDir)
    await writeFile(path.join(configDir, 'config.json'), '[]')
    await expect(dockerConfigCredentials('registry.example.com', env, home)).rejects.toThrow(
      `the Docker config ${path.join(configDir, 'config.json')} is not a JSON object`
    )
  })

  test('unreadable (a directory) → ActionError naming the file', async () => {
    await mkdir(path.join(configDir, 'config.json'), { recursive: true })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toContain(
      `cannot read the Docker config ${path.join(configDir, 'config.json')}`
    )
  })
})

describe('dockerConfigCredentials: credential helpers', () => {
  test('credHelpers wins over credsStore and auths; the helper gets "get" and the host', async () => {
    await answeringHelper('special', 'helperuser', 'helpersecret')
    await answeringHelper('store', 'storeuser', 'storesecret')
    await writeConfig({
      credHelpers: { 'registry.example.com:5000': 'special' },
      credsStore: 'store',
      auths: { 'registry.example.com:5000': { auth: b64('fileuser:filepw') } }
    })
    await expect(dockerConfigCredentials('registry.example.com:5000', env, home)).resolves.toEqual({
      username: 'helperuser',
      password: 'helpersecret'
    })
    await expect(stdinOf('special')).resolves.toBe('registry.example.com:5000')
    await expect(readFile(path.join(base, 'special.args'), 'utf8')).resolves.toBe('get')
    expect(masks).toEqual(['::add-mask::helpersecret'])
    // The other registries go to the default store.
    await expect(dockerConfigCredentials('other.example.com', env, home)).resolves.toEqual({
      username: 'storeuser',
      password: 'storesecret'
    })
    await expect(stdinOf('store')).resolves.toBe('other.example.com')
  })

  test('credsStore is used in preference to auths', async () => {
    await answeringHelper('store', 'storeuser', 'storesecret')
    await writeConfig({
      credsStore: 'store',
      auths: { 'registry.example.com': { auth: b64('fileuser:filepw') } }
    })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'storeuser',
      password: 'storesecret'
    })
  })

  test('docker.io: the helper is asked for https://index.docker.io/v1/', async () => {
    await answeringHelper('store', 'hub', 'hubsecret')
    await writeConfig({ credsStore: 'store', auths: { 'https://index.docker.io/v1/': {} } })
    await expect(dockerConfigCredentials('docker.io', env, home)).resolves.toEqual({
      username: 'hub',
      password: 'hubsecret'
    })
    await expect(stdinOf('store')).resolves.toBe('https://index.docker.io/v1/')
  })

  test('credHelpers keyed by the Docker Hub URL apply to docker.io', async () => {
    await answeringHelper('hubhelper', 'hub', 'hubsecret')
    await writeConfig({ credHelpers: { 'https://index.docker.io/v1/': 'hubhelper' } })
    await expect(dockerConfigCredentials('docker.io', env, home)).resolves.toEqual({
      username: 'hub',
      password: 'hubsecret'
    })
    await expect(stdinOf('hubhelper')).resolves.toBe('https://index.docker.io/v1/')
  })

  test('a helper answering with the server URL it was given (echoed in Secret)', async () => {
    await writeHelper(
      'echo',
      `url=$(cat)\nprintf '{"ServerURL":"%s","Username":"u","Secret":"for %s"}' "$url" "$url"`
    )
    await writeConfig({ credsStore: 'echo' })
    await expect(dockerConfigCredentials('Registry.Example.com:8443', env, home)).resolves.toEqual({
      username: 'u',
      password: 'for Registry.Example.com:8443'
    })
  })

  test('the store has nothing ("credentials not found") → auths', async () => {
    await emptyHelper('store')
    await writeConfig({
      credsStore: 'store',
      auths: { 'registry.example.com': { auth: b64('fileuser:filepw') } }
    })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'fileuser',
      password: 'filepw'
    })
    // Nothing in auths either → undefined.
    await expect(dockerConfigCredentials('other.example.com', env, home)).resolves.toBeUndefined()
  })

  test('"credentials not found" on stderr counts too', async () => {
    await writeHelper('store', `cat > /dev/null\necho 'Credentials not found' >&2\nexit 1`)
    await writeConfig({ credsStore: 'store' })
    await expect(
      dockerConfigCredentials('registry.example.com', env, home)
    ).resolves.toBeUndefined()
  })

  test('Username <token>: the Secret is an identity token', async () => {
    await answeringHelper('acr', '<token>', 'refresh-token-value')
    await writeConfig({ credHelpers: { 'example.azurecr.io': 'acr' } })
    await expect(dockerConfigCredentials('example.azurecr.io', env, home)).resolves.toEqual({
      username: '<token>',
      password: 'refresh-token-value'
    })
    expect(masks).toEqual(['::add-mask::refresh-token-value'])
  })

  test('a helper not on PATH → ActionError naming it and the registry', async () => {
    await writeConfig({
      credsStore: 'xyz',
      auths: { 'registry.example.com': { auth: b64('a:b') } }
    })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'credential helper docker-credential-xyz (for registry registry.example.com): ' +
        'not found on PATH; install it, or remove it from credsStore/credHelpers'
    )
  })

  test('a helper failing otherwise → ActionError with its stderr, not the secret', async () => {
    await writeHelper(
      'broken',
      [
        'cat > /dev/null',
        `printf '{"Username":"u","Secret":"topsecret-value"}'`,
        `echo '  keychain is locked  ' >&2`,
        'exit 3'
      ].join('\n')
    )
    await writeConfig({ credHelpers: { 'registry.example.com': 'broken' } })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'credential helper docker-credential-broken (for registry registry.example.com): ' +
        'exited with 3: keychain is locked'
    )
    expect(masks).toEqual([])
  })

  test('a failing helper with only stdout (as docker-credential-helpers write errors) shows it', async () => {
    await writeHelper('pass', `cat > /dev/null\necho 'pass store is uninitialized'\nexit 1`)
    await writeConfig({ credsStore: 'pass' })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).rejects.toThrow(
      'credential helper docker-credential-pass (for registry registry.example.com): ' +
        'exited with 1: pass store is uninitialized'
    )
  })

  test('stderr is capped at 300 characters', async () => {
    await writeHelper('noisy', `cat > /dev/null\nprintf '%0500d' 0 | tr 0 x >&2\nexit 2`)
    await writeConfig({ credsStore: 'noisy' })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect((error as Error).message).toBe(
      'credential helper docker-credential-noisy (for registry registry.example.com): ' +
        `exited with 2: ${'x'.repeat(300)}…`
    )
  })

  test('output that is not JSON → ActionError without the output', async () => {
    await writeHelper('garbled', `cat > /dev/null\necho 'Secret=leaky-secret-text'`)
    await writeConfig({ credsStore: 'garbled' })
    const error = await dockerConfigCredentials('registry.example.com', env, home).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toBe(
      'credential helper docker-credential-garbled (for registry registry.example.com): ' +
        'its output is not JSON'
    )
  })

  test('a helper that exits without reading stdin still answers', async () => {
    await writeHelper('deaf', `printf '{"Username":"deaf","Secret":"deafsecret"}'`)
    await writeConfig({ credsStore: 'deaf' })
    await expect(dockerConfigCredentials('registry.example.com', env, home)).resolves.toEqual({
      username: 'deaf',
      password: 'deafsecret'
    })
  })
})

describe('ghcrCredentials', () => {
  test('ghcr.io with actor and token', () => {
    expect(ghcrCredentials('ghcr.io', 'octocat', 'ghs_abc')).toEqual({
      username: 'octocat',
      password: 'ghs_abc'
    })
    expect(ghcrCredentials('GHCR.io', 'octocat', 'ghs_abc')).toEqual({
      username: 'octocat',
      password: 'ghs_abc'
    })
  })

  test.each([
    ['docker.io', 'octocat', 'ghs_abc'],
    ['ghcr.example.com', 'octocat', 'ghs_abc'],
    ['ghcr.io', '', 'ghs_abc'],
    ['ghcr.io', 'octocat', '']
  ])('%s, actor "%s", token "%s" → undefined', (registry, actor, token) => {
    expect(ghcrCredentials(registry, actor, token)).toBeUndefined()
  })
})
