// Package calc has a bug its tests catch.
package calc

// Add is wrong on purpose.
func Add(a, b int) int { return a - b }
