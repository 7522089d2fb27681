// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The reference exec sensor. One handler fills a struct sensor_event for every exec; three
 * thin entry points feed it, one per attach method (user space loads only the one it
 * attaches). Drops and read failures are counted here, in per-CPU counters, so user space
 * never has to guess what it lost.
 */
#include "sensor_types.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sensor.h"

/* bpf_probe_read_kernel_str and bpf_perf_event_output are GPL-only helpers */
char LICENSE[] SEC("license") = "GPL";

/* Knobs set by user space between open and load; the verifier sees them as constants. */
const volatile bool use_ringbuf = true;
const volatile __u32 pid_max = 4194304;
const volatile __u64 wakeup_bytes = 0; /* ring buffer: wake the reader past this backlog */
const volatile __s32 filter_tgid = 0;  /* 0: every process */
const volatile __s64 filter_uid = -1;  /* -1: every user */
const volatile bool filter_comm_on = false;
const volatile char filter_comm[SENSOR_COMM_LEN] = {};

/*
 * Ring buffer: set by the reader (through the mmap of .bss) while it collects a storm in
 * batches on a timer; then an event wakes no one unless the backlog passes wakeup_bytes.
 */
__u32 reader_batching = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sensor_counters);
} counters SEC(".maps");

/* perf buffer transport: the event is built here, then copied out */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sensor_event);
} scratch SEC(".maps");

/* user space turns this into a BPF_MAP_TYPE_PERF_EVENT_ARRAY for the perf buffer */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

static __always_inline bool comm_matches(const char *comm)
{
	for (int i = 0; i < SENSOR_COMM_LEN; i++) {
		if (comm[i] != filter_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/*
 * The counters are per CPU and a tracepoint, raw tracepoint or kprobe program runs with
 * preemption off and is not re-entered on its CPU, so plain increments are exact (and
 * need no BPF_FETCH atomics, which kernels before 5.12 lack).
 */
static __always_inline int handle_exec(void *ctx, const char *filename, __s32 old_pid)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), uid_gid = bpf_get_current_uid_gid();
	struct sensor_counters *c;
	struct sensor_event *e;
	char comm[SENSOR_COMM_LEN];
	__u32 zero = 0;
	__u64 seq;
	long n;

	c = bpf_map_lookup_elem(&counters, &zero);
	if (!c)
		return 0;
	bpf_get_current_comm(comm, sizeof(comm));
	if ((filter_tgid && (__s32)(pid_tgid >> 32) != filter_tgid) ||
	    (filter_uid >= 0 && (__u32)uid_gid != (__u32)filter_uid) ||
	    (filter_comm_on && !comm_matches(comm))) {
		c->filtered++;
		return 0;
	}
	seq = c->seen++;

	if (use_ringbuf)
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	else
		e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e) {
		c->dropped++;
		return 0;
	}

	e->seq = seq;
	e->ts_ns = bpf_ktime_get_ns();
	e->cpu = bpf_get_smp_processor_id();
	e->pid = (__s32)pid_tgid;
	e->tgid = (__s32)(pid_tgid >> 32);
	e->old_pid = old_pid;
	e->uid = (__u32)uid_gid;
	e->gid = (__u32)(uid_gid >> 32);
	e->flags = 0;
	__builtin_memcpy(e->comm, comm, sizeof(comm));

	/*
	 * guide 5.1: the parent is real_parent's tgid; old_pid is not a parent at all.
	 * From 5.11 the task is a BTF pointer: plain loads, no probe-read helper calls.
	 */
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct task_struct *t = bpf_get_current_task_btf();

		e->ppid = t->real_parent ? t->real_parent->tgid : -1;
	} else {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task(), *parent;

		parent = NULL;
		if (bpf_core_read(&parent, sizeof(parent), &task->real_parent) || !parent ||
		    bpf_core_read(&e->ppid, sizeof(e->ppid), &parent->tgid))
			e->ppid = -1;
	}

	n = filename ? bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), filename) : -1;
	if (n <= 0) {
		e->filename[0] = '\0';
		e->filename_len = 0;
		e->flags |= SENSOR_F_FILENAME_ERR;
		c->read_errors++;
	} else {
		e->filename_len = (__u16)((n - 1) & (SENSOR_FILENAME_LEN - 1));
		if (n == SENSOR_FILENAME_LEN)
			e->flags |= SENSOR_F_FILENAME_TRUNC;
	}

	/*
	 * guide 5.1 says 0 < pid <= 4194304 (PID_MAX_LIMIT); the kernel hands out pids
	 * below kernel.pid_max, so that is the bound. A real parent's tgid is never < 0.
	 */
	if (e->pid <= 0 || (__u32)e->pid >= pid_max)
		e->flags |= SENSOR_F_BAD_PID;
	if (e->ppid < 0) {
		e->flags |= SENSOR_F_BAD_PPID;
		c->read_errors++;
	}
	if (e->flags & SENSOR_F_BAD_PID)
		c->invalid++;

	if (use_ringbuf) {
		/*
		 * Quiet host: the kernel's own rule (flags 0) wakes the reader only when it has
		 * read everything before this event, so it can sleep with no timer and still
		 * hears of the first exec at once. A storm: the reader collects batches on a
		 * timer and says so (reader_batching); no event wakes it then, unless the
		 * backlog passes wakeup_bytes, so a burst never fills the ring.
		 */
		__u64 flags = reader_batching ? BPF_RB_NO_WAKEUP : 0;

		if (wakeup_bytes && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
		bpf_ringbuf_submit(e, flags);
	} else if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, sizeof(*e))) {
		c->dropped++;
	}
	return 0;
}

SEC("tp/sched/sched_process_exec")
int edr_exec_tp(struct trace_event_raw_sched_process_exec *ctx)
{
	/* __data_loc: the low 16 bits are the string's offset in the record */
	__u32 off = ctx->__data_loc_filename & 0xFFFF;

	/* guide 5.1: a record is at most a page; anything further is not the filename */
	if (off >= 4096)
		return handle_exec(ctx, 0, ctx->old_pid);
	return handle_exec(ctx, (const char *)ctx + off, ctx->old_pid);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(edr_exec_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(ctx, BPF_CORE_READ(bprm, filename), old_pid);
}

/* after the point of no return of execve: a failed exec is never reported */
SEC("kprobe/security_bprm_committed_creds")
int BPF_KPROBE(edr_exec_kp, struct linux_binprm *bprm)
{
	/* after de_thread() the exec'ing thread already carries the leader's pid */
	return handle_exec(ctx, BPF_CORE_READ(bprm, filename), -1);
}
