// A tiny program for the govulncheck tests: it calls uuid.NewString (marked vulnerable in the
// test database) and imports the uuid package, whose ParseBytes (marked too) it never calls.
package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	id := uuid.NewString()
	fmt.Println(id, extra())
}
