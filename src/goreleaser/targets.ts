/**
 * GoReleaser's build targets, as its Go builder lists them (GoReleaser v2.15.1,
 * internal/builders/golang/targets.go and build.go): goos × goarch × the variant of that arch
 * (goamd64, go386, goarm, goarm64, gomips, goppc64, goriscv64), minus the combinations Go does not
 * build (its validTargets list) and minus `ignore`; or the `targets` list (`linux_arm_7`,
 * `go_first_class`), each completed with the default variant (fixTarget).
 */

export interface GoReleaserTarget {
  readonly goos: string
  readonly goarch: string
  readonly goamd64?: string
  readonly go386?: string
  readonly goarm?: string
  readonly goarm64?: string
  readonly gomips?: string
  readonly goppc64?: string
  readonly goriscv64?: string
}

export type VariantField =
  'goamd64' | 'go386' | 'goarm' | 'goarm64' | 'gomips' | 'goppc64' | 'goriscv64'
export const VARIANT_FIELDS: readonly VariantField[] = [
  'goamd64',
  'go386',
  'goarm',
  'goarm64',
  'gomips',
  'goppc64',
  'goriscv64'
]

/** internal/builders/golang/build.go: the defaults of WithDefaults. */
export const DEFAULT_GOOS = ['linux', 'darwin', 'windows']
export const DEFAULT_GOARCH = ['amd64', 'arm64', '386']
/**
 * GOARM's default is experimental.DefaultGOARM() (internal/experimental/exp.go): "6", or "7"
 * with GORELEASER_EXPERIMENTAL=defaultgoarm; the action reads no such variable.
 */
export const DEFAULT_VARIANTS: Readonly<Record<VariantField, string>> = {
  goamd64: 'v1',
  go386: 'sse2',
  goarm: '6',
  goarm64: 'v8.0',
  gomips: 'hardfloat',
  goppc64: 'power8',
  goriscv64: 'rva20u64'
}

/** Which variant field an arch takes (allBuildTargets). */
export function variantFieldOf(goarch: string): VariantField | undefined {
  switch (goarch) {
    case '386':
      return 'go386'
    case 'amd64':
      return 'goamd64'
    case 'arm64':
      return 'goarm64'
    case 'arm':
      return 'goarm'
    case 'mips':
    case 'mipsle':
    case 'mips64':
    case 'mips64le':
      return 'gomips'
    case 'ppc64':
    case 'ppc64le':
      return 'goppc64'
    case 'riscv64':
      return 'goriscv64'
    default:
      return undefined
  }
}

// internal/builders/golang/targets.go, "lists from https://go.dev/doc/install/source#environment".
const VALID_TARGETS = new Set([
  'aixppc64',
  'android386',
  'androidamd64',
  'androidarm',
  'androidarm64',
  'darwinamd64',
  'darwinarm64',
  'dragonflyamd64',
  'freebsd386',
  'freebsdamd64',
  'freebsdarm',
  'freebsdarm64',
  'illumosamd64',
  'iosarm64',
  'jswasm',
  'wasip1wasm',
  'linux386',
  'linuxamd64',
  'linuxarm',
  'linuxarm64',
  'linuxppc64',
  'linuxppc64le',
  'linuxmips',
  'linuxmipsle',
  'linuxmips64',
  'linuxmips64le',
  'linuxs390x',
  'linuxriscv64',
  'linuxloong64',
  'netbsd386',
  'netbsdamd64',
  'netbsdarm',
  'netbsdarm64',
  'openbsd386',
  'openbsdamd64',
  'openbsdarm',
  'openbsdarm64',
  'plan9386',
  'plan9amd64',
  'plan9arm',
  'solarisamd64',
  'solarissparc',
  'solarissparc64',
  'windowsarm64',
  'windows386',
  'windowsamd64',
  // experimentalTargets (built, with a warning in GoReleaser)
  'openbsdriscv64'
])

export const VALID_GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'illumos',
  'ios',
  'js',
  'linux',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'windows',
  'wasip1'
]

export const VALID_GOARCH = [
  '386',
  'amd64',
  'arm',
  'arm64',
  'mips',
  'mips64',
  'mips64le',
  'mipsle',
  'ppc64',
  'ppc64le',
  's390x',
  'wasm',
  'riscv64',
  'loong64',
  'sparc',
  'sparc64'
]

