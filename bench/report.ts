// BENCHMARKS.md, rendered from the measurements: a pure function, so it is tested without timing.
import type { Measured } from './measure.js'
import { formatBytes, formatDuration } from './stats.js'
import type { Comparison, SuiteResult } from './suites.js'

export interface BenchReport {
  date: string
  repetitions: number
  command: string
  machine: Array<[string, string]>
  suites: SuiteResult[]
  /** dist/index.js, and every .js file of dist/ (its chunks, loaded when used). */
  bundleBytes: number
  distBytes: number
}

function value(c: Comparison): string {
  return c.unit === 'ms' ? formatDuration(c.value) : `${c.value.toFixed(2)} ×`
}

function target(c: Comparison): string {
  if (c.target === undefined) return '–'
  return c.unit === 'ms' ? `≤ ${formatDuration(c.target)}` : `≤ ${c.target.toFixed(2)} ×`
}

const met = (c: Comparison): string => (c.met === undefined ? '' : c.met ? '✅ met' : '❌ missed')

function parts(m: Measured): string {
  return Object.entries(m.parts)
    .map(([name, ms]) => `${name} ${formatDuration(ms)}`)
    .join(' · ')
}

function suiteSection(suite: SuiteResult): string[] {
  return [
    `## ${suite.title}`,
    '',
    suite.setup,
    '',
    '| Contender | Median | Every run | Where the time goes (medians) |',
    '| --- | ---: | --- | --- |',
    ...suite.measured.map(
      m =>
        `| ${m.label}${m.figure ? ` (${m.figure} stage)` : ''} | ${formatDuration(m.medianMs)} | ${m.timesMs.map(formatDuration).join(', ')} | ${parts(m) || '–'} |`
    ),
    '',
    ...suite.comparisons.map(
      c =>
        `- ${c.what}: **${value(c)}**${c.target === undefined ? '' : ` (target ${target(c)}: ${met(c)})`}`
    ),
    ''
  ]
}

export function renderReport(report: BenchReport): string {
  const withTargets = report.suites.flatMap(s =>
    s.comparisons.filter(c => c.target !== undefined).map(c => ({ suite: s.title, c }))
  )
  return [
    '# Benchmarks',
    '',
    `Written by \`${report.command}\` on ${report.date}; do not edit, run it again. Every contender ran ${report.repetitions} times, alternating with the others (the order rotates each round); the figures are medians. The test suite asserts no timing: these are measurements, not tests.`,
    '',
    '## Targets',
    '',
    '| Where | Figure | Value | Target | |',
    '| --- | --- | ---: | ---: | --- |',
    ...withTargets.map(
      ({ suite, c }) => `| ${suite} | ${c.what} | ${value(c)} | ${target(c)} | ${met(c)} |`
    ),
    '',
    `dist/index.js: ${formatBytes(report.bundleBytes)}; with the chunks it loads when a cache or a release is used: ${formatBytes(report.distBytes)}.`,
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    ...report.machine.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...report.suites.flatMap(suiteSection),
    '## How to reproduce',
    '',
    'On a machine like the one above, with Debian 12 packages `docker.io docker-registry qemu-user-static git tar gzip zip zstd` and Go on PATH:',
    '',
    '```sh',
    'npm ci',
    report.command,
    '```',
    '',
    "It starts its own stand-ins on 127.0.0.1 (the same ones the end-to-end tests use): go.dev/dl serving the machine's Go repackaged, act's cache server, docker-registry with a distroless-like base, and a Docker daemon (needs root). staticcheck, crane and GoReleaser are built once with `go install` into `.local/bench-tools`. `-- --repetitions N` changes the number of runs; `-- --module hello` and `-- --suite pipeline|build|image` run a part, written to `.local/bench-part.md` (BENCHMARKS.md is only written by a run of everything). The sources are in `bench/`.",
    ''
  ].join('\n')
}
