package vetintest

import (
	"fmt"
	"testing"
)

func TestLabel(t *testing.T) {
	fmt.Printf("label %d\n", Label())
}
