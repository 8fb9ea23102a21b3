module example.com/checks/broken-test

go 1.26
