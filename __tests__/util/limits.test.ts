import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { type LocalServer, startLocalServer } from '../helpers/local-server.js'
import {
  boundedFetch,
  CACHE_MS,
  cacheLimits,
  COMMAND_MS,
  commandLimitMs,
  CONNECT_MS,
  findStall,
  formatDuration,
  gaveUpMessage,
  IDLE_MS,
  PROBE_COMMAND_MS,
  REQUEST_MS,
  requestLimits,
  scaled,
  StallError,
  timeoutScale,
  TRANSFER_MS,
  transferLimits
} from '../../src/util/limits.js'

describe('the limits', () => {
  test('defaults: idle 60 s, a request 2 min, a transfer 30 min, a cache call 15 min, a command 20 min', () => {
    expect(IDLE_MS).toBe(60_000)
    expect(REQUEST_MS).toBe(120_000)
    expect(TRANSFER_MS).toBe(1_800_000)
    expect(CACHE_MS).toBe(900_000)
    expect(COMMAND_MS).toBe(1_200_000)
    expect(PROBE_COMMAND_MS).toBe(120_000)
    expect(CONNECT_MS).toBe(10_000)
    expect(requestLimits({})).toEqual({
      idleMs: 60_000,
      totalMs: 120_000,
      totalVariable: 'GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS'
    })
    expect(transferLimits({})).toEqual({
      idleMs: 60_000,
      totalMs: 1_800_000,
      totalVariable: 'GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES'
    })
    expect(cacheLimits({})).toEqual({ idleMs: 60_000, totalMs: 900_000 })
    expect(commandLimitMs('network', {})).toBe(1_200_000)
    expect(commandLimitMs('probe', {})).toBe(120_000)
  })

  test('the user variables raise them; nonsense is ignored', () => {
    const env = {
      GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS: '300',
      GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES: '90',
      GO_PACKAGE_ACTION_CACHE_TIMEOUT_MINUTES: '45',
      GO_PACKAGE_ACTION_COMMAND_TIMEOUT_MINUTES: '60'
    }
    expect(requestLimits(env)).toMatchObject({ idleMs: 300_000, totalMs: 600_000 })
    expect(transferLimits(env)).toMatchObject({ idleMs: 300_000, totalMs: 5_400_000 })
    expect(cacheLimits(env)).toEqual({ idleMs: 300_000, totalMs: 2_700_000 })
    expect(commandLimitMs('network', env)).toBe(3_600_000)
    expect(requestLimits({ GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS: 'soon' }).idleMs).toBe(60_000)
    expect(transferLimits({ GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES: '-1' }).totalMs).toBe(1_800_000)
  })

  test('the test-only scale shortens every limit and delay', () => {
    const env = { GO_PACKAGE_ACTION_TIMEOUT_SCALE: '0.01' }
    expect(timeoutScale(env)).toBe(0.01)
    expect(timeoutScale({ GO_PACKAGE_ACTION_TIMEOUT_SCALE: '0' })).toBe(1)
    expect(timeoutScale({})).toBe(1)
    expect(scaled(1000, env)).toBe(10)
    expect(requestLimits(env)).toMatchObject({ idleMs: 600, totalMs: 1200 })
    expect(transferLimits(env)).toMatchObject({ idleMs: 600, totalMs: 18_000 })
    expect(cacheLimits(env)).toEqual({ idleMs: 600, totalMs: 9000 })
    expect(commandLimitMs('network', env)).toBe(12_000)
  })

  test('durations read as the messages say them', () => {
    expect(formatDuration(600)).toBe('0.6s')
    expect(formatDuration(42_000)).toBe('42s')
    expect(formatDuration(1_800_000)).toBe('30 min')
  })
})

