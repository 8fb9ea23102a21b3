// GoReleaser's release.extra_files: more files for the release, found by glob in the project when
// the release is made (a build may have written them), each under its own name or the one given.
import { statSync } from 'node:fs'
import { archiveFiles } from '../build/archive-files.js'
import { ActionError } from '../errors.js'
import type { Plan } from '../plan/plan.js'
import { sha256File } from '../util/hash.js'
import type { AssetFile } from './assets.js'

export async function extraReleaseFiles(plan: Plan): Promise<AssetFile[]> {
  const entries = plan.releaseText?.extraFiles ?? []
  const files: AssetFile[] = []
  for (const e of entries) {
    const found = archiveFiles(
      [{ src: e.glob, stripParent: true }],
      plan.config.workingDirectory,
      new Set([plan.output.dir.dir]),
      e.where
    )
    if (e.name !== undefined && found.length !== 1)
      throw new ActionError(
        `${e.where}: name_template renames one file, and "${e.glob}" matches ${found.length}`
      )
    for (const f of found)
      files.push({
        name: e.name ?? f.name,
        path: f.source,
        size: statSync(f.source).size,
        sha256: await sha256File(f.source),
        checksums: false
      })
  }
  return files
}
