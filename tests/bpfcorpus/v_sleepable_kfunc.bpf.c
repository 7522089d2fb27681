// expect: fail verifier.sleepable-context load
// log: program must be sleepable to call sleepable kfunc bpf_copy_from_user_str
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the kfunc bpf_copy_from_user_str may sleep (page faults); it is called from a tp_btf
 * program, which runs where it cannot sleep (compare v_sleepable_context, a helper). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

extern int bpf_copy_from_user_str(void *dst, __u32 dst__sz, const void *unsafe_ptr__ign,
				  __u64 flags) __ksym;

SEC("tp_btf/sched_process_exec")
int kfunc_sleep_in_tp(void *ctx)
{
	char buf[16];

	bpf_copy_from_user_str(buf, sizeof(buf), (void *)0x1000, 0);
	return buf[0];
}
