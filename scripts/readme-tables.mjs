#!/usr/bin/env node
// Regenerates the README's inputs and outputs tables from action.yml, the contract's one source.
// npm run readme writes them; the test suite checks that the README is current.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const cell = text =>
  String(text).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|').replace(/</g, '&lt;')

export function tables(actionYml) {
  const action = parse(actionYml)
  const inputs = Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | \`${input.default === '' ? '""' : cell(input.default)}\` | ${cell(input.description)} |`
  )
  const outputs = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
  )
  return {
    inputs: ['| Input | Default | Description |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| Output | Description |', '| --- | --- |', ...outputs].join('\n')
  }
}

/** Replaces what stands between <!-- name:start --> and <!-- name:end --> with the generated table. */
export function withTables(readme, generated) {
  let result = readme
  for (const [name, table] of Object.entries(generated)) {
    const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
    if (!pattern.test(result))
      throw new Error(`README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> block`)
    result = result.replace(pattern, `$1\n\n${table}\n\n$2`)
  }
  return result
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmePath = path.join(root, 'README.md')
  const updated = withTables(
    readFileSync(readmePath, 'utf8'),
    tables(readFileSync(path.join(root, 'action.yml'), 'utf8'))
  )
  writeFileSync(readmePath, updated)
}
