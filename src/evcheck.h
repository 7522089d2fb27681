/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_EVCHECK_H
#define EDRDIAG_EVCHECK_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "../bpf/sensor.h"

/*
 * What user space checks of the events it receives (guide 5.1, 5.2): value ranges, per-CPU
 * sequence numbers and timestamps, arrival order. Pure code: fed events, never reads the
 * kernel, so it is unit-tested with made-up streams.
 */

struct evcheck_cpu {
	bool any;
	__u64 next_seq; /* the sequence number expected next on this CPU */
	__u64 last_ts;
	__u64 received;
	__u64 gaps; /* sequence numbers skipped: events the kernel dropped */
};

struct evcheck {
	unsigned int ncpu;
	struct evcheck_cpu *cpu;
	__u32 pid_max;
	__u64 received;
	__u64 gaps;
	__u64 seq_backwards; /* a sequence number lower than one already seen: duplicate */
	__u64 ts_backwards;  /* per-CPU timestamp went back: must never happen */
	__u64 out_of_order;  /* arrived with a timestamp older than an earlier arrival */
	__u64 bad_cpu;	     /* cpu id outside the possible CPUs */
	__u64 bad_pid;	     /* pid outside (0, pid_max): pid_max is exclusive */
	__u64 bad_ppid;	     /* ppid < 0 */
	__u64 empty_filename;
	__u64 truncated;
	__u64 max_ts;
};

int evcheck_init(struct evcheck *v, unsigned int ncpu, __u32 pid_max);
void evcheck_free(struct evcheck *v);
/* Account for one received event; returns false when it is invalid (range checks). */
bool evcheck_event(struct evcheck *v, const struct sensor_event *e);
/* The number of validation problems found so far (ranges, order within a CPU). */
__u64 evcheck_problems(const struct evcheck *v);

/*
 * Reconcile what arrived with the kernel's per-CPU counters, read after the program was
 * detached and the buffer drained: for every CPU, seen = delivered + dropped, and the
 * sequence numbers that never arrived (gaps, and the tail after the last arrival) are
 * exactly the dropped ones.
 */
struct evcheck_recon {
	__u64 seen, delivered, dropped, missing;
	__u64 bad_cpus; /* CPUs where the identities do not hold */
	bool holds;
};

void evcheck_reconcile(const struct evcheck *v, const struct sensor_counters *percpu,
		       unsigned int ncpu, struct evcheck_recon *out);

/*
 * Reorder buffer (guide 5.2): holds events for a window and releases them in timestamp
 * order. Per-CPU perf buffers, and to a lesser degree the shared ring buffer, deliver
 * events from different CPUs out of order.
 */
/* a heap entry: the sort key and where the event waits; swapping moves 24 bytes, not 320 */
struct reorder_key {
	__u64 ts_ns;
	__u64 seq;
	__u32 cpu;
	__u32 slot;
};

struct reorder {
	struct reorder_key *heap;
	struct sensor_event *slots; /* events by slot; a free slot's index is on free_slots */
	__u32 *free_slots;
	size_t nr, cap, nfree;
	__u64 window_ns;   /* 0: pass through */
	__u64 last_out_ts; /* timestamp of the last event released */
	__u64 late;	   /* released after a younger event already was: window too short */
};

void reorder_init(struct reorder *r, __u64 window_ns);
void reorder_free(struct reorder *r);
void reorder_push(struct reorder *r, const struct sensor_event *e);
/*
 * Release the oldest event if its timestamp is older than now_ns - window (or any event
 * when flush); returns true and fills out, false when nothing is due.
 */
bool reorder_pop(struct reorder *r, __u64 now_ns, bool flush, struct sensor_event *out);
/* When the next held event is due (CLOCK_MONOTONIC ns): false when none is held. */
bool reorder_next(const struct reorder *r, __u64 *due_ns);

/* Latency percentiles (p in [0, 100]) of n values; sorts the array in place. */
__u64 percentile_u64(__u64 *v, size_t n, double p);

#endif
