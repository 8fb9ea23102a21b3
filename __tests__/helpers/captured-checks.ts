// The tools' real outputs captured by testdata/unit/checks/capture.sh, with the module's directory
// written as @@ROOT@@ so the parser tests can place it in a fake repository.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './run-action.js'

const FIXTURES = path.join(REPO_ROOT, 'testdata', 'unit', 'checks')

/** The fake repository root the parser tests use. */
export const REPO = '/repo'

/** Where testdata/checks/<module> sits in that repository. */
export function moduleRoot(module: string): string {
  return `${REPO}/testdata/checks/${module}`
}

/**
 * A capture with @@ROOT@@ replaced by root. `optional`: capture.sh writes no file for a stream
 * the tool left empty, so a missing file reads as ''.
 */
export function captured(file: string, root: string, opts: { optional?: boolean } = {}): string {
  const full = path.join(FIXTURES, file)
  if (opts.optional && !existsSync(full)) return ''
  return readFileSync(full, 'utf8').replaceAll('@@ROOT@@', root)
}
