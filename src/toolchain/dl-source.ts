import * as tc from '@actions/tool-cache'
import path from 'node:path'
import { ActionError } from '../errors.js'
import { sha256File } from '../util/hash.js'
import { downloadFile, getText } from '../util/http.js'
import { rm } from 'node:fs/promises'
import type { AvailableVersion } from './go-version.js'
import { goToSemver } from './go-version.js'
import { archiveFor, type DlRelease, parseDlIndex } from './dl-index.js'
import type { GoPlatform } from './platform.js'
import type { ToolchainSource } from './source.js'

/** Releases from go.dev/dl or a server with its layout: the JSON index and the archives beside it. */
export class DlSource implements ToolchainSource {
  private index?: DlRelease[]

  constructor(private readonly baseUrl: string) {}

  get description(): string {
    return this.baseUrl
  }

  private async releases(): Promise<DlRelease[]> {
    if (!this.index) {
      const url = `${this.baseUrl}/?mode=json&include=all`
      this.index = parseDlIndex(await getText(url), url)
    }
    return this.index
  }

  async listVersions(platform: GoPlatform): Promise<AvailableVersion[]> {
    return (await this.releases())
      .filter(r => archiveFor(r, platform))
      .map(r => ({ version: goToSemver(r.version) as string, stable: r.stable }))
  }

  async fetch(version: string, platform: GoPlatform, workDir: string): Promise<string> {
    const release = (await this.releases()).find(r => goToSemver(r.version) === version)
    const file = release && archiveFor(release, platform)
    if (!file)
      throw new ActionError(
        `${this.baseUrl} lists no ${platform.os}/${platform.arch} archive of Go ${version}`
      )

    const archive = path.join(workDir, path.basename(file.filename))
    await downloadFile(`${this.baseUrl}/${file.filename}`, archive)
    const actual = await sha256File(archive)
    if (actual !== file.sha256.toLowerCase()) {
      await rm(archive, { force: true })
      throw new ActionError(
        `${file.filename} from ${this.baseUrl} has sha256 ${actual}, but the index lists ${file.sha256}; ` +
          'refusing it (a corrupted download or a tampered mirror: check go-download-base-url)'
      )
    }
    const unpacked = path.join(workDir, 'unpacked')
    if (platform.archive === 'zip') await tc.extractZip(archive, unpacked)
    else await tc.extractTar(archive, unpacked)
    await rm(archive, { force: true })
    // Official archives hold one top-level folder, go/.
    return path.join(unpacked, 'go')
  }
}
