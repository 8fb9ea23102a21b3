//go:build !windows

package main

func describe(s *state) string { return s.name }
