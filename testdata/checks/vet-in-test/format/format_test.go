package format_test

import (
	"testing"

	"example.com/checks/vet-in-test/format"
)

func TestShow(t *testing.T) { format.Show("x") }
