module example.com/checks/staticcheck

go 1.26
