import semver from 'semver'
import { semverTag } from '../plan/version.js'

/** Characters a tag may not hold become -, as docker/metadata-action does; 128 characters at most. */
export function sanitizeTag(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}

/**
 * image-tags: auto. A semver tag vX.Y.Z gives X.Y.Z, X.Y, X (not for 0.x) and latest; a prerelease
 * only its full version, never latest. Any other ref gives sha-<short> and the sanitised branch.
 * Build metadata (+…) is not allowed in a tag, so it becomes -.
 */
export function autoTags(ref: string, sha: string): string[] {
  const tagged = semverTag(ref)
  if (tagged) {
    const v = semver.parse(tagged.version.replace(/\+.*$/, ''))
    if (!v) return [sanitizeTag(tagged.version)]
    if (v.prerelease.length > 0) return [sanitizeTag(tagged.version)]
    const tags = [sanitizeTag(tagged.version), `${v.major}.${v.minor}`]
    if (v.major > 0) tags.push(`${v.major}`)
    tags.push('latest')
    return tags
  }
  const tags = sha ? [`sha-${sha.slice(0, 7)}`] : []
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ''
  if (branch) tags.push(sanitizeTag(branch))
  return tags
}
