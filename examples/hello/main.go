// Command hello prints a greeting and the version it was built as.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=… -X main.date=…".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		printVersion(os.Stdout)
		return
	}
	name := "world"
	if flag.NArg() > 0 {
		name = flag.Arg(0)
	}
	fmt.Println(greeting(name))
	printVersion(os.Stdout)
}

func greeting(name string) string {
	return "Hello, " + name + "!"
}

func printVersion(w io.Writer) {
	fmt.Fprintf(w, "hello %s (commit %s, built %s)\n", version, commit, date)
}
