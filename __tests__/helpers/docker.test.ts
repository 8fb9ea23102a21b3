// startDocker and pushDistrolessBase against the real things: Debian's docker-registry, a private
// dockerd 20.10 (classic builder, vfs), skopeo, and qemu-user-static through binfmt_misc for the
// ARM platforms. A test that needs a missing piece (no binfmt for arm64, say) fails with the
// reason; nothing here is skipped.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import tar from 'tar-stream'
import { OCI_INDEX, OCI_MANIFEST } from '../../src/image/oci.js'
import {
  CA_CERTIFICATES,
  DISTROLESS_EPOCH,
  type DistrolessBase,
  distrolessLayer,
  pushDistrolessBase
} from './distroless-base.js'
import { type DockerDaemon, type DockerResult, mountsUnder, startDocker } from './docker.js'
import { type Registry, startRegistry } from './registry.js'

const execFileAsync = promisify(execFile)
const TIMEOUT = 300_000

// Prints what a distroless image must give a Go binary: the user from USER nonroot:nonroot
// resolved through the base's passwd and group, its home and working directory, the time zones
// and the CA bundle. `hello sleep` waits for SIGTERM (as PID 1 it must handle it itself).
const HELLO_GO = `package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sleep" {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		fmt.Println("sleeping")
		select {
		case <-stop:
		case <-time.After(time.Hour):
		}
		return
	}
	fmt.Printf("hello from %s\\n", runtime.GOARCH)
	fmt.Printf("uid=%d gid=%d\\n", os.Getuid(), os.Getgid())
	wd, _ := os.Getwd()
	fmt.Printf("cwd=%s\\n", wd)
	fmt.Printf("home=%s\\n", os.Getenv("HOME"))
	passwd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		fmt.Println("passwd error:", err)
	}
	for _, line := range strings.Split(string(passwd), "\\n") {
		if strings.HasPrefix(line, "nonroot:") {
			fmt.Printf("passwd=%s\\n", line)
		}
	}
	if loc, err := time.LoadLocation("US/Eastern"); err != nil {
		fmt.Println("zone error:", err)
	} else {
		fmt.Printf("zone=%s\\n", time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC).In(loc).Format("MST"))
	}
	certs, err := os.ReadFile(os.Getenv("SSL_CERT_FILE"))
	if err != nil {
		fmt.Println("certs error:", err)
	}
	fmt.Printf("certs=%d\\n", strings.Count(string(certs), "-----BEGIN CERTIFICATE-----"))
	for _, dir := range []string{"/home/nonroot", "/tmp"} {
		if err := os.WriteFile(dir+"/probe", []byte("x"), 0o600); err != nil {
			fmt.Printf("writable %s: %v\\n", dir, err)
		} else {
			fmt.Printf("writable %s: ok\\n", dir)
		}
	}
}
`

type Arch = 'amd64' | 'arm64' | 'arm'
const PLATFORM: Record<Arch, string> = {
  amd64: 'linux/amd64',
  arm64: 'linux/arm64',
  arm: 'linux/arm/v7'
}

