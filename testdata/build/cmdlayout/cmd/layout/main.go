// Command layout prints exactly one line, "layout <version>", with or without -version.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/cmdlayout"
)

// Injected with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	flag.Bool("version", false, "print the version line (the same line is printed without it)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "layout: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	fmt.Println(cmdlayout.Name() + " " + version)
}
