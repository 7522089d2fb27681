// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * export: the sensor's health and cost in the Prometheus text format, for every program and
 * map on the host with its owner: to stdout, to a textfile for node_exporter (written
 * atomically), or served on /metrics by libmicrohttpd (--listen).
 *
 * Counters mean what Prometheus users assume. --listen holds BPF run-time statistics on for
 * its whole life (BPF_ENABLE_STATS: the kernel drops them with the process, SIGKILL
 * included), so edrdiag_bpf_prog_runs_total is the kernel's cumulative run_cnt and
 * rate() over it is the run rate. A one-shot export (stdout, --textfile) has stats on for
 * --window only: what it measured is a gauge named for the window, never a _total.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../src/bpfobj.h"
#include "../src/bpfsample.h"
#include "../src/bpfstats.h"
#include "../src/dynlib.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/output.h"
#include "../src/procstat.h"
#include "../src/promtext.h"
#include "../src/sig.h"
#include "../src/strbuf.h"
#include "../src/util.h"
#include "cmd.h"

#define TEXTFILE_NAME "edrdiag.prom" /* node_exporter reads the *.prom files of DIR */

enum {
	OPT_TEXTFILE = 1,
	OPT_LISTEN,
	OPT_WINDOW,
	OPT_AGENT,
	OPT_NO_CHECKS,
	OPT_CHECKS_EVERY,
};

static const struct cliopt options[] = {
	{ "textfile", 0, OPT_TEXTFILE, CLIOPT_REQUIRED, "DIR",
	  N_("write DIR/edrdiag.prom for node_exporter's textfile collector, atomically (a "
	     "temporary file in DIR, then rename)"),
	  CLIOPT_COMPLETE_DIR },
	{ "listen", 0, OPT_LISTEN, CLIOPT_REQUIRED, "[ADDR:]PORT",
	  N_("serve /metrics over HTTP on ADDR:PORT (ADDR 127.0.0.1 unless given; [::1]:PORT "
	     "for IPv6; port 0 picks a free one) until SIGINT or SIGTERM") },
	{ "window", 0, OPT_WINDOW, CLIOPT_REQUIRED, "SEC",
	  N_("stdout and --textfile: measure program runs over SEC seconds (default 1; 0 for "
	     "none, 0.1 to 3600)") },
	{ "agent", 0, OPT_AGENT, CLIOPT_REQUIRED, "PID|NAME",
	  N_("the agent process: export its CPU time and resident memory") },
	{ "no-checks", 0, OPT_NO_CHECKS, CLIOPT_NONE, NULL,
	  N_("leave out the checks of check-kernel and check-tracepoints") },
	{ "checks-every", 0, OPT_CHECKS_EVERY, CLIOPT_REQUIRED, "SEC",
	  N_("--listen: run the checks again after SEC seconds (default 300; 1 to 86400)") },
	{ 0 },
};

static struct {
	const char *textfile;
	const char *listen;
	double window_s;
	bool window_set;
	struct agent_opt agent;
	bool no_checks;
	double checks_every_s;
	bool checks_every_set;
} opts = { .window_s = 1.0, .checks_every_s = 300 };

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_TEXTFILE:
		if (!*arg) {
			p_err("--textfile '': expected a directory");
			return EXIT_USAGE;
		}
		opts.textfile = arg;
		return 0;
	case OPT_LISTEN:
		opts.listen = arg;
		return 0;
	case OPT_WINDOW:
		opts.window_set = true;
		if (opt_decimal(arg, &opts.window_s) ||
		    (opts.window_s != 0 && (opts.window_s < 0.1 || opts.window_s > 3600))) {
			p_err("--window '%s': expected 0 (no window) or seconds from 0.1 to 3600 "
			      "(such as 1 or 0.5)",
			      arg);
			return EXIT_USAGE;
		}
		return 0;
	case OPT_AGENT:
		return agent_opt_parse(&opts.agent, arg);
	case OPT_NO_CHECKS:
		opts.no_checks = true;
		return 0;
	case OPT_CHECKS_EVERY:
		opts.checks_every_set = true;
		return opt_parse_seconds("--checks-every", arg, 1, 86400, &opts.checks_every_s);
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	if (output.json) {
		p_err("export writes the Prometheus text format: --json does not apply");
		return EXIT_USAGE;
	}
	if (opts.textfile && opts.listen) {
		p_err("--textfile and --listen are two ways to export: give one");
		return EXIT_USAGE;
	}
	if (opts.window_set && opts.listen) {
		p_err("--window is for a one-shot export: --listen's counters need no window "
		      "(Prometheus' rate() is the window)");
		return EXIT_USAGE;
	}
	if (opts.checks_every_set && !opts.listen) {
		p_err("--checks-every is for --listen: a one-shot export runs the checks once");
		return EXIT_USAGE;
	}
	return 0;
}

