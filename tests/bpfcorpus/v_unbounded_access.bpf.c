// expect: fail verifier.unbounded-access load
// log: R0 unbounded memory access, make sure to bounds check any such access
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: an index read from a map value (any 32-bit number) indexes another map value
 * without a bounds check, so the verifier cannot prove the access stays inside. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct slots {
	__u32 idx;
	__u64 slot[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slots);
} table SEC(".maps");

SEC("tp/sched/sched_process_exec")
int unchecked_index(void *ctx)
{
	__u32 key = 0;
	struct slots *s = bpf_map_lookup_elem(&table, &key);

	if (!s)
		return 0;
	s->slot[s->idx] += 1; /* missing: if (s->idx >= 16) return 0; */
	return 0;
}
