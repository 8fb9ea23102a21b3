// nektos/act, built from the Go module proxy, and the three GitHub actions our workflows use
// (checkout, upload-artifact, download-artifact), fetched the same way: the proxy serves any
// tagged GitHub repository as a "+incompatible" module, committed dist/ included. act is then
// told to use those folders instead of cloning from github.com (--local-repository).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const ACT_VERSION = 'v0.2.89'
const FIXTURES = '/tmp/gpa-test-fixtures'

/** uses: name@ref → the module version that holds that release. */
export const ACTIONS: Record<string, string> = {
  'actions/checkout@v5': 'github.com/actions/checkout@v5.0.0+incompatible',
  'actions/upload-artifact@v4': 'github.com/actions/upload-artifact@v4.6.2+incompatible',
  'actions/download-artifact@v4': 'github.com/actions/download-artifact@v4.3.0+incompatible'
}

/** act's binary, built once into the fixtures folder. */
export async function actBinary(): Promise<string> {
  const bin = path.join(FIXTURES, 'bin')
  const act = path.join(bin, 'act')
  if (existsSync(act)) return act
  await run('go', ['install', `github.com/nektos/act@${ACT_VERSION}`], {
    env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
    maxBuffer: 16 * 1024 * 1024
  })
  return act
}

/** Folder of each action, from the module proxy (these versions predate the checksum database's record of them). */
export async function actionFolders(): Promise<Record<string, string>> {
  const folders: Record<string, string> = {}
  for (const [uses, module] of Object.entries(ACTIONS)) {
    const { stdout } = await run('go', ['mod', 'download', '-json', module], {
      cwd: os.tmpdir(),
      env: { ...process.env, GONOSUMDB: 'github.com/actions', GOFLAGS: '-mod=mod' }
    })
    folders[uses] = (JSON.parse(stdout) as { Dir: string }).Dir
  }
  return folders
}
