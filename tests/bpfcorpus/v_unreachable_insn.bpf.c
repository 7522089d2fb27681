// expect: fail verifier.unreachable-insn load
// log: unreachable insn 2
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: an instruction no path reaches (jumped over unconditionally); the kernel refuses
 * dead code rather than load it. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int dead_code(void)
{
	asm volatile("r0 = 0\n"
		     "goto +1\n"
		     "r0 = 1\n"
		     "exit\n");
}
