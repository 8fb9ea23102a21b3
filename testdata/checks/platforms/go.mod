module example.com/checks/platforms

go 1.26
