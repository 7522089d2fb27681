// expect: fail verifier.map-value-bounds load
// log: invalid access to map value, value_size=8 off=8 size=8
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the map value is 8 bytes, the program writes at offset 8 (one past its end), as
 * an off-by-one on a counter array would. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tp/sched/sched_process_exec")
int past_value(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	volatile int i = 1;

	if (!v)
		return 0;
	v[i] = 1; /* value_size is 8: v[1] is outside */
	return 0;
}
