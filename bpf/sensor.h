/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SENSOR_H
#define EDRDIAG_SENSOR_H

/*
 * The contract between the reference sensor's BPF side and user space: fixed-size fields
 * only, so the layout is the same for the BPF target and the host compiler.
 */

#define SENSOR_COMM_LEN	    16
#define SENSOR_FILENAME_LEN 256 /* a power of two: the BPF side masks lengths with it */

/* flags on an event: what went wrong while it was filled */
#define SENSOR_F_FILENAME_ERR	(1u << 0) /* reading the filename failed */
#define SENSOR_F_FILENAME_TRUNC (1u << 1) /* the filename filled the buffer: maybe cut */
#define SENSOR_F_BAD_PID	(1u << 2) /* pid outside (0, pid_max): pid_max is exclusive */
#define SENSOR_F_BAD_PPID	(1u << 3) /* parent tgid negative or unreadable */

/* How the program was attached; also selects which program is loaded. */
enum sensor_attach {
	SENSOR_ATTACH_TRACEPOINT = 0,
	SENSOR_ATTACH_RAW_TRACEPOINT = 1,
	SENSOR_ATTACH_KPROBE = 2,
};

struct sensor_event {
	__u64 seq;   /* per-CPU sequence number of events that passed the filters */
	__u64 ts_ns; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 cpu;
	__s32 pid; /* the task that exec'd (after exec: the thread-group leader) */
	__s32 tgid;
	__s32 ppid;    /* task->real_parent->tgid: the real parent */
	__s32 old_pid; /* the pid before exec (differs only for a non-leader thread) */
	__u32 uid;
	__u32 gid;
	__u16 flags;	    /* SENSOR_F_* */
	__u16 filename_len; /* bytes in filename, without the NUL */
	char comm[SENSOR_COMM_LEN];
	char filename[SENSOR_FILENAME_LEN];
};

/* Kernel-side counters, one set per CPU (BPF_MAP_TYPE_PERCPU_ARRAY, one entry). */
struct sensor_counters {
	__u64 seen;	   /* events that passed the filters: seq numbers handed out */
	__u64 dropped;	   /* seen but not reserved/output: buffer full */
	__u64 read_errors; /* filename or parent (ppid) reads that failed */
	__u64 invalid;	   /* pid outside (0, pid_max) */
	__u64 filtered;	   /* execs the --pid/--uid/--comm filters skipped */
};

#endif
