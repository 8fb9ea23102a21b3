module example.com/golangci/v1

go 1.26
