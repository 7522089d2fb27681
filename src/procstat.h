/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_PROCSTAT_H
#define EDRDIAG_PROCSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A process as /proc shows it, for the agent's CPU and memory (guide 3.1, 3.2). The parsers
 * take the text of /proc/PID/stat and /proc/PID/status and never print; the readers go
 * through the sysroot like every other /proc read.
 */

/* The fields of /proc/PID/stat that stats uses (proc(5) numbers them from 1). */
struct procstat_stat {
	pid_t pid;		      /* (1) */
	char comm[64];		      /* (2) without the parentheses; may hold ')' and spaces */
	char state;		      /* (3) R, S, D, Z, ... */
	unsigned long long utime;     /* (14) user time, clock ticks, all threads */
	unsigned long long stime;     /* (15) system time, clock ticks, all threads */
	long num_threads;	      /* (20) */
	unsigned long long starttime; /* (22) clock ticks after boot: tells a reused pid apart */
};

/* Parse the text of /proc/PID/stat. 0, or -EINVAL when it is not one. */
int procstat_parse_stat(const char *text, struct procstat_stat *st);

/* The lines of /proc/PID/status that stats uses; -1 where the line is absent. */
struct procstat_status {
	char name[64];	      /* Name: */
	long long tgid;	      /* Tgid: */
	long long vm_rss_kb;  /* VmRSS: kB (absent for kernel threads) */
	long long vm_size_kb; /* VmSize: kB */
	long long vm_hwm_kb;  /* VmHWM: kB, peak RSS */
	long long threads;    /* Threads: */
};

/* Parse the text of /proc/PID/status. 0, or -EINVAL without a Name: or Tgid: line. */
int procstat_parse_status(const char *text, struct procstat_status *st);

/* Both files of one process, read back to back. */
struct procstat_sample {
	struct procstat_stat stat;
	struct procstat_status status;
};

/* Read /proc/PID/stat and status. 0, -ESRCH when the process is gone, or -errno. */
int procstat_read(pid_t pid, struct procstat_sample *s);

/*
 * The processes whose comm (/proc/PID/comm) is exactly name, ascending, leaving out skip (the
 * caller itself). Returns how many matched, or -errno when /proc cannot be listed; up to max
 * of their pids go into pids.
 */
int procstat_find_by_name(const char *name, pid_t skip, pid_t *pids, size_t max);

/* CPU use over a window, in percent of one CPU: ticks of utime+stime against the window. */
double procstat_cpu_pct(unsigned long long ticks, double window_s, long clk_tck);

#endif
