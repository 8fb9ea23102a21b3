module example.com/library/v2

go 1.26
