// Package half halves numbers, rounding the wrong way.
package half

// Of returns n/2 rounded up, but should round down.
func Of(n int) int { return (n + 1) / 2 }
