/** One GOOS/GOARCH[/variant] to build for, with the environment that selects it. */
export interface Target {
  os: string
  arch: string
  /** The arch variant as written (v7, v3, v8.2, softfloat), when given. */
  variant?: string
  /** GOOS, GOARCH and the variant variable (GOARM, GOAMD64, …). */
  env: Record<string, string>
  /** As written in targets, for messages: linux/arm/v7. */
  spec: string
  /** For file names, GoReleaser style: linux_armv7, linux_amd64v3, windows_arm64. */
  slug: string
}
