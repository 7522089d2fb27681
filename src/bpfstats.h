/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFSTATS_H
#define EDRDIAG_BPFSTATS_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * What `stats` measures in the kernel: run-time statistics switched on for the measurement
 * window only (DESIGN.md 7), the counters of each program, what each link attaches a program
 * to, how full maps and ring buffers are, and the trace buffer's per-CPU loss counters.
 * Nothing here prints.
 */

/* How run-time statistics were on during the window. */
enum bpfstats_mode {
	BPFSTATS_OFF,	       /* not asked for yet, or released */
	BPFSTATS_ALREADY_ON,   /* kernel.bpf_stats_enabled was 1: left alone */
	BPFSTATS_ENABLE_STATS, /* bpf(BPF_ENABLE_STATS): the kernel drops it with the fd */
	BPFSTATS_SYSCTL,       /* kernel.bpf_stats_enabled set to 1, restored to 0 at the end */
	BPFSTATS_UNAVAILABLE,  /* neither worked: run_cnt and run_time_ns do not move */
};

struct bpfstats {
	enum bpfstats_mode mode;
	int fd;		  /* the BPF_ENABLE_STATS fd, or -1 */
	int sysctl_found; /* kernel.bpf_stats_enabled as found; -1 when it could not be read */
	bool sysctl_set;  /* we wrote 1 and owe the 0 back */
	char why[256];	  /* how, or why not, in words */
};

/*
 * Switch run-time stats on for a window. BPF_ENABLE_STATS first (5.8), also when the sysctl
 * is on already (its owner may switch it off mid-window); on EINVAL (an older kernel), or
 * with force_sysctl, the sysctl, left as found when it is on. Never fails: an unavailable
 * mode says why.
 */
void bpfstats_begin(struct bpfstats *s, bool force_sysctl);

/*
 * The same for as long as a process lives (export --listen): BPF_ENABLE_STATS only, which
 * the kernel drops with the process however it ends, SIGKILL included. The sysctl is never
 * written: a process killed holding it set would leave it on. Found on: already_on.
 */
void bpfstats_hold(struct bpfstats *s);

/* kernel.bpf_stats_enabled as it is now, or -1 when it cannot be read. */
int bpfstats_sysctl_read(void);

/*
 * Switch them back: close the fd, or write back the 0 found. Safe to call again. 0, or
 * -errno when the sysctl could not be restored (s->why says so).
 */
int bpfstats_end(struct bpfstats *s);

/* "already_on", "enable_stats", "sysctl", "unavailable" */
const char *bpfstats_mode_name(enum bpfstats_mode m);

/* One program's identity and counters, from bpf_obj_get_info_by_fd. */
struct bpfstats_prog {
	__u32 id;
	__u32 type;
	char name[BPF_OBJ_NAME_LEN];
	char full_name[128]; /* with BPFSTATS_FULL_NAME: from BTF func info, else name */
	char tag[2 * BPF_TAG_SIZE + 1];
	__u64 run_cnt;
	__u64 run_time_ns;
	__u64 recursion_misses;
	unsigned long long memlock; /* fdinfo; 0 unless BPFSTATS_MEMLOCK */
	__u32 *map_ids;		    /* with BPFSTATS_MAPS; free with bpfstats_prog_free */
	__u32 nr_map_ids;
};

enum {
	BPFSTATS_MEMLOCK = 1 << 0, /* read memlock from fdinfo (one more file read) */
	BPFSTATS_MAPS = 1 << 1,	   /* the ids of the maps the program uses */
	/*
	 * the full name: a kernel name of 15 characters may be cut short, the name of the
	 * program's first function in its BTF is not (what bpftool shows)
	 */
	BPFSTATS_FULL_NAME = 1 << 2,
};

/* Read program id. 0, -ENOENT when it is gone, or -errno. */
int bpfstats_prog_read(__u32 id, unsigned int flags, struct bpfstats_prog *p);
void bpfstats_prog_free(struct bpfstats_prog *p);

/* A program type by its bpftool name ("tracepoint"): the type, or -1. */
int bpfstats_prog_type_parse(const char *name);

/* One link: which program it attaches, and to what. */
struct bpfstats_link {
	__u32 id;
	__u32 prog_id;
	__u32 type;	 /* BPF_LINK_TYPE_* */
	char point[160]; /* "tracepoint:sched_process_exec", "raw_tracepoint:...", "fentry" */
};

/* Every link on the host. 0 or -errno; links that vanish meanwhile are left out. */
int bpfstats_links(struct bpfstats_link **links, size_t *n);
/* bpftool's name of a link type ("perf_event", "raw_tracepoint"). */
const char *bpfstats_link_type_name(__u32 type);

/* One map's identity and how full it is. */
struct bpfstats_map {
	__u32 id;
	__u32 type;
	char name[BPF_OBJ_NAME_LEN];
	__u32 key_size, value_size, max_entries, map_flags;
	unsigned long long memlock;
	long long entries;	       /* keys present (hash-type maps); -1 when not counted */
	bool ringbuf;		       /* a BPF ring buffer: the pending bytes below apply */
	unsigned long long rb_pending; /* bytes produced and not yet consumed */
	unsigned long long rb_size;    /* the data area, max_entries bytes */
	int rb_err;		       /* -errno when the positions could not be read */
};

/* Does this map type hold keys that can be counted (hash-type maps)? */
bool bpfstats_map_countable(__u32 type);

/*
 * Read map id: its metadata (mapdump_meta_read), entries for a countable map (counted by
 * map-dump's walker, so that stats and map-dump --count-only agree), pending bytes for a
 * ring buffer. 0, -ENOENT when gone, or -errno.
 */
int bpfstats_map_read(__u32 id, struct bpfstats_map *m);

/*
 * Pending bytes of a ring buffer from its consumer and producer positions, without consuming
 * anything. Both positions only grow; the difference is what the reader has not taken yet.
 */
static inline unsigned long long bpfstats_ringbuf_pending(unsigned long cons, unsigned long prod)
{
	return prod >= cons ? (unsigned long long)(prod - cons) : 0;
}

/* Fill in percent, or a negative number when there is no size. */
static inline double bpfstats_fill_pct(unsigned long long used, unsigned long long size)
{
	return size ? (double)used * 100.0 / (double)size : -1.0;
}

#endif
