package main

import (
	"bytes"
	"testing"
)

func TestGreeting(t *testing.T) {
	if got, want := greeting("gopher"), "Hello, gopher!"; got != want {
		t.Errorf("greeting(%q) = %q, want %q", "gopher", got, want)
	}
}

func TestPrintVersion(t *testing.T) {
	version, commit, date = "1.2.3", "abc1234", "2026-01-02T03:04:05Z"
	var out bytes.Buffer
	printVersion(&out)
	if got, want := out.String(), "hello 1.2.3 (commit abc1234, built 2026-01-02T03:04:05Z)\n"; got != want {
		t.Errorf("printVersion() = %q, want %q", got, want)
	}
}