struct ctx {
	struct bpfsample_cfg cfg;
	struct bpfstats bs;
	struct tracefs_location tracefs;
	pid_t agent_pid; /* the agent as last seen: pid, start time, comm */
	unsigned long long agent_start;
	char agent_comm[64];
	bool listen;
	int restore_err; /* bpfstats_end's at the end of the window */
	/* the checks, kept between scrapes with --listen */
	struct report checks[2];
	int checks_err[2];
	bool have_checks;
	__u64 checks_ns;
};

/* --- the checks --- */

static void run_checks(struct ctx *c)
{
	/* the last checks, if any: report_free of one never gathered (zeroed) does nothing */
	report_free(&c->checks[0]);
	report_free(&c->checks[1]);
	c->checks_err[0] = check_kernel_gather(&c->checks[0]);
	c->checks_err[1] = check_tracepoints_gather(&c->checks[1]);
	c->have_checks = true;
	c->checks_ns = util_now_ns();
}

static void emit_checks(struct prom *p, const struct ctx *c)
{
	static const char *const state_l[] = { "command", "id", "status", NULL };
	static const char *const count_l[] = { "command", "status", NULL };
	static const enum status states[] = { ST_PASS, ST_WARN, ST_FAIL, ST_SKIP, ST_ERROR };
	struct prom_family *fs, *fc;
	size_t i, j, k;

	fs = prom_family(p, "edrdiag_check_status", PROM_GAUGE,
			 "The status of each check of check-kernel and check-tracepoints, as a "
			 "state set: 1 for the status it has, 0 for the others.",
			 state_l);
	fc = prom_family(p, "edrdiag_checks", PROM_GAUGE,
			 "How many checks of a command have a status.", count_l);
	for (i = 0; i < 2; i++) {
		const struct report *r = &c->checks[i];

		if (c->checks_err[i] || !r->command)
			continue;
		for (j = 0; j < r->nr; j++)
			for (k = 0; k < ARRAY_SIZE(states); k++) {
				const char *v[] = { r->command, r->f[j].id, status_str(states[k]) };

				prom_sample(fs, v, r->f[j].status == states[k]);
			}
		for (k = 0; k < ARRAY_SIZE(states); k++) {
			const char *v[] = { r->command, status_str(states[k]) };

			prom_sample(fc, v, (double)report_count(r, states[k]));
		}
	}
}

/* --- BPF programs, maps, trace buffers, the agent --- */

static const char *owner(const struct bpfobj_holder *const *h, size_t nr)
{
	return nr ? h[0]->comm : "";
}

