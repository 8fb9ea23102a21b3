#!/usr/bin/env bash
# Re-captures the real outputs of go vet, staticcheck and go test on testdata/checks/* into this folder.
# Absolute module directories become @@ROOT@@ so tests can put the modules under any repository root.
# Usage: STATICCHECK=/path/to/staticcheck testdata/unit/checks/capture.sh
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checks="$(cd "$here/../../checks" && pwd)"
staticcheck="${STATICCHECK:-staticcheck}"
export GOTOOLCHAIN=local
codes="$here/exit-codes.txt"
echo "# fixture: exit code ($(go version), $("$staticcheck" -version))" >"$codes"

# capture <name> <module dir> <root to replace> <command...>: writes <name>.stdout, and <name>.stderr when not empty.
capture() {
  local name="$1" dir="$2" root="$3"
  shift 3
  (cd "$dir" && "$@") >"$here/$name.stdout" 2>"$here/$name.stderr"
  echo "$name: $?" >>"$codes"
  for f in "$here/$name.stdout" "$here/$name.stderr"; do
    sed -i "s#$root#@@ROOT@@#g" "$f"
    [ -s "$f" ] || rm "$f"
  done
}

for m in clean vet broken-test; do
  capture "$m.vet" "$checks/$m" "$checks/$m" go vet -json ./...
done
for m in clean staticcheck broken-test; do
  capture "$m.staticcheck" "$checks/$m" "$checks/$m" "$staticcheck" -f json ./...
done
for m in clean failing-test panic racy broken-test vet-in-test; do
  capture "$m.test" "$checks/$m" "$checks/$m" go test -count=1 -json -cover ./...
done
capture racy.race "$checks/racy" "$checks/racy" go test -count=1 -json -race -cover ./...
# The nested module's repository root is testdata/checks/nested; go test runs in sub/mod.
capture nested.test "$checks/nested/sub/mod" "$checks/nested" go test -count=1 -json -cover ./...
