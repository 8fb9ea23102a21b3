module example.com/checks/panic

go 1.26