describe('boundedFetch', () => {
  let server: LocalServer
  let base: string
  const limits = {
    idleMs: 300,
    totalMs: 1500,
    totalVariable: 'GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES'
  }

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const url = req.url ?? '/'
      if (url === '/silent') return void req.resume()
      if (url === '/headers') {
        res.writeHead(200, { 'content-length': '100' })
        return void res.flushHeaders()
      }
      if (url === '/drip') {
        // 10 bytes every 100 ms for 3 s: never idle, but over the overall budget.
        res.writeHead(200)
        let n = 0
        const t = setInterval(() => {
          res.write('0123456789')
          if (++n === 30) {
            clearInterval(t)
            res.end()
          }
        }, 100)
        res.on('close', () => clearInterval(t))
        return
      }
      if (url === '/upload') {
        // Reads 64 KiB of the body, then stops reading: the client's upload makes no progress.
        let got = 0
        req.on('data', (c: Buffer) => {
          got += c.length
          if (got > 64 * 1024) req.pause()
        })
        return
      }
      if (url === '/echo') {
        let got = 0
        req.on('data', (c: Buffer) => (got += c.length))
        req.on('end', () => res.end(JSON.stringify({ got, length: req.headers['content-length'] })))
        return
      }
      res.end('ok')
    })
    base = server.base
  })

  afterAll(() => server.stop())

  async function failure(promise: Promise<unknown>): Promise<StallError> {
    try {
      await promise
    } catch (error) {
      const stall = findStall(error)
      if (stall) return stall
      throw error
    }
    throw new Error('expected a stall')
  }

  test('a server that never answers: idle', async () => {
    const started = Date.now()
    const error = await failure(boundedFetch(`${base}/silent`, {}, limits))
    expect(error.kind).toBe('idle')
    expect(error.message).toBe(
      `GET /silent on ${new URL(base).host}: nothing received or sent for 0.3s (the idle limit)`
    )
    expect(error.variable).toBe('GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS')
    expect(Date.now() - started).toBeLessThan(1000)
  })

  test('headers, then nothing: idle while the body is read', async () => {
    const response = await boundedFetch(`${base}/headers`, {}, limits)
    expect(response.status).toBe(200)
    const error = await failure(response.text())
    expect(error.kind).toBe('idle')
  })

  test('a body that keeps coming but too slowly: the overall limit', async () => {
    const response = await boundedFetch(`${base}/drip`, {}, limits)
    const error = await failure(response.arrayBuffer())
    expect(error.kind).toBe('total')
    expect(error.message).toContain('not done within 1.5s (the overall limit)')
    expect(error.variable).toBe('GO_PACKAGE_ACTION_HTTP_TIMEOUT_MINUTES')
  })

  test('an upload the server stops taking: no progress is idle', async () => {
    const body = new Uint8Array(64 * 1024 * 1024)
    const error = await failure(boundedFetch(`${base}/upload`, { method: 'PUT', body }, limits))
    expect(error.kind).toBe('idle')
  })

  test('an upload sent in chunks keeps its content-length and arrives whole', async () => {
    const body = new Uint8Array(1024 * 1024 + 7)
    const response = await boundedFetch(`${base}/echo`, { method: 'PUT', body }, limits)
    expect(await response.json()).toEqual({ got: body.length, length: String(body.length) })
  })

  test('a quick answer is untouched', async () => {
    const response = await boundedFetch(`${base}/`, {}, limits)
    expect(response.url).toBe(`${base}/`)
    expect(await response.text()).toBe('ok')
  })

  test('the message after the last attempt: host, request, wait, variable', () => {
    const stall = new StallError('idle', 'example.com', 'GET', '/x', 600, limits)
    expect(gaveUpMessage('GET https://example.com/x', stall, 4, 3200)).toBe(
      'GET /x on example.com: nothing received or sent for 0.3s (the idle limit); gave up after 4 attempts in 3.2s; ' +
        'if the server is only slow, raise GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS'
    )
    const reset = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
    expect(gaveUpMessage('GET https://example.com/x', reset, 4, 3200)).toBe(
      'GET https://example.com/x: fetch failed (ECONNRESET); gave up after 4 attempts in 3.2s'
    )
  })
})
