// The media types we write (OCI) and the Docker schema2 ones we accept when reading a base image:
// gcr.io/distroless and Docker Hub images are served either way.

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip'

/** A single-platform manifest, in either format. */
export function isImageManifest(mediaType: string): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST
}

/** A multi-platform index, in either format. */
export function isImageIndex(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST
}

/** The media types an Accept header lists when reading a base: a plain list, no q= weights. */
export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST]

/**
 * The media type a base layer gets in our OCI manifest: a Docker gzip layer is the same bytes
 * under another name, so it is renamed; anything else (zstd, foreign layers) is kept as it is.
 */
export function ociLayerType(mediaType: string): string {
  return mediaType === DOCKER_LAYER_GZIP ? OCI_LAYER_GZIP : mediaType
}
