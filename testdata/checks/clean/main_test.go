package main

import "testing"

func TestMessage(t *testing.T) {
	if got := message(); got != "hello, world" {
		t.Errorf("message() = %q", got)
	}
}