static void emit_progs(struct prom *p, const struct ctx *c, const struct bpfsample *sm, bool window)
{
	static const char *const l[] = { "id", "name", "type", "tag", "owner", NULL };
	struct prom_family *runs = NULL, *secs = NULL, *miss, *mem;
	size_t i;

	if (c->listen) {
		runs = prom_family(p, "edrdiag_bpf_prog_runs_total", PROM_COUNTER,
				   "Times the BPF program ran while run-time statistics were on "
				   "(the kernel's run_cnt); edrdiag --listen holds them on.",
				   l);
		secs = prom_family(p, "edrdiag_bpf_prog_run_seconds_total", PROM_COUNTER,
				   "CPU time the BPF program ran while run-time statistics were on "
				   "(the kernel's run_time_ns).",
				   l);
	} else if (window) {
		runs = prom_family(p, "edrdiag_bpf_prog_window_runs", PROM_GAUGE,
				   "Times the BPF program ran during the window of "
				   "edrdiag_window_seconds.",
				   l);
		secs = prom_family(p, "edrdiag_bpf_prog_window_run_seconds", PROM_GAUGE,
				   "CPU time the BPF program ran during the window of "
				   "edrdiag_window_seconds.",
				   l);
	}
	miss = prom_family(p, "edrdiag_bpf_prog_recursion_misses_total", PROM_COUNTER,
			   "Times the kernel skipped the BPF program because it was already "
			   "running on that CPU.",
			   l);
	mem = prom_family(p, "edrdiag_bpf_prog_memlock_bytes", PROM_GAUGE,
			  "Memory the BPF program holds (memlock of its fdinfo).", l);
	for (i = 0; i < sm->nr_progs; i++) {
		const struct bpfsample_prog *r = &sm->progs[i];
		const struct bpfstats_prog *bp = r->p;
		char id[16];
		const char *v[] = { id, bp->full_name[0] ? bp->full_name : bp->name,
				    bpfobj_prog_type_name(bp->type), bp->tag,
				    owner(r->holders, r->nr_holders) };

		snprintf(id, sizeof(id), "%u", bp->id);
		if (c->listen) {
			prom_sample_u64(runs, v, bp->run_cnt);
			prom_sample(secs, v, (double)bp->run_time_ns / 1e9);
		} else if (window) {
			prom_sample_u64(runs, v, r->runs);
			prom_sample(secs, v, (double)r->ns / 1e9);
		}
		prom_sample_u64(miss, v, bp->recursion_misses);
		prom_sample_u64(mem, v, bp->memlock);
	}
}

static void emit_maps(struct prom *p, const struct bpfsample *sm)
{
	static const char *const l[] = { "id", "name", "type", "owner", NULL };
	static const char *const rl[] = { "id", "name", "owner", NULL };
	struct prom_family *ent, *cap, *mem, *pend, *size;
	size_t i;

	ent = prom_family(
		p, "edrdiag_bpf_map_entries", PROM_GAUGE,
		"Keys present in a hash-type BPF map (what map-dump --count-only counts).", l);
	cap = prom_family(p, "edrdiag_bpf_map_capacity", PROM_GAUGE,
			  "The BPF map's max_entries (ring buffers: see "
			  "edrdiag_bpf_ringbuf_size_bytes).",
			  l);
	mem = prom_family(p, "edrdiag_bpf_map_memlock_bytes", PROM_GAUGE,
			  "Memory the BPF map holds (memlock of its fdinfo).", l);
	pend = prom_family(p, "edrdiag_bpf_ringbuf_pending_bytes", PROM_GAUGE,
			   "Bytes a BPF ring buffer holds that its reader has not consumed.", rl);
	size = prom_family(p, "edrdiag_bpf_ringbuf_size_bytes", PROM_GAUGE,
			   "The data area of a BPF ring buffer.", rl);
	for (i = 0; i < sm->nr_maps; i++) {
		const struct bpfsample_map *r = &sm->maps[i];
		const struct bpfstats_map *m = r->m;
		char id[16];
		const char *who = owner(r->holders, r->nr_holders);
		const char *v[] = { id, m->name, bpfobj_map_type_name(m->type), who };
		const char *rv[] = { id, m->name, who };

		snprintf(id, sizeof(id), "%u", m->id);
		if (m->entries >= 0)
			prom_sample(ent, v, (double)m->entries);
		if (m->ringbuf) {
			if (!m->rb_err)
				prom_sample_u64(pend, rv, m->rb_pending);
			prom_sample_u64(size, rv, m->rb_size);
		} else {
			prom_sample_u64(cap, v, m->max_entries);
		}
		prom_sample_u64(mem, v, m->memlock);
	}
}

