// expect: fail verifier.uninit-register load
// log: R2 !read_ok
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: R2 is read before anything wrote it (a program starts with only R1, the context,
 * and R10, the frame pointer). C cannot say this; the assembly does. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int read_r2(void)
{
	asm volatile("r0 = r2\n"
		     "exit\n");
}
