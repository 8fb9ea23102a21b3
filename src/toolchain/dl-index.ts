import { goToSemver } from './go-version.js'
import type { GoPlatform } from './platform.js'

/** One file of a release in the go.dev/dl JSON index. */
export interface DlFile {
  filename: string
  os: string
  arch: string
  version: string
  sha256: string
  size: number
  kind: string
}

export interface DlRelease {
  version: string
  stable: boolean
  files: DlFile[]
}

/** Parses the `?mode=json&include=all` index, rejecting what does not look like it. */
export function parseDlIndex(json: string, url: string): DlRelease[] {
  let data: unknown
  try {
    data = JSON.parse(json)
  } catch {
    throw new Error(`${url} did not return JSON`)
  }
  if (!Array.isArray(data)) throw new Error(`${url} did not return a list of releases`)
  return data.filter(
    (r): r is DlRelease =>
      typeof r?.version === 'string' &&
      Array.isArray(r.files) &&
      goToSemver(r.version) !== undefined
  )
}

/** The archive (not the installer or source) of a release for a platform. */
export function archiveFor(release: DlRelease, platform: GoPlatform): DlFile | undefined {
  return release.files.find(
    f =>
      f.kind === 'archive' &&
      f.os === platform.os &&
      f.arch === platform.arch &&
      f.filename.endsWith(`.${platform.archive}`)
  )
}
