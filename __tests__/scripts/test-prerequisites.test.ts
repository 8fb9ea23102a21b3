// The check `npm test` runs before jest (scripts/test-prerequisites.mjs), run as a process with a
// PATH of symlinks to every command it looks for but the one hidden, and a local module proxy.
import { afterAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { cleanupTempDirs, tempDir } from '../helpers/fixtures.js'
import { REPO_ROOT } from '../helpers/run-action.js'

const CHECK = path.join(REPO_ROOT, 'scripts', 'test-prerequisites.mjs')

/** .ci/packages.txt: package → the commands the check looks for on PATH. */
const PACKAGES = readFileSync(path.join(REPO_ROOT, '.ci', 'packages.txt'), 'utf8')
  .split('\n')
  .map(line => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map(line => {
    const [name, ...needs] = line.split(/\s+/)
    return { name: name as string, commands: needs.filter(n => !path.isAbsolute(n)) }
  })

/** Where a command is on this machine's PATH. */
function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command)
  }
  return undefined
}

/** A directory of symlinks to every command the check looks for (and go), but `hidden`. */
async function pathWithout(...hidden: string[]): Promise<string> {
  const dir = await tempDir('gpa-prereq-path-')
  for (const command of ['go', ...PACKAGES.flatMap(p => p.commands)]) {
    const found = which(command)
    if (found && !hidden.includes(command)) symlinkSync(found, path.join(dir, command))
  }
  return dir
}

interface Checked {
  code: number | null
  stderr: string
  ms: number
}

function check(env: NodeJS.ProcessEnv): Promise<Checked> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHECK], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stderr, ms: Date.now() - started }))
  })
}

const servers: Server[] = []

function listen(server: Server): Promise<string> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  )
}

/** A module proxy that knows golang.org/x/mod, so that the check needs no network here. */
const proxyUrl: Promise<string> = (() => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/golang.org/x/mod/@v/list' ? 200 : 404).end('v0.1.0\n')
  })
  servers.push(server)
  return listen(server)
})()

/** Where nothing listens. */
const closedUrl: Promise<string> = (async () => {
  const server = createServer()
  const url = await listen(server)
  await new Promise(resolve => server.close(resolve))
  return url
})()

afterAll(async () => {
  await Promise.all(servers.map(s => new Promise(resolve => s.close(resolve))))
  await cleanupTempDirs()
})

/** What this machine lacks anyway (then those are named too). */
const lackingHere = PACKAGES.flatMap(p => p.commands).filter(c => !which(c))
const rootHere = process.getuid?.() === 0

describe('the prerequisite check of npm test', () => {
  test.concurrent.each([
    ['docker-registry', 'docker-registry'],
    ['qemu-aarch64-static', 'qemu-user-static'],
    ['dockerd', 'docker.io']
  ])(
    '%s hidden from PATH: named with the package and the command that installs it, quickly',
    async (command, pkg) => {
      const r = await check({ PATH: await pathWithout(command), GOPROXY: await proxyUrl })
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/^npm test: the end-to-end tests need what this machine lacks:\n/)
      expect(r.stderr).toContain(`  - ${command} is not on PATH (Debian package ${pkg})\n`)
      expect(r.stderr).toMatch(
        new RegExp(
          `\\n  (sudo )?apt-get update && (sudo )?apt-get install -y --no-install-recommends (\\S+ )*${pkg.replace('.', '\\.')}( |\\n)`
        )
      )
      expect(r.stderr).toContain('The unit tests alone need none of this: npm run test:unit')
      expect(r.ms).toBeLessThan(30_000)
    }
  )

  test.concurrent('two commands of one package are named together, the package once', async () => {
    const r = await check({
      PATH: await pathWithout('qemu-aarch64-static', 'qemu-arm-static'),
      GOPROXY: await proxyUrl
    })
    expect(r.stderr).toContain(
      '  - qemu-aarch64-static, qemu-arm-static are not on PATH (Debian package qemu-user-static)\n'
    )
    expect(r.stderr.match(/qemu-user-static/g)).toHaveLength(2) // the line and the install command
  })

  test.concurrent('go missing from PATH is named', async () => {
    const r = await check({ PATH: await pathWithout('go'), GOPROXY: await proxyUrl })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /\n {2}- go is not on PATH \(the tests build and test Go modules with it\): /
    )
  })

  test.concurrent('a module proxy that cannot be reached is named, within seconds', async () => {
    const r = await check({ PATH: await pathWithout(), GOPROXY: await closedUrl })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`  - the Go module proxy ${await closedUrl} cannot be reached (`)
    expect(r.ms).toBeLessThan(30_000)
  })

  test.concurrent('GOPROXY=off is named', async () => {
    const r = await check({ PATH: await pathWithout(), GOPROXY: 'off' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('  - GOPROXY is "off", which names no module proxy')
  })

  test.concurrent(
    'with everything there it says nothing and exits 0 (when this machine has it all)',
    async () => {
      const r = await check({ PATH: await pathWithout(), GOPROXY: await proxyUrl })
      if (lackingHere.length === 0 && rootHere) {
        expect(r).toMatchObject({ code: 0, stderr: '' })
      } else {
        expect(r.code).toBe(1)
        for (const c of lackingHere) expect(r.stderr).toContain(c)
      }
      expect(r.ms).toBeLessThan(30_000)
    }
  )
})

describe('the npm scripts', () => {
  const scripts = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
  ).scripts

  test('npm test runs the check before jest; npm run test:unit does not', () => {
    expect(scripts.test).toMatch(/^node scripts\/test-prerequisites\.mjs && .*\bjest\b/)
    expect(scripts['test:unit']).not.toContain('test-prerequisites')
    expect(scripts['test:unit']).toMatch(/\bjest --config jest\.unit\.config\.js\b/)
  })

  test('.ci/run installs the packages the check names, from the same file', () => {
    expect(readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')).toContain('<.ci/packages.txt')
    expect(PACKAGES.map(p => p.name)).toEqual(
      expect.arrayContaining(['docker.io', 'docker-registry', 'skopeo', 'qemu-user-static', 'zstd'])
    )
  })
})
