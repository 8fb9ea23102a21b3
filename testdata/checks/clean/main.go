package main

import (
	"fmt"

	"example.com/checks/clean/greet"
)

func message() string { return greet.Hello("") }

func main() { fmt.Println(message()) }
