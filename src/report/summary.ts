import * as core from '@actions/core'

export interface StageRecord {
  name: string
  outcome: 'success' | 'failure' | 'skipped'
  durationMs: number
  detail: string
}

/** Collects what each stage did, for one job summary at the end of the run. */
export class Report {
  readonly stages: StageRecord[] = []
  readonly facts: Array<[string, string]> = []

  record(stage: StageRecord): void {
    this.stages.push(stage)
  }

  fact(name: string, value: string): void {
    this.facts.push([name, value])
  }

  toMarkdown(): string {
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
    const icon = { success: '✅', failure: '❌', skipped: '⏭️' }
    const lines = [
      '## go-package-action',
      '',
      '| Stage | Result | Time | Detail |',
      '| --- | --- | --- | --- |'
    ]
    for (const s of this.stages) {
      lines.push(
        `| ${s.name} | ${icon[s.outcome]} ${s.outcome} | ${seconds(s.durationMs)} | ${escapeCell(s.detail)} |`
      )
    }
    if (this.facts.length > 0) {
      lines.push('', '| | |', '| --- | --- |')
      for (const [name, value] of this.facts) lines.push(`| ${name} | ${escapeCell(value)} |`)
    }
    return lines.join('\n') + '\n'
  }

  /** Writes the summary when the runner gives a summary file; locally it is only logged. */
  async write(): Promise<void> {
    const markdown = this.toMarkdown()
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write()
    else core.debug(markdown)
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>')
}
