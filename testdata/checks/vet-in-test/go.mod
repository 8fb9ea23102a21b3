module example.com/checks/vet-in-test

go 1.26
