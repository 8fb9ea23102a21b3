module example.com/checks/nested

go 1.26
