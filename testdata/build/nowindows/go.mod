module example.com/nowindows

go 1.26
