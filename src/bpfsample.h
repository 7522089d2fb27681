/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFSAMPLE_H
#define EDRDIAG_BPFSAMPLE_H

#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "bpfobj.h"
#include "bpfstats.h"
#include "procstat.h"
#include "tracefs.h"

/*
 * The sampling engine of `stats`: a snapshot of the BPF programs (and, at the end of a
 * window, links, maps, holders, the agent's process and the trace buffers), and a sample,
 * the figures of a window between two snapshots. Taking a snapshot reads the kernel;
 * computing a sample is arithmetic on two snapshots only, so it is tested on synthetic ones.
 * Nothing here prints.
 */

/* What a sample is of: the selection, the agent, the host. */
struct bpfsample_cfg {
	const __u32 *ids; /* --id: only these programs */
	size_t nr_ids;
	const char *const *names; /* --name */
	size_t nr_names;
	const int *types; /* --type */
	size_t nr_types;
	pid_t agent_pid;     /* the agent (its programs, maps, CPU and memory), or 0 */
	pid_t self;	     /* never a holder: its own fds are only there to read */
	long ncpus;	     /* online CPUs, at least 1 */
	long clk_tck;	     /* of /proc/PID/stat's times */
	const char *tracing; /* the tracing directory, or NULL: no trace buffer stats */
	bool full_names;     /* the end of a window reads each program's full name (BTF) */
};

/* What one moment looks like; two of them make a sample. */
struct bpfsample_snap {
	__u64 t_ns;
	struct bpfstats_prog *progs; /* the programs selected, ascending by id */
	size_t nr_progs;
	struct procstat_sample agent;
	int agent_err;			 /* reading /proc/PID: -ESRCH once the agent is gone */
	__u32 *agent_progs, *agent_maps; /* what the agent holds, directly or through a link */
	size_t nr_agent_progs, nr_agent_maps;
	struct trace_cpu_stats *trace;
	size_t nr_trace;
	int trace_err;
	/* the end of a window only (and links with an agent): what needs no difference */
	struct bpfstats_link *links;
	size_t nr_links;
	struct bpfstats_map *maps;
	size_t nr_maps;
	struct bpfobj_holders holders;
};

/*
 * Read the counters of the selected programs (full: the end of a window, with everything
 * else a sample shows). 0, or -errno when BPF objects cannot be listed at all.
 */
int bpfsample_take(const struct bpfsample_cfg *c, struct bpfsample_snap *s, bool full);
void bpfsample_snap_free(struct bpfsample_snap *s);

/* Is program p one the filters of c select (by name and type; ids are chosen before)? */
bool bpfsample_selected(const struct bpfsample_cfg *c, const struct bpfstats_prog *p);

/*
 * The agent's programs and maps, from hs (its fds): a program it holds, or the program of a
 * link it holds (s->links must be read). Fills s->agent_progs and s->agent_maps, sorted.
 */
void bpfsample_agent_objects(struct bpfsample_snap *s, const struct bpfobj_holders *hs);

/*
 * The processes holding an object in s (a program also through its links), never c->self,
 * each once: returns how many, and fills up to max of them into out.
 */
size_t bpfsample_holders_of(const struct bpfsample_cfg *c, const struct bpfsample_snap *s,
			    enum bpfobj_kind kind, __u32 id, const struct bpfobj_holder **out,
			    size_t max);

#define BPFSAMPLE_HOLDERS_MAX 8 /* processes listed per object */

/* One program's figures over the window. */
struct bpfsample_prog {
	const struct bpfstats_prog *p; /* at the end */
	__u64 runs, ns, misses;	       /* deltas */
	double runs_per_s;	       /* 0 in a window of no length */
	double ns_per_run;	       /* when runs > 0 */
	double cpu_core, cpu_host;     /* percent of one CPU, of all of them */
	const struct bpfobj_holder *holders[BPFSAMPLE_HOLDERS_MAX];
	size_t nr_holders; /* all of them, listed or not */
	char attach[256];  /* the links' points, comma-separated, or "unknown" */
	bool attach_known;
};

/* One map at the end of the window. */
struct bpfsample_map {
	const struct bpfstats_map *m;
	double fill; /* percent, when fill_known */
	bool fill_known;
	const struct bpfobj_holder *holders[BPFSAMPLE_HOLDERS_MAX];
	size_t nr_holders;
};

/* The agent over the window. */
struct bpfsample_agent {
	pid_t pid;
	bool running; /* measured: the same process at both ends, not a zombie */
	int err;      /* when not running: -ESRCH (it exited) or why /proc could not be read */
	const char *comm;
	unsigned long long ticks; /* utime + stime of the window */
	double cpu_core, cpu_host;
	const struct procstat_status *status; /* at the end */
	double rss_mb;			      /* VmRSS in MB (0 when absent) */
};

/* One CPU's trace buffer over the window. */
struct bpfsample_trace {
	const struct trace_cpu_stats *end;
	unsigned long long overrun, dropped; /* in the window (0 for a CPU without a start) */
};

struct bpfsample {
	double window_s;
	struct bpfsample_prog *progs; /* the programs at both ends, ascending by id */
	size_t nr_progs;
	struct bpfsample_map *maps;
	size_t nr_maps;
	double cpu_core, cpu_host; /* all programs shown */
	__u64 runs, ns;
	unsigned long long memlock; /* programs and maps shown */
	bool has_agent;
	struct bpfsample_agent agent;
	struct bpfsample_trace *trace; /* NULL when the end has none */
	size_t nr_trace;
	unsigned long long trace_overrun, trace_dropped; /* totals at the end */
};

/*
 * The figures of the window from a to b (b taken with full). A program loaded during the
 * window has no start and is left for the next sample; a counter that went down belongs to
 * a new program under a reused id, counted from 0. sm points into b: free b after sm.
 */
void bpfsample_compute(const struct bpfsample_cfg *c, const struct bpfsample_snap *a,
		       const struct bpfsample_snap *b, struct bpfsample *sm);
void bpfsample_free(struct bpfsample *sm);

/* The growth of a counter between two readings: a reused id starts again from 0. */
static inline __u64 bpfsample_delta(__u64 end, __u64 start)
{
	return end >= start ? end - start : end;
}

#endif
