package first

import "testing"

func TestOf(t *testing.T) {
	if Of([]int{7}) != 7 {
		t.Error("Of([7]) is not 7")
	}
}

func TestOfEmpty(t *testing.T) {
	Of(nil)
}
