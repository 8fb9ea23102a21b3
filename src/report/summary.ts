import * as core from '@actions/core'
import { escapeCell } from './markdown.js'

/** GitHub rejects a step summary over 1 MiB; keep a margin for multi-byte characters. */
const SUMMARY_LIMIT = 900 * 1024

export interface StageRecord {
  name: string
  outcome: 'success' | 'failure' | 'skipped'
  durationMs: number
  detail: string
}

/** Collects what each stage did, for one job summary at the end of the run. */
export class Report {
  readonly stages: StageRecord[] = []
  private readonly sections: Array<(budget: number) => string> = []

  record(stage: StageRecord): void {
    this.stages.push(stage)
  }

  /** A section rendered at the end within the characters left, so the summary stays under GitHub's limit. */
  section(render: (budget: number) => string): void {
    this.sections.push(render)
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
    let markdown = lines.join('\n') + '\n'
    for (const render of this.sections) {
      const budget = Math.floor(
        (SUMMARY_LIMIT - Buffer.byteLength(markdown)) / Math.max(1, this.sections.length)
      )
      markdown += '\n' + render(budget)
    }
    return markdown
  }

  /** Writes the summary when the runner gives a summary file; locally it is only logged. */
  async write(): Promise<void> {
    const markdown = this.toMarkdown()
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write()
    else core.debug(markdown)
  }
}
