package tally

import "testing"

func TestAdd(t *testing.T) {
	var tl Tally
	tl.Add()
	if tl.n != 1 {
		t.Errorf("n = %d, want 1", tl.n)
	}
}
