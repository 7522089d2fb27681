// expect: fail verifier.null-check-missing load
// log: R0 invalid mem access 'map_value_or_null'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the value bpf_map_lookup_elem returns is dereferenced without the NULL check
 * (the key may be absent), so R0 is still map_value_or_null at the load. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("tp/sched/sched_process_exec")
int no_null_check(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *v = bpf_map_lookup_elem(&seen, &pid);

	return *v; /* missing: if (!v) return 0; */
}
