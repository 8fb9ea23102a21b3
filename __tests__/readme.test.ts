// The README's inputs and outputs tables are generated from action.yml (npm run readme); this keeps
// them from drifting apart.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './helpers/run-action.js'

// @ts-expect-error: a plain .mjs script without type declarations
const { tables, withTables } = (await import('../scripts/readme-tables.mjs')) as {
  tables: (yml: string) => Record<string, string>
  withTables: (readme: string, generated: Record<string, string>) => string
}

/** Table rows with the cell padding Prettier adds taken out. */
function rows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter(line => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map(line =>
      line
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim())
        .join('|')
    )
}

describe('README', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const generated = tables(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8'))

  test('its inputs and outputs tables match action.yml (run npm run readme)', () => {
    expect(rows(withTables(readme, generated))).toEqual(rows(readme))
  })

  test('the generator lists every input with its default', () => {
    expect(generated.inputs).toContain('| `working-directory` | `.` |')
    expect(generated.inputs).toContain('| `go-version` | `""` |')
    expect(generated.outputs).toContain('| `cache-hit` |')
  })

  test('it documents the two contributor commands', () => {
    expect(readme).toContain('npm start')
    expect(readme).toContain('npm test')
  })
})
