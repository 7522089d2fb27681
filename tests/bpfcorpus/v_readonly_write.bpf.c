// expect: fail verifier.readonly-write load
// log: write into map forbidden, value_size=8 off=0 size=8
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the map was made read-only for programs (BPF_F_RDONLY_PROG: user space fills
 * it, programs read), and the program writes into its value. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, __u64);
} config SEC(".maps");

SEC("tp/sched/sched_process_exec")
int write_ro(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&config, &key);

	if (!v)
		return 0;
	*v = 1;
	return 0;
}
