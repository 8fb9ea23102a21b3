/** GoReleaser's default names: <project>_<version>_<os>_<arch><variant>.tar.gz, .zip on Windows. */
export function archiveName(project: string, version: string, slug: string, os: string): string {
  // Windows users get a format Explorer opens without extra tools.
  const extension = os === 'windows' ? 'zip' : 'tar.gz'
  return `${project}_${version}_${slug}.${extension}`
}

export function checksumsName(project: string, version: string): string {
  return `${project}_${version}_checksums.txt`
}
