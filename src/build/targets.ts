import { InputError } from '../errors.js'
import type { Target } from './target.js'

export const DEFAULT_TARGETS = [
  'linux/amd64',
  'linux/arm64',
  'darwin/amd64',
  'darwin/arm64',
  'windows/amd64',
  'windows/arm64'
]

interface VariantRule {
  /** The environment variable that selects the variant. */
  variable: string
  /** Accepted spellings → the variable's value. */
  values: Record<string, string>
  /** The value Go uses without one, left out of file names as GoReleaser does. */
  implicit?: string
  describe: string
}

const same = (values: string[]): Record<string, string> =>
  Object.fromEntries(values.map(v => [v, v]))
const minors = (major: number, last: number): string[] =>
  Array.from({ length: last + 1 }, (_, i) => `v${major}.${i}`)

function rule(
  variable: string,
  values: Record<string, string>,
  describe: string,
  implicit?: string
): VariantRule {
  return { variable, values, describe, implicit }
}

const FLOAT = same(['hardfloat', 'softfloat'])
const POWER = same(['power8', 'power9', 'power10'])

/** Variants per GOARCH (go help environment): v7 → GOARM=7, v3 → GOAMD64=v3, and so on. */
const VARIANTS: Record<string, VariantRule> = {
  arm: rule('GOARM', { v5: '5', v6: '6', v7: '7', '5': '5', '6': '6', '7': '7' }, 'v5, v6 or v7'),
  amd64: rule('GOAMD64', same(['v1', 'v2', 'v3', 'v4']), 'v1, v2, v3 or v4', 'v1'),
  arm64: rule(
    'GOARM64',
    same([...minors(8, 9), ...minors(9, 5)]),
    'v8.0 to v8.9 or v9.0 to v9.5',
    'v8.0'
  ),
  '386': rule('GO386', same(['sse2', 'softfloat']), 'sse2 or softfloat', 'sse2'),
  mips: rule('GOMIPS', FLOAT, 'hardfloat or softfloat', 'hardfloat'),
  mipsle: rule('GOMIPS', FLOAT, 'hardfloat or softfloat', 'hardfloat'),
  mips64: rule('GOMIPS64', FLOAT, 'hardfloat or softfloat', 'hardfloat'),
  mips64le: rule('GOMIPS64', FLOAT, 'hardfloat or softfloat', 'hardfloat'),
  ppc64: rule('GOPPC64', POWER, 'power8, power9 or power10', 'power8'),
  ppc64le: rule('GOPPC64', POWER, 'power8, power9 or power10', 'power8'),
  riscv64: rule(
    'GORISCV64',
    same(['rva20u64', 'rva22u64', 'rva23u64']),
    'rva20u64, rva22u64 or rva23u64',
    'rva20u64'
  )
}

/** Splits the targets input; none (or an empty list) means no build. */
export function splitTargets(value: string): string[] {
  const entries = value.split(/[\s,]+/).filter(Boolean)
  return entries.length === 1 && entries[0]?.toLowerCase() === 'none' ? [] : entries
}

/** Parses one entry; `platforms` is `go tool dist list` of the chosen Go ("linux/amd64", …). */
export function parseTarget(
  spec: string,
  platforms: ReadonlySet<string>,
  goVersion: string,
  input = 'targets'
): Target {
  const parts = spec.split('/')
  const [os, arch, variant] = parts
  if (parts.length < 2 || parts.length > 3 || !os || !arch || variant === '') {
    throw new InputError(
      input,
      `"${spec}" is not GOOS/GOARCH or GOOS/GOARCH/variant (for example linux/arm64 or linux/arm/v7)`
    )
  }
  if (!platforms.has(`${os}/${arch}`)) {
    throw new InputError(
      input,
      `"${spec}": Go ${goVersion} does not build for ${os}/${arch} (see go tool dist list)`
    )
  }
  const env: Record<string, string> = { GOOS: os, GOARCH: arch }
  let slugVariant = ''
  if (variant !== undefined) {
    const rule = VARIANTS[arch]
    const value = rule?.values[variant]
    if (!rule || value === undefined) {
      const why = rule ? `${arch} variants are ${rule.describe}` : `${arch} has no variants`
      throw new InputError(input, `"${spec}": ${why}`)
    }
    env[rule.variable] = value
    if (variant !== rule.implicit) slugVariant = arch === 'arm' ? `v${value}` : variant
  }
  return { os, arch, variant, env, spec, slug: `${os}_${arch}${slugVariant}` }
}

/** Parses every entry before anything is built; the first bad one is named in the error. */
export function parseTargets(
  specs: readonly string[],
  platforms: ReadonlySet<string>,
  goVersion: string,
  input = 'targets'
): Target[] {
  const targets = specs.map(spec => parseTarget(spec, platforms, goVersion, input))
  const seen = new Map<string, string>()
  for (const t of targets) {
    const other = seen.get(t.slug)
    if (other) throw new InputError(input, `"${t.spec}" and "${other}" are the same target`)
    seen.set(t.slug, t.spec)
  }
  return targets
}
