module example.com/checks/failing-test

go 1.26
