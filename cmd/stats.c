// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * stats: what the BPF programs and maps of the host (or of one agent) cost over a window
 * (guide 3.1, 3.2) and where events are being lost (guide 2.2). Run-time statistics are
 * switched on for the window only, and left exactly as they were found on every way out.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/bpfobj.h"
#include "../src/bpfsample.h"
#include "../src/bpfstats.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/output.h"
#include "../src/procstat.h"
#include "../src/sig.h"
#include "../src/text.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

#define MAX_FILTER    64   /* --id, --name, --type given at most this often each */
#define FILL_WARN_PCT 90.0 /* a hash map or ring buffer this full warns */

enum {
	OPT_INTERVAL = 0x300,
	OPT_COUNT,
	OPT_WATCH,
	OPT_ID,
	OPT_NAME,
	OPT_TYPE,
	OPT_AGENT,
	OPT_MAX_CPU,
	OPT_MAX_RSS,
};

static const struct cliopt options[] = {
	{ "interval", 0, OPT_INTERVAL, CLIOPT_REQUIRED, "SEC",
	  N_("measure over a window of SEC seconds (default 1; 0.1 to 86400, fractions such as 0.5 "
	     "allowed)") },
	{ "count", 0, OPT_COUNT, CLIOPT_REQUIRED, "N",
	  N_("take N samples, one window after another (default 1; with --json one JSON document "
	     "per sample, one a line)") },
	{ "watch", 0, OPT_WATCH, CLIOPT_NONE, NULL,
	  N_("redraw the tables after every window until Ctrl-C, like top (a usage error with "
	     "--json)") },
	{ "id", 0, OPT_ID, CLIOPT_REQUIRED, "ID", N_("only the program ID (repeatable)") },
	{ "name", 0, OPT_NAME, CLIOPT_REQUIRED, "NAME",
	  N_("only programs named NAME (repeatable)") },
	{ "type", 0, OPT_TYPE, CLIOPT_REQUIRED, "TYPE",
	  N_("only programs of TYPE as bpftool names it: tracepoint, raw_tracepoint, kprobe, "
	     "tracing, ... (repeatable)"),
	  CLIOPT_COMPLETE_WORDS,
	  "tracepoint raw_tracepoint kprobe tracing perf_event lsm socket_filter sched_cls xdp" },
	{ "agent", 0, OPT_AGENT, CLIOPT_REQUIRED, "PID|NAME",
	  N_("the agent process: check its CPU and memory, and show only its programs and maps") },
	{ "max-cpu", 0, OPT_MAX_CPU, CLIOPT_REQUIRED, "PCT",
	  /* xgettext:no-c-format */
	  N_("CPU limit, in % of one CPU (default 5, guide 3.1)") },
	{ "max-rss", 0, OPT_MAX_RSS, CLIOPT_REQUIRED, "MB",
	  N_("the agent's RSS limit in MB (default 200, guide 3.2)") },
	{ 0 },
};

static struct {
	double interval_s;
	unsigned long count;
	bool watch;
	__u32 ids[MAX_FILTER];
	size_t nr_ids;
	const char *names[MAX_FILTER];
	size_t nr_names;
	int types[MAX_FILTER];
	size_t nr_types;
	struct agent_opt agent;
	double max_cpu;
	unsigned long max_rss_mb;
	bool max_rss_set;
} opts = { .interval_s = 1.0, .max_cpu = 5.0, .max_rss_mb = 200 };

/* Room for one more --id or --name: 0, or p_err and EXIT_USAGE past MAX_FILTER. */
static int add_filter(const char *opt, size_t *nr)
{
	if (*nr < MAX_FILTER)
		return 0;
	p_err("%s given more than %d times", opt, MAX_FILTER);
	return EXIT_USAGE;
}

