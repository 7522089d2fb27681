// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The /proc parsers and readers behind stats --agent (procstat), the per-CPU trace buffer
 * stats, and the pure helpers of bpfstats. The readers run against a sysroot built in a
 * temporary directory, as --root would show a host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpfstats.h"
#include "check.h"
#include "procstat.h"
#include "sysroot.h"
#include "tracefs.h"

/* /proc/PID/stat of a bash on Linux 6.18 */
static const char stat_bash[] =
	"4242 (bash) S 4200 4242 4242 34816 4300 4194304 2130 5821 0 3 17 9 25 11 20 0 1 0 "
	"331500 9080832 1327 18446744073709551615 94339 95387 140724 0 0 0 65536 3670020 "
	"1266777851 1 0 0 17 1 0 0 0 0 0\n";

static void parses_stat(void)
{
	struct procstat_stat st;

	CHECK_INT(procstat_parse_stat(stat_bash, &st), 0);
	CHECK_INT(st.pid, 4242);
	CHECK_STR(st.comm, "bash");
	CHECK_INT(st.state, 'S');
	CHECK_INT(st.utime, 17);
	CHECK_INT(st.stime, 9);
	CHECK_INT(st.num_threads, 1);
	CHECK_INT(st.starttime, 331500);
}

/* a comm may hold spaces and parentheses: only the last ')' ends it */
static void parses_stat_odd_comm(void)
{
	static const char text[] = "77 (a) b (c)) R 1 77 77 0 -1 4194560 5 0 0 0 123456 789 0 0 "
				   "20 0 12 0 99 1000 10 18446744073709551615\n";
	struct procstat_stat st;

	CHECK_INT(procstat_parse_stat(text, &st), 0);
	CHECK_STR(st.comm, "a) b (c)");
	CHECK_INT(st.state, 'R');
	CHECK_INT(st.utime, 123456);
	CHECK_INT(st.stime, 789);
	CHECK_INT(st.num_threads, 12);
	CHECK_INT(st.starttime, 99);
}

static void rejects_bad_stat(void)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"12 bash S 1 2 3",		      /* no parentheses */
		"12 (bash) S 1 2 3 4 5 6 7 8 9 10\n", /* cut before utime */
		"12 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 x 18 19\n",	 /* threads */
		"(bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n", /* no pid */
		"0 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n",
		"12 (bash)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n",
	};
	struct procstat_stat st;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (procstat_parse_stat(bad[i], &st) != -EINVAL) {
			printf("#   accepted: '%s'\n", bad[i]);
			CHECK(0);
		}
}

static const char status_agent[] = "Name:\tedr-agent\n"
				   "Umask:\t0022\n"
				   "State:\tS (sleeping)\n"
				   "Tgid:\t4242\n"
				   "Ngid:\t0\n"
				   "Pid:\t4242\n"
				   "PPid:\t1\n"
				   "VmPeak:\t  310000 kB\n"
				   "VmSize:\t  301234 kB\n"
				   "VmHWM:\t  220000 kB\n"
				   "VmRSS:\t  209716 kB\n"
				   "RssAnon:\t  200000 kB\n"
				   "Threads:\t9\n"
				   "SigQ:\t0/7823\n";

static void parses_status(void)
{
	struct procstat_status st;

	CHECK_INT(procstat_parse_status(status_agent, &st), 0);
	CHECK_STR(st.name, "edr-agent");
	CHECK_INT(st.tgid, 4242);
	CHECK_INT(st.vm_size_kb, 301234);
	CHECK_INT(st.vm_rss_kb, 209716);
	CHECK_INT(st.vm_hwm_kb, 220000);
	CHECK_INT(st.threads, 9);
}

/* a kernel thread has no Vm lines: -1, not 0, so that "no memory" is not "tiny" */
static void status_of_kernel_thread(void)
{
	static const char text[] = "Name:\tkworker/0:1\nState:\tI (idle)\nTgid:\t12\nPid:\t12\n"
				   "Threads:\t1\n";
	struct procstat_status st;

	CHECK_INT(procstat_parse_status(text, &st), 0);
	CHECK_STR(st.name, "kworker/0:1");
	CHECK_INT(st.vm_rss_kb, -1);
	CHECK_INT(st.vm_size_kb, -1);
	CHECK_INT(st.threads, 1);
	CHECK_INT(procstat_parse_status("State:\tS\nVmRSS:\t1 kB\n", &st), -EINVAL);
	CHECK_INT(procstat_parse_status("", &st), -EINVAL);
}

static void cpu_percent(void)
{
	/* 50 ticks of 1/100 s in 1 s: half a CPU */
	CHECK(procstat_cpu_pct(50, 1.0, 100) == 50.0);
	/* 300 ticks in 2 s: one and a half CPUs, above 100% of one */
	CHECK(procstat_cpu_pct(300, 2.0, 100) == 150.0);
	CHECK(procstat_cpu_pct(0, 1.0, 100) == 0.0);
	CHECK(procstat_cpu_pct(10, 0.0, 100) == 0.0);
	CHECK(procstat_cpu_pct(10, 1.0, 0) == 0.0);
}

