// Package first returns the first element of a slice, and panics on an empty one.
package first

// Of returns xs[0].
func Of(xs []int) int {
	return xs[0]
}
