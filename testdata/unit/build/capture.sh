#!/usr/bin/env bash
# Re-captures what go build prints when linking fails on bad ldflags, and when compiling fails,
# as src/build/compile.ts runs it. The ldflags input's own check (src/build/ldflags.ts) refuses
# -foo and -X main.v before any build; a bad value of a known flag (-H=bogus) reaches the linker.
# Usage: testdata/unit/build/capture.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export GOTOOLCHAIN=local GOFLAGS=
mod="$(mktemp -d)"
trap 'rm -rf "$mod"' EXIT
printf 'module example.com/lk\n\ngo 1.26\n' >"$mod/go.mod"
printf 'package main\n\nvar v string\n\nfunc main() { println(v) }\n' >"$mod/main.go"
# capture <name> <ldflags>: the stderr of go build into <name>.stderr.
capture() {
  (cd "$mod" && go build -trimpath -buildvcs=false "-ldflags=$2 -buildid=" -o "$mod/out" example.com/lk) 2>"$here/$1.stderr"
}
capture link-unknown-flag '-foo'
capture link-x-without-value '-X main.v'
capture link-bad-headtype '-H=bogus'
capture link-bad-linkmode '-linkmode=bogus'
printf 'package main\n\nfunc main() { undefinedCall() }\n' >"$mod/main.go"
capture compile-error '-s -w'
