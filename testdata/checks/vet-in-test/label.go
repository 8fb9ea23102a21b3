// Package vetintest compiles, but go test's own vet (printf) fails it: a _test.go file here, and a
// non-test file in ./format (external tests only) and in ./notests (no tests) misuse printf. ./broken
// and ./brokenlib do not compile, for comparison.
package vetintest

// Label names the thing.
func Label() string { return "thing" }
