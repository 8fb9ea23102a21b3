// Command two prints exactly one line, "two <version> <commit> <date>", with or without -version.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/multi/pkg/lib"
)

// Injected with -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	flag.Bool("version", false, "print the version line (the same line is printed without it)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "two: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	fmt.Println(lib.VersionLine("two", version, commit, date))
}