static void emit_trace(struct prom *p, const struct bpfsample_snap *b)
{
	static const char *const l[] = { "cpu", NULL };
	struct prom_family *ov, *dr, *rd, *en;
	size_t i;

	ov = prom_family(p, "edrdiag_trace_buffer_overrun_total", PROM_COUNTER,
			 "Events the trace buffer overwrote before they were read "
			 "(per_cpu/cpuN/stats; guide 2.2).",
			 l);
	dr = prom_family(p, "edrdiag_trace_buffer_dropped_events_total", PROM_COUNTER,
			 "Events the trace buffer refused because it was full.", l);
	rd = prom_family(p, "edrdiag_trace_buffer_read_events_total", PROM_COUNTER,
			 "Events read from the trace buffer.", l);
	en = prom_family(p, "edrdiag_trace_buffer_entries", PROM_GAUGE,
			 "Events the trace buffer holds now.", l);
	for (i = 0; b->trace && i < b->nr_trace; i++) {
		const struct trace_cpu_stats *t = &b->trace[i];
		char cpu[16];
		const char *v[] = { cpu };

		snprintf(cpu, sizeof(cpu), "%d", t->cpu);
		prom_sample_u64(ov, v, t->overrun);
		prom_sample_u64(dr, v, t->dropped_events);
		prom_sample_u64(rd, v, t->read_events);
		prom_sample_u64(en, v, t->entries);
	}
}

/*
 * The agent now: the same process as before (pid and start time: a reused pid is another
 * process); else, given by name, the one process of that name now, an agent restarted.
 */
static bool agent_now(struct ctx *c, struct procstat_sample *s)
{
	pid_t pids[2];

	if (c->agent_pid && !procstat_read(c->agent_pid, s) &&
	    s->stat.starttime == c->agent_start && s->stat.state != 'Z' && s->stat.state != 'X')
		return true;
	if (opts.agent.pid || procstat_find_by_name(opts.agent.arg, c->cfg.self, pids, 2) != 1 ||
	    procstat_read(pids[0], s))
		return false;
	c->agent_pid = pids[0];
	c->agent_start = s->stat.starttime;
	snprintf(c->agent_comm, sizeof(c->agent_comm), "%s", s->stat.comm);
	return true;
}

static void emit_agent(struct prom *p, struct ctx *c)
{
	static const char *const l[] = { "pid", "comm", NULL };
	struct prom_family *up, *cpu, *rss;
	struct procstat_sample s;
	char pid[16];
	const char *v[] = { pid, c->agent_comm };
	bool alive;

	up = prom_family(p, "edrdiag_agent_up", PROM_GAUGE,
			 "1 when the agent process (--agent) is running, 0 when it is gone.", l);
	cpu = prom_family(p, "edrdiag_agent_cpu_seconds_total", PROM_COUNTER,
			  "CPU time of the agent process, user and system (guide 3.1: above 5% of "
			  "one CPU is too much).",
			  l);
	rss = prom_family(p, "edrdiag_agent_resident_memory_bytes", PROM_GAUGE,
			  "Resident memory of the agent process, VmRSS (guide 3.2: above 200 MB is "
			  "too much).",
			  l);
	if (!opts.agent.arg)
		return;
	alive = agent_now(c, &s);
	pid[0] = '\0'; /* an agent never seen has no pid */
	if (c->agent_pid > 0)
		snprintf(pid, sizeof(pid), "%d", (int)c->agent_pid);
	prom_sample(up, v, alive);
	if (!alive)
		return;
	prom_sample(cpu, v,
		    (double)(s.stat.utime + s.stat.stime) /
			    (double)(c->cfg.clk_tck > 0 ? c->cfg.clk_tck : 100));
	if (s.status.vm_rss_kb >= 0)
		prom_sample_u64(rss, v, (unsigned long long)s.status.vm_rss_kb * 1024);
}

