// The Plan: every decision of a run, made once before the first side effect and frozen. Stages
// read it; none decides again.
import type { CacheEntry } from '../cache/go-caches.js'
import type { AnalysisConfig } from '../checks/configurations.js'
import type { GolangciConfigFile } from '../checks/golangci/config-file.js'
import type { Config, Mode, Severity } from '../config.js'
import type { RunContext } from '../context.js'
import type { Hook } from '../build/hooks.js'
import type { BuildPlan } from '../build/plan-build.js'
import type { MergedLegs } from '../legs/manifest.js'
import type { ReleaseDecision } from '../release/policy.js'
import type { GoToolchain } from '../toolchain/setup-go.js'
import type { OutputDir } from '../workspace/output-dir.js'
import type { BuildVersion } from './version.js'

/** Where the image goes: ko's publishers, one per destination. */
export type ImageDestinationKind = 'registry' | 'layout' | 'leg-layouts'

export type ImagePlan =
  | { kind: 'skip'; why: string }
  | {
      kind: 'image'
      /** registry/repository */
      name: string
      /** The binary at /app (mode: publish: the legs chose it). */
      binary: string
      /** The linux targets that become platforms, as written in targets. */
      platforms: string[]
      tags: string[]
      destination: ImageDestinationKind
      /** Why it is pushed or not: push input, event, ref. */
      why: string
    }

export type CachePlan = { kind: 'restore'; entries: CacheEntry[] } | { kind: 'off'; why: string }

export interface ChecksPlan {
  vet: Severity
  /** staticcheck, or golangci-lint when the module has its configuration (lint says which). */
  staticcheck: Severity
  /** Which linter the staticcheck input runs. */
  lint: 'staticcheck' | 'golangci-lint'
  /** The exact staticcheck module version (latest resolved), when staticcheck runs. */
  staticcheckVersion?: string
  /** The project's golangci-lint configuration and the version that reads it, when it has one. */
  golangci?: { config: GolangciConfigFile; version: string }
  test: Severity
  /** govulncheck: its version and the database, when it runs. */
  vulncheck: Severity
  govulncheckVersion?: string
  vulnDb?: string
  /** The build configurations vet, the linter and govulncheck analyse (tests run on the runner). */
  configurations: AnalysisConfig[]
  /** Where the configurations come from, for the log. */
  configurationsFrom: string
}

/** Every path the run writes, relative to output-dir; claimed (and the earlier run's removed) before any write. */
export interface OutputPlan {
  dir: OutputDir
  /** Relative paths (files or folders) this run will write, sorted. */
  planned: string[]
  /** The checksums file's name, when this run writes one. */
  checksums?: string
  /** Folder of the OCI layout (push: false), absolute. */
  imageLayout?: string
  /** Folder of a local run's release, absolute. */
  releaseDir?: string
}

export interface Plan {
  readonly mode: Mode
  /** The inputs, parsed: settings the stages pass on as they are (test-args, credentials). */
  readonly config: Config
  readonly ctx: RunContext
  /** The only source of the tag, the commit, its short form and its time. */
  readonly version: BuildVersion
  /** Undefined in mode: publish, which builds nothing. */
  readonly go?: GoToolchain
  readonly caches: CachePlan
  readonly checks: ChecksPlan
  /** GoReleaser's before.hooks, rendered and split, run before the checks. */
  readonly hooks: Hook[]
  readonly build: BuildPlan
  readonly output: OutputPlan
  readonly image: ImagePlan
  readonly release: ReleaseDecision
  /** The release's name and the parts of its body, rendered (when there is a release). */
  readonly releaseText?: ReleaseText
  /** mode: publish: the legs' manifests, merged and checked. */
  readonly legs?: MergedLegs
}

export interface ReleaseText {
  name: string
  /** release-notes' file text: replaces GitHub's generated notes. */
  notes?: string
  header?: string
  footer?: string
  /** release.extra_files: globs (rendered), found when the release is made, each maybe renamed. */
  extraFiles: Array<{ glob: string; name?: string; where: string }>
}

/** Freezes the plan deeply, so a stage that tries to change a decision fails loudly. */
export function freezePlan<T extends object>(value: T): Readonly<T> {
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key]
    if (child && typeof child === 'object' && !Object.isFrozen(child)) freezePlan(child)
  }
  return Object.freeze(value)
}
