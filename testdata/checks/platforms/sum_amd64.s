#include "textflag.h"

// func sum(a, b int) int
TEXT ·sum(SB),NOSPLIT,$0-24
	JMP ·fromAsm(SB)
