import { InputError } from '../../errors.js'

/** registry/repository[:tag][@digest], as docker and crane read it. */
export interface ImageReference {
  /** Host[:port] as written; docker.io for Docker Hub. */
  registry: string
  repository: string
  tag?: string
  digest?: string
}

/** Plain http only where the traffic cannot leave the machine. */
export function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * Parses an image reference. The first path element is a registry when it has a dot, a colon or is
 * localhost; otherwise the image is on Docker Hub (library/ for one-element names).
 */
export function parseReference(text: string, input = 'image'): ImageReference {
  const trimmed = text.trim()
  const at = trimmed.indexOf('@')
  const digest = at >= 0 ? trimmed.slice(at + 1) : undefined
  const rest = at >= 0 ? trimmed.slice(0, at) : trimmed
  const slash = rest.indexOf('/')
  const first = slash >= 0 ? rest.slice(0, slash) : ''
  const hasRegistry =
    first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registry = hasRegistry ? first : 'docker.io'
  let path = hasRegistry ? rest.slice(slash + 1) : rest
  let tag: string | undefined
  const colon = path.lastIndexOf(':')
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1)
    path = path.slice(0, colon)
  }
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+|__)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) {
    throw new InputError(
      input,
      `"${text}": "${path}" is not a repository name (lowercase letters, digits, . _ - and /)`
    )
  }
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag)) {
    throw new InputError(input, `"${text}": "${tag}" is not a tag`)
  }
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new InputError(input, `"${text}": "${digest}" is not a sha256 digest`)
  }
  return { registry, repository: path, tag, digest }
}
