import type { AvailableVersion } from './go-version.js'
import type { GoPlatform } from './platform.js'

/** Where Go releases come from: go.dev/dl (or a mirror of its layout), or a Go module proxy. */
export interface ToolchainSource {
  /** For messages: "https://go.dev/dl", "module proxy https://proxy.golang.org". */
  readonly description: string
  /** Releases offered for this platform. */
  listVersions(platform: GoPlatform): Promise<AvailableVersion[]>
  /**
   * Downloads one release into `workDir`, verifies it, unpacks it and returns its GOROOT.
   * Throws an ActionError (leaving the caller to clean workDir) when verification fails.
   */
  fetch(version: string, platform: GoPlatform, workDir: string): Promise<string>
}
