import * as core from '@actions/core'
import * as tc from '@actions/tool-cache'
import { chmod, copyFile, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../errors.js'
import { downloadFile, getBytes, getText, getTextIfExists } from '../util/http.js'
import { type AvailableVersion, goToSemver, semverToGo } from './go-version.js'
import { type GoPlatform, proxyArch } from './platform.js'
import type { ToolchainSource } from './source.js'
import { hash1 } from './dirhash.js'
import {
  moduleHashFromLookup,
  parseVerifierKey,
  SUM_GOLANG_ORG_KEY,
  type Verifier
} from './sumdb.js'

const MODULE = 'golang.org/toolchain'

/** The first usable proxy of a GOPROXY list ("https://a,https://b|direct"), as the go command reads it. */
export function proxyFromEnv(goproxy: string | undefined): string {
  for (const entry of (goproxy || 'https://proxy.golang.org').split(/[,|]/)) {
    const url = entry.trim()
    if (/^https?:\/\//.test(url)) return url.replace(/\/+$/, '')
    if (url === 'off') break
  }
  throw new ActionError(
    `go-download-source: proxy needs a module proxy in GOPROXY, which is "${goproxy}"`
  )
}

/** golang.org/toolchain names a release per platform: v0.0.1-go1.27.3.linux-amd64. */
export function toolchainModuleVersion(version: string, platform: GoPlatform): string {
  return `v0.0.1-${semverToGo(version)}.${platform.os}-${proxyArch(platform)}`
}

interface ChecksumDb {
  verifier?: Verifier
  /** Proxied lookups go through GOPROXY (/sumdb/<name>/…), as the go command prefers. */
  lookupBase?: string
}

function checksumDb(gosumdb: string | undefined): ChecksumDb {
  let value = (gosumdb || 'sum.golang.org').trim()
  if (value === 'off') return {}
  // As the go command reads it: the same database, served from another host.
  if (value === 'sum.golang.google.cn') value = 'sum.golang.org https://sum.golang.google.cn'
  const [name, url] = value.split(/\s+/)
  const key =
    name === 'sum.golang.org' || name === 'sum.golang.google.cn' ? SUM_GOLANG_ORG_KEY : name
  const verifier = parseVerifierKey(key ?? '')
  return { verifier, lookupBase: url }
}

/** Marks the tools executable and restores the go.mod files the module zip had to rename. */
async function finishUnpackedToolchain(root: string): Promise<void> {
  if (process.platform !== 'win32') {
    for (const dir of ['pkg/tool', 'bin']) {
      for (const entry of await readdir(path.join(root, dir), {
        recursive: true,
        withFileTypes: true
      })) {
        if (!entry.isFile()) continue
        const file = path.join(entry.parentPath, entry.name)
        await chmod(file, ((await stat(file)).mode & 0o777) | 0o111)
      }
    }
  }
  // Module zips cannot hold nested go.mod files, so the toolchain ships them as _go.mod.
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === '_go.mod') {
      await copyFile(path.join(entry.parentPath, entry.name), path.join(entry.parentPath, 'go.mod'))
    }
  }
}

/** Go as the golang.org/toolchain module from a Go module proxy, checked against the checksum database. */
export class ProxySource implements ToolchainSource {
  private readonly proxy: string
  private readonly sumdb: ChecksumDb

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.proxy = proxyFromEnv(env.GOPROXY)
    this.sumdb = checksumDb(env.GOSUMDB)
  }

  get description(): string {
    return `module proxy ${this.proxy}`
  }

  async listVersions(platform: GoPlatform): Promise<AvailableVersion[]> {
    const list = await getText(`${this.proxy}/${MODULE}/@v/list`)
    const suffix = `.${platform.os}-${proxyArch(platform)}`
    return list
      .split('\n')
      .map(line => line.trim())
      .filter(v => v.startsWith('v0.0.1-go') && v.endsWith(suffix))
      .map(v => goToSemver(v.slice('v0.0.1-'.length, -suffix.length)))
      .filter((v): v is string => v !== undefined)
      .map(version => ({ version, stable: !version.includes('-') }))
  }

  private async expectedHash(moduleVersion: string): Promise<string | undefined> {
    const { verifier, lookupBase } = this.sumdb
    if (!verifier) return undefined
    const path = `lookup/${MODULE}@${moduleVersion}`
    const proxied = `${this.proxy}/sumdb/${verifier.name}`
    const base =
      lookupBase ??
      ((await getTextIfExists(`${proxied}/supported`)) !== undefined
        ? proxied
        : `https://${verifier.name}`)
    return moduleHashFromLookup(
      await getText(`${base}/${path}`),
      MODULE,
      moduleVersion,
      verifier,
      tile => getBytes(`${base}/${tile}`)
    )
  }

  async fetch(version: string, platform: GoPlatform, workDir: string): Promise<string> {
    const moduleVersion = toolchainModuleVersion(version, platform)
    const expected = await this.expectedHash(moduleVersion)
    if (!expected)
      core.warning(
        `GOSUMDB=off: Go ${version} from ${this.proxy} is not checked against a checksum database`
      )

    const zip = path.join(workDir, `${moduleVersion}.zip`)
    await downloadFile(`${this.proxy}/${MODULE}/@v/${moduleVersion}.zip`, zip)
    const unpacked = path.join(workDir, 'unpacked')
    await tc.extractZip(zip, unpacked)
    await rm(zip, { force: true })

    const prefix = `${MODULE}@${moduleVersion}`
    const root = path.join(unpacked, ...prefix.split('/'))
    if (expected) {
      const actual = await hash1(root, prefix)
      if (actual !== expected) {
        throw new ActionError(
          `${prefix} from ${this.proxy} hashes to ${actual}, but the checksum database says ${expected}; refusing it`
        )
      }
      core.info(`${prefix} matches the checksum database (${expected})`)
    }
    await finishUnpackedToolchain(root)
    return root
  }
}