/* How BPF run-time statistics were on for the counters. */
static void emit_stats_mode(struct prom *p, const struct ctx *c)
{
	static const char *const mode_l[] = { "mode", NULL };
	struct prom_family *f;
	enum bpfstats_mode m;

	f = prom_family(p, "edrdiag_bpf_stats_enabled", PROM_GAUGE,
			"1 when BPF run-time statistics were on for the program counters.", NULL);
	prom_sample(f, NULL,
		    c->bs.mode == BPFSTATS_ENABLE_STATS || c->bs.mode == BPFSTATS_SYSCTL ||
			    c->bs.mode == BPFSTATS_ALREADY_ON);
	f = prom_family(p, "edrdiag_bpf_stats_mode", PROM_GAUGE,
			"How BPF run-time statistics were on, as a state set: enable_stats "
			"(edrdiag's own handle), already_on (the sysctl, left as found), sysctl "
			"(set for the window, kernels before 5.8), unavailable.",
			mode_l);
	/* every mode but BPFSTATS_OFF, in the enum's order */
	for (m = BPFSTATS_ALREADY_ON; m <= BPFSTATS_UNAVAILABLE; m++)
		prom_sample(f, (const char *[]){ bpfstats_mode_name(m) }, c->bs.mode == m);
}

static void emit_meta(struct prom *p, const struct ctx *c, bool window, double window_s)
{
	static const char *const build_l[] = { "version", NULL };
	static const char *const kernel_l[] = { "release", "machine", NULL };
	struct prom_family *f;
	struct utsname u;
	int sysctl = bpfstats_sysctl_read();

	f = prom_family(p, "edrdiag_build_info", PROM_GAUGE,
			"The edrdiag that exported these metrics.", build_l);
	prom_sample(f, (const char *[]){ EDRDIAG_VERSION }, 1);
	if (!uname(&u)) {
		f = prom_family(p, "edrdiag_kernel_info", PROM_GAUGE,
				"The kernel of the host the metrics are of.", kernel_l);
		prom_sample(f, (const char *[]){ u.release, u.machine }, 1);
	}
	if (window) {
		f = prom_family(p, "edrdiag_window_seconds", PROM_GAUGE,
				"The length of the window the window gauges were measured over.",
				NULL);
		prom_sample(f, NULL, window_s);
	}
	/* --window 0 asks for no stats: then no counter depends on them, nothing to say */
	if (c->listen || window)
		emit_stats_mode(p, c);
	if (sysctl >= 0) {
		f = prom_family(p, "edrdiag_bpf_stats_sysctl", PROM_GAUGE,
				"kernel.bpf_stats_enabled as read; 1 with no run of edrdiag or the "
				"agent holding it may be one left behind.",
				NULL);
		prom_sample(f, NULL, sysctl);
	}
}

/* the run's time and length, declared last so that they are measured to the end */
static void emit_run(struct prom *p, __u64 t0_ns)
{
	struct prom_family *f;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	f = prom_family(p, "edrdiag_last_run_timestamp_seconds", PROM_GAUGE,
			"When the export's collection ended, in seconds since the epoch.", NULL);
	prom_sample(f, NULL, (double)now.tv_sec + (double)now.tv_nsec / 1e9);
	f = prom_family(p, "edrdiag_last_run_duration_seconds", PROM_GAUGE,
			"How long the export's collection took, its window included.", NULL);
	prom_sample(f, NULL, (double)(util_now_ns() - t0_ns) / 1e9);
}

/*
 * One collection into out. A one-shot run with a window takes the first snapshot, waits
 * (a stop signal ends the window early), switches stats off, then takes the second; the
 * caller switched stats on. 0 or an exit code.
 */
