// A tiny program the package tests put into .deb, .rpm and .apk files, then run from them.
package main

import "fmt"

func main() { fmt.Println("hello from a package") }
