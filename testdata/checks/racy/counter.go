// Package counter counts from two goroutines without a lock, which the race detector reports.
package counter

import "sync"

// Twice increments a shared counter from two goroutines at once.
func Twice() int {
	n := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n++
		}()
	}
	wg.Wait()
	return n
}
