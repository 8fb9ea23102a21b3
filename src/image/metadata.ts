// The OCI labels (in the config, what `docker inspect` shows) and annotations (on the manifests
// and index, what registries show) that say where an image came from.
import type { RunContext } from '../context.js'
import type { BuildVersion } from '../plan/version.js'
import type { ImageReference } from './registry/reference.js'

const OCI = 'org.opencontainers.image'

/** registry/repository[:tag][@digest], fully qualified: what base.name should hold. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}

/** source, revision, version, created, and the base's name and digest when there is a base. */
export function imageMetadata(
  ctx: RunContext,
  version: BuildVersion,
  base?: { name: string; digest: string }
): Record<string, string> {
  const meta: Record<string, string> = {}
  if (ctx.repository) meta[`${OCI}.source`] = `${ctx.serverUrl}/${ctx.repository}`
  if (version.commit) meta[`${OCI}.revision`] = version.commit
  meta[`${OCI}.version`] = version.version
  meta[`${OCI}.created`] = version.date
  if (base) {
    meta[`${OCI}.base.name`] = base.name
    if (base.digest) meta[`${OCI}.base.digest`] = base.digest
  }
  return meta
}
