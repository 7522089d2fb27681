// expect: fail verifier.jump-out-of-range load
// log: jump out of range from insn 1 to 102
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a jump whose target lies past the program's last instruction. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int far_jump(void)
{
	asm volatile("r0 = 0\n"
		     "if r1 != 0 goto +100\n"
		     "exit\n");
}
