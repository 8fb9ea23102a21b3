import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  findGolangciConfig,
  GOLANGCI_CONFIG_MAX_BYTES
} from '../../../src/checks/golangci/config-file.js'
import { ActionError } from '../../../src/errors.js'
import { execCapture } from '../../../src/util/exec.js'
import { REPO_ROOT } from '../../helpers/run-action.js'
import { sharedGolangciLint } from '../../helpers/golangci.js'

const V2 = {
  '.golangci.yml': 'version: "2"\n',
  '.golangci.yaml': "version: '2'\n",
  '.golangci.toml': 'version = "2" # v2\n[linters]\ndefault = "none"\n',
  '.golangci.json': '{"version": "2"}\n'
} as const

let tmp: string
let workspace: string

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'golangci-config-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A fresh workspace with files (path → content) written into it. */
function makeWorkspace(files: Record<string, string>): string {
  workspace = mkdtempSync(path.join(tmp, 'ws-'))
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true })
    writeFileSync(path.join(workspace, rel), content)
  }
  return workspace
}

describe('findGolangciConfig: where golangci-lint looks', () => {
  it('finds the file in the working directory, as a v2 file named from the workspace', () => {
    const ws = makeWorkspace({ '.golangci.yml': V2['.golangci.yml'] })
    expect(findGolangciConfig(ws, ws)).toEqual({
      file: path.join(ws, '.golangci.yml'),
      name: '.golangci.yml',
      version: 2
    })
  })

  it('walks up from a subdirectory to the workspace root; the nearest file wins', () => {
    const ws = makeWorkspace({
      '.golangci.yml': V2['.golangci.yml'],
      'svc/.golangci.yaml': V2['.golangci.yaml'],
      'svc/cmd/tool/main.go': 'package main\n'
    })
    expect(findGolangciConfig(path.join(ws, 'svc/cmd/tool'), ws)?.name).toBe('svc/.golangci.yaml')
    expect(findGolangciConfig(path.join(ws, 'other'), ws)?.name).toBe('.golangci.yml')
  })

  it('does not look above the workspace root', () => {
    const outer = makeWorkspace({ '.golangci.yml': V2['.golangci.yml'], 'inner/x.go': '' })
    const inner = path.join(outer, 'inner')
    expect(findGolangciConfig(inner, inner)).toBeUndefined()
    expect(findGolangciConfig(path.join(inner, 'deeper'), inner)).toBeUndefined()
  })

  it('refuses a working directory outside the workspace', () => {
    const ws = makeWorkspace({ 'a/x.go': '' })
    expect(() => findGolangciConfig(tmp, path.join(ws, 'a'))).toThrow(/outside the workspace/)
  })

  it(
    'takes the extensions in golangci-lint’s order, json, toml, yaml, yml — as golangci-lint itself does',
    async () => {
      const order = ['.golangci.json', '.golangci.toml', '.golangci.yaml', '.golangci.yml'] as const
      const tool = await sharedGolangciLint()
      for (let i = 0; i < order.length; i++) {
        const files: Record<string, string> = { 'go.mod': 'module example.com/x\n\ngo 1.22\n' }
        for (const name of order.slice(i)) files[name] = V2[name]
        const ws = makeWorkspace(files)
        const ours = findGolangciConfig(ws, ws)
        expect(ours?.name).toBe(order[i])
        // golangci-lint's own answer, from the same directory (it prints it on stderr).
        const theirs = await execCapture(tool.binary, ['config', 'path'], { cwd: ws })
        expect(theirs.code).toBe(0)
        expect(path.basename((theirs.stdout + theirs.stderr).trim())).toBe(order[i])
      }
      // A cold build of golangci-lint (by whichever test file gets there first) takes minutes.
    },
    20 * 60_000
  )

  it('reads TOML and JSON files', () => {
    for (const name of ['.golangci.toml', '.golangci.json'] as const) {
      const ws = makeWorkspace({ [name]: V2[name] })
      expect(findGolangciConfig(ws, ws)).toMatchObject({ name, version: 2 })
    }
    const numeric = makeWorkspace({ '.golangci.toml': 'version = 2\n' })
    expect(findGolangciConfig(numeric, numeric)?.version).toBe(2)
    const yamlNumber = makeWorkspace({ '.golangci.yml': 'version: 2\n' })
    expect(findGolangciConfig(yamlNumber, yamlNumber)?.version).toBe(2)
  })

  it('returns nothing when there is no file', () => {
    const ws = makeWorkspace({ 'main.go': 'package main\n' })
    expect(findGolangciConfig(ws, ws)).toBeUndefined()
  })
})

