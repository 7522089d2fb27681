// expect: fail verifier.unreleased-reference load
// log: Unreleased reference id=2 alloc_insn=4
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a ring buffer record is reserved, and on one path (pid 1) neither submitted nor
 * discarded: the reservation leaks. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int leak_reserve(void *ctx)
{
	__u32 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = bpf_get_current_pid_tgid() >> 32;
	if (*e == 1)
		return 0; /* missing: bpf_ringbuf_discard(e, 0); */
	bpf_ringbuf_submit(e, 0);
	return 0;
}
