/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_TRACEFS_H
#define EDRDIAG_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>

/* One "field:" line of an event's format file. */
struct tp_field {
	char *type; /* "pid_t", "char[16]", "char[]" (with data_loc), "const char *" */
	char *name; /* "pid", "comm", "filename" */
	int offset;
	int size;
	bool is_signed;
	bool data_loc; /* "__data_loc char[] filename": a u32 (len << 16 | offset) */
	bool common;   /* common_type, common_pid ...: the header every event has */
};

struct tp_format {
	char *name; /* "sched_process_exec" */
	long id;    /* -1 when the file has no ID line */
	struct tp_field *fields;
	size_t nr_fields;
};

/*
 * Parse the text of events/<cat>/<name>/format. Returns 0, or -EINVAL with the line
 * number and reason in err (missing "name:", a field line without offset/size/signed,
 * no fields at all). Never prints.
 */
int tp_format_parse(const char *text, struct tp_format *fmt, char *err, size_t errlen);
const struct tp_field *tp_format_field(const struct tp_format *fmt, const char *name);
void tp_format_free(struct tp_format *fmt);

/* What the sensor relies on for one field of one event. */
enum tp_kind {
	TP_SCALAR,   /* an integer of the given size and signedness */
	TP_DATA_LOC, /* __data_loc char[]: size 4 */
	TP_POINTER,  /* a user pointer: size 4 or 8 */
};

struct tp_expect {
	const char *event; /* "sched/sched_process_exec" */
	const char *field;
	enum tp_kind kind;
	int size;	/* for TP_SCALAR */
	bool is_signed; /* for TP_SCALAR */
};

/* The expectations for one event: a run of n entries in a static table, or NULL. */
const struct tp_expect *tp_expectations(const char *event, size_t *n);

/*
 * Check one field against its expectation. Returns true when it holds; otherwise
 * writes what differs into why.
 */
bool tp_expect_check(const struct tp_expect *e, const struct tp_field *f, char *why, size_t len);

/* A line of /proc/mounts; the strings point into the table's text. */
struct mount_entry {
	const char *source;
	const char *target;
	const char *fstype;
	const char *options;
};

struct mount_table {
	struct mount_entry *e;
	size_t nr;
	bool truncated; /* more than MOUNTS_MAX_ENTRIES lines: the rest ignored */
	char *text;
};

#define MOUNTS_PATH "/proc/mounts"
/* A busy Kubernetes node has ~10k mounts, ~1.5 MB; past these the table is not a host's. */
#define MOUNTS_MAX_BYTES   (8u << 20)
#define MOUNTS_MAX_ENTRIES 100000

/* Parse /proc/mounts text (octal escapes such as \040 decoded). Never fails on bad lines. */
void mounts_parse(const char *text, struct mount_table *mt);
/* Read and parse MOUNTS_PATH through sysroot.h. 0 or its error; mt is empty on error. */
int mounts_read(struct mount_table *mt);
/*
 * May a mount point read from the table become a path to look under? Absolute, plain
 * names: a bundle's "/../../../sys/kernel/tracing" or a control character is refused.
 */
bool mounts_target_valid(const char *target);
/* The first mount of fstype, or the one at target when target is not NULL. */
const struct mount_entry *mounts_find(const struct mount_table *mt, const char *fstype,
				      const char *target);
void mounts_free(struct mount_table *mt);

/* The places libbpf looks for tracefs, in its order. */
#define TRACEFS_NR_STD 2
extern const char *const tracefs_std_dirs[TRACEFS_NR_STD];

/*
 * The tracepoints the sensor relies on: check-tracepoints checks them by default, and
 * collect-report collects their files (tracefs_event_files) so that a replay sees them.
 */
#define TRACEFS_NR_SENSOR 4
extern const char *const tracefs_sensor_tracepoints[TRACEFS_NR_SENSOR];
/* The files of one event directory that are read or collected. */
#define TRACEFS_NR_EVENT_FILES 2
extern const char *const tracefs_event_files[TRACEFS_NR_EVENT_FILES];

/* Where tracefs is usable, as check-tracepoints and collect-report decide it. */
struct tracefs_location {
	char dir[4096];	    /* host path of the tracing directory, "" when none usable */
	bool standard;	    /* dir is one of tracefs_std_dirs (libbpf finds it) */
	const char *denied; /* the first standard place this user may not search, or NULL */
	int denied_err;	    /* its error: -EACCES, or what a bundle's manifest says */
};

/*
 * Find tracefs: a standard place with an events/ directory first, then any tracefs mount
 * of the table (mt may be NULL) whose mount point is a valid path (mounts_target_valid;
 * a bundle's other mount points are refused through sysroot_refuse). Reads through
 * sysroot.h only.
 */
void tracefs_locate(const struct mount_table *mt, struct tracefs_location *loc);

/* Validate "category/event": both parts [A-Za-z0-9_]+. */
bool tp_name_valid(const char *name);

/* Whether the text of available_events (NULL: none) lists "cat:ev" as one whole line. */
bool tp_available_lists(const char *available, const char *cat, const char *ev);

/* The loss counters of one CPU's trace buffer, per_cpu/cpuN/stats (guide 2.2). */
struct trace_cpu_stats {
	int cpu;
	unsigned long long entries;
	unsigned long long overrun;	   /* events overwritten before anyone read them */
	unsigned long long commit_overrun; /* events lost while the buffer wrapped in a nest */
	unsigned long long bytes;
	unsigned long long dropped_events; /* events refused: buffer full, not in overwrite mode */
	unsigned long long read_events;
};

/* Parse the text of per_cpu/cpuN/stats. 0, or -EINVAL without an "overrun:" line. */
int trace_cpu_stats_parse(const char *text, struct trace_cpu_stats *st);

/*
 * Read per_cpu/cpuN/stats of every CPU under the tracing directory dir (a host path),
 * ascending by CPU. 0 or -errno (-ENOENT: no per_cpu directory there).
 */
int trace_cpu_stats_read(const char *dir, struct trace_cpu_stats **st, size_t *n);

#endif
