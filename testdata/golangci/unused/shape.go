// Package shape has a field only windows code reads and a function nothing calls.
package shape

// Shape is exported, so it is used; its fields are not, unless something reads them.
type Shape struct {
	Name  string
	color string
}

// Describe reads Name on every platform.
func Describe(s Shape) string { return s.Name + paint(s) }

func neverCalled() int { return 42 }
