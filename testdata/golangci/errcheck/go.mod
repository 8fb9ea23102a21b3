module example.com/errcheck

go 1.26
