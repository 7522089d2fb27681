// expect: load
// unprivileged: fail perm.no-capability permission
// unprivileged-log: Couldn't load trivial BPF program.
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A realistic exec sensor: every exec's pid, ppid and comm into a ring buffer, the way an
 * EDR agent's sensor does it. Nothing is wrong. Run as uid 65534 it is refused (EPERM). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct exec_event {
	__u32 pid;
	__u32 ppid;
	char comm[16];
	char filename[128];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned int off = BPF_CORE_READ(ctx, __data_loc_filename) & 0xffff;
	struct exec_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + off);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
