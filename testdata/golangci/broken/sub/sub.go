package sub

// Name does not compile: an int is no string.
func Name() string { return 2 }
