//go:build !windows

package main

func extra() string { return "" }
