// expect: load
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* raw_tp on sched_process_exec reading the task's tgid and its parent's through CO-RE,
 * counted per CPU. Nothing is wrong; compare l_core_relo, whose field the kernel lacks. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} execs SEC(".maps");

SEC("raw_tp/sched_process_exec")
int BPF_PROG(raw_exec, struct task_struct *p)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&execs, &key);

	if (n && BPF_CORE_READ(p, tgid) != BPF_CORE_READ(p, real_parent, tgid))
		*n += 1;
	return 0;
}
