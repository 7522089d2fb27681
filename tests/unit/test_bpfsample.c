// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The sampling engine of stats on synthetic snapshots: what a window between two of them
 * adds up to (reused ids, programs loaded mid-window, windows of no length), which programs
 * and maps are an agent's (through its fds and the links it holds), and who holds what.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bpfsample.h"
#include "check.h"
#include "util.h"

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1))

static const struct bpfsample_cfg cfg4 = { .ncpus = 4, .clk_tck = 100, .self = 999 };

static struct bpfstats_prog prog(__u32 id, __u64 cnt, __u64 ns)
{
	struct bpfstats_prog p;

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.type = BPF_PROG_TYPE_TRACEPOINT;
	snprintf(p.name, sizeof(p.name), "p%u", id);
	p.run_cnt = cnt;
	p.run_time_ns = ns;
	return p;
}

static struct bpfobj_holder holder(enum bpfobj_kind kind, __u32 id, pid_t pid, const char *comm)
{
	struct bpfobj_holder h = { .kind = kind, .id = id, .pid = pid };

	snprintf(h.comm, sizeof(h.comm), "%s", comm);
	return h;
}

/* CPU share, runs per second and time per run over a 2 s window on 4 CPUs */
static void window_arithmetic(void)
{
	struct bpfstats_prog pa[] = { prog(5, 1000, 50000000) };
	struct bpfstats_prog pb[] = { prog(5, 2000, 150000000) };
	struct bpfsample_snap a = { .t_ns = 1000000000, .progs = pa, .nr_progs = 1 };
	struct bpfsample_snap b = { .t_ns = 3000000000, .progs = pb, .nr_progs = 1 };
	struct bpfsample sm;

	pb[0].memlock = 4096;
	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK(NEAR(sm.window_s, 2.0));
	CHECK_INT(sm.nr_progs, 1);
	CHECK_INT(sm.progs[0].runs, 1000);
	CHECK_INT(sm.progs[0].ns, 100000000);
	CHECK(NEAR(sm.progs[0].runs_per_s, 500.0));
	CHECK(NEAR(sm.progs[0].ns_per_run, 100000.0));
	/* 0.1 s of CPU in 2 s: 5% of one CPU, 1.25% of four */
	CHECK(NEAR(sm.progs[0].cpu_core, 5.0));
	CHECK(NEAR(sm.progs[0].cpu_host, 1.25));
	CHECK(NEAR(sm.cpu_core, 5.0));
	CHECK(NEAR(sm.cpu_host, 1.25));
	CHECK_INT(sm.runs, 1000);
	CHECK_INT(sm.memlock, 4096);
	/* no link: the attach point is not known */
	CHECK(!sm.progs[0].attach_known);
	CHECK_STR(sm.progs[0].attach, "unknown");
	CHECK(!sm.has_agent);
	CHECK(sm.trace == NULL);
	bpfsample_free(&sm);
}

/* a window of no length (or a clock that went back) has no rates, rather than infinities */
static void zero_length_window(void)
{
	struct bpfstats_prog pa[] = { prog(5, 10, 100) }, pb[] = { prog(5, 20, 300) };
	struct bpfsample_snap a = { .t_ns = 5000, .progs = pa, .nr_progs = 1 };
	struct bpfsample_snap b = { .t_ns = 5000, .progs = pb, .nr_progs = 1 };
	struct bpfsample sm;

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK(sm.window_s == 0.0);
	CHECK_INT(sm.progs[0].runs, 10);
	CHECK(sm.progs[0].runs_per_s == 0.0);
	CHECK(sm.progs[0].cpu_core == 0.0);
	CHECK(NEAR(sm.progs[0].ns_per_run, 20.0));
	CHECK(sm.cpu_core == 0.0 && isfinite(sm.cpu_host));
	bpfsample_free(&sm);
	b.t_ns = 4000;
	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK(sm.window_s == 0.0);
	bpfsample_free(&sm);
}

