// Command withdeps has one dependency, so that its module cache has something to hold.
package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	fmt.Println(uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/withdeps")))
}
