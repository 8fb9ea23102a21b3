//go:build !windows

package main

func greeting() string { return "hello from unix" }