static int parse_opt(int key, const char *arg)
{
	unsigned long v;
	double d;
	int t;

	switch (key) {
	case OPT_INTERVAL:
		return opt_parse_seconds("--interval", arg, 0.1, 86400, &opts.interval_s);
	case OPT_COUNT:
		return opt_parse_range("--count", arg, 1, 1000000, &opts.count);
	case OPT_WATCH:
		opts.watch = true;
		return 0;
	case OPT_ID:
		if (add_filter("--id", &opts.nr_ids) ||
		    opt_parse_range("--id", arg, 1, UINT32_MAX, &v))
			return EXIT_USAGE;
		opts.ids[opts.nr_ids++] = (__u32)v;
		return 0;
	case OPT_NAME:
		if (add_filter("--name", &opts.nr_names))
			return EXIT_USAGE;
		if (!*arg || strlen(arg) >= BPF_OBJ_NAME_LEN) {
			p_err("--name '%s': expected 1 to %d characters (the kernel keeps no more "
			      "of "
			      "a program's name)",
			      arg, BPF_OBJ_NAME_LEN - 1);
			return EXIT_USAGE;
		}
		opts.names[opts.nr_names++] = arg;
		return 0;
	case OPT_TYPE:
		if (add_filter("--type", &opts.nr_types))
			return EXIT_USAGE;
		t = bpfstats_prog_type_parse(arg);
		if (t < 0) {
			p_err("--type '%s': not a program type; expected one as bpftool prints it, "
			      "such as tracepoint, raw_tracepoint, kprobe, tracing, lsm or "
			      "perf_event",
			      arg);
			return EXIT_USAGE;
		}
		opts.types[opts.nr_types++] = t;
		return 0;
	case OPT_AGENT:
		return agent_opt_parse(&opts.agent, arg);
	case OPT_MAX_CPU:
		if (opt_decimal(arg, &d) || d <= 0 || d > 100000) {
			p_err("--max-cpu '%s': expected a percentage of one CPU, greater than 0 "
			      "(such as 5 or 0.5)",
			      arg);
			return EXIT_USAGE;
		}
		opts.max_cpu = d;
		return 0;
	case OPT_MAX_RSS:
		opts.max_rss_set = true;
		return opt_parse_range("--max-rss", arg, 1, 1048576, &opts.max_rss_mb);
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	/* a redrawn screen is not a document: a script wants the samples as a stream */
	if (opts.watch && output.json) {
		p_err("--watch redraws a table on a terminal; with --json use --count N for one "
		      "JSON document per sample");
		return EXIT_USAGE;
	}
	if (opts.max_rss_set && !opts.agent.arg) {
		p_err("--max-rss is the agent's limit: give --agent PID|NAME too");
		return EXIT_USAGE;
	}
	return 0;
}

struct ctx {
	struct bpfsample_cfg cfg;
	struct bpfstats bs;
	struct tracefs_location tracefs; /* tracefs_locate()'s answer; cfg.tracing is its dir */
	unsigned long sample;
	int restore_err;
};

/* --- JSON members, from the sample --- */

static json_t *real_or_null(bool ok, double v)
{
	return ok ? json_real(v) : json_null();
}

/* the holders listed of a program or map (nr counts those not listed too) */
static json_t *holders_json(const struct bpfobj_holder *const *h, size_t nr)
{
	return bpfobj_holders_json(h, nr < BPFSAMPLE_HOLDERS_MAX ? nr : BPFSAMPLE_HOLDERS_MAX);
}

static json_t *programs_json(const struct bpfsample_snap *b, const struct bpfsample *sm)
{
	json_t *arr = json_array();
	size_t i, j;

	for (i = 0; i < sm->nr_progs; i++) {
		const struct bpfsample_prog *r = &sm->progs[i];
		const struct bpfstats_prog *p = r->p;
		json_t *att = json_array(), *maps = json_array();

		for (j = 0; j < b->nr_links; j++)
			if (b->links[j].prog_id == p->id)
				json_array_append_new(
					att, json_pack("{s:I, s:s, s:o}", "link_id",
						       (json_int_t)b->links[j].id, "type",
						       bpfstats_link_type_name(b->links[j].type),
						       "point", text_json(b->links[j].point)));
		if (!json_array_size(att)) {
			json_decref(att);
			att = json_null();
		}
		for (j = 0; j < p->nr_map_ids; j++)
			json_array_append_new(maps, json_integer(p->map_ids[j]));
		json_array_append_new(
			arr,
			json_pack(
				"{s:I, s:s, s:o, s:o, s:o, s:I, s:I, s:o, s:f, s:f, s:f, s:I, s:I, "
				"s:I, s:o, s:o, s:I, s:I}",
				"id", (json_int_t)p->id, "type", bpfobj_prog_type_name(p->type),
				"name", text_json(p->name), "tag", text_json(p->tag), "attach", att,
				"run_cnt", (json_int_t)r->runs, "run_time_ns", (json_int_t)r->ns,
				"ns_per_run", real_or_null(r->runs > 0, r->ns_per_run),
				"runs_per_s", r->runs_per_s, "cpu_pct_of_core", r->cpu_core,
				"cpu_pct_of_host", r->cpu_host, "recursion_misses",
				(json_int_t)p->recursion_misses, "recursion_misses_window",
				(json_int_t)r->misses, "memlock", (json_int_t)p->memlock, "map_ids",
				maps, "holders", holders_json(r->holders, r->nr_holders),
				"run_cnt_total", (json_int_t)p->run_cnt, "run_time_ns_total",
				(json_int_t)p->run_time_ns));
	}
	return arr;
}

static json_t *maps_json(const struct bpfsample *sm)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < sm->nr_maps; i++) {
		const struct bpfsample_map *r = &sm->maps[i];
		const struct bpfstats_map *m = r->m;
		bool pending = m->ringbuf && !m->rb_err;

		json_array_append_new(
			arr,
			json_pack("{s:I, s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
				  "id", (json_int_t)m->id, "type", bpfobj_map_type_name(m->type),
				  "name", text_json(m->name), "key_size", (json_int_t)m->key_size,
				  "value_size", (json_int_t)m->value_size, "max_entries",
				  (json_int_t)m->max_entries, "flags", (json_int_t)m->map_flags,
				  "memlock", (json_int_t)m->memlock, "entries",
				  m->entries >= 0 ? json_integer(m->entries) : json_null(),
				  "pending_bytes",
				  pending ? json_integer((json_int_t)m->rb_pending) : json_null(),
				  "fill_pct", real_or_null(r->fill_known, r->fill), "holders",
				  holders_json(r->holders, r->nr_holders)));
	}
	return arr;
}

