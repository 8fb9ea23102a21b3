package greet

import "testing"

func TestHello(t *testing.T) {
	if got := Hello("gopher"); got != "hello, gopher" {
		t.Errorf("Hello(gopher) = %q", got)
	}
}

func TestHelloEmpty(t *testing.T) {
	t.Skip("skipped on purpose, so the table shows a skipped test")
}
