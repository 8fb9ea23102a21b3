module example.com/checks/clean

go 1.26
