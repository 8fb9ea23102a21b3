// The local stand-ins the benchmark runs against, started once: go.dev/dl (the machine's Go,
// repackaged), the Actions cache service, a registry holding a distroless-like base, and a Docker
// daemon for the Docker path. The same helpers the end-to-end tests use.
import { type CacheServer, startCacheServer } from '../__tests__/helpers/cache-server.js'
import { type DistrolessBase, pushDistrolessBase } from '../__tests__/helpers/distroless-base.js'
import { type DlServer, standardReleases, startDlServer } from '../__tests__/helpers/dl-server.js'
import { type DockerDaemon, startDocker } from '../__tests__/helpers/docker.js'
import { machineGo } from '../__tests__/helpers/go-archive.js'
import { type Registry, startRegistry } from '../__tests__/helpers/registry.js'

export interface BenchEnvironment {
  dl: DlServer
  registry: Registry
  base: DistrolessBase
  docker: DockerDaemon
  /** The machine's Go version, e.g. go1.26.8: the one the dl server serves. */
  goVersion: string
  /** A cache service of its own; stop it when done (cold runs each take a new, empty one). */
  cacheServer(): Promise<CacheServer>
  stop(): Promise<void>
}

export async function startEnvironment(): Promise<BenchEnvironment> {
  const stoppers: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    await Promise.allSettled(stoppers.splice(0).map(s => s()))
  }
  try {
    const dl = await startDlServer(await standardReleases())
    stoppers.push(() => dl.stop())
    const registry = await startRegistry()
    stoppers.push(() => registry.stop())
    const docker = await startDocker()
    stoppers.push(() => docker.stop())
    const base = await pushDistrolessBase(registry.host)
    const { version } = await machineGo()
    return {
      dl,
      registry,
      base,
      docker,
      goVersion: version,
      async cacheServer() {
        const server = await startCacheServer()
        stoppers.push(() => server.stop())
        return server
      },
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
