package counter

import "testing"

func TestTwice(t *testing.T) {
	if n := Twice(); n < 1 || n > 2 {
		t.Errorf("Twice() = %d", n)
	}
}
