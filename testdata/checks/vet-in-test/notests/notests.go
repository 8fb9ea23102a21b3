// Package notests has no tests, yet go test vets it, under a plain # header like a compile error's.
package notests

import "fmt"

// Show prints n.
func Show(n int) { fmt.Printf("%s\n", n) }

// Digit converts n to one rune, which vet's stringintconv reports.
func Digit(n int) string { return string(n) }
