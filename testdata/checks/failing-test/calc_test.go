package calc

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(2, 2); got != 4 {
		t.Errorf("Add(2, 2) = %d, want 4\nsecond line of the message", got)
	}
}

func TestTable(t *testing.T) {
	t.Run("zero", func(t *testing.T) {
		if Add(0, 0) != 0 {
			t.Fatal("Add(0, 0) is not 0")
		}
	})
	t.Run("one", func(t *testing.T) {
		if got := Add(1, 1); got != 2 {
			t.Fatalf("Add(1, 1) = %d, want 2", got)
		}
	})
}

func TestPasses(t *testing.T) {}
