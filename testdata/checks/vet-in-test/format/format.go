// Package format has only external tests, so go test vets it as it is, under a plain # header.
package format

import "fmt"

// Show prints s.
func Show(s string) { fmt.Printf("%d\n", s) }
