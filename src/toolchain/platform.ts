/** The Go names of the platform this action runs on, as the download index spells them. */
export interface GoPlatform {
  os: string
  arch: string
  /** The archive format Go ships for this OS. */
  archive: 'tar.gz' | 'zip'
  /** The tool-cache folder name, as setup-go and the runner images use it (x64, arm64). */
  toolCacheArch: string
}

const GOOS: Record<string, string> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'windows',
  freebsd: 'freebsd'
}
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'armv6l',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64'
}

export function goPlatform(nodePlatform: string, nodeArch: string): GoPlatform {
  const os = GOOS[nodePlatform]
  const arch = GOARCH[nodeArch]
  if (!os || !arch) throw new Error(`Go is not distributed for ${nodePlatform}/${nodeArch}`)
  return { os, arch, archive: os === 'windows' ? 'zip' : 'tar.gz', toolCacheArch: nodeArch }
}

/** The module proxy names toolchains with GOARCH values (arm, not armv6l). */
export function proxyArch(platform: GoPlatform): string {
  return platform.arch === 'armv6l' ? 'arm' : platform.arch
}
