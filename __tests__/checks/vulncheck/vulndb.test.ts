// The test database writer checked against the reader: every field it writes is one that
// golang.org/x/vuln's Go structs (internal/osv: the OSV entry; internal/client: index/db.json and
// index/modules.json) name in their json tags, at the place those structs put it — read from the
// module's source as the module proxy serves it. govulncheck reading the database for real is in
// run.test.ts (from disk and over http).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { DEFAULT_GOVULNCHECK_VERSION } from '../../../src/checks/vulncheck/install.js'
import { execCapture } from '../../../src/util/exec.js'
import { cleanupTempDirs, tempDir } from '../../helpers/fixtures.js'
import { APP_VULNS, DB_MODIFIED, writeVulnDb } from '../../helpers/vulndb.js'

/** Go struct name → json field name → the field's struct type (or '' for a plain value). */
type Structs = Record<string, Record<string, string>>

const PLAIN = new Set([
  'string',
  'bool',
  'int',
  'Ecosystem',
  'RangeType',
  'ReviewStatus',
  'ReferenceType'
])

function goStructs(source: string): Structs {
  const structs: Structs = {}
  for (const m of source.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields: Record<string, string> = {}
    for (const f of (m[2] as string).matchAll(/^\s+\w+\s+([\w.*[\]]+)\s+`json:"([^,"]+)/gm)) {
      const type = (f[1] as string).replace(/^[[\]*]+/, '')
      fields[f[2] as string] = PLAIN.has(type) || type.includes('.') ? '' : type
    }
    structs[m[1] as string] = fields
  }
  return structs
}

/** The paths of keys in value that struct `type` has no field for. */
function unknownKeys(value: unknown, type: string, structs: Structs, at = '$'): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => unknownKeys(v, type, structs, `${at}[${i}]`))
  if (typeof value !== 'object' || value === null) return []
  const fields = structs[type]
  if (!fields) return [`${at}: no struct ${type}`]
  return Object.entries(value).flatMap(([key, v]) => {
    if (!(key in fields)) return [`${at}.${key} (not a field of ${type})`]
    const inner = fields[key] as string
    return inner ? unknownKeys(v, inner, structs, `${at}.${key}`) : []
  })
}

let structs: Structs
let dir: string

beforeAll(async () => {
  const download = await execCapture(
    'go',
    ['mod', 'download', '-json', `golang.org/x/vuln@${DEFAULT_GOVULNCHECK_VERSION}`],
    { cwd: os.tmpdir() }
  )
  expect(download.code).toBe(0)
  const source = (JSON.parse(download.stdout) as { Dir: string }).Dir
  structs = {
    ...goStructs(await readFile(path.join(source, 'internal', 'osv', 'osv.go'), 'utf8')),
    ...goStructs(await readFile(path.join(source, 'internal', 'client', 'schema.go'), 'utf8'))
  }
  const url = await writeVulnDb(path.join(await tempDir('gpa-vulndb-'), 'db'), APP_VULNS)
  dir = fileURLToPath(url)
}, 120_000)

afterAll(cleanupTempDirs)

async function json(file: string): Promise<unknown> {
  const text = await readFile(path.join(dir, file), 'utf8')
  // What a server sends (govulncheck asks for .json.gz) is the same document.
  expect(gunzipSync(await readFile(path.join(dir, `${file}.gz`))).toString('utf8')).toBe(text)
  return JSON.parse(text)
}

describe('the test database has the layout and fields govulncheck reads', () => {
  test('the Go structs were found', () => {
    expect(structs.Entry).toMatchObject({ id: '', affected: 'Affected', schema_version: '' })
    expect(structs.Affected).toEqual({
      package: 'Module',
      ranges: 'Range',
      ecosystem_specific: 'EcosystemSpecific'
    })
    expect(structs.dbMeta).toEqual({ modified: '' })
    expect(structs.moduleMeta).toEqual({ path: '', vulns: 'moduleVuln' })
    // The check itself catches a misspelt or misplaced field.
    expect(
      unknownKeys(
        { id: 'x', affected: [{ package: { name: 'm', ecosystm: 'Go' } }], url: '' },
        'Entry',
        structs
      )
    ).toEqual([
      '$.affected[0].package.ecosystm (not a field of Module)',
      '$.url (not a field of Entry)'
    ])
  })

  test('ID/<id>.json: OSV entries, every field one of osv.Entry', async () => {
    for (const v of APP_VULNS) {
      const entry = (await json(`ID/${v.id}.json`)) as Record<string, unknown>
      expect(unknownKeys(entry, 'Entry', structs)).toEqual([])
      // The OSV schema's required fields and the Go database's conventions.
      expect(entry.id).toMatch(/^GO-\d{4}-\d{4,}$/)
      expect(entry.schema_version).toMatch(/^1\.\d+\.\d+$/)
      expect(new Date(entry.modified as string).toISOString()).toBe('2026-01-02T00:00:00.000Z')
      const affected = entry.affected as Array<{
        package: { ecosystem: string; name: string }
        ranges: Array<{ type: string; events: Array<Record<string, string>> }>
      }>
      expect(affected[0]?.package).toEqual({ name: v.module, ecosystem: 'Go' })
      for (const range of affected[0]?.ranges ?? []) {
        expect(range.type).toBe('SEMVER')
        // Exactly one of introduced and fixed in each event; versions without a leading v.
        for (const event of range.events) {
          expect(Object.keys(event)).toHaveLength(1)
          expect(Object.values(event)[0]).toMatch(/^(0|\d+\.\d+\.\d+)$/)
        }
      }
    }
  })

  test('index/db.json and index/modules.json', async () => {
    const db = await json('index/db.json')
    expect(unknownKeys(db, 'dbMeta', structs)).toEqual([])
    expect(db).toEqual({ modified: DB_MODIFIED })
    const modules = (await json('index/modules.json')) as Array<{ path: string; vulns: unknown[] }>
    expect(unknownKeys(modules, 'moduleMeta', structs)).toEqual([])
    expect(modules.map(m => m.path)).toEqual(['github.com/google/uuid', 'stdlib'])
    expect(modules[0]?.vulns).toEqual([
      { id: 'GO-2099-0001', modified: DB_MODIFIED, fixed: '1.3.1' },
      { id: 'GO-2099-0002', modified: DB_MODIFIED },
      { id: 'GO-2099-0003', modified: DB_MODIFIED, fixed: '1.3.1' },
      { id: 'GO-2099-0005', modified: DB_MODIFIED, fixed: '1.2.0' }
    ])
  })
})
