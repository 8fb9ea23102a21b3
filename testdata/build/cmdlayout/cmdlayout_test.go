package cmdlayout

import "testing"

func TestName(t *testing.T) {
	if got := Name(); got != "layout" {
		t.Fatalf("Name() = %q, want %q", got, "layout")
	}
}
