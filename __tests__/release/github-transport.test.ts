import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { type LocalServer, startLocalServer } from '../helpers/local-server.js'
import { boundedGitHubFetch, describeFailure, GITHUB_RETRY } from '../../src/release/github.js'
import { StallError } from '../../src/util/limits.js'
import { withRetry } from '../../src/util/retry.js'

describe('the GitHub transport', () => {
  let server: LocalServer
  let base: string

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/headers-only') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.flushHeaders()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":1}')
    })
    base = server.base
  })

  afterAll(() => server.stop())

  test('reads the body within the limits: a body that stops is an error of fetch, not an empty answer', async () => {
    process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE = '0.005'
    try {
      const fetch = boundedGitHubFetch()
      expect(await (await fetch(`${base}/ok`)).json()).toEqual({ id: 1 })
      await expect(fetch(`${base}/headers-only`)).rejects.toThrow(
        /GET \/headers-only on 127\.0\.0\.1:\d+: nothing received or sent for 0\.3s \(the idle limit\)/
      )
    } finally {
      delete process.env.GO_PACKAGE_ACTION_TIMEOUT_SCALE
    }
  })

  test('a failure after the last attempt names the request, the wait and the variable', async () => {
    const limits = {
      idleMs: 600,
      totalMs: 1200,
      totalVariable: 'GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS'
    }
    const stall = new StallError(
      'idle',
      'api.example.com',
      'GET',
      '/repos/o/r/releases',
      600,
      limits
    )
    // What Octokit makes of a fetch that threw: status 500, no response, the error as its cause.
    const octokitError = Object.assign(new Error(stall.message), {
      status: 500,
      cause: stall,
      request: { url: 'https://api.example.com/repos/o/r/releases' }
    })
    const error = await withRetry(() => Promise.reject(octokitError), {
      ...GITHUB_RETRY,
      attempts: 2,
      sleep: () => Promise.resolve()
    }).catch((e: unknown) => e)
    expect(describeFailure('listing releases', error).message).toMatch(
      /^GitHub: listing releases failed: GET \/repos\/o\/r\/releases on api\.example\.com: nothing received or sent for 0\.6s \(the idle limit\); gave up after 2 attempts in [\d.]+s; if the server is only slow, raise GO_PACKAGE_ACTION_HTTP_IDLE_SECONDS$/
    )
  })

  test('no answer at all names the host', () => {
    const error = Object.assign(new Error('other side closed'), {
      status: 500,
      request: { url: 'https://uploads.example.com/repos/o/r/releases/1/assets' }
    })
    expect(describeFailure('uploading a.tar.gz', error).message).toBe(
      'GitHub: uploading a.tar.gz failed: no answer from uploads.example.com (other side closed)'
    )
  })
})