/* a program that ran not at all: no time per run (JSON null), 0 everywhere else */
static void idle_program(void)
{
	struct bpfstats_prog pa[] = { prog(5, 7, 70) }, pb[] = { prog(5, 7, 70) };
	struct bpfsample_snap a = { .t_ns = 0, .progs = pa, .nr_progs = 1 };
	struct bpfsample_snap b = { .t_ns = 1000000000, .progs = pb, .nr_progs = 1 };
	struct bpfsample sm;

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.progs[0].runs, 0);
	CHECK(sm.progs[0].ns_per_run == 0.0 && sm.progs[0].runs_per_s == 0.0);
	CHECK(sm.progs[0].cpu_core == 0.0);
	bpfsample_free(&sm);
}

/*
 * Id 5 was unloaded and the id reused for a new program within the window: its counters
 * start again from 0, and the window counts the new program's runs, not a negative number.
 */
static void reused_id(void)
{
	struct bpfstats_prog pa[] = { prog(5, 1000000, 900000000) };
	struct bpfstats_prog pb[] = { prog(5, 40, 8000) };
	struct bpfsample_snap a = { .t_ns = 0, .progs = pa, .nr_progs = 1 };
	struct bpfsample_snap b = { .t_ns = 1000000000, .progs = pb, .nr_progs = 1 };
	struct bpfsample sm;

	pa[0].recursion_misses = 9;
	pb[0].recursion_misses = 2;
	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.nr_progs, 1);
	CHECK_INT(sm.progs[0].runs, 40);
	CHECK_INT(sm.progs[0].ns, 8000);
	CHECK_INT(sm.progs[0].misses, 2);
	CHECK(NEAR(sm.progs[0].ns_per_run, 200.0));
	CHECK_INT(sm.runs, 40);
	CHECK_INT(bpfsample_delta(10, 3), 7);
	CHECK_INT(bpfsample_delta(3, 10), 3);
	bpfsample_free(&sm);
}

/* a program loaded during the window has no start: left for the next sample, not in totals */
static void loaded_mid_window(void)
{
	struct bpfstats_prog pa[] = { prog(3, 10, 1000), prog(9, 5, 500) };
	struct bpfstats_prog pb[] = { prog(3, 20, 3000), prog(7, 100000, 99000000),
				      prog(9, 6, 600) };
	struct bpfsample_snap a = { .t_ns = 0, .progs = pa, .nr_progs = 2 };
	struct bpfsample_snap b = { .t_ns = 1000000000, .progs = pb, .nr_progs = 3 };
	struct bpfsample sm;

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.nr_progs, 2);
	CHECK_INT(sm.progs[0].p->id, 3);
	CHECK_INT(sm.progs[1].p->id, 9);
	CHECK_INT(sm.runs, 11);
	CHECK_INT(sm.ns, 2100);
	bpfsample_free(&sm);
	/* and one unloaded during the window is simply not at the end */
	bpfsample_compute(&cfg4, &b, &a, &sm);
	CHECK_INT(sm.nr_progs, 2);
	bpfsample_free(&sm);
}

/*
 * The agent (pid 100) holds program 5 only through link 30, program 6 directly, and map 40;
 * link 31 (program 8) is another process's. The agent's programs are 5 and 6; the holders
 * of program 5 are the agent (through its link) and pid 200 (its fd), never ourselves (999).
 */