describe('findGolangciConfig: files it refuses', () => {
  it('refuses a v1 file and quotes the migrate command', () => {
    const v1 = path.join(REPO_ROOT, 'testdata', 'golangci', 'v1')
    let thrown: unknown
    try {
      findGolangciConfig(v1, REPO_ROOT)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ActionError)
    expect((thrown as Error).message).toBe(
      'golangci-lint: testdata/golangci/v1/.golangci.yml is a golangci-lint v1 configuration (it has no ' +
        'version); golangci-lint v2 reads only files that start with version: "2". Convert it with ' +
        '`golangci-lint migrate --config testdata/golangci/v1/.golangci.yml` (golangci-lint v2; it keeps ' +
        'the old file as a backup), see https://golangci-lint.run/docs/product/migration-guide/'
    )
  })

  it('refuses v1 files in TOML and JSON, and a version golangci-lint does not know', () => {
    const toml = makeWorkspace({ '.golangci.toml': '[linters]\nversion = "2"\n' })
    expect(() => findGolangciConfig(toml, toml)).toThrow(
      /\.golangci\.toml is a golangci-lint v1 configuration .*golangci-lint migrate --config \.golangci\.toml/
    )
    const json = makeWorkspace({ '.golangci.json': '{"run": {"timeout": "5m"}}' })
    expect(() => findGolangciConfig(json, json)).toThrow(
      /golangci-lint migrate --config \.golangci\.json/
    )
    const three = makeWorkspace({ '.golangci.yml': 'version: "3"\n' })
    expect(() => findGolangciConfig(three, three)).toThrow(
      /\.golangci\.yml has version "3"; golangci-lint v2 reads only version "2"/
    )
  })

  it('refuses an empty file, a file that does not parse, and a huge file, naming it', () => {
    const empty = makeWorkspace({ 'sub/.golangci.yml': '  \n' })
    expect(() => findGolangciConfig(path.join(empty, 'sub'), empty)).toThrow(
      /^golangci-lint: sub\/\.golangci\.yml is empty/
    )
    const bad = makeWorkspace({ '.golangci.yml': 'version: "2"\nlinters: [\n' })
    expect(() => findGolangciConfig(bad, bad)).toThrow(/\.golangci\.yml line \d+ is not valid YAML/)
    const badJson = makeWorkspace({ '.golangci.json': '{"version": "2",' })
    expect(() => findGolangciConfig(badJson, badJson)).toThrow(/\.golangci\.json is not valid JSON/)
    const huge = makeWorkspace({
      '.golangci.yml': 'version: "2"\n' + '#'.repeat(GOLANGCI_CONFIG_MAX_BYTES)
    })
    expect(() => findGolangciConfig(huge, huge)).toThrow(
      /\.golangci\.yml is \d+ bytes; a file read here is at most 512 KiB, so it is not read/
    )
  })

  it('refuses a directory or a FIFO where the file is meant, without hanging', () => {
    const dir = makeWorkspace({ '.golangci.yml/keep': '' })
    expect(() => findGolangciConfig(dir, dir)).toThrow(
      /\.golangci\.yml.* is a directory, not a file/
    )
    const fifo = makeWorkspace({})
    execFileSync('mkfifo', [path.join(fifo, '.golangci.yaml')])
    expect(() => findGolangciConfig(fifo, fifo)).toThrow(
      /\.golangci\.yaml.* is not a regular file \(a FIFO\)/
    )
  })

  it('refuses a file that leads out of the workspace through a symlink; follows one inside it', () => {
    const outside = makeWorkspace({ '.golangci.yml': V2['.golangci.yml'] })
    const ws = makeWorkspace({ 'config/golangci.yml': V2['.golangci.yml'] })
    symlinkSync(path.join(outside, '.golangci.yml'), path.join(ws, '.golangci.yml'))
    expect(() => findGolangciConfig(ws, ws)).toThrow(/leads out of the workspace through a symlink/)

    const inside = makeWorkspace({ 'config/golangci.yml': V2['.golangci.yml'] })
    symlinkSync(path.join('config', 'golangci.yml'), path.join(inside, '.golangci.yml'))
    // The link's own path: golangci-lint takes the configuration's folder from it.
    expect(findGolangciConfig(inside, inside)).toEqual({
      file: path.join(inside, '.golangci.yml'),
      name: '.golangci.yml',
      version: 2
    })
    const dangling = makeWorkspace({})
    symlinkSync(path.join(dangling, 'nowhere.yml'), path.join(dangling, '.golangci.yml'))
    expect(() => findGolangciConfig(dangling, dangling)).toThrow(
      /symlink to something that does not exist/
    )
  })

  it('refuses a configuration golangci-lint would read but the action does not', () => {
    const ws = makeWorkspace({ 'a/.golangci.ini': '[run]\n', '.golangci.yml': V2['.golangci.yml'] })
    expect(() => findGolangciConfig(path.join(ws, 'a'), ws)).toThrow(
      /^golangci-lint: a\/\.golangci\.ini is a configuration golangci-lint would read, but go-package-action reads only/
    )
  })
})
