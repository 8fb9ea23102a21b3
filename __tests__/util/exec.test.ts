import { describe, expect, test } from '@jest/globals'
import { execCapture } from '../../src/util/exec.js'

describe('execCapture with a time limit', () => {
  test('a command that finishes in time: its output and code', async () => {
    const result = await execCapture('sh', ['-c', 'echo out; echo err >&2; exit 3'], {
      timeoutMs: 10_000
    })
    expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' })
  })

  test('a command past its limit is killed with what it started, and says so', async () => {
    const started = Date.now()
    // The child starts a grandchild that would hold the pipes open for a minute.
    const result = await execCapture('sh', ['-c', 'sleep 60 & sleep 60'], { timeoutMs: 300 })
    expect(result.timedOutMs).toBe(300)
    expect(result.code).toBe(124)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
