// The fields GoReleaser documents for its templates (goreleaser.com/customization/templates),
// filled from the Plan's version and a target. Time fields are the commit's, not the clock's, so
// that two runs of one commit write the same bytes (SOURCE_DATE_EPOCH, reproducible-builds.org).
import { ActionError } from '../errors.js'
import { parseTemplate, render, type Template } from '../template/index.js'
import type { BuildVersion } from '../plan/version.js'
import type { Target } from '../build/target.js'
import type { Templated } from './spec.js'

export type Fields = Record<string, unknown>

export interface Scope {
  project: string
  version: BuildVersion
  /** The environment templates see: the runner's, then the file's env. */
  env: Readonly<Record<string, string>>
  isDraft?: boolean
}

/** The fields every template sees. */
export function baseFields(scope: Scope): Fields {
  const v = scope.version
  return {
    ProjectName: scope.project,
    Version: v.version,
    RawVersion: v.rawVersion,
    Tag: v.tag ?? v.version,
    PreviousTag: v.previousTag ?? '',
    Major: v.major,
    Minor: v.minor,
    Patch: v.patch,
    Prerelease: v.prerelease,
    Commit: v.commit,
    FullCommit: v.commit,
    ShortCommit: v.shortCommit,
    Branch: v.branch ?? '',
    CommitDate: v.date,
    CommitTimestamp: v.timestamp,
    Date: v.date,
    Timestamp: v.timestamp,
    Now: v.date,
    IsSnapshot: v.isSnapshot,
    IsNightly: false,
    IsDraft: scope.isDraft ?? false,
    IsRelease: !v.isSnapshot,
    IsGitDirty: false,
    IsGitClean: true,
    GitTreeState: 'clean',
    Env: { ...scope.env },
    Runtime: { Goos: 'linux', Goarch: process.arch === 'arm64' ? 'arm64' : 'amd64' }
  }
}

// The variant fields GoReleaser sets per target, with its defaults when targets do not say.
const VARIANT_FIELD: Record<string, { field: string; fallback: string }> = {
  arm: { field: 'Arm', fallback: '6' },
  amd64: { field: 'Amd64', fallback: 'v1' },
  arm64: { field: 'Arm64', fallback: 'v8.0' },
  '386': { field: 'I386', fallback: 'sse2' },
  mips: { field: 'Mips', fallback: 'hardfloat' },
  mipsle: { field: 'Mips', fallback: 'hardfloat' },
  mips64: { field: 'Mips', fallback: 'hardfloat' },
  mips64le: { field: 'Mips', fallback: 'hardfloat' },
  ppc64: { field: 'Ppc64', fallback: 'power8' },
  ppc64le: { field: 'Ppc64', fallback: 'power8' },
  riscv64: { field: 'Riscv64', fallback: 'rva20u64' }
}

/** The value of a target's variant as GoReleaser writes it: 7 for arm, v3 for amd64. */
export function variantValue(target: Target): string | undefined {
  const rule = VARIANT_FIELD[target.arch]
  if (!rule) return undefined
  const v = target.variant
  if (v === undefined) return target.arch === 'arm' ? target.env.GOARM : rule.fallback
  return target.arch === 'arm' ? v.replace(/^v/, '') : v
}

/** .Os .Arch .Arm .Amd64 .Arm64 .Mips .I386 .Ppc64 .Riscv64 .Target for one target. */
export function targetFields(target: Target): Fields {
  const fields: Fields = {
    Os: target.os,
    Arch: target.arch,
    Arm: '',
    Amd64: '',
    Arm64: '',
    Mips: '',
    I386: '',
    Ppc64: '',
    Riscv64: ''
  }
  const rule = VARIANT_FIELD[target.arch]
  const value = variantValue(target)
  if (rule && value !== undefined) fields[rule.field] = value
  fields.Target = [target.os, target.arch, value].filter(Boolean).join('_')
  // The action's own field before GoReleaser's names: the variant as written in targets.
  fields.Variant = target.variant ?? ''
  return fields
}

const parsed = new Map<string, Template>()

/**
 * Renders one template over the fields; an error names where it was written (the input, or the
 * file, line and key) and quotes the template at the spot.
 */
export function renderAt(t: Templated, fields: Fields, version: BuildVersion): string {
  try {
    let template = parsed.get(t.text)
    if (!template) {
      template = parseTemplate(t.text)
      parsed.set(t.text, template)
    }
    return render(template, fields, {
      now: new Date(version.timestamp * 1000),
      env: (fields.Env as Record<string, string> | undefined) ?? {}
    })
  } catch (e) {
    if (e instanceof ActionError) throw new ActionError(`${t.where}: ${e.message}`)
    throw e
  }
}

/** A fixed text as a template that renders to exactly it. */
export function literal(text: string, where: string): Templated {
  return { text: text.includes('{{') ? `{{ ${JSON.stringify(text)} }}` : text, where }
}

/** KEY=value lines (rendered) as an environment; a line without = is an error naming it. */
export function envLines(lines: readonly string[], where: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of lines) {
    const at = line.indexOf('=')
    if (at <= 0) throw new ActionError(`${where}: "${line}" is not KEY=value`)
    env[line.slice(0, at)] = line.slice(at + 1)
  }
  return env
}
