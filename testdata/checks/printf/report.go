// Package report formats a count with the wrong verb: go vet's printf check reports it.
package report

import "fmt"

// Line describes how many items there are.
func Line(items []string) string {
	return fmt.Sprintf("%d items", "many")
}
