// expect: fail verifier.too-complex load
// log: BPF program is too large. Processed 1000001 insn
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a loop of a million turns; the verifier walks every turn and stops at its limit
 * of one million processed instructions. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int long_loop(void)
{
	asm volatile("r0 = 0\n"
		     "r1 = 0\n"
		     "r2 = r0\n"
		     "r0 += 1\n"
		     "r1 += 1\n"
		     "if r1 < 1000000 goto -2\n"
		     "r0 = 0\n"
		     "exit\n");
}
