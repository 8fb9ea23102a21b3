package main

import "fmt"

func describe(s *state) string {
	fmt.Printf("%d\n", s.name)
	return fmt.Sprint(s.name, s.extra)
}
