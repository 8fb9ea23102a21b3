module example.com/checks/racy

go 1.26
