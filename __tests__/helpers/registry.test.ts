import { afterAll, describe, expect, test } from '@jest/globals'
import { startRegistry, type Registry } from './registry.js'

const started: Registry[] = []
afterAll(async () => {
  for (const registry of started) await registry.stop()
})

describe('startRegistry', () => {
  test('starts an open registry on 127.0.0.1 and records requests', async () => {
    const registry = await startRegistry()
    started.push(registry)
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/)
    const response = await fetch(`${registry.url}/v2/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0')
    await response.arrayBuffer()
    expect(registry.requests).toEqual([{ method: 'GET', url: '/v2/', status: 200 }])
  })

  test('with htpasswd: 401 without credentials, 200 with Basic, 401 with a wrong password', async () => {
    const registry = await startRegistry({ htpasswd: { user: 'ci', password: 's3cret:!' } })
    started.push(registry)
    const anonymous = await fetch(`${registry.url}/v2/`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="test"')
    const basic = (user: string, password: string): Record<string, string> => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    })
    const good = await fetch(`${registry.url}/v2/`, { headers: basic('ci', 's3cret:!') })
    expect(good.status).toBe(200)
    const bad = await fetch(`${registry.url}/v2/`, { headers: basic('ci', 'wrong') })
    expect(bad.status).toBe(401)
    await Promise.all([anonymous, good, bad].map(r => r.arrayBuffer()))
  })

  test('stop() shuts the registry down', async () => {
    const registry = await startRegistry()
    await registry.stop()
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow()
  })
})
