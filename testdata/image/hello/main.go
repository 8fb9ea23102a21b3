// A static hello for the image tests: prints the version injected with -ldflags -X.
package main

import "fmt"

var version = "dev"

func main() {
	fmt.Println("hello", version)
}