const VALID_VARIANTS: Readonly<Record<VariantField, (v: string) => boolean>> = {
  goamd64: v => ['v1', 'v2', 'v3', 'v4'].includes(v),
  go386: v => ['sse2', 'softfloat'].includes(v),
  goarm: v => ['5', '6', '7'].includes(v),
  // regexp.MustCompile(`(v8\.[0-9]|v9\.[0-5])((,lse|,crypto)?)+`), unanchored as Go's MatchString
  goarm64: v => /(v8\.[0-9]|v9\.[0-5])((,lse|,crypto)?)+/.test(v),
  gomips: v => ['hardfloat', 'softfloat'].includes(v),
  goppc64: v => ['power8', 'power9', 'power10'].includes(v),
  goriscv64: v => ['rva20u64', 'rva22u64', 'rva23u64'].includes(v)
}

/** go_first_class and go_118_first_class (build.go's go118FirstClassTargets). */
export const FIRST_CLASS_TARGETS = [
  'darwin_amd64',
  'darwin_arm64',
  'linux_386',
  'linux_amd64',
  'linux_arm',
  'linux_arm64',
  'windows_386',
  'windows_amd64'
]

export interface IgnoreRule {
  readonly goos?: string
  readonly goarch?: string
  readonly goamd64?: string
  readonly go386?: string
  readonly goarm?: string
  readonly goarm64?: string
  readonly gomips?: string
  readonly goppc64?: string
  readonly goriscv64?: string
}

export interface TargetMatrix {
  readonly goos: readonly string[]
  readonly goarch: readonly string[]
  readonly variants: Readonly<Record<VariantField, readonly string[]>>
  readonly ignore: readonly IgnoreRule[]
}

/** A value GoReleaser refuses ("invalid goos: x"): the field and the value. */
export class InvalidTargetValue extends Error {
  constructor(
    readonly field: 'goos' | 'goarch' | VariantField,
    readonly value: string
  ) {
    super(`invalid ${field}: ${value}`)
  }
}

/** listTargets: the matrix in GoReleaser's order, invalid combinations and ignored ones left out. */
export function expandTargets(m: TargetMatrix): GoReleaserTarget[] {
  const out: GoReleaserTarget[] = []
  for (const goos of m.goos) {
    for (const goarch of m.goarch) {
      const field = variantFieldOf(goarch)
      const values = field ? m.variants[field] : [undefined]
      for (const v of values) {
        const t: GoReleaserTarget =
          field && v !== undefined ? { goos, goarch, [field]: v } : { goos, goarch }
        check(t)
        if (!VALID_TARGETS.has(goos + goarch)) continue
        if (m.ignore.some(rule => ignores(rule, t))) continue
        out.push(t)
      }
    }
  }
  return out
}

function check(t: GoReleaserTarget): void {
  if (!VALID_GOOS.includes(t.goos)) throw new InvalidTargetValue('goos', t.goos)
  if (!VALID_GOARCH.includes(t.goarch)) throw new InvalidTargetValue('goarch', t.goarch)
  for (const f of VARIANT_FIELDS) {
    const v = t[f]
    if (v !== undefined && v !== '' && !VALID_VARIANTS[f](v)) throw new InvalidTargetValue(f, v)
  }
}

function ignores(rule: IgnoreRule, t: GoReleaserTarget): boolean {
  for (const f of ['goos', 'goarch', ...VARIANT_FIELDS] as const) {
    const want = rule[f]
    if (want !== undefined && want !== '' && want !== (t[f] ?? '')) return false
  }
  return true
}

/** fixTarget: `linux_amd64` → `linux_amd64_v1`, and so on. */
export function fixTarget(target: string): string {
  const parts = target.split('_')
  if (parts.length !== 2) return target
  const field = variantFieldOf(parts[1] ?? '')
  return field ? `${target}_${DEFAULT_VARIANTS[field]}` : target
}

/**
 * One entry of `targets` → targets (first-class names expand to eight). GoReleaser's Parse keeps
 * the part after the arch as that arch's variant; it needs at least goos_goarch.
 */
export function parseTargetEntry(entry: string): GoReleaserTarget[] {
  if (entry === 'go_first_class' || entry === 'go_118_first_class') {
    return FIRST_CLASS_TARGETS.map(t => parseOne(fixTarget(t)))
  }
  return [parseOne(fixTarget(entry))]
}

function parseOne(target: string): GoReleaserTarget {
  const parts = target.split('_')
  const [goos, goarch] = parts
  if (parts.length < 2 || !goos || !goarch) throw new InvalidTargetValue('goos', target)
  const field = variantFieldOf(goarch)
  const extra = parts.slice(2).join('_')
  const t: GoReleaserTarget = field && extra ? { goos, goarch, [field]: extra } : { goos, goarch }
  check(t)
  return t
}

/** GoReleaser's target name: goos_goarch[_variant] (formatTarget). */
export function targetName(t: GoReleaserTarget): string {
  const extra = VARIANT_FIELDS.map(f => t[f] ?? '').join('')
  return `${t.goos}_${t.goarch}${extra ? `_${extra}` : ''}`
}
