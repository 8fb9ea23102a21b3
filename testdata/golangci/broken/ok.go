// Package broken compiles; its sub package does not.
package broken

// Answer is fine.
func Answer() int { return 42 }
