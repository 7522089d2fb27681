/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SENSOR_LIB_H
#define EDRDIAG_SENSOR_LIB_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

#include "../bpf/sensor.h"

/*
 * The reference sensor's lifecycle (DESIGN.md 6): open -> knobs -> load -> attach -> poll
 * -> destroy, with one cleanup path. Nothing is pinned: when the process exits, however
 * it exits, the kernel frees the programs, maps and links with the last fd.
 */

#define SENSOR_ATTACH_AUTO (-1)
#define SENSOR_NR_METHODS  3

enum sensor_transport {
	SENSOR_TRANSPORT_AUTO,
	SENSOR_TRANSPORT_RINGBUF,
	SENSOR_TRANSPORT_PERFBUF,
};

typedef void (*sensor_event_fn)(void *ctx, const struct sensor_event *e);

struct sensor_opts {
	int attach; /* enum sensor_attach, or SENSOR_ATTACH_AUTO */
	enum sensor_transport transport;
	size_t buffer_bytes;	 /* ring buffer size, or each CPU's perf buffer; 0: default */
	__s32 filter_tgid;	 /* 0: all */
	__s64 filter_uid;	 /* -1: all */
	const char *filter_comm; /* NULL: all */
	__u32 pid_max;
	sensor_event_fn on_event;
	void *ctx;
};

/* One attach method tried: which, the errno, and what it means. */
struct sensor_attempt {
	int method;
	int err;	   /* 0 on success, else -errno */
	const char *stage; /* "load", "buffer" or "attach" */
	char reason[320];
	/* a failed attempt's cause from the catalogue (bpfcause.h, bpfexplain.h), else NULL */
	const char *cause;  /* catalogue id, or "unrecognised" */
	const char *remedy; /* the catalogue's remedy */
	char evidence[320]; /* the log line that matched, escaped; "" when none */
};

struct sensor_bpf;

struct sensor {
	struct sensor_bpf *skel;
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct bpf_link *link;
	int method;			 /* the one that worked */
	enum sensor_transport transport; /* resolved */
	size_t buffer_bytes;		 /* resolved */
	struct sensor_attempt attempts[SENSOR_NR_METHODS];
	int nr_attempts;
	char *verifier_log; /* libbpf's buffer for the verifier's log */
	char *load_log;	    /* the log of the first load that failed, or NULL */
	unsigned int ncpu;  /* possible CPUs: the per-CPU counters' width */
	__u64 perf_lost;    /* PERF_RECORD_LOST samples (perf buffer only) */
	__u64 last_data_ns; /* when sensor_poll last found events (CLOCK_MONOTONIC) */
	bool batching;	    /* ring buffer: collecting a storm on the batch timer */
	bool settling;	    /* one more timed wait after batching ends */
	/* ring buffer: its consumer and producer position pages, mapped read-only, or NULL */
	const unsigned long *rb_pos;
	size_t rb_page;
	const struct sensor_opts *opts;
};

/*
 * The reader's two ways (ring buffer). Quiet: it sleeps with no timer and the kernel wakes it
 * for each event it has not read yet. A storm (two events closer than SENSOR_BUSY_GAP_MS): it
 * tells the BPF side to stop waking it and collects what came every SENSOR_BATCH_MS, until a
 * batch is empty. A wake-up costs this VM's reader some 30-50 us, a storm's event under 1 us:
 * a batch every 40 ms (25 wake-ups a second whatever the rate) keeps the reader under 1/10 of
 * a reader woken per event from 1,000 execs/s on, and the p99 delivery latency inside the 50
 * ms a sensor may take (issue 15).
 */
#define SENSOR_BATCH_MS 40
/* The perf buffer's drain timer, on a quiet host too: it cannot sleep without one. */
#define SENSOR_PERF_POLL_MS 20
#define SENSOR_BUSY_GAP_MS  5

/* Load and attach, trying the methods in order for SENSOR_ATTACH_AUTO. 0 or -errno. */
int sensor_start(struct sensor *s, const struct sensor_opts *o);
/*
 * Wait for events and drain everything pending: events read, or -errno (-EINTR when a stop
 * signal came: the caller blocked them, sig_block_stop, and they are taken only here).
 * Ring buffer: quiet, it sleeps up to max_ms (-1: until an event or a stop signal) with no
 * timer; in a storm it waits at most SENSOR_BATCH_MS, collecting batches. Perf buffer: the kernel
 * wakes the reader every 32 events and no BPF program can ask for a wake-up of its own, so it
 * waits at most SENSOR_PERF_POLL_MS always (a timer while idle, which the ring buffer has not).
 */
int sensor_poll(struct sensor *s, int max_ms);
/*
 * Ring buffer: true when, as of this call, every record reserved so far has been read. The
 * BPF side stamps an event after reserving it, so any event still to come carries a later
 * time than every event read: those can be released in time order at once. False when
 * something is reserved or unread, and always for the perf buffer (an event is stamped
 * before its CPU's buffer takes it, so no such point exists there).
 */
bool sensor_caught_up(const struct sensor *s);
/* Detach (no new events) and drain what is still buffered. */
void sensor_stop(struct sensor *s);
/* Read the per-CPU counters (ncpu entries in percpu) and their sum. 0 or -errno. */
int sensor_counters(struct sensor *s, struct sensor_counters *percpu, struct sensor_counters *sum);
/* BPF program id of the attached program, for tests and stats. */
__u32 sensor_prog_id(struct sensor *s);
void sensor_destroy(struct sensor *s);

const char *sensor_method_name(int method);
const char *sensor_transport_name(enum sensor_transport t);
int sensor_method_parse(const char *s); /* -2 when unknown */

#endif
