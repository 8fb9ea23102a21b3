package shape

import "testing"

func TestArea(t *testing.T) {
	if Area(2, 3) != undefinedWant {
		t.Error("wrong area")
	}
}