static json_t *agent_json(const struct ctx *c, const struct bpfsample *sm,
			  const struct bpfsample_snap *b)
{
	const struct bpfsample_agent *ag = &sm->agent;
	json_t *progs, *maps;
	size_t i;

	if (!ag->running)
		return json_pack("{s:i, s:b}", "pid", (int)ag->pid, "running", false);
	progs = json_array();
	maps = json_array();
	for (i = 0; i < b->nr_agent_progs; i++)
		json_array_append_new(progs, json_integer(b->agent_progs[i]));
	for (i = 0; i < b->nr_agent_maps; i++)
		json_array_append_new(maps, json_integer(b->agent_maps[i]));
	return json_pack("{s:i, s:o, s:b, s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I, "
			 "s:o, s:o}",
			 "pid", (int)ag->pid, "comm", text_json(ag->comm), "running", true,
			 "cpu_pct_of_core", ag->cpu_core, "cpu_pct_of_host", ag->cpu_host,
			 "cpu_ticks", (json_int_t)ag->ticks, "clk_tck", (json_int_t)c->cfg.clk_tck,
			 "vm_rss_kb", (json_int_t)ag->status->vm_rss_kb, "vm_size_kb",
			 (json_int_t)ag->status->vm_size_kb, "vm_hwm_kb",
			 (json_int_t)ag->status->vm_hwm_kb, "threads",
			 (json_int_t)ag->status->threads, "bpf_memlock", (json_int_t)sm->memlock,
			 "max_cpu_pct", opts.max_cpu, "max_rss_mb", (json_int_t)opts.max_rss_mb,
			 "prog_ids", progs, "map_ids", maps);
}

static json_t *trace_json(const struct ctx *c, const struct bpfsample *sm)
{
	json_t *cpus;
	size_t i;

	if (!sm->trace)
		return json_null();
	cpus = json_array();
	for (i = 0; i < sm->nr_trace; i++) {
		const struct trace_cpu_stats *e = sm->trace[i].end;

		json_array_append_new(
			cpus, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "cpu", e->cpu,
					"entries", (json_int_t)e->entries, "overrun",
					(json_int_t)e->overrun, "commit_overrun",
					(json_int_t)e->commit_overrun, "dropped_events",
					(json_int_t)e->dropped_events, "read_events",
					(json_int_t)e->read_events, "overrun_window",
					(json_int_t)sm->trace[i].overrun, "dropped_events_window",
					(json_int_t)sm->trace[i].dropped));
	}
	return json_pack("{s:o, s:o}", "dir", text_json(c->cfg.tracing), "cpus", cpus);
}

/* --- findings --- */

/* The guide's remedies (3.1, 3.2, 2.2), as the findings give them. */
#define REMEDY_CPU                                                                          \
	N_("filter early in the BPF programs (skip kernel threads and pids of no interest " \
	   "before any other work) so fewer events reach the agent; avoid frequent "        \
	   "allocations, string copies and compares per event; the program table shows "    \
	   "which program costs most")
#define REMEDY_RSS                                                                         \
	N_("size the maps to what is needed (max_entries; an LRU hash evicts by itself), " \
	   "delete stale map entries periodically, and bound the agent's own buffers; "    \
	   "edrdiag map-dump shows what the maps hold")

