//go:build special

package main

import "os"

func init() {
	os.Remove("only-with-the-special-tag")
}
