package main

import "os"

func init() {
	os.Remove("only-on-windows")
}