static void finding_runtime(struct report *r, const struct ctx *c, bool last)
{
	const struct bpfstats *bs = &c->bs;

	if (last && c->restore_err) {
		report_add(r, "stats.runtime", ST_ERROR, "3.1",
			   "kernel.bpf_stats_enabled could not be restored",
			   "sysctl -w kernel.bpf_stats_enabled=0", "%s", bs->why);
		return;
	}
	switch (bs->mode) {
	case BPFSTATS_UNAVAILABLE:
		report_add(r, "stats.runtime", ST_WARN, "3.1",
			   "BPF run-time statistics unavailable: run counts and times are 0",
			   "run as root (CAP_SYS_ADMIN) on Linux 5.1 or later", "%s", bs->why);
		break;
	case BPFSTATS_ALREADY_ON:
		report_add(r, "stats.runtime", ST_PASS, "3.1", "BPF run-time statistics already on",
			   NULL, "%s", bs->why);
		break;
	default:
		report_add(
			r, "stats.runtime", ST_PASS, "3.1",
			bs->mode == BPFSTATS_SYSCTL
				? _("BPF run-time statistics on for the window (sysctl)")
				: _("BPF run-time statistics on for the window (BPF_ENABLE_STATS)"),
			NULL, "%s", bs->why);
	}
	/* on before we came: wanted by someone, or left behind by a run that was killed */
	if (bs->sysctl_found > 0)
		report_add(r, "stats.sysctl", ST_WARN, "3.1",
			   "kernel.bpf_stats_enabled was on before this run",
			   "if no tool of yours needs it on: sysctl -w kernel.bpf_stats_enabled=0",
			   "while it is on, every BPF program on the host pays for run-time "
			   "accounting on every run; a tool that set it and was killed (SIGKILL) "
			   "before setting it back leaves it so. edrdiag sets it only on kernels "
			   "before 5.8 and switches it back; elsewhere it holds a BPF_ENABLE_STATS "
			   "handle, which the kernel drops with the process");
}

static void finding_bpf_cpu(struct report *r, const struct ctx *c, const struct bpfsample *sm)
{
	const struct bpfsample_prog *top = NULL;
	struct finding *f;
	size_t i;

	if (c->bs.mode == BPFSTATS_UNAVAILABLE) {
		report_add(r, "bpf.cpu", ST_SKIP, "3.1", "BPF program CPU not measured", NULL,
			   "run-time statistics are unavailable (see stats.runtime)");
		return;
	}
	for (i = 0; i < sm->nr_progs; i++)
		if (!top || sm->progs[i].ns > top->ns)
			top = &sm->progs[i];
	f = report_add(r, "bpf.cpu", sm->cpu_core > opts.max_cpu ? ST_WARN : ST_PASS, "3.1", "",
		       sm->cpu_core > opts.max_cpu ? REMEDY_CPU : NULL,
		       "%zu program%s ran %llu times for %llu ns in %.2f s: %.3f%% of one CPU, "
		       "%.3f%% of the host's %ld CPUs (limit %g%% of one CPU)",
		       sm->nr_progs, sm->nr_progs == 1 ? "" : "s", (unsigned long long)sm->runs,
		       (unsigned long long)sm->ns, sm->window_s, sm->cpu_core, sm->cpu_host,
		       c->cfg.ncpus, opts.max_cpu);
	finding_set_title(f, "BPF programs used %.3f%% of one CPU (%.3f%% of the host)",
			  sm->cpu_core, sm->cpu_host);
	if (top && top->runs)
		finding_append(f, "the most: id %u (%s) %.3f%% of one CPU, %.0f ns per run",
			       top->p->id, top->p->name, top->cpu_core, top->ns_per_run);
}

static void finding_recursion(struct report *r, const struct bpfsample *sm)
{
	struct finding *f = NULL;
	size_t i;

	for (i = 0; i < sm->nr_progs; i++) {
		const struct bpfsample_prog *row = &sm->progs[i];

		if (!row->p->recursion_misses)
			continue;
		if (!f)
			f = report_add(r, "prog.recursion", ST_WARN, "2.2",
				       "BPF programs skipped runs (recursion misses): events lost",
				       "a program is skipped when another BPF program already runs "
				       "on that CPU in a context it cannot nest in; each miss is a "
				       "lost event: attach it elsewhere or avoid the nesting",
				       NULL);
		finding_append(f, "id %u (%s): %llu since load, %llu in the window", row->p->id,
			       row->p->name, (unsigned long long)row->p->recursion_misses,
			       (unsigned long long)row->misses);
	}
	if (!f)
		report_add(r, "prog.recursion", ST_PASS, "2.2", "no program missed a run", NULL,
			   "recursion_misses is 0 for the %zu program%s shown", sm->nr_progs,
			   sm->nr_progs == 1 ? "" : "s");
}