static char root[64];

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/test_procstat.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	check_put(root, "proc/100/comm", "edr-agent\n");
	check_put(root, "proc/100/stat",
		  "100 (edr-agent) S 1 100 100 0 -1 0 0 0 0 0 40 2 0 0 20 0 9 0 "
		  "5000 0 0\n");
	check_put(root, "proc/100/status", status_agent);
	check_put(root, "proc/200/comm", "edr-agent\n");
	check_put(root, "proc/300/comm", "edr-agent2\n");
	check_put(root, "proc/5/comm", "edr-agent\n");
	check_put(root, "proc/self/comm", "edr-agent\n"); /* not a pid: never a match */
	check_put(root, "proc/400/comm", "edr\n");
	check_put(root, "sys/kernel/tracing/per_cpu/cpu0/stats",
		  "entries: 3\noverrun: 7\ncommit overrun: 1\nbytes: 96\n"
		  "oldest event ts:  4018.842754\nnow ts:  4020.000000\ndropped events: 2\n"
		  "read events: 11\n");
	check_put(root, "sys/kernel/tracing/per_cpu/cpu10/stats", "entries: 0\noverrun: 0\n");
	check_put(root, "sys/kernel/tracing/per_cpu/cpu2/stats", "entries: 0\noverrun: 5\n");
	check_put(root, "sys/kernel/tracing/per_cpu/cpux/stats", "overrun: 99\n"); /* not a CPU */
	check_put(root, "sys/kernel/tracing/per_cpu/cpu3/stats", "not the stats file\n");
}

static void finds_by_exact_name(void)
{
	pid_t pids[8] = { 0 };

	CHECK_INT(sysroot_set(root), 0);
	/* exact: "edr-agent2" and "edr" are other names; "self" is not a pid */
	CHECK_INT(procstat_find_by_name("edr-agent", 0, pids, 8), 3);
	CHECK_INT(pids[0], 5);
	CHECK_INT(pids[1], 100);
	CHECK_INT(pids[2], 200);
	/* the caller is left out */
	CHECK_INT(procstat_find_by_name("edr-agent", 100, pids, 8), 2);
	CHECK_INT(pids[0], 5);
	CHECK_INT(pids[1], 200);
	/* more matches than room: all are counted */
	CHECK_INT(procstat_find_by_name("edr-agent", 0, pids, 1), 3);
	CHECK_INT(procstat_find_by_name("edr", 0, pids, 8), 1);
	CHECK_INT(pids[0], 400);
	CHECK_INT(procstat_find_by_name("edr-agen", 0, pids, 8), 0);
	CHECK_INT(procstat_find_by_name("nothing", 0, pids, 8), 0);
	sysroot_set(NULL);
}

static void reads_a_process(void)
{
	struct procstat_sample s;

	CHECK_INT(sysroot_set(root), 0);
	CHECK_INT(procstat_read(100, &s), 0);
	CHECK_INT(s.stat.utime + s.stat.stime, 42);
	CHECK_INT(s.stat.num_threads, 9);
	CHECK_INT(s.status.vm_rss_kb, 209716);
	/* gone, or never was: ESRCH, which stats reports as "no process" */
	CHECK_INT(procstat_read(999, &s), -ESRCH);
	/* a comm but no stat: gone between the two reads */
	CHECK_INT(procstat_read(200, &s), -ESRCH);
	sysroot_set(NULL);
}

static void parses_trace_cpu_stats(void)
{
	struct trace_cpu_stats st;

	CHECK_INT(trace_cpu_stats_parse("entries: 3\noverrun: 7\ncommit overrun: 1\nbytes: 96\n"
					"oldest event ts:  4018.842754\nnow ts:  4020.000000\n"
					"dropped events: 2\nread events: 11\n",
					&st),
		  0);
	CHECK_INT(st.entries, 3);
	CHECK_INT(st.overrun, 7);
	CHECK_INT(st.commit_overrun, 1);
	CHECK_INT(st.bytes, 96);
	CHECK_INT(st.dropped_events, 2);
	CHECK_INT(st.read_events, 11);
	/* "commit overrun" is not "overrun" */
	CHECK_INT(trace_cpu_stats_parse("commit overrun: 4\n", &st), -EINVAL);
	CHECK_INT(trace_cpu_stats_parse("", &st), -EINVAL);
}

static void reads_trace_cpu_stats(void)
{
	struct trace_cpu_stats *st = NULL;
	size_t n = 0;

	CHECK_INT(sysroot_set(root), 0);
	CHECK_INT(trace_cpu_stats_read("/sys/kernel/tracing", &st, &n), 0);
	/* cpu0, cpu2, cpu10 in numeric order; cpux is no CPU, cpu3's file does not parse */
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(st[0].cpu, 0);
		CHECK_INT(st[0].overrun, 7);
		CHECK_INT(st[0].dropped_events, 2);
		CHECK_INT(st[1].cpu, 2);
		CHECK_INT(st[1].overrun, 5);
		CHECK_INT(st[2].cpu, 10);
	}
	free(st);
	CHECK_INT(trace_cpu_stats_read("/sys/kernel/debug/tracing", &st, &n), -ENOENT);
	CHECK_INT(n, 0);
	sysroot_set(NULL);
}

