// expect: fail verifier.unbounded-access load
// log: math between map_value pointer and register with unbounded min value is not allowed
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a signed index from a map value, checked against the upper bound only, is added
 * to the value's address: with no lower bound the pointer could go anywhere, so the
 * addition itself is refused (compare v_unbounded_access, an unsigned index). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct slots {
	int idx;
	__u64 slot[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slots);
} table SEC(".maps");

SEC("tp/sched/sched_process_exec")
int unbounded_math(void *ctx)
{
	__u32 key = 0;
	struct slots *s = bpf_map_lookup_elem(&table, &key);
	int i;

	if (!s)
		return 0;
	i = s->idx;
	if (i >= 16) /* missing: || i < 0 */
		return 0;
	s->slot[i] += 1;
	return 0;
}