static void finding_maps(struct report *r, const struct bpfsample *sm)
{
	struct finding *f = NULL;
	size_t i, counted = 0, rings = 0;

	for (i = 0; i < sm->nr_maps; i++) {
		const struct bpfsample_map *row = &sm->maps[i];
		const struct bpfstats_map *m = row->m;

		if (m->entries < 0)
			continue;
		counted++;
		if (row->fill < FILL_WARN_PCT)
			continue;
		if (!f)
			f = report_add(
				r, "map.fill", ST_WARN, "3.2",
				"hash maps nearly full: evictions or failed updates follow",
				"raise max_entries, delete stale entries, or use an LRU hash "
				"map where losing the oldest entries is acceptable; edrdiag "
				"map-dump --id ID shows what a map holds",
				NULL);
		finding_append(f, "id %u (%s, %s): %lld of %u entries (%.1f%%)", m->id, m->name,
			       bpfobj_map_type_name(m->type), m->entries, m->max_entries,
			       row->fill);
	}
	if (!f)
		report_add(r, "map.fill", ST_PASS, "3.2",
			   /* xgettext:no-c-format */
			   "no hash map is 90% full", NULL,
			   "%zu hash-type map%s counted at the end of the window", counted,
			   counted == 1 ? "" : "s");

	f = NULL;
	for (i = 0; i < sm->nr_maps; i++) {
		const struct bpfsample_map *row = &sm->maps[i];
		const struct bpfstats_map *m = row->m;

		if (!m->ringbuf)
			continue;
		rings++;
		if (!row->fill_known || row->fill < FILL_WARN_PCT)
			continue;
		if (!f)
			f = report_add(r, "ringbuf.fill", ST_WARN, "2.2",
				       "ring buffer nearly full: reservations will fail",
				       "the reader falls behind: read more often or in batches, or "
				       "give the ring buffer more room (max_entries)",
				       NULL);
		finding_append(f, "id %u (%s): %llu of %llu bytes pending (%.1f%%)", m->id, m->name,
			       m->rb_pending, m->rb_size, row->fill);
	}
	if (!f)
		report_add(r, "ringbuf.fill", ST_PASS, "2.2",
			   /* xgettext:no-c-format */
			   "no ring buffer is 90% full", NULL,
			   "%zu ring buffer%s read at the end of the window", rings,
			   rings == 1 ? "" : "s");
}

static void finding_trace(struct report *r, const struct ctx *c, const struct bpfsample *sm)
{
	struct finding *f = NULL;
	size_t i;

	if (!c->cfg.tracing || !sm->trace) {
		report_add(r, "trace.overrun", ST_SKIP, "2.2", "trace buffer statistics not read",
			   !c->cfg.tracing ? _("mount -t tracefs nodev /sys/kernel/tracing") : NULL,
			   "%s",
			   !c->cfg.tracing ? _("tracefs not found (at /sys/kernel/tracing, "
					       "/sys/kernel/debug/tracing, or mounted elsewhere)")
					   : _("per_cpu/cpu*/stats could not be read"));
		return;
	}
	for (i = 0; i < sm->nr_trace; i++) {
		const struct bpfsample_trace *t = &sm->trace[i];

		if (!t->overrun && !t->dropped)
			continue;
		if (!f)
			f = report_add(r, "trace.overrun", ST_WARN, "2.2",
				       "the trace buffer lost events during the window",
				       "read trace_pipe faster or give each CPU a bigger buffer "
				       "(echo 8192 > /sys/kernel/tracing/buffer_size_kb); keep "
				       "bpf_printk out of production programs",
				       NULL);
		finding_append(f, "cpu %d: %llu overwritten, %llu dropped", t->end->cpu, t->overrun,
			       t->dropped);
	}
	if (!f)
		report_add(r, "trace.overrun", ST_PASS, "2.2",
			   "no trace buffer overrun or drop during the window", NULL,
			   "%s/per_cpu/cpu*/stats on %zu CPUs: overrun %llu, dropped events %llu "
			   "since the buffers were last reset",
			   c->cfg.tracing, sm->nr_trace, sm->trace_overrun, sm->trace_dropped);
}

static void finding_agent(struct report *r, const struct ctx *c, const struct bpfsample *sm)
{
	const struct bpfsample_agent *ag = &sm->agent;
	const struct procstat_status *st = ag->status;
	bool over_cpu = ag->cpu_core > opts.max_cpu,
	     over_rss = ag->rss_mb > (double)opts.max_rss_mb;
	struct finding *f;

	if (!ag->running) {
		report_add(r, "agent.cpu", ST_ERROR, "3.1", "the agent could not be measured", NULL,
			   "pid %d: %s", (int)ag->pid,
			   ag->err == -ESRCH ? _("the process exited during the window")
					     : strerror(-ag->err));
		return;
	}
	f = report_add(r, "agent.cpu", over_cpu ? ST_FAIL : ST_PASS, "3.1", "",
		       over_cpu ? REMEDY_CPU : NULL,
		       "utime+stime grew by %llu ticks (1/%ld s) in %.2f s: %.2f%% of one CPU, "
		       "%.2f%% of the host's %ld CPUs; limit %g%% of one CPU",
		       ag->ticks, c->cfg.clk_tck, sm->window_s, ag->cpu_core, ag->cpu_host,
		       c->cfg.ncpus, opts.max_cpu);
	finding_set_title(f, "agent %d (%s) used %.2f%% of one CPU (%.2f%% of the host)%s",
			  (int)ag->pid, ag->comm, ag->cpu_core, ag->cpu_host,
			  over_cpu ? _(": above the limit") : "");
	f = report_add(r, "agent.rss", over_rss ? ST_FAIL : ST_PASS, "3.2", "",
		       over_rss ? REMEDY_RSS : NULL,
		       "VmRSS %lld kB, VmSize %lld kB, VmHWM %lld kB, %lld threads; limit %lu MB "
		       "of RSS; the BPF programs and maps shown lock %llu bytes more, outside RSS",
		       st->vm_rss_kb, st->vm_size_kb, st->vm_hwm_kb, st->threads, opts.max_rss_mb,
		       sm->memlock);
	finding_set_title(f, "agent %d RSS %.1f MB (VmSize %.1f MB)%s", (int)ag->pid, ag->rss_mb,
			  (double)st->vm_size_kb / 1024.0, over_rss ? _(": above the limit") : "");
}

