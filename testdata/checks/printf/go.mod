module example.com/checks/printf

go 1.26
