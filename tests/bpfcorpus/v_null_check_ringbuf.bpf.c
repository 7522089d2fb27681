// expect: fail verifier.null-check-missing load
// log: invalid mem access 'ringbuf_mem_or_null'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: bpf_ringbuf_reserve returns NULL when the ring buffer is full; the record is
 * written without checking (the same mistake as v_null_check_missing, another pointer). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int reserve_unchecked(void *ctx)
{
	__u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	*e = bpf_get_current_pid_tgid() >> 32; /* missing: if (!e) return 0; */
	bpf_ringbuf_submit(e, 0);
	return 0;
}
