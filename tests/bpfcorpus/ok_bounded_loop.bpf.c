// expect: load
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A bounded loop (kernel 5.3+) summing a map value's bytes, the index checked each turn.
 * Nothing is wrong; compare v_back_edge and v_too_complex. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct blob {
	unsigned char b[64];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct blob);
} blobs SEC(".maps");

SEC("tp/sched/sched_process_exec")
int sum_blob(void *ctx)
{
	__u32 key = 0, sum = 0;
	struct blob *v = bpf_map_lookup_elem(&blobs, &key);

	if (!v)
		return 0;
	for (int i = 0; i < 64; i++)
		sum += v->b[i];
	return sum & 1;
}