static int collect(struct ctx *c, struct strbuf *out)
{
	struct bpfsample_snap a = { 0 }, b = { 0 };
	struct bpfsample sm = { 0 };
	bool window = !c->listen && opts.window_s > 0;
	__u64 t0 = util_now_ns(), t_off = 0;
	struct prom p = { 0 };
	int err;

	if (window) {
		err = bpfsample_take(&c->cfg, &a, false);
		if (err)
			return cmd_bpf_err(N_("listing BPF objects"), err);
		sig_wait_until(a.t_ns + (__u64)(opts.window_s * 1e9));
		if (c->bs.mode == BPFSTATS_ENABLE_STATS || c->bs.mode == BPFSTATS_SYSCTL) {
			/* off before the last reading: the window ends where the counts do */
			t_off = util_now_ns();
			c->restore_err = bpfstats_end(&c->bs);
		}
	}
	err = bpfsample_take(&c->cfg, &b, true);
	if (err) {
		bpfsample_snap_free(&a);
		return cmd_bpf_err(N_("listing BPF objects"), err);
	}
	if (t_off)
		b.t_ns = t_off;
	/* no window: the end compared with itself gives holders and maps, no deltas */
	bpfsample_compute(&c->cfg, window ? &a : &b, &b, &sm);
	if (!opts.no_checks &&
	    (!c->have_checks ||
	     (c->listen && util_now_ns() - c->checks_ns >= (__u64)(opts.checks_every_s * 1e9))))
		run_checks(c);

	emit_meta(&p, c, window, sm.window_s);
	emit_progs(&p, c, &sm, window);
	emit_maps(&p, &sm);
	emit_trace(&p, &b);
	emit_agent(&p, c);
	if (!opts.no_checks)
		emit_checks(&p, c);
	emit_run(&p, t0);
	prom_write(&p, out);
	prom_free(&p);
	bpfsample_free(&sm);
	bpfsample_snap_free(&a);
	bpfsample_snap_free(&b);
	return 0;
}

/* --- where it goes --- */

/* DIR must be a directory edrdiag may write in: said before any window is waited for */
static int textfile_check(const char *dir)
{
	struct stat st;

	if (stat(dir, &st)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--textfile '%s': %s", dir, strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? EXIT_USAGE : EXIT_ENV;
	}
	if (!S_ISDIR(st.st_mode)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--textfile '%s': not a directory", dir);
		return EXIT_USAGE;
	}
	if (access(dir, W_OK | X_OK)) {
		p_err("--textfile '%s': cannot write there: %s", dir, strerror(errno));
		return EXIT_ENV;
	}
	return 0;
}

/* DIR/edrdiag.prom replaced at once: node_exporter never reads half a file */
static int textfile_write(const char *dir, const struct strbuf *b)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	ssize_t n;
	size_t off = 0;
	int fd, err = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, TEXTFILE_NAME) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, TEXTFILE_NAME) >=
		    sizeof(tmp)) {
		p_err("--textfile '%s': path too long", dir);
		return EXIT_USAGE;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		p_err("--textfile '%s': cannot create a file there: %s", dir, strerror(errno));
		return EXIT_ENV;
	}
	while (off < b->len && !err) {
		n = write(fd, b->p + off, b->len - off);
		if (n < 0 && errno != EINTR)
			err = errno;
		else if (n > 0)
			off += (size_t)n;
	}
	if (!err && (fchmod(fd, 0644) || fsync(fd)))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		unlink(tmp);
		p_err("--textfile: writing %s: %s", path, strerror(err));
		return EXIT_ENV;
	}
	return 0;
}

static int stdout_write(const struct strbuf *b)
{
	if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout)) {
		p_err("writing the metrics to stdout: %s", strerror(errno));
		return EXIT_ENV;
	}
	return 0;
}

/* --- --listen --- */

/* "[ADDR:]PORT", "[v6]:PORT": the address to bind, loopback unless one is given */
static int listen_addr(const char *arg, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
	const char *port = arg, *colon = strrchr(arg, ':');
	unsigned long v;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (colon) {
		size_t n = (size_t)(colon - arg);

		if (n >= 2 && arg[0] == '[' && arg[n - 1] == ']') {
			arg++;
			n -= 2;
		}
		if (!n || n >= sizeof(host))
			goto bad;
		memcpy(host, arg, n);
		host[n] = '\0';
		port = colon + 1;
	}
	errno = 0;
	v = strtoul(port, &end, 10);
	if (!*port || *end || *port < '0' || *port > '9' || errno || v > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)v);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)v);
		*len = sizeof(*in6);
		return 0;
	}
bad:
	p_err_code(OUTPUT_ERR_BAD_INPUT,
		   "--listen '%s': expected [ADDR:]PORT, a numeric IPv4 or [IPv6] address and a "
		   "port 0 to 65535 (such as 9475 or 127.0.0.1:9475)",
		   opts.listen);
	return EXIT_USAGE;
}

