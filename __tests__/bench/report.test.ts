import { expect, test } from '@jest/globals'
import { renderReport } from '../../bench/report.js'

const report = renderReport({
  date: '2026-11-27',
  repetitions: 3,
  command: 'npm run bench',
  machine: [
    ['CPU', 'Example CPU × 2'],
    ['Go', 'go1.26.8']
  ],
  bundleBytes: 3 * 1024 * 1024,
  distBytes: 5 * 1024 * 1024,
  suites: [
    {
      title: 'The image on examples/hello',
      setup: 'Two platforms.',
      measured: [
        {
          id: 'native',
          label: 'native builder',
          figure: 'Image',
          timesMs: [400, 300, 500],
          medianMs: 400,
          parts: { Build: 2000, Image: 400 }
        },
        { id: 'docker', label: 'docker build', timesMs: [10_000], medianMs: 10_000, parts: {} }
      ],
      comparisons: [
        { what: 'native ÷ Docker path', unit: 'ratio', value: 0.04, target: 0.2, met: true },
        { what: 'cold ÷ warm', unit: 'ratio', value: 3.5 }
      ]
    },
    {
      title: 'Start-up of dist/index.js',
      setup: 'New processes.',
      measured: [],
      comparisons: [{ what: 'start-up', unit: 'ms', value: 180, target: 150, met: false }]
    }
  ]
})

test('the targets table lists each figure that has a target, met or missed', () => {
  expect(report).toContain(
    '| The image on examples/hello | native ÷ Docker path | 0.04 × | ≤ 0.20 × | ✅ met |'
  )
  expect(report).toContain(
    '| Start-up of dist/index.js | start-up | 180 ms | ≤ 150 ms | ❌ missed |'
  )
  expect(report).not.toContain('| cold ÷ warm |')
  expect(report).toContain(
    'dist/index.js: 3.0 MiB; with the chunks it loads when a cache or a release is used: 5.0 MiB.'
  )
})

test('each suite shows every run, the median, and where the time goes', () => {
  expect(report).toContain(
    '| native builder (Image stage) | 400 ms | 400 ms, 300 ms, 500 ms | Build 2.0 s · Image 400 ms |'
  )
  expect(report).toContain('| docker build | 10.0 s | 10.0 s | – |')
  expect(report).toContain('- cold ÷ warm: **3.50 ×**\n')
  expect(report).toContain('- native ÷ Docker path: **0.04 ×** (target ≤ 0.20 ×: ✅ met)')
})

test('machine and the way to reproduce', () => {
  expect(report).toContain('| CPU | Example CPU × 2 |')
  expect(report).toContain('```sh\nnpm ci\nnpm run bench\n```')
  expect(report).toMatch(/^# Benchmarks\n\nWritten by `npm run bench` on 2026-11-27/)
})
