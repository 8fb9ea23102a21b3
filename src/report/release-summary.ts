import type { Published } from '../release/publish.js'

/** Where the release is, whether it is published and latest, and what happened to its assets. */
export function releaseSummary(published: Published): string {
  const { release, assets } = published
  const state = release.draft ? 'left a draft (draft: true)' : 'published'
  const latest = release.draft
    ? ''
    : release.prerelease
      ? ', a prerelease'
      : `, make_latest: ${published.makeLatest}`
  const lines = [
    `### Release [${release.tag}](${release.htmlUrl})`,
    '',
    `${published.created ? 'Created' : 'Found'} and ${state}${latest}.`,
    '',
    `Assets: ${assets.uploaded.length} uploaded, ${assets.unchanged.length} already there with the same sha256, ${assets.replaced.length} replaced${assets.merged.length ? `, ${assets.merged.length} merged with another job's` : ''}.`
  ]
  return lines.join('\n') + '\n'
}
