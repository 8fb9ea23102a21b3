module example.com/pkghello

go 1.22