static void attached_through_a_link(void)
{
	struct bpfobj_holder h[] = {
		holder(BPFOBJ_LINK, 30, 100, "agentd"), holder(BPFOBJ_PROG, 6, 100, "agentd"),
		holder(BPFOBJ_MAP, 40, 100, "agentd"),	holder(BPFOBJ_PROG, 5, 200, "loader"),
		holder(BPFOBJ_LINK, 31, 200, "loader"), holder(BPFOBJ_PROG, 5, 999, "edrdiag"),
	};
	struct bpfobj_holders agent = { .h = h, .nr = 3 }, all = { .h = h, .nr = 6 };
	struct bpfstats_link links[] = {
		{ .id = 30, .prog_id = 5, .point = "tracepoint:sched_process_exec" },
		{ .id = 31, .prog_id = 8, .point = "kprobe:do_exit" },
		{ .id = 32, .prog_id = 5, .point = "raw_tracepoint:sched_process_exec" },
	};
	struct bpfstats_prog pa[] = { prog(5, 0, 0), prog(6, 0, 0) };
	struct bpfstats_prog pb[] = { prog(5, 1, 10), prog(6, 2, 20) };
	struct bpfsample_snap a = { .t_ns = 0, .progs = pa, .nr_progs = 2 };
	struct bpfsample_snap b = { .t_ns = 1000000000,
				    .progs = pb,
				    .nr_progs = 2,
				    .links = links,
				    .nr_links = 3,
				    .holders = all };
	struct bpfsample_snap s = { .links = links, .nr_links = 3 };
	const struct bpfobj_holder *out[BPFSAMPLE_HOLDERS_MAX];
	struct bpfsample sm;

	bpfsample_agent_objects(&s, &agent);
	CHECK_INT(s.nr_agent_progs, 2);
	CHECK_INT(s.agent_progs[0], 5);
	CHECK_INT(s.agent_progs[1], 6);
	CHECK_INT(s.nr_agent_maps, 1);
	CHECK_INT(s.agent_maps[0], 40);
	free(s.agent_progs);
	free(s.agent_maps);

	CHECK_INT(bpfsample_holders_of(&cfg4, &b, BPFOBJ_PROG, 5, out, BPFSAMPLE_HOLDERS_MAX), 2);
	CHECK_INT(out[0]->pid, 100);
	CHECK_INT(out[1]->pid, 200);
	/* program 8's link is pid 200's: it holds 8 through it */
	CHECK_INT(bpfsample_holders_of(&cfg4, &b, BPFOBJ_PROG, 8, out, BPFSAMPLE_HOLDERS_MAX), 1);
	CHECK_INT(bpfsample_holders_of(&cfg4, &b, BPFOBJ_MAP, 40, out, 0), 1);
	CHECK_INT(bpfsample_holders_of(&cfg4, &b, BPFOBJ_MAP, 41, out, 1), 0);

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.nr_progs, 2);
	CHECK(sm.progs[0].attach_known);
	CHECK_STR(sm.progs[0].attach,
		  "tracepoint:sched_process_exec,raw_tracepoint:sched_process_exec");
	CHECK_INT(sm.progs[0].nr_holders, 2);
	CHECK_INT(sm.progs[1].nr_holders, 1);
	CHECK_STR(sm.progs[1].attach, "unknown");
	bpfsample_free(&sm);
}

/* an agent holding a map and no program: no programs, and its own figures all the same */
static void agent_without_programs(void)
{
	struct bpfobj_holder h[] = { holder(BPFOBJ_MAP, 40, 100, "agentd") };
	struct bpfobj_holders hs = { .h = h, .nr = 1 };
	struct bpfsample_cfg c = cfg4;
	struct bpfsample_snap a = { .t_ns = 0 }, b = { .t_ns = 2000000000 };
	struct bpfsample sm;

	c.agent_pid = 100;
	bpfsample_agent_objects(&a, &hs);
	CHECK_INT(a.nr_agent_progs, 0);
	CHECK(a.agent_progs == NULL);
	CHECK_INT(a.nr_agent_maps, 1);
	a.agent.stat.starttime = b.agent.stat.starttime = 4242;
	a.agent.stat.state = b.agent.stat.state = 'S';
	a.agent.stat.utime = 100;
	a.agent.stat.stime = 50;
	b.agent.stat.utime = 140;
	b.agent.stat.stime = 70;
	snprintf(b.agent.stat.comm, sizeof(b.agent.stat.comm), "agentd");
	b.agent.status.vm_rss_kb = 51200;
	b.agent.status.vm_size_kb = 102400;
	b.agent.status.threads = 3;
	bpfsample_compute(&c, &a, &b, &sm);
	CHECK_INT(sm.nr_progs, 0);
	CHECK(sm.cpu_core == 0.0);
	CHECK(sm.has_agent && sm.agent.running);
	CHECK_INT(sm.agent.pid, 100);
	CHECK_STR(sm.agent.comm, "agentd");
	/* 60 ticks of 1/100 s in 2 s: 30% of one CPU, 7.5% of four */
	CHECK_INT(sm.agent.ticks, 60);
	CHECK(NEAR(sm.agent.cpu_core, 30.0));
	CHECK(NEAR(sm.agent.cpu_host, 7.5));
	CHECK(NEAR(sm.agent.rss_mb, 50.0));
	CHECK_INT(sm.agent.status->threads, 3);
	bpfsample_free(&sm);
	free(a.agent_maps);
}