describe('startDocker and pushDistrolessBase', () => {
  let registry: Registry
  let daemon: DockerDaemon
  let base: DistrolessBase
  let work: string
  const binaries = new Map<Arch, string>()

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'gpa-docker-test-'))
    registry = await startRegistry()
    daemon = await startDocker()
    base = await pushDistrolessBase(registry.host)
  }, TIMEOUT)

  afterAll(async () => {
    await daemon?.stop()
    await registry?.stop()
    if (work) await rm(work, { recursive: true, force: true })
  }, TIMEOUT)

  /** The result, or an error with the command's output and the end of dockerd's log. */
  async function ok(
    args: string[],
    opts: Parameters<DockerDaemon['docker']>[1] = {},
    on: DockerDaemon = daemon
  ): Promise<DockerResult> {
    const result = await on.docker(args, opts)
    if (result.code !== 0) {
      throw new Error(
        `docker ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}\n` +
          `dockerd log (end):\n${on.log().slice(-4000)}`
      )
    }
    return result
  }

  async function hello(arch: Arch): Promise<string> {
    const built = binaries.get(arch)
    if (built) return built
    const src = path.join(work, 'src')
    await mkdir(src, { recursive: true })
    await writeFile(path.join(src, 'go.mod'), 'module hello\n\ngo 1.22\n')
    await writeFile(path.join(src, 'main.go'), HELLO_GO)
    const out = path.join(work, `hello-${arch}`)
    await execFileAsync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, '.'], {
      cwd: src,
      env: {
        ...process.env,
        CGO_ENABLED: '0',
        GOOS: 'linux',
        GOARCH: arch,
        ...(arch === 'arm' ? { GOARM: '7' } : {}),
        GOTOOLCHAIN: 'local',
        GOFLAGS: '-mod=mod',
        GOPROXY: 'off'
      }
    })
    binaries.set(arch, out)
    return out
  }

  /** `DOCKER_BUILDKIT=0 docker build --platform …` of FROM base + COPY hello, tagged gpa-hello:arch. */
  async function buildHello(arch: Arch, on: DockerDaemon = daemon): Promise<string> {
    const context = path.join(work, `context-${arch}-${path.basename(on.dir)}`)
    await mkdir(context, { recursive: true })
    await copyFile(await hello(arch), path.join(context, 'hello'))
    await writeFile(
      path.join(context, 'Dockerfile'),
      `FROM ${base.reference}\nCOPY hello /hello\nUSER nonroot:nonroot\nENTRYPOINT ["/hello"]\n`
    )
    const tag = `gpa-hello:${arch}`
    // --pull: without it the classic builder takes the base already pulled under that tag (the
    // amd64 one) whatever --platform says, and the image comes out linux/amd64.
    await ok(
      ['build', '--pull', '--platform', PLATFORM[arch], '-t', tag, context],
      { env: { DOCKER_BUILDKIT: '0' } },
      on
    )
    return tag
  }

  async function runHello(arch: Arch): Promise<string> {
    const tag = await buildHello(arch)
    const inspected = JSON.parse(
      (await ok(['image', 'inspect', '--format', '{{json .}}', tag])).stdout
    ) as { Architecture: string; Variant?: string; Os: string; Config: { User: string } }
    expect(
      [inspected.Os, inspected.Architecture, inspected.Variant].filter(Boolean).join('/')
    ).toBe(arch === 'arm64' ? 'linux/arm64/v8' : PLATFORM[arch])
    expect(inspected.Config.User).toBe('nonroot:nonroot')
    const { stdout } = await ok([
      'run',
      '--rm',
      '--network=none',
      '--platform',
      PLATFORM[arch],
      tag
    ])
    return stdout
  }

  function expectDistrolessRun(stdout: string, arch: Arch): void {
    expect(stdout).toContain(`hello from ${arch}\n`)
    expect(stdout).toContain('uid=65532 gid=65532\n')
    expect(stdout).toContain('cwd=/home/nonroot\n')
    expect(stdout).toContain('home=/home/nonroot\n')
    expect(stdout).toContain('passwd=nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n')
    expect(stdout).toContain('zone=EST\n')
    expect(Number(/^certs=(\d+)$/m.exec(stdout)?.[1])).toBeGreaterThan(100)
    expect(stdout).toContain('writable /home/nonroot: ok\n')
    expect(stdout).toContain('writable /tmp: ok\n')
  }

  test('the layer is reproducible and holds distroless files with their owners and modes', async () => {
    const [a, b] = [await distrolessLayer(), await distrolessLayer()]
    expect(b.descriptor).toEqual(a.descriptor)
    expect(base.layer).toEqual(a.descriptor)
    expect(Buffer.compare(gunzipSync(a.gzip), a.tar)).toBe(0)

    const headers = new Map<string, tar.Header>()
    const contents = new Map<string, Buffer>()
    const extract = tar.extract()
    const done = (async () => {
      for await (const entry of extract) {
        headers.set(entry.header.name, entry.header)
        const chunks: Buffer[] = []
        for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk)
        contents.set(entry.header.name, Buffer.concat(chunks))
      }
    })()
    extract.end(a.tar)
    await done

    const mode = (name: string) => {
      const h = headers.get(name)
      return h && { type: h.type, mode: (h.mode ?? 0).toString(8), uid: h.uid, gid: h.gid }
    }
    expect(mode('home/nonroot/')).toEqual({
      type: 'directory',
      mode: '700',
      uid: 65532,
      gid: 65532
    })
    expect(mode('tmp/')).toEqual({ type: 'directory', mode: '1777', uid: 0, gid: 0 })
    expect(mode('etc/')).toEqual({ type: 'directory', mode: '755', uid: 0, gid: 0 })
    expect(mode('usr/share/zoneinfo/')).toEqual({ type: 'directory', mode: '755', uid: 0, gid: 0 })
    expect(mode('etc/passwd')).toEqual({ type: 'file', mode: '644', uid: 0, gid: 0 })
    expect(contents.get('etc/passwd')?.toString()).toContain(
      'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n'
    )
    expect(contents.get('etc/group')?.toString()).toContain('nonroot:x:65532:\n')
    expect(contents.get('etc/ssl/certs/ca-certificates.crt')).toEqual(
      await readFile(CA_CERTIFICATES)
    )
    // Aliases are copies of what they point to; posix/ (directory links) and localtime are not taken.
    expect(contents.get('usr/share/zoneinfo/UTC')).toEqual(
      await readFile('/usr/share/zoneinfo/Etc/UTC')
    )
    expect(mode('usr/share/zoneinfo/US/Eastern')?.type).toBe('file')
    expect(headers.has('usr/share/zoneinfo/localtime')).toBe(false)
    expect([...headers.keys()].some(name => name.startsWith('usr/share/zoneinfo/posix/'))).toBe(
      false
    )
    for (const h of headers.values()) {
      expect(h.mtime?.getTime()).toBe(DISTROLESS_EPOCH * 1000)
      expect(h.type === 'file' || h.type === 'directory').toBe(true)
    }
    // Parents come before their contents.
    const names = [...headers.keys()]
    for (const [i, name] of names.entries()) {
      const parent = name.replace(/[^/]+\/?$/, '')
      if (parent) expect(names.indexOf(parent)).toBeLessThan(i)
    }
    expect(a.tar.length).toBeLessThan(5 * 1024 * 1024)
  })

  test('skopeo sees an OCI index of linux/amd64, linux/arm64/v8 and linux/arm/v7', async () => {
    const { stdout } = await execFileAsync('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--raw',
      `docker://${base.reference}`
    ])
    const index = JSON.parse(stdout) as {
      mediaType: string
      manifests: Array<{ mediaType: string; digest: string; platform: Record<string, string> }>
    }
    expect(index.mediaType).toBe(OCI_INDEX)
    expect(
      index.manifests.map(m => [m.platform.os, m.platform.architecture, m.platform.variant])
    ).toEqual([
      ['linux', 'amd64', undefined],
      ['linux', 'arm64', 'v8'],
      ['linux', 'arm', 'v7']
    ])
    expect(index.manifests.every(m => m.mediaType === OCI_MANIFEST)).toBe(true)
    expect(base.platforms).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'])
    expect(index.manifests.map(m => m.digest)).toEqual(base.platforms.map(p => base.manifests[p]))

    const config = JSON.parse(
      (
        await execFileAsync('skopeo', [
          'inspect',
          '--tls-verify=false',
          '--override-arch=arm',
          '--override-variant=v7',
          '--config',
          `docker://${base.reference}`
        ])
      ).stdout
    ) as Record<string, unknown>
    expect(config).toMatchObject({
      architecture: 'arm',
      os: 'linux',
      variant: 'v7',
      config: {
        User: '65532',
        WorkingDir: '/home/nonroot',
        Env: [
          'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'
        ]
      },
      rootfs: { type: 'layers', diff_ids: [base.diffId] }
    })
  })

  test('the daemon answers on its own socket and pulls the base from the loopback registry', async () => {
    expect(daemon.host).toBe(`unix://${daemon.dir}/docker.sock`)
    expect(daemon.host.length).toBeLessThan(100)
    const version = JSON.parse((await ok(['version', '--format', '{{json .Server}}'])).stdout) as {
      Version: string
    }
    expect(version.Version).toMatch(/^20\.10\./)
    // Its own containerd, started by dockerd under its exec-root: no --containerd needed.
    await access(path.join(daemon.dir, 'exec/containerd/containerd.sock'))

    const pulled = await ok(['pull', base.reference])
    expect(pulled.stdout).toContain(`Digest: ${base.digest}`)
    const image = JSON.parse(
      (await ok(['image', 'inspect', '--format', '{{json .}}', base.reference])).stdout
    ) as {
      Os: string
      Architecture: string
      RepoDigests: string[]
      Config: { User: string; WorkingDir: string; Env: string[] }
    }
    expect(image.Os).toBe('linux')
    expect(image.Architecture).toBe('amd64')
    expect(image.RepoDigests).toContain(`${registry.host}/distroless/static@${base.digest}`)
    expect(image.Config).toMatchObject({ User: '65532', WorkingDir: '/home/nonroot' })
  })

  test('classic build FROM the base for linux/amd64 runs as nonroot with zones and CA certs', async () => {
    expectDistrolessRun(await runHello('amd64'), 'amd64')
  })

  test('linux/arm64 builds FROM the base and runs under qemu through binfmt_misc', async () => {
    // A missing piece fails the test (CI must not pass without running arm64), it is not skipped.
    if (!daemon.binfmt.arm64)
      throw new Error(`cannot run linux/arm64 containers: ${daemon.binfmt.why}`)
    expectDistrolessRun(await runHello('arm64'), 'arm64')
  })

  test('linux/arm/v7 builds FROM the base and runs under qemu through binfmt_misc', async () => {
    if (!daemon.binfmt.arm)
      throw new Error(`cannot run linux/arm/v7 containers: ${daemon.binfmt.why}`)
    expectDistrolessRun(await runHello('arm'), 'arm')
  })

  // 'crashed': dockerd is SIGKILLed first, as if it had died, so stop() has to clean up after it.
  test.each(['stopped', 'crashed'])(
    'a second daemon is separate; %s with a container running, it leaves no process, mount, cgroup or file',
    async mode => {
      const other = await startDocker()
      let stopped = false
      try {
        expect(other.dir).not.toBe(daemon.dir)
        expect(other.env.DOCKER_CONFIG).not.toBe(daemon.env.DOCKER_CONFIG)
        // Each has its own containerd under its own exec-root.
        const containerds = async (): Promise<string[]> =>
          (await execFileAsync('pgrep', ['-a', 'containerd'])).stdout
            .split('\n')
            .filter(line => /\scontainerd --config /.test(line))
        const listed = await containerds()
        expect(listed.filter(l => l.includes(`${daemon.dir}/exec/containerd/`))).toHaveLength(1)
        expect(listed.filter(l => l.includes(`${other.dir}/exec/containerd/`))).toHaveLength(1)

        // A running container (its shim, its netns mount, its cgroup) when the daemon goes.
        await ok(['pull', base.reference], {}, other)
        const tag = await buildHello('amd64', other)
        const id = (
          await ok(['run', '-d', '--network=none', tag, 'sleep'], {}, other)
        ).stdout.trim()
        expect((await ok(['ps', '-q', '--no-trunc'], {}, other)).stdout.trim()).toBe(id)
        expect((await ok(['ps', '-aq', '--no-trunc'])).stdout).not.toContain(id)
        const containerPid = Number(
          (await ok(['inspect', '--format', '{{.State.Pid}}', id], {}, other)).stdout
        )
        expect(alive(containerPid)).toBe(true)
        const cgroups = async (): Promise<string[]> => {
          const found: string[] = []
          for (const line of (await readFile('/proc/self/mounts', 'utf8')).split('\n')) {
            const [, point, type] = line.split(' ')
            if (type !== 'cgroup' && type !== 'cgroup2') continue
            const dir = `${point}/docker/${id}`
            if (
              await access(dir).then(
                () => true,
                () => false
              )
            )
              found.push(dir)
          }
          return found
        }
        expect((await cgroups()).length).toBeGreaterThan(0)

        if (mode === 'crashed') {
          const pid = Number(await readFile(path.join(other.dir, 'docker.pid'), 'utf8'))
          process.kill(pid, 'SIGKILL')
          while (alive(pid)) await new Promise(resolve => setTimeout(resolve, 50))
          // What a dead dockerd leaves: the shim, the container, its mounts.
          expect(alive(containerPid)).toBe(true)
          expect(await mountsUnder(other.dir)).not.toEqual([])
        }
        await other.stop()
        stopped = true
        const cmdlines = (await execFileAsync('ps', ['-eo', 'args'])).stdout
        expect(cmdlines).not.toContain(`${other.dir}/`)
        expect(alive(containerPid)).toBe(false)
        expect(await mountsUnder(other.dir)).toEqual([])
        expect(await cgroups()).toEqual([])
        await expect(access(other.dir)).rejects.toThrow()
        // The first daemon and its containerd carry on.
        await ok(['version'])
        expect((await containerds()).filter(l => l.includes(`${daemon.dir}/exec/`))).toHaveLength(1)
      } finally {
        if (!stopped) await other.stop()
      }
    }
  )
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
