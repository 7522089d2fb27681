// expect: fail libbpf.map-create load
// log: map 'slots': failed to create: Invalid argument(-22)
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: an array map's key is its 32-bit index; this one declares a 64-bit key, and the
 * kernel refuses to create the map (EINVAL), so libbpf stops before loading any program. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u64);
	__type(value, __u64);
} slots SEC(".maps");

SEC("tp/sched/sched_process_exec")
int wide_key(void *ctx)
{
	__u64 key = 0, *v = bpf_map_lookup_elem(&slots, &key);

	return v ? *v & 1 : 0;
}
