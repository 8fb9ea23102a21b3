// A module whose code is used on some platforms only: the analysers must look at all of them.
package main

import "fmt"

type state struct {
	name string
	// extra is used by describe in state_windows.go only.
	extra int
}

// fromAsm is called from sum's assembly on amd64 and from Go elsewhere.
func fromAsm(a, b int) int { return a + b }

// unusedHelper is unused on every platform.
func unusedHelper() int { return 4 }

func main() {
	s := state{name: "gopher"}
	fmt.Println(describe(&s), sum(1, 2))
}
