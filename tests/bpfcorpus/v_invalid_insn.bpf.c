// expect: fail verifier.invalid-insn load
// log: unknown opcode ff
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: an instruction with an opcode no kernel defines (0xff), as a corrupted object or a
 * compiler newer than the kernel may produce. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int bad_opcode(void)
{
	asm volatile(".8byte 0x00000000000000ff\n"
		     "r0 = 0\n"
		     "exit\n");
}