/* the agent gone, or replaced by another process under its pid: not measured */
static void agent_gone(void)
{
	struct bpfsample_cfg c = cfg4;
	struct bpfsample_snap a = { .t_ns = 0 }, b = { .t_ns = 1000000000 };
	struct bpfsample sm;

	c.agent_pid = 100;
	a.agent.stat.starttime = 1;
	b.agent_err = -ESRCH;
	bpfsample_compute(&c, &a, &b, &sm);
	CHECK(sm.has_agent && !sm.agent.running);
	CHECK_INT(sm.agent.err, -ESRCH);
	bpfsample_free(&sm);
	b.agent_err = 0;
	b.agent.stat.starttime = 2;
	bpfsample_compute(&c, &a, &b, &sm);
	CHECK(!sm.agent.running && sm.agent.err == -ESRCH);
	bpfsample_free(&sm);
	b.agent.stat.starttime = 1;
	b.agent.stat.state = 'Z';
	bpfsample_compute(&c, &a, &b, &sm);
	CHECK(!sm.agent.running);
	bpfsample_free(&sm);
	a.agent_err = -EACCES;
	bpfsample_compute(&c, &a, &b, &sm);
	CHECK_INT(sm.agent.err, -EACCES);
	bpfsample_free(&sm);
}

/* how full a map is: a counted hash map, a ring buffer, and neither */
static void map_fill_and_memlock(void)
{
	struct bpfstats_map maps[] = {
		{ .id = 1, .max_entries = 100, .entries = 95, .memlock = 1000 },
		{ .id = 2, .ringbuf = true, .rb_size = 16384, .rb_pending = 4096, .entries = -1 },
		{ .id = 3, .max_entries = 16, .entries = -1, .memlock = 24 },
		{ .id = 4, .ringbuf = true, .rb_size = 16384, .rb_err = -EPERM, .entries = -1 },
	};
	struct bpfsample_snap a = { .t_ns = 0 }, b = { .t_ns = 1, .maps = maps, .nr_maps = 4 };
	struct bpfsample sm;

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.nr_maps, 4);
	CHECK(sm.maps[0].fill_known && NEAR(sm.maps[0].fill, 95.0));
	CHECK(sm.maps[1].fill_known && NEAR(sm.maps[1].fill, 25.0));
	CHECK(!sm.maps[2].fill_known);
	CHECK(!sm.maps[3].fill_known);
	CHECK_INT(sm.memlock, 1024);
	bpfsample_free(&sm);
}