/* --- the plain tables, from the sample --- */

static int cmp_prog_cpu(const void *x, const void *y)
{
	const struct bpfsample_prog *a = x, *b = y;

	if (a->ns != b->ns)
		return a->ns < b->ns ? 1 : -1;
	return (a->p->id > b->p->id) - (a->p->id < b->p->id);
}

/* Programs by CPU, heaviest first (as top sorts), then the maps, then the agent. */
static void print_tables(const struct ctx *c, struct bpfsample *sm)
{
	char h1[16], hold[256], *name, *attach;
	size_t i;

	printf(_("stats: sample %lu, window %.2f s, %ld CPUs; run-time stats: %s\n"), c->sample,
	       sm->window_s, c->cfg.ncpus, bpfstats_mode_name(c->bs.mode));
	printf(_("%%CORE: share of one CPU; %%HOST: share of all %ld CPUs\n\n"), c->cfg.ncpus);
	qsort(sm->progs, sm->nr_progs, sizeof(*sm->progs), cmp_prog_cpu);
	printf("%7s %-14s %-16s %-30s %9s %10s %8s %6s %6s %6s %7s %s\n", "ID", "TYPE", "NAME",
	       "ATTACH", "RUNS", "RUNS/S", "NS/RUN", "%CORE", "%HOST", "MISSES", "MEMLOCK",
	       "HOLDERS");
	for (i = 0; i < sm->nr_progs; i++) {
		const struct bpfsample_prog *r = &sm->progs[i];
		char nsr[24];

		if (r->runs)
			snprintf(nsr, sizeof(nsr), "%.0f", r->ns_per_run);
		else
			snprintf(nsr, sizeof(nsr), "-");
		name = text_printable(r->p->name[0] ? r->p->name : "-");
		attach = text_printable(r->attach);
		printf("%7u %-14s %-16s %-30s %9llu %10.1f %8s %6.2f %6.2f %6llu %7s %s\n",
		       r->p->id, bpfobj_prog_type_name(r->p->type), name, attach,
		       (unsigned long long)r->runs, r->runs_per_s, nsr, r->cpu_core, r->cpu_host,
		       (unsigned long long)r->p->recursion_misses,
		       util_human_size(h1, sizeof(h1), r->p->memlock),
		       bpfobj_holders_text(r->holders, r->nr_holders, hold, sizeof(hold)));
		free(name);
		free(attach);
	}
	if (!sm->nr_progs)
		printf("%7s %s\n", "", _("(no program matches)"));
	/* the TYPE column by display width: a translated "total" may be CJK, two columns each */
	printf("%7s %s%*s %-16s %-30s %9llu %10s %8s %6.2f %6.2f\n\n", "", _("total"),
	       14 - i18n_width(_("total")), "", "", "", (unsigned long long)sm->runs, "", "",
	       sm->cpu_core, sm->cpu_host);

	printf("%7s %-14s %-16s %11s %9s %6s %7s %s\n", "ID", "TYPE", "NAME", "MAX_ENTRIES",
	       "IN_USE", "FILL", "MEMLOCK", "HOLDERS");
	for (i = 0; i < sm->nr_maps; i++) {
		const struct bpfsample_map *r = &sm->maps[i];
		const struct bpfstats_map *m = r->m;
		char use[24], fill[16];

		if (m->entries >= 0)
			snprintf(use, sizeof(use), "%lld", m->entries);
		else if (m->ringbuf && !m->rb_err)
			util_human_size(use, sizeof(use), m->rb_pending);
		else
			snprintf(use, sizeof(use), "-");
		if (r->fill_known)
			snprintf(fill, sizeof(fill), "%.1f%%", r->fill);
		else
			snprintf(fill, sizeof(fill), "-");
		name = text_printable(m->name[0] ? m->name : "-");
		printf("%7u %-14s %-16s %11u %9s %6s %7s %s\n", m->id,
		       bpfobj_map_type_name(m->type), name, m->max_entries, use, fill,
		       util_human_size(h1, sizeof(h1), m->memlock),
		       bpfobj_holders_text(r->holders, r->nr_holders, hold, sizeof(hold)));
		free(name);
	}
	if (!sm->nr_maps)
		printf("%7s %s\n", "", _("(no map)"));
	if (sm->has_agent && sm->agent.running) {
		const struct bpfsample_agent *ag = &sm->agent;

		/* the comm as read, not the JSON's (whose \xNN would show its backslash doubled) */
		name = text_printable(ag->comm);
		printf(_("\nagent %d (%s): CPU %.2f%% of one CPU (%.2f%% of the host), "
			 "RSS %.1f MB, VmSize %.1f MB, %lld threads\n"),
		       (int)ag->pid, name, ag->cpu_core, ag->cpu_host, ag->rss_mb,
		       (double)ag->status->vm_size_kb / 1024.0, ag->status->threads);
		free(name);
	}
	printf("\n");
}

