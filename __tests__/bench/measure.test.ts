import { describe, expect, test } from '@jest/globals'
import { type Contender, measure } from '../../bench/measure.js'
import { stageTimes } from '../../bench/action-run.js'

describe('measure', () => {
  test('alternates the contenders, prepares each before its run, keeps every run', async () => {
    const order: string[] = []
    const contender = (id: string): Contender => ({
      id,
      label: id,
      prepare: async () => void order.push(`prepare ${id}`),
      run: async () => void order.push(`run ${id}`)
    })
    const measured = await measure([contender('a'), contender('b')], 2, () => undefined)
    expect(order).toEqual([
      'prepare a',
      'run a',
      'prepare b',
      'run b',
      'prepare b',
      'run b',
      'prepare a',
      'run a'
    ])
    expect(measured.map(m => [m.id, m.timesMs.length])).toEqual([
      ['a', 2],
      ['b', 2]
    ])
  })

  test('a contender measured by one of its figures, and the medians of the others', async () => {
    let n = 0
    const measured = await measure(
      [
        {
          id: 'native',
          label: 'n',
          figure: 'Image',
          run: async () => ({ Image: [300, 100, 200][n++] as number, Build: 5 })
        }
      ],
      3,
      () => undefined
    )
    expect(measured[0]).toMatchObject({
      timesMs: [300, 100, 200],
      medianMs: 200,
      parts: { Image: 200, Build: 5 }
    })
  })

  test('a figure the run did not report is an error', async () => {
    await expect(
      measure([{ id: 'x', label: 'x', figure: 'Image', run: async () => ({}) }], 1, () => undefined)
    ).rejects.toThrow('x reported no Image')
  })
})

test('stageTimes reads the job summary stage table', () => {
  const summary = [
    '| Stage | Result | Time | Detail |',
    '| --- | --- | --- | --- |',
    '| Go toolchain | ✅ success | 1.2 s | Go 1.26.8 (tool-cache) |',
    '| Checks | ⏭️ skipped | 0.0 s | vet, staticcheck and test are all false |',
    '| Image | ✅ success | 0.4 s | 2 platforms |',
    '| Release | ❌ failure | 10.0 s | GitHub answered 500 |'
  ].join('\n')
  expect(stageTimes(summary)).toEqual({ 'Go toolchain': 1200, Image: 400, Release: 10_000 })
})
