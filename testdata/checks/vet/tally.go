// Package tally passes a lock by value, which go vet reports (copylocks) and staticcheck does not.
// A printf misuse would not do here: go test runs vet's printf check itself and fails the package.
package tally

import "sync"

// Tally is a counter safe for concurrent use.
type Tally struct {
	mu sync.Mutex
	n  int
}

// Add counts one more.
func (t *Tally) Add() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
}

// Count reads a copy, lock included.
func Count(t Tally) int { return t.n }
