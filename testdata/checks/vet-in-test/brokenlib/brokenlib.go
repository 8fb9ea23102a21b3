// Package brokenlib has no tests and does not compile: a plain # header, a build finding.
package brokenlib

// Name returns a number.
func Name() string { return 1 }
