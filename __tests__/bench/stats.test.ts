import { describe, expect, test } from '@jest/globals'
import { formatBytes, formatDuration, median, ratio, rotation } from '../../bench/stats.js'

describe('median', () => {
  test('odd and even counts, any order', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
  test('no values is an error, not NaN', () => {
    expect(() => median([])).toThrow('median of no values')
  })
})

describe('ratio', () => {
  test('against a target', () => {
    expect(ratio(11, 10, 1.1)).toEqual({ value: 1.1, target: 1.1, met: true })
    expect(ratio(12, 10, 1.1)).toMatchObject({ met: false })
    expect(ratio(1, 4)).toEqual({ value: 0.25 })
  })
  test('over zero is an error', () => {
    expect(() => ratio(1, 0)).toThrow('ratio over 0')
  })
})

test('rotation: each contender takes each place in turn', () => {
  const ids = ['a', 'b', 'c']
  expect([0, 1, 2, 3].map(r => rotation(ids, r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc'])
  expect(rotation([], 5)).toEqual([])
})

test('formats', () => {
  expect(formatDuration(850.4)).toBe('850 ms')
  expect(formatDuration(12_345)).toBe('12.3 s')
  expect(formatDuration(123_456)).toBe('123 s')
  expect(formatBytes(512)).toBe('512 B')
  expect(formatBytes(4096)).toBe('4 KiB')
  expect(formatBytes(3 * 1024 * 1024 + 1)).toBe('3.0 MiB')
})
