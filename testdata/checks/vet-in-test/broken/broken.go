// Package broken's test does not compile: a build finding, not a vet one.
package broken

// Half halves n.
func Half(n int) int { return n / 2 }
