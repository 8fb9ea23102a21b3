// Package shape compiles; its test does not.
package shape

// Area of a w×h rectangle.
func Area(w, h int) int { return w * h }
