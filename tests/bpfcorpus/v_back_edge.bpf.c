// expect: fail verifier.back-edge load
// log: infinite loop detected at insn 1
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a loop whose condition never changes: the verifier finds the same state at the
 * jump again and calls it an infinite loop. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int spin(void)
{
	asm volatile("r0 = 0\n"
		     "r2 = r0\n"
		     "if r0 == 0 goto -2\n"
		     "exit\n");
}
