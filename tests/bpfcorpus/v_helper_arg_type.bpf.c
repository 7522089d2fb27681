// expect: fail verifier.helper-arg-type load
// log: R1 type=scalar expected=map_ptr
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: bpf_map_lookup_elem is given a number instead of a map as its first argument. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
__attribute__((naked)) int scalar_map(void)
{
	asm volatile("r1 = 0\n"
		     "*(u64 *)(r10 - 8) = r1\n"
		     "r2 = r10\n"
		     "r2 += -8\n"
		     "call %[lookup]\n"
		     "r0 = 0\n"
		     "exit\n" ::[lookup] "i"(BPF_FUNC_map_lookup_elem));
}
