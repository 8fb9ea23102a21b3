package broken

import "testing"

func TestHalf(t *testing.T) {
	if Half(4) != undefinedWant {
		t.Fail()
	}
}
