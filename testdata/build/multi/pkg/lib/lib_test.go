package lib

import "testing"

func TestVersionLine(t *testing.T) {
	got := VersionLine("one", "1.2.3", "abc1234", "2026-01-02T03:04:05Z")
	want := "one 1.2.3 abc1234 2026-01-02T03:04:05Z"
	if got != want {
		t.Fatalf("VersionLine() = %q, want %q", got, want)
	}
}
