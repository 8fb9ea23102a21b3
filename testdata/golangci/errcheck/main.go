package main

import (
	"fmt"
	"os"
)

func main() {
	os.Remove("x")
	fmt.Printf("%d\n", "not a number")
}