/* Report one sample (window from a to b); returns its exit code. */
static int report_sample(struct ctx *c, const struct bpfsample_snap *a,
			 const struct bpfsample_snap *b, bool last)
{
	struct bpfsample sm;
	struct report r;
	int ret;

	report_init(&r, "stats");
	r.strict = global.strict;
	bpfsample_compute(&c->cfg, a, b, &sm);
	finding_runtime(&r, c, last);
	finding_bpf_cpu(&r, c, &sm);
	finding_recursion(&r, &sm);
	finding_maps(&r, &sm);
	finding_trace(&r, c, &sm);
	if (sm.has_agent)
		finding_agent(&r, c, &sm);

	json_object_set_new(r.extra, "sample", json_integer((json_int_t)c->sample));
	json_object_set_new(r.extra, "window_s", json_real(sm.window_s));
	json_object_set_new(r.extra, "stats_mode", json_string(bpfstats_mode_name(c->bs.mode)));
	json_object_set_new(r.extra, "host_cpus", json_integer(c->cfg.ncpus));
	json_object_set_new(r.extra, "programs", programs_json(b, &sm));
	json_object_set_new(r.extra, "programs_total",
			    json_pack("{s:I, s:I, s:f, s:f, s:I}", "run_cnt", (json_int_t)sm.runs,
				      "run_time_ns", (json_int_t)sm.ns, "cpu_pct_of_core",
				      sm.cpu_core, "cpu_pct_of_host", sm.cpu_host, "memlock",
				      (json_int_t)sm.memlock));
	json_object_set_new(r.extra, "maps", maps_json(&sm));
	json_object_set_new(r.extra, "agent", sm.has_agent ? agent_json(c, &sm, b) : json_null());
	json_object_set_new(r.extra, "trace", trace_json(c, &sm));
	if (sig_stopped() && last) {
		char sig[16];

		sig_name(sig_stopped(), sig, sizeof(sig));
		json_object_set_new(r.extra, "stopped_by", json_string(sig));
	}

	if (!output.json) {
		/* like top: redraw in place, but only on a terminal */
		if (opts.watch && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		else if (c->sample > 1)
			putchar('\n');
		print_tables(c, &sm);
	}
	output_report(&r);
	fflush(stdout);
	ret = report_exit_code(&r);
	bpfsample_free(&sm);
	report_free(&r);
	return ret;
}

/* Every --id must be a program, every --name some program's name: else bad input. */
static int check_filters(void)
{
	__u32 *ids = NULL;
	bool *seen = NULL;
	size_t n, i, j;
	int fd, ret = 0;

	for (i = 0; i < opts.nr_ids; i++) {
		fd = bpfobj_fd_by_id(BPFOBJ_PROG, opts.ids[i]);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (fd != -ENOENT) {
			char what[32];

			snprintf(what, sizeof(what), "--id '%u'", opts.ids[i]);
			return cmd_bpf_err(what, fd);
		}
		fd = bpfobj_fd_by_id(BPFOBJ_MAP, opts.ids[i]);
		if (fd >= 0)
			close(fd);
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--id '%u': no BPF program with this id%s",
			   opts.ids[i], fd >= 0 ? _(" (it is a map's: see edrdiag map-dump)") : "");
		return EXIT_USAGE;
	}
	if (!opts.nr_names)
		return 0;
	ret = bpfobj_ids(BPFOBJ_PROG, &ids, &n);
	if (ret)
		return cmd_bpf_err(N_("listing BPF programs"), ret);
	seen = util_xmalloc(opts.nr_names * sizeof(*seen));
	memset(seen, 0, opts.nr_names * sizeof(*seen));
	for (i = 0; i < n; i++) {
		struct bpfstats_prog p;

		if (bpfstats_prog_read(ids[i], 0, &p))
			continue;
		for (j = 0; j < opts.nr_names; j++)
			seen[j] |= !strcmp(p.name, opts.names[j]);
	}
	for (j = 0; j < opts.nr_names && !ret; j++) {
		if (seen[j])
			continue;
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--name '%s': no BPF program has this name",
			   opts.names[j]);
		ret = EXIT_USAGE;
	}
	free(seen);
	free(ids);
	return ret;
}