static void bpfstats_helpers(void)
{
	CHECK_INT(bpfstats_ringbuf_pending(4096, 4096 + 100), 100);
	CHECK_INT(bpfstats_ringbuf_pending(0, 0), 0);
	/* a consumer read after a newer producer position never gives a negative count */
	CHECK_INT(bpfstats_ringbuf_pending(200, 100), 0);
	CHECK(bpfstats_fill_pct(90, 100) == 90.0);
	CHECK(bpfstats_fill_pct(1, 0) < 0);
	CHECK_INT(bpfstats_prog_type_parse("tracepoint"), BPF_PROG_TYPE_TRACEPOINT);
	CHECK_INT(bpfstats_prog_type_parse("raw_tracepoint"), BPF_PROG_TYPE_RAW_TRACEPOINT);
	CHECK_INT(bpfstats_prog_type_parse("socket_filter"), BPF_PROG_TYPE_SOCKET_FILTER);
	CHECK_INT(bpfstats_prog_type_parse("unknown"), -1);
	CHECK_INT(bpfstats_prog_type_parse("unspec"), -1);
	CHECK_INT(bpfstats_prog_type_parse("Tracepoint"), -1);
	CHECK_INT(bpfstats_prog_type_parse(""), -1);
	CHECK_STR(bpfstats_link_type_name(BPF_LINK_TYPE_PERF_EVENT), "perf_event");
	CHECK_STR(bpfstats_link_type_name(BPF_LINK_TYPE_RAW_TRACEPOINT), "raw_tracepoint");
	CHECK_STR(bpfstats_link_type_name(1000), "unknown");
	CHECK(bpfstats_map_countable(BPF_MAP_TYPE_LRU_HASH));
	CHECK(bpfstats_map_countable(BPF_MAP_TYPE_PERCPU_HASH));
	CHECK(!bpfstats_map_countable(BPF_MAP_TYPE_ARRAY));
	CHECK(!bpfstats_map_countable(BPF_MAP_TYPE_RINGBUF));
	CHECK_STR(bpfstats_mode_name(BPFSTATS_ENABLE_STATS), "enable_stats");
	CHECK_STR(bpfstats_mode_name(BPFSTATS_ALREADY_ON), "already_on");
	CHECK_STR(bpfstats_mode_name(BPFSTATS_SYSCTL), "sysctl");
	CHECK_STR(bpfstats_mode_name(BPFSTATS_UNAVAILABLE), "unavailable");
}

/* a sysroot without the sysctl: stats are unavailable, and nothing is written anywhere */
static void stats_unavailable_without_sysctl(void)
{
	struct bpfstats s;

	CHECK_INT(sysroot_set(root), 0);
	bpfstats_begin(&s, true);
	CHECK_INT(s.mode, BPFSTATS_UNAVAILABLE);
	CHECK(!s.sysctl_set);
	CHECK_INT(s.sysctl_found, -1);
	CHECK_INT(bpfstats_end(&s), 0);
	/* 1 found: already on, left alone */
	check_put(root, "proc/sys/kernel/bpf_stats_enabled", "1\n");
	bpfstats_begin(&s, true);
	CHECK_INT(s.mode, BPFSTATS_ALREADY_ON);
	CHECK(!s.sysctl_set);
	CHECK_INT(bpfstats_end(&s), 0);
	/* 0 found, forced to the sysctl: set to 1, then back to 0 */
	check_put(root, "proc/sys/kernel/bpf_stats_enabled", "0\n");
	bpfstats_begin(&s, true);
	CHECK_INT(s.mode, BPFSTATS_SYSCTL);
	CHECK(s.sysctl_set);
	{
		char v[8] = "";

		CHECK_INT(sysroot_read_line("/proc/sys/kernel/bpf_stats_enabled", v, sizeof(v)), 0);
		CHECK_STR(v, "1");
		CHECK_INT(bpfstats_end(&s), 0);
		CHECK_INT(sysroot_read_line("/proc/sys/kernel/bpf_stats_enabled", v, sizeof(v)), 0);
		CHECK_STR(v, "0");
	}
	/* twice is harmless */
	CHECK_INT(bpfstats_end(&s), 0);
	sysroot_set(NULL);
}

int main(void)
{
	char cmd[96];
	int ret;

	make_root();
	RUN(parses_stat);
	RUN(parses_stat_odd_comm);
	RUN(rejects_bad_stat);
	RUN(parses_status);
	RUN(status_of_kernel_thread);
	RUN(cpu_percent);
	RUN(finds_by_exact_name);
	RUN(reads_a_process);
	RUN(parses_trace_cpu_stats);
	RUN(reads_trace_cpu_stats);
	RUN(bpfstats_helpers);
	RUN(stats_unavailable_without_sysctl);
	ret = check_finish();
	/* the fixture goes whatever the outcome: a failure prints what it needs */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		ret = 1;
	return ret;
}
