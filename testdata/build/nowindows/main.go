// A command that builds everywhere but on Windows, where it calls what only Unix files define.
package main

import "fmt"

func main() { fmt.Println(greeting()) }
