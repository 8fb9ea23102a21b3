import { afterEach, describe, expect, jest, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { goPlatform } from '../../src/toolchain/platform.js'
import {
  ProxySource,
  proxyFromEnv,
  toolchainModuleVersion
} from '../../src/toolchain/proxy-source.js'

describe('proxyFromEnv', () => {
  test('defaults to proxy.golang.org when GOPROXY is unset or empty', () => {
    expect(proxyFromEnv(undefined)).toBe('https://proxy.golang.org')
    expect(proxyFromEnv('')).toBe('https://proxy.golang.org')
  })

  test('takes the first proxy of a comma or pipe list', () => {
    expect(proxyFromEnv('https://goproxy.example.com,https://proxy.golang.org,direct')).toBe(
      'https://goproxy.example.com'
    )
    expect(proxyFromEnv('https://goproxy.example.com|https://proxy.golang.org|direct')).toBe(
      'https://goproxy.example.com'
    )
    expect(proxyFromEnv(' http://localhost:3000 , direct')).toBe('http://localhost:3000')
  })

  test('drops trailing slashes', () => {
    expect(proxyFromEnv('https://goproxy.example.com/')).toBe('https://goproxy.example.com')
    expect(proxyFromEnv('https://goproxy.example.com/base//,direct')).toBe(
      'https://goproxy.example.com/base'
    )
  })

  test('skips direct, which is no proxy, to a proxy listed after it', () => {
    expect(proxyFromEnv('direct,https://goproxy.example.com')).toBe('https://goproxy.example.com')
  })

  test('direct alone, off, or a proxy only after off is an error naming the input and GOPROXY', () => {
    for (const goproxy of ['direct', 'off', 'off,https://goproxy.example.com', 'direct|off']) {
      expect(() => proxyFromEnv(goproxy)).toThrow(ActionError)
      expect(() => proxyFromEnv(goproxy)).toThrow(/^go-download-source: .*GOPROXY/)
      expect(() => proxyFromEnv(goproxy)).toThrow(`"${goproxy}"`)
    }
  })
})

describe('toolchainModuleVersion', () => {
  test('linux amd64', () => {
    expect(toolchainModuleVersion('1.26.8', goPlatform('linux', 'x64'))).toBe(
      'v0.0.1-go1.26.8.linux-amd64'
    )
  })

  test('32-bit ARM: the index says armv6l, the proxy says arm', () => {
    const platform = goPlatform('linux', 'arm')
    expect(platform.arch).toBe('armv6l')
    expect(toolchainModuleVersion('1.26.8', platform)).toBe('v0.0.1-go1.26.8.linux-arm')
  })

  test('other platforms use their GOOS and GOARCH', () => {
    expect(toolchainModuleVersion('1.26.8', goPlatform('darwin', 'arm64'))).toBe(
      'v0.0.1-go1.26.8.darwin-arm64'
    )
    expect(toolchainModuleVersion('1.26.8', goPlatform('win32', 'x64'))).toBe(
      'v0.0.1-go1.26.8.windows-amd64'
    )
  })

  test('release candidates and .0 releases use Go release names', () => {
    expect(toolchainModuleVersion('1.27.0-rc.1', goPlatform('linux', 'x64'))).toBe(
      'v0.0.1-go1.27rc1.linux-amd64'
    )
    expect(toolchainModuleVersion('1.22.0', goPlatform('linux', 'arm64'))).toBe(
      'v0.0.1-go1.22.0.linux-arm64'
    )
  })
})

describe('ProxySource: where the checksum database is asked', () => {
  const LOOKUP = 'lookup/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64'
  let workDir: string | undefined

  afterEach(async () => {
    jest.restoreAllMocks()
    if (workDir) await rm(workDir, { recursive: true, force: true })
  })

  /** Runs fetch() against a network where every URL answers 404, and returns the URLs asked. */
  async function urlsAsked(env: NodeJS.ProcessEnv): Promise<string[]> {
    const asked: string[] = []
    jest.spyOn(globalThis, 'fetch').mockImplementation(async input => {
      asked.push(String(input instanceof Request ? input.url : input))
      return new Response('not found', { status: 404 })
    })
    workDir = await mkdtemp(path.join(os.tmpdir(), 'gpa-proxy-source-test-'))
    await expect(
      new ProxySource(env).fetch('1.27.3', goPlatform('linux', 'x64'), workDir)
    ).rejects.toThrow(/404/)
    return asked
  }

  test('by default: the proxy’s /sumdb/ first, then sum.golang.org itself', async () => {
    expect(await urlsAsked({ GOPROXY: 'https://goproxy.example.com' })).toEqual([
      'https://goproxy.example.com/sumdb/sum.golang.org/supported',
      `https://sum.golang.org/${LOOKUP}`
    ])
  })

  test('an explicit GOSUMDB URL is used directly, bypassing the proxy', async () => {
    expect(
      await urlsAsked({
        GOPROXY: 'https://goproxy.example.com',
        GOSUMDB: 'sum.golang.org https://sumdb.example.com'
      })
    ).toEqual([`https://sumdb.example.com/${LOOKUP}`])
  })

  // The go command reads GOSUMDB=sum.golang.google.cn as "sum.golang.org https://sum.golang.google.cn"
  // (cmd/go/internal/modfetch/sumdb.go): the same database through the mirror reachable from China.
  test('GOSUMDB=sum.golang.google.cn asks sum.golang.google.cn', async () => {
    expect(
      await urlsAsked({ GOPROXY: 'https://goproxy.example.com', GOSUMDB: 'sum.golang.google.cn' })
    ).toEqual([`https://sum.golang.google.cn/${LOOKUP}`])
  })
})
