// Which binary of which target goes into the image, decided from the build plan before anything
// is built (so a wrong image-binary fails early) and applied to what the build made.
import type { TargetBuild } from '../build/stage.js'
import { InputError } from '../errors.js'
import type { Platform } from './oci.js'

/** The binary at /app: image-binary, or the first by name when several are built. */
export function imageBinaryName(wanted: string, binaries: readonly string[]): string {
  const sorted = [...binaries].sort()
  if (!wanted) {
    const first = sorted[0]
    if (first === undefined) throw new Error('no binary to put in the image')
    return first
  }
  if (!sorted.includes(wanted)) {
    throw new InputError(
      'image-binary',
      `"${wanted}" is not among the binaries built (${sorted.join(', ')})`
    )
  }
  return wanted
}

export interface ImageInput {
  platform: Platform
  /** The binary that becomes /app. */
  binaryPath: string
  /** Every binary of this target, for a Dockerfile's build context. */
  binaryPaths: string[]
  /** As written in targets: linux/arm/v7. */
  spec: string
}

/** Every linux target built, in the order of targets, with its binary for /app. */
export function imageInputs(targets: readonly TargetBuild[], binary: string): ImageInput[] {
  return targets
    .filter(t => t.target.os === 'linux')
    .map(t => {
      const chosen = t.binaries.find(b => b.name === binary)
      if (!chosen) throw new Error(`${t.target.spec} has no binary ${binary}`)
      const platform: Platform = { os: 'linux', architecture: t.target.arch }
      const variant = ociVariant(t.target.arch, t.target.variant)
      if (variant) platform.variant = variant
      return {
        platform,
        binaryPath: chosen.path,
        binaryPaths: t.binaries.map(b => b.path),
        spec: t.target.spec
      }
    })
}

/**
 * A Go variant as the OCI platform names it: arm 7 → v7, arm64 v8.2 → v8, amd64 v3 → v3 (v1 is
 * plain amd64). Other arches' variants (softfloat, power9) have no OCI name and are left out.
 */
export function ociVariant(arch: string, variant: string | undefined): string | undefined {
  if (!variant) return undefined
  if (arch === 'arm') return `v${variant.replace(/^v/, '')}`
  if (arch === 'arm64') return variant.replace(/\..*$/, '')
  if (arch === 'amd64') return variant === 'v1' ? undefined : variant
  return undefined
}