static int run(int argc, char **argv)
{
	struct bpfsample_snap a = { 0 }, b = { 0 };
	const char *force = getenv("EDRDIAG_STATS_SYSCTL");
	unsigned long samples = opts.count ? opts.count : opts.watch ? 0 : 1;
	struct ctx c = { .cfg = { .ids = opts.ids,
				  .nr_ids = opts.nr_ids,
				  .names = opts.names,
				  .nr_names = opts.nr_names,
				  .types = opts.types,
				  .nr_types = opts.nr_types,
				  .self = getpid() } };
	bool force_sysctl = force && !strcmp(force, "1"), started = false;
	int ret = EXIT_PASS, r, err;
	__u64 t_off;

	(void)argc;
	(void)argv;
	c.bs.fd = -1;
	/* several samples: one JSON document a line, each written as soon as it is made */
	if (samples != 1)
		output_doc_stream();
	cmd_sample_host(&c.cfg, &c.tracefs);

	ret = check_filters();
	if (ret)
		goto out;
	if (opts.agent.arg) {
		ret = agent_opt_resolve(&opts.agent, c.cfg.self, &c.cfg.agent_pid);
		if (ret)
			goto out;
	}

	/*
	 * The stop signals noted, and blocked except while waiting, before the stats are
	 * switched on: whenever one comes, the way out below runs and restores the sysctl.
	 */
	sig_block_stop();
	sig_catch_stop();

	bpfstats_begin(&c.bs, force_sysctl);
	started = true;
	err = bpfsample_take(&c.cfg, &a, false);
	if (err) {
		ret = cmd_bpf_err(N_("listing BPF objects"), err);
		goto out;
	}
	if (global.verbose) {
		char n[64];

		if (samples)
			snprintf(n, sizeof(n), ngettext("%lu window", "%lu windows", samples),
				 samples);
		else
			snprintf(n, sizeof(n), "%s", _("windows"));
		fprintf(stderr,
			ngettext("edrdiag: measuring %zu program over %s of %g s (run-time "
				 "stats: %s); Ctrl-C ends the window early\n",
				 "edrdiag: measuring %zu programs over %s of %g s (run-time "
				 "stats: %s); Ctrl-C ends the window early\n",
				 a.nr_progs),
			a.nr_progs, n, opts.interval_s, bpfstats_mode_name(c.bs.mode));
	}
	for (c.sample = 1;; c.sample++) {
		bool last;

		sig_wait_until(a.t_ns + (__u64)(opts.interval_s * 1e9));
		last = sig_stopped() || (samples && c.sample >= samples);
		t_off = 0;
		if (last && (c.bs.mode == BPFSTATS_ENABLE_STATS || c.bs.mode == BPFSTATS_SYSCTL)) {
			/*
			 * Stats off before the last reading: the counters stop where the window
			 * ends, so the totals reported are exactly what bpftool shows after us.
			 */
			t_off = util_now_ns();
			c.restore_err = bpfstats_end(&c.bs);
		}
		err = bpfsample_take(&c.cfg, &b, true);
		if (err) {
			ret = cmd_bpf_err(N_("listing BPF objects"), err);
			goto out;
		}
		if (t_off)
			b.t_ns = t_off;
		r = report_sample(&c, &a, &b, last);
		if (r > ret)
			ret = r;
		if (last || ferror(stdout))
			break;
		bpfsample_snap_free(&a);
		a = b;
		memset(&b, 0, sizeof(b));
	}
out:
	if (started) {
		err = bpfstats_end(&c.bs);
		if (err && !c.restore_err)
			p_err("%s", c.bs.why);
	}
	bpfsample_snap_free(&a);
	bpfsample_snap_free(&b);
	return ret;
}

const struct cmd cmd_stats = {
	.name = "stats",
	.summary = N_(
		"what BPF programs and maps cost over a window; event loss; agent CPU and memory"),
	.synopsis = "[--interval SEC] [--count N | --watch] [--id ID] [--name NAME] [--type TYPE] "
		    "[--agent PID|NAME] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_NEEDS_BPF | CMD_LIVE_ONLY,
	.args_hint = N_("give a program as --id ID or --name NAME"),
};
