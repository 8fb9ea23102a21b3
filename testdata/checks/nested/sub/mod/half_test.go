package half

import "testing"

func TestOf(t *testing.T) {
	if got := Of(3); got != 1 {
		t.Errorf("Of(3) = %d, want 1", got)
	}
}
