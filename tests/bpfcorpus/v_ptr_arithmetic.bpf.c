// expect: fail verifier.ptr-arithmetic load
// log: R1 pointer arithmetic with *= operator prohibited
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the context pointer is multiplied; only adding bounded offsets to some pointer
 * types is allowed. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int ptr_mul(void)
{
	asm volatile("r1 *= 2\n"
		     "r0 = *(u64 *)(r1 + 0)\n"
		     "exit\n");
}