/* trace buffer losses of the window: per CPU, a CPU without a start counts none */
static void trace_window(void)
{
	struct trace_cpu_stats ta[] = { { .cpu = 0, .overrun = 10, .dropped_events = 1 } };
	struct trace_cpu_stats tb[] = { { .cpu = 0, .overrun = 15, .dropped_events = 1 },
					{ .cpu = 1, .overrun = 7, .dropped_events = 3 } };
	struct bpfsample_snap a = { .t_ns = 0, .trace = ta, .nr_trace = 1 };
	struct bpfsample_snap b = { .t_ns = 1, .trace = tb, .nr_trace = 2 };
	struct bpfsample sm;

	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK_INT(sm.nr_trace, 2);
	CHECK_INT(sm.trace[0].overrun, 5);
	CHECK_INT(sm.trace[0].dropped, 0);
	CHECK_INT(sm.trace[1].overrun, 0);
	CHECK_INT(sm.trace_overrun, 22);
	CHECK_INT(sm.trace_dropped, 4);
	bpfsample_free(&sm);
	b.trace_err = -ENOENT;
	bpfsample_compute(&cfg4, &a, &b, &sm);
	CHECK(sm.trace == NULL && sm.nr_trace == 0);
	bpfsample_free(&sm);
}

/* --name and --type select among the programs read */
static void selection(void)
{
	const char *names[] = { "p5", "p7" };
	int types[] = { BPF_PROG_TYPE_KPROBE };
	struct bpfsample_cfg c = cfg4;
	struct bpfstats_prog p5 = prog(5, 0, 0), p6 = prog(6, 0, 0);

	CHECK(bpfsample_selected(&c, &p5));
	c.names = names;
	c.nr_names = 2;
	CHECK(bpfsample_selected(&c, &p5));
	CHECK(!bpfsample_selected(&c, &p6));
	c.types = types;
	c.nr_types = 1;
	CHECK(!bpfsample_selected(&c, &p5));
	p5.type = BPF_PROG_TYPE_KPROBE;
	CHECK(bpfsample_selected(&c, &p5));
}

/* the forms both tables (stats, map-dump) share: sizes and holders */
static void table_forms(void)
{
	struct bpfobj_holder h[] = { holder(BPFOBJ_MAP, 1, 10, "a"), holder(BPFOBJ_MAP, 1, 11, "b"),
				     holder(BPFOBJ_MAP, 1, 12, "c\033"),
				     holder(BPFOBJ_MAP, 1, 13, "d") };
	const struct bpfobj_holder *p[] = { &h[0], &h[1], &h[2], &h[3] };
	char buf[128];

	CHECK_STR(util_human_size(buf, sizeof(buf), 0), "0B");
	CHECK_STR(util_human_size(buf, sizeof(buf), 512), "512B");
	CHECK_STR(util_human_size(buf, sizeof(buf), 1023), "1023B");
	CHECK_STR(util_human_size(buf, sizeof(buf), 1536), "1.5K");
	CHECK_STR(util_human_size(buf, sizeof(buf), 140288), "137K");
	CHECK_STR(util_human_size(buf, sizeof(buf), 3ull << 30), "3.0G");
	CHECK_STR(bpfobj_holders_text(p, 0, buf, sizeof(buf)), "-");
	CHECK_STR(bpfobj_holders_text(p, 1, buf, sizeof(buf)), "a(10)");
	CHECK_STR(bpfobj_holders_text(p, 3, buf, sizeof(buf)), "a(10), b(11), c\\x1b(12)");
	/* more than shown: counted, whether or not the caller kept them */
	CHECK_STR(bpfobj_holders_text(p, 4, buf, sizeof(buf)), "a(10), b(11), c\\x1b(12), +1 more");
	CHECK_STR(bpfobj_holders_text(p, 9, buf, sizeof(buf)), "a(10), b(11), c\\x1b(12), +6 more");
	/* a short buffer is cut, never overrun */
	CHECK_STR(bpfobj_holders_text(p, 4, buf, 8), "a(10), ");
}

int main(void)
{
	RUN(window_arithmetic);
	RUN(zero_length_window);
	RUN(idle_program);
	RUN(reused_id);
	RUN(loaded_mid_window);
	RUN(attached_through_a_link);
	RUN(agent_without_programs);
	RUN(agent_gone);
	RUN(map_fill_and_memlock);
	RUN(trace_window);
	RUN(selection);
	RUN(table_forms);
	return check_finish();
}
