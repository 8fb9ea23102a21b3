// Runs contenders alternately, several repetitions each, and keeps every timing.
import { median, rotation } from './stats.js'

export interface Contender {
  id: string
  /** What it runs, in a few words, for the report. */
  label: string
  /** Untimed: puts the machine in the state the contender starts from (empty caches, say). */
  prepare?: () => Promise<void>
  /** Timed. May return its own finer figures in milliseconds (a stage's time, say). */
  run: () => Promise<Record<string, number> | void>
  /** Compare this one of its figures rather than the whole run's time (the action's Image stage). */
  figure?: string
}

export interface Measured {
  id: string
  label: string
  /** What the times are: the whole run, or one of its figures. */
  figure?: string
  timesMs: number[]
  medianMs: number
  /** Each finer figure's median. */
  parts: Record<string, number>
}

export async function measure(
  contenders: readonly Contender[],
  repetitions: number,
  log: (line: string) => void
): Promise<Measured[]> {
  const times = new Map<string, number[]>(contenders.map(c => [c.id, []]))
  const parts = new Map<string, Map<string, number[]>>(contenders.map(c => [c.id, new Map()]))
  for (let rep = 0; rep < repetitions; rep++) {
    for (const contender of rotation(contenders, rep)) {
      await contender.prepare?.()
      const started = process.hrtime.bigint()
      const figures = await contender.run()
      const wall = Number(process.hrtime.bigint() - started) / 1e6
      const ms = contender.figure ? figures?.[contender.figure] : wall
      if (ms === undefined) throw new Error(`${contender.id} reported no ${contender.figure}`)
      times.get(contender.id)?.push(ms)
      for (const [name, value] of Object.entries(figures ?? {})) {
        const byName = parts.get(contender.id) as Map<string, number[]>
        byName.set(name, [...(byName.get(name) ?? []), value])
      }
      const detail = Object.entries(figures ?? {})
        .map(([name, value]) => `${name} ${(value / 1000).toFixed(1)}`)
        .join(', ')
      log(
        `  ${contender.id} #${rep + 1}: ${(ms / 1000).toFixed(2)} s${detail ? ` (${detail})` : ''}`
      )
    }
  }
  return contenders.map(c => {
    const all = times.get(c.id) as number[]
    const byName = parts.get(c.id) as Map<string, number[]>
    return {
      id: c.id,
      label: c.label,
      figure: c.figure,
      timesMs: all,
      medianMs: median(all),
      parts: Object.fromEntries([...byName].map(([name, values]) => [name, median(values)]))
    }
  })
}
