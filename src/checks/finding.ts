/** Which tool said it. */
export type CheckTool = 'vet' | 'staticcheck' | 'test' | 'vulncheck' | 'golangci-lint'

/**
 * One problem worth a line in the summary and, where it has a place in the code, an annotation.
 * Paths are relative to the repository root (GITHUB_WORKSPACE), with forward slashes.
 */
export interface Finding {
  tool: CheckTool
  /**
   * What kind of problem: build (does not compile), fail (a failing test), panic, race,
   * vet (an analyzer), staticcheck (a check such as SA4006), vuln (a known vulnerability that
   * is reachable), lint (a golangci-lint linter). Used to order annotations.
   */
  kind: 'build' | 'fail' | 'panic' | 'race' | 'vet' | 'staticcheck' | 'vuln' | 'lint'
  severity: 'error' | 'warning'
  /** The Go package import path, where known. */
  package?: string
  /** The test (TestX/sub) for test findings. */
  test?: string
  /** The analyzer (printf) or check code (SA4006). */
  code?: string
  file?: string
  line?: number
  column?: number
  message: string
  /**
   * The platforms (GOOS/GOARCH) whose analysis raised it, when that is not every analysed one:
   * a finding of windows files alone says so.
   */
  platforms?: string[]
  /** A page that explains it: an OSV entry, a linter's documentation. */
  url?: string
}

/** Per-package results of go test. */
export interface PackageTestResult {
  package: string
  outcome: 'pass' | 'fail' | 'skip'
  passed: number
  failed: number
  skipped: number
  elapsedSeconds: number
  /** Statement coverage in percent, when go test printed it. */
  coverage?: number
}
