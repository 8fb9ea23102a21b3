module example.com/checks/vet

go 1.26