/* bound here, not by libmicrohttpd, so that a refusal names its errno */
static int listen_socket(struct sockaddr_storage *ss, socklen_t len, int *fdp)
{
	int one = 1, fd;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)ss, len) || listen(fd, 64) ||
	    getsockname(fd, (struct sockaddr *)ss, &len)) {
		int err = errno;

		p_err("--listen '%s': %s", opts.listen, strerror(err));
		if (fd >= 0)
			close(fd);
		return err == EADDRINUSE || err == EADDRNOTAVAIL ? EXIT_USAGE : EXIT_ENV;
	}
	*fdp = fd;
	return 0;
}

/*
 * libmicrohttpd is opened when --listen serves, not linked: through GnuTLS its start-up work
 * cost every other command 1.2 ms (edrdiag --version: 2.3 ms, 1.15 without).
 */
/* clang-format off */
#define MHD_FUNCS(X)                        \
	X(MHD_start_daemon)                 \
	X(MHD_stop_daemon)                  \
	X(MHD_create_response_from_buffer)  \
	X(MHD_add_response_header)          \
	X(MHD_queue_response)               \
	X(MHD_destroy_response)
/* clang-format on */

static struct {
#define X(f) __typeof__(&f) f;
	MHD_FUNCS(X)
#undef X
} mhd;

/* 0, or -ENOENT with why in err */
static int mhd_load(char *err, size_t errlen)
{
#define X(f) { #f, (void **)&mhd.f },
	static const struct dynlib_sym syms[] = { MHD_FUNCS(X) };
#undef X
	static const char *const sonames[] = { "libmicrohttpd.so.12", "libmicrohttpd.so", NULL };
	static struct dynlib lib = { sonames, "libmicrohttpd12", NULL };

	return dynlib_load(&lib, syms, ARRAY_SIZE(syms), err, errlen);
}

