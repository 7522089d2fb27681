// expect: fail verifier.invalid-mem-access load
// log: R1 invalid mem access 'scalar'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a number (an address the program made up) is dereferenced as a pointer; the
 * verifier only lets a program load through pointers it knows, or via bpf_probe_read. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
int deref_scalar(void *ctx)
{
	volatile unsigned long addr = 0xffff888000000000UL;

	return *(int *)addr;
}
