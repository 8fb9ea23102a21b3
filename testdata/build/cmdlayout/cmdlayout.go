// Package cmdlayout is the library at the module root; the command lives in cmd/layout.
package cmdlayout

// Name is the command's name, as printed by cmd/layout.
func Name() string { return "layout" }