/* from here on, every libmicrohttpd call goes through the loaded table */
#define MHD_start_daemon		mhd.MHD_start_daemon
#define MHD_stop_daemon			mhd.MHD_stop_daemon
#define MHD_create_response_from_buffer mhd.MHD_create_response_from_buffer
#define MHD_add_response_header		mhd.MHD_add_response_header
#define MHD_queue_response		mhd.MHD_queue_response
#define MHD_destroy_response		mhd.MHD_destroy_response

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned int code, const char *type,
			      struct strbuf *body)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	/* libmicrohttpd frees the buffer with free(), as strbuf's is malloc'd */
	resp = MHD_create_response_from_buffer(body->len, body->p, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		strbuf_free(body);
		return MHD_NO;
	}
	memset(body, 0, sizeof(*body));
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, code, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* One request: the libmicrohttpd thread's, one at a time (MHD_USE_INTERNAL_POLLING_THREAD). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **state)
{
	static int headers_seen;
	struct ctx *c = cls;
	struct strbuf b = { 0 };

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	/*
	 * The first call has the headers only: answering then would close the connection
	 * (libmicrohttpd cannot know the body is over). Answered on the second, it is kept
	 * alive, as Prometheus keeps its scrape connection.
	 */
	if (!*state) {
		*state = &headers_seen;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		STRBUF_LIT(&b, "only GET /metrics\n");
		return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", &b);
	}
	if (strcmp(url, "/metrics")) {
		STRBUF_LIT(&b, "not found: the metrics are at /metrics\n");
		return answer(conn, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", &b);
	}
	if (collect(c, &b)) {
		strbuf_free(&b);
		STRBUF_LIT(&b, "edrdiag could not read the BPF objects; see its stderr\n");
		return answer(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
			      &b);
	}
	return answer(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", &b);
}

static int serve(struct ctx *c)
{
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	char host[INET6_ADDRSTRLEN], why[512];
	socklen_t len;
	int fd, ret;
	unsigned int port;

	ret = listen_addr(opts.listen, &ss, &len);
	if (ret)
		return ret;
	if (mhd_load(why, sizeof(why))) {
		p_err("--listen '%s': %s", opts.listen, why);
		return EXIT_ENV;
	}
	ret = listen_socket(&ss, len, &fd);
	if (ret)
		return ret;
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	/* the stop signals stay blocked in the server's thread: only the main one waits */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, c,
			     MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_TIMEOUT,
			     (unsigned int)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
			     MHD_OPTION_END);
	if (!d) {
		close(fd);
		p_err("--listen '%s': the HTTP server (libmicrohttpd) did not start", opts.listen);
		return EXIT_ENV;
	}
	fprintf(stderr, _("edrdiag: listening on http://%s%s%s:%u/metrics\n"),
		ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "",
		port);
	while (!sig_stopped())
		sig_wait_until(util_now_ns() + 1000000000ULL);
	MHD_stop_daemon(d);
	close(fd);
	return EXIT_PASS;
}

/*
 * The agent at start. One that is not running is what the metrics are for (an alert on
 * edrdiag_agent_up 0 from a timer's textfile): said on stderr, exported as down, and looked
 * for again on every scrape. A name several processes have is a mistake of the command line.
 */
static int agent_find(struct ctx *c)
{
	struct procstat_sample s;
	pid_t pid;
	int n;

	n = opts.agent.pid ? (procstat_read(opts.agent.pid, &s) == 0 && s.stat.state != 'Z' &&
			      s.stat.state != 'X')
			   : procstat_find_by_name(opts.agent.arg, c->cfg.self, &pid, 1);
	if (n == 0) {
		fprintf(stderr,
			_("edrdiag: --agent '%s': not running: exported as edrdiag_agent_up 0\n"),
			opts.agent.arg);
		c->agent_pid = opts.agent.pid;
		if (!opts.agent.pid)
			snprintf(c->agent_comm, sizeof(c->agent_comm), "%s", opts.agent.arg);
		return 0;
	}
	n = agent_opt_resolve(&opts.agent, c->cfg.self, &c->agent_pid);
	if (n)
		return n;
	if (!procstat_read(c->agent_pid, &s)) {
		c->agent_start = s.stat.starttime;
		snprintf(c->agent_comm, sizeof(c->agent_comm), "%s", s.stat.comm);
	}
	return 0;
}

static int run(int argc, char **argv)
{
	struct ctx c = { .cfg = { .self = getpid(), .full_names = true } };
	struct strbuf b = { 0 };
	int ret;

	(void)argc;
	(void)argv;
	c.bs.fd = -1;
	c.listen = opts.listen != NULL;
	cmd_sample_host(&c.cfg, &c.tracefs);
	if (opts.textfile) {
		ret = textfile_check(opts.textfile);
		if (ret)
			return ret;
	}
	if (opts.agent.arg) {
		ret = agent_find(&c);
		if (ret)
			return ret;
	}
	/* stop signals blocked before stats are on: the way out below always switches them off */
	sig_block_stop();
	sig_catch_stop();
	sig_ignore_pipe();
	if (c.listen) {
		bpfstats_hold(&c.bs);
		if (!opts.no_checks)
			run_checks(&c);
		ret = serve(&c);
	} else {
		if (opts.window_s > 0)
			bpfstats_begin(&c.bs, false);
		ret = collect(&c, &b);
		if (!ret)
			ret = opts.textfile ? textfile_write(opts.textfile, &b) : stdout_write(&b);
	}
	/* a sysctl that could not be set back is said, and fails the run as in stats */
	if (bpfstats_end(&c.bs) || c.restore_err) {
		p_err("%s", c.bs.why);
		if (!ret)
			ret = EXIT_ENV;
	}
	report_free(&c.checks[0]);
	report_free(&c.checks[1]);
	strbuf_free(&b);
	return ret;
}

const struct cmd cmd_export = {
	.name = "export",
	.summary = N_("the sensor's cost, drops and checks in the Prometheus text format: stdout, "
		      "a node_exporter textfile or an HTTP /metrics endpoint"),
	.synopsis = "[--textfile DIR | --listen [ADDR:]PORT] [--window SEC] [--agent PID|NAME] "
		    "[--no-checks] [--checks-every SEC] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_NEEDS_BPF | CMD_LIVE_ONLY,
	.args_hint = N_("export takes no argument: the metrics are of every BPF program on the "
			"host"),
};
