import semver from 'semver'
import type { BuildVersion } from '../plan/version.js'

/** Characters a tag may not hold become -, as docker/metadata-action does; 128 characters at most. */
export function sanitizeTag(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}

/**
 * image-tags: auto. A release version (from a SemVer tag vX.Y.Z) gives X.Y.Z, X.Y, X (not for 0.x) and latest; a prerelease
 * only its full version, never latest. Otherwise sha-<short> and the sanitised branch.
 * Build metadata (+…) is not allowed in a tag, so it becomes -.
 */
export function autoTags(
  version: Pick<BuildVersion, 'tag' | 'version' | 'commit'>,
  branch: string
): string[] {
  if (version.tag) {
    const v = semver.parse(version.version.replace(/\+.*$/, ''))
    if (!v) return [sanitizeTag(version.version)]
    if (v.prerelease.length > 0) return [sanitizeTag(version.version)]
    const tags = [sanitizeTag(version.version), `${v.major}.${v.minor}`]
    if (v.major > 0) tags.push(`${v.major}`)
    tags.push('latest')
    return tags
  }
  const tags = version.commit ? [`sha-${version.commit.slice(0, 7)}`] : []
  if (branch) tags.push(sanitizeTag(branch))
  return tags
}
