// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * collect-report: guide section 8 as one command. Collects what support needs into one
 * bounded, replayable tar.gz (the files the checks read, stored under their own paths, so
 * `check-kernel --root <unpacked bundle>` replays), with a manifest and the 8.2 template
 * filled in. Reads only; never collects environments, command lines, keys or agent configs.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../src/btfsubset.h"
#include "../src/corerelo.h"
#include "../src/bundle.h"
#include "../src/caps.h"
#include "../src/distro.h"
#include "../src/hostinfo.h"
#include "../src/i18n.h"
#include "../src/osrelease.h"
#include "../src/output.h"
#include "../src/procstat.h"
#include "../src/redact.h"
#include "../src/report_md.h"
#include "../src/sig.h"
#include "../src/sysroot.h"
#include "../src/target.h"
#include "../src/text.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

#define DEFAULT_TIMEOUT	 5
#define DEFAULT_MAX_ITEM (16UL << 20)
#define DEFAULT_DEADLINE 60
/* the agent's CPU over a window (guide 3.1): a few seconds mean something at 1% of a core */
#define DEFAULT_AGENT_WINDOW 3

/* --object FILE: at most this many; each is checked with check-object and stored */
#define MAX_OBJECTS 4

struct object_arg {
	const char *arg; /* as given */
	char *real;	 /* its absolute path, resolved at option time */
	char name[80];	 /* its base name made a safe bundle path component */
};

static struct object_arg objects[MAX_OBJECTS];
static size_t nr_objects;

static struct {
	const char *output;
	unsigned long timeout, max_item, deadline, trace_seconds;
	double agent_window;
	bool redact, template, dry_run;
	const char *agent, *agent_version;
} opts = {
	.timeout = DEFAULT_TIMEOUT,
	.max_item = DEFAULT_MAX_ITEM,
	.deadline = DEFAULT_DEADLINE,
	.agent_window = DEFAULT_AGENT_WINDOW,
};

enum {
	OPT_OUTPUT = 'o',
	OPT_TIMEOUT = 0x200,
	OPT_MAX_ITEM,
	OPT_DEADLINE,
	OPT_TRACE,
	OPT_REDACT,
	OPT_TEMPLATE,
	OPT_AGENT,
	OPT_AGENT_VERSION,
	OPT_AGENT_WINDOW,
	OPT_DRY_RUN,
	OPT_OBJECT,
};

static const struct cliopt options[] = {
	{ "output", 'o', OPT_OUTPUT, CLIOPT_REQUIRED, "DIR",
	  N_("write the bundle in DIR (default: the current directory)"), CLIOPT_COMPLETE_DIR },
	{ "timeout", 0, OPT_TIMEOUT, CLIOPT_REQUIRED, "SEC",
	  N_("per-item time limit (default 5; 1 to 3600)") },
	{ "max-item-size", 0, OPT_MAX_ITEM, CLIOPT_REQUIRED, "BYTES",
	  N_("per-item size cap (default 16777216)") },
	{ "deadline", 0, OPT_DEADLINE, CLIOPT_REQUIRED, "SEC",
	  N_("whole-run limit (default 60): items left are recorded as not collected") },
	{ "trace-seconds", 0, OPT_TRACE, CLIOPT_REQUIRED, "N",
	  N_("also sample trace_pipe for N seconds (guide 6.1)") },
	{ "redact", 0, OPT_REDACT, CLIOPT_NONE, NULL,
	  N_("also hide identity: host and domain names, IP and MAC addresses in every notation "
	     "and "
	     "user names become placeholders (host-1, domain-1, ip-1, mac-1, user-1); credentials "
	     "are scrubbed with or without it") },
	{ "agent", 0, OPT_AGENT, CLIOPT_REQUIRED, "PID|NAME|UNIT",
	  N_("the agent: a pid, a process name or a systemd unit; its CPU, memory and BPF cost are "
	     "measured and its journal collected (default: the process holding the most tracing "
	     "BPF "
	     "programs)") },
	{ "agent-window", 0, OPT_AGENT_WINDOW, CLIOPT_REQUIRED, "SEC",
	  N_("measure the agent and the BPF programs over SEC seconds, alongside the rest of the "
	     "collection (default 3; 0.25 to 60, at most half the deadline)") },
	{ "agent-version", 0, OPT_AGENT_VERSION, CLIOPT_REQUIRED, "STR",
	  N_("the agent's version, for report.md") },
	{ "template", 0, OPT_TEMPLATE, CLIOPT_NONE, NULL,
	  N_("print report.md only; write no bundle") },
	{ "dry-run", 0, OPT_DRY_RUN, CLIOPT_NONE, NULL,
	  N_("list what would be collected; write nothing") },
	{ "object", 0, OPT_OBJECT, CLIOPT_REQUIRED, "FILE",
	  N_("also check this BPF object with check-object and store it (at most 4 times)"),
	  CLIOPT_COMPLETE_FILE },
	{ 0 },
};

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_OUTPUT:
		opts.output = arg;
		return 0;
	case OPT_TIMEOUT:
		return opt_parse_range("--timeout", arg, 1, 3600, &opts.timeout);
	case OPT_MAX_ITEM:
		return opt_parse_range("--max-item-size", arg, 4096, 1UL << 30, &opts.max_item);
	case OPT_DEADLINE:
		return opt_parse_range("--deadline", arg, 1, 86400, &opts.deadline);
	case OPT_TRACE:
		return opt_parse_range("--trace-seconds", arg, 1, 600, &opts.trace_seconds);
	case OPT_REDACT:
		opts.redact = true;
		return 0;
	case OPT_TEMPLATE:
		opts.template = true;
		return 0;
	case OPT_DRY_RUN:
		opts.dry_run = true;
		return 0;
	case OPT_AGENT:
		if (!*arg) {
			p_err("--agent '': expected a PID or a process name");
			return EXIT_USAGE;
		}
		opts.agent = arg;
		return 0;
	case OPT_AGENT_VERSION:
		opts.agent_version = arg;
		return 0;
	case OPT_AGENT_WINDOW:
		return opt_parse_seconds("--agent-window", arg, 0.25, 60, &opts.agent_window);
	case OPT_OBJECT:
		if (nr_objects == MAX_OBJECTS) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "--object: at most %d objects",
				   MAX_OBJECTS);
			return EXIT_USAGE;
		}
		objects[nr_objects++].arg = arg;
		return 0;
	}
	return EXIT_USAGE;
}

/*
 * An --object must be a regular file this process can read: checked at option time, so that
 * a bad one stops the run before anything is collected (no bundle). Opened without blocking:
 * a FIFO is refused, never waited on.
 */
static int check_object_arg(struct object_arg *o, size_t i)
{
	const char *base, *why = NULL;
	struct stat st;
	size_t j, n;
	int fd;

	fd = open(o->arg, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		why = strerror(errno);
	else if (fstat(fd, &st))
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = _("not a regular file");
	else if (!st.st_size)
		why = _("empty: not a BPF object");
	if (fd >= 0)
		close(fd);
	if (!why && !(o->real = realpath(o->arg, NULL)))
		why = strerror(errno);
	if (why) {
		char *shown = text_printable(o->arg);

		p_err_code(OUTPUT_ERR_BAD_INPUT, "--object '%s': %s", shown, why);
		free(shown);
		return EXIT_USAGE;
	}
	/* the base name, as a bundle path component: hostile bytes become '_' */
	base = strrchr(o->real, '/');
	base = base ? base + 1 : o->real;
	n = strlen(base);
	if (n > 60)
		n = 60;
	for (j = 0; j < n; j++)
		o->name[j] =
			strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-",
			       base[j]) &&
					base[j]
				? base[j]
				: '_';
	o->name[n] = '\0';
	if (o->name[0] == '.')
		o->name[0] = '_';
	/* the same name twice (two directories): the later ones are numbered */
	for (j = 0; j < i; j++)
		if (!strcmp(objects[j].name, o->name)) {
			char tmp[sizeof(o->name)];

			snprintf(tmp, sizeof(tmp), "%zu-%.60s", i + 1, o->name);
			memcpy(o->name, tmp, sizeof(tmp));
			break;
		}
	return 0;
}

static int check_opts(void)
{
	struct stat st;
	size_t i;
	int ret;

	if (opts.template && opts.dry_run) {
		p_err("--template and --dry-run do not go together");
		return EXIT_USAGE;
	}
	if (opts.output && (opts.template || opts.dry_run)) {
		p_err("--output writes a bundle; --%s does not",
		      opts.template ? "template" : "dry-run");
		return EXIT_USAGE;
	}
	if (opts.output && stat(opts.output, &st)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--output '%s': %s", opts.output, strerror(errno));
		return EXIT_USAGE;
	}
	if (opts.output && !S_ISDIR(st.st_mode)) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--output '%s': not a directory", opts.output);
		return EXIT_USAGE;
	}
	for (i = 0; i < nr_objects; i++)
		if ((ret = check_object_arg(&objects[i], i)))
			return ret;
	return 0;
}

/* What a run collects: the list --dry-run prints is the list a real run works through. */
/* The agent the report is about: given by --agent, or the likely one. */
struct agent {
	pid_t pid; /* 0: not running, or not found */
	char comm[16];
	char unit[256]; /* --agent named a systemd unit */
	char *how;	/* how it was found, for report.md and the host facts */
};

struct ctx {
	struct bundle b;
	struct agent agent;
	struct hostinfo_bpf bpf; /* who holds BPF programs, scanned once */
	json_t *host;		 /* edrdiag-host.json, for report.md too */
	json_t *plan;		 /* --dry-run: {"source", "path"} per item; NULL otherwise */
	bool minimal;		 /* --template: only what the template needs */
};

/* One item of the --dry-run plan: where it would come from, and its path in the bundle. */
static void plan_item(struct ctx *c, const char *source, const char *path)
{
	json_array_append_new(c->plan, json_pack("{s:s, s:s}", "source", source, "path", path));
}

/* Is path already in the plan or the bundle? Commands read some files in common. */
static bool listed(const struct ctx *c, const char *path)
{
	json_t *it;
	size_t i;

	if (!c->plan)
		return bundle_find(&c->b, path) != NULL;
	json_array_foreach (c->plan, i, it)
		if (!strcmp(json_string_value(json_object_get(it, "path")), path))
			return true;
	return false;
}

static void want_file(struct ctx *c, const char *host, const char *path, double wait, size_t limit)
{
	struct bundle_item *it;

	if (listed(c, path))
		return;
	if (c->plan) {
		plan_item(c, host, path);
		return;
	}
	it = bundle_add_file(&c->b, host, path, wait, limit);
	if (limit && it->collected && it->len == limit)
		it->note = util_fmt("first %zu bytes only: what a replay reads of it (a check "
				    "that needs more ran on the host, its verdict in commands/)",
				    limit);
}

/*
 * A host path a command reads (its host_files), under its own path in the bundle
 * ("/proc/version" -> "proc/version"). A directory is looked at, not stored: what the host
 * says of it, when it says no, is recorded so that a replay says the same.
 */
static void want_host_path(const char *host, enum host_kind kind, size_t limit, void *arg)
{
	struct ctx *c = arg;
	struct stat st;

	if (kind == HOST_FILE) {
		want_file(c, host, host + 1, 0, limit);
		return;
	}
	if (!stat(host, &st) || c->plan || listed(c, host + 1))
		return;
	bundle_add_absent(&c->b, host, host + 1, -errno);
}

static void want_host(struct ctx *c, const char *host)
{
	want_host_path(host, HOST_FILE, 0, c);
}

/* The command line of argv, for the plan: "a b c". */
static void plan_add(struct ctx *c, char *const argv[], const char *path)
{
	char *line = util_join_argv(argv);

	plan_item(c, line, path);
	free(line);
}

static void want_cmd(struct ctx *c, char *const argv[], const char *path, bool merge)
{
	if (c->plan)
		plan_add(c, argv, path);
	else
		bundle_add_command(&c->b, argv, path, merge);
}

/* A long command started now and collected by bundle_wait_jobs(), with its own timeout. */
static void want_job(struct ctx *c, char *const argv[], const char *path, double timeout)
{
	if (c->plan)
		plan_add(c, argv, path);
	else
		bundle_start_command(&c->b, argv, path, 0, timeout);
}

static void collect_sysroot(struct ctx *c)
{
	static const char *const extra_files[] = {
		"/proc/version",
		"/proc/sys/kernel/pid_max",
		"/proc/sys/kernel/perf_event_paranoid",
		"/proc/sys/kernel/bpf_stats_enabled",
		/* scrubbed of credentials like every item; boot options matter (lsm=, bpf) */
		"/proc/cmdline",
		"/proc/sys/kernel/tainted",
		"/proc/modules",
		"/proc/sys/net/core/bpf_jit_harden",
		"/proc/sys/net/core/bpf_jit_kallsyms",
		"/proc/sys/kernel/kptr_restrict",
		"/sys/kernel/security/lsm",
	};
	const struct cmd *const *cmds;
	size_t i, n;

	if (c->minimal) {
		/* the template names the OS and the kernel: the files that say them */
		want_host(c, TARGET_OSRELEASE_PATH);
		for (i = 0; i < DISTRO_NR_PATHS; i++)
			want_host(c, distro_osrelease_paths[i]);
		return;
	}
	/* read by no check: for the engineer's eyes (uname -r, the sysctls around BPF) */
	for (i = 0; i < ARRAY_SIZE(extra_files); i++)
		want_host(c, extra_files[i]);
	/* every host path each command reads, from the command's own lists */
	cmds = cmd_table(&n);
	for (i = 0; i < n; i++)
		if (cmds[i]->host_files)
			cmds[i]->host_files(want_host_path, c);
}

/*
 * The window the agent and the programs are measured over: --agent-window, but at most half
 * the deadline, so that the rest of the collection still fits.
 */
static double agent_window(void)
{
	double w = opts.agent_window, half = (double)opts.deadline / 2;

	return w < half ? w : (half < 0.25 ? 0.25 : half);
}

/*
 * The long items: stats over the agent window and the end-to-end self-test. They start
 * first and run alongside the files and short commands, so the run takes about the window.
 */
static void collect_window(struct ctx *c)
{
	char win[32], pid[32];
	char *st[] = { "/proc/self/exe", "--no-color", "stats", "--json", "--interval", win,
		       "--agent",	 pid,	       NULL };
	char *selftest[] = { "/proc/self/exe", "--no-color",  "run-sensor",
			     "--json",	       "--self-test", NULL };
	char missing[128];

	snprintf(win, sizeof(win), "%g", agent_window());
	snprintf(pid, sizeof(pid), "%d", (int)c->agent.pid);
	if (!c->agent.pid)
		st[6] = NULL; /* no agent: the programs' and maps' cost only */
	/* the window, and time to count the maps' entries after it */
	want_job(c, st, "commands/edrdiag-stats.json", agent_window() + opts.timeout);
	/* loads a BPF program: say why not, rather than record a privilege error */
	if (!c->plan && !caps_can_trace_here(missing, sizeof(missing))) {
		char *why = util_fmt("loading the sensor needs %s", missing);

		bundle_add_status(&c->b, BUNDLE_COMMAND, "run-sensor --self-test",
				  "commands/edrdiag-self-test.json", BUNDLE_SKIPPED, why);
		free(why);
		return;
	}
	want_job(c, selftest, "commands/edrdiag-self-test.json", 0);
}

/*
 * --object: check-object's verdict on each, and the object itself (up to --max-item-size:
 * a cut one is marked so; check-object's document holds the whole file's sha256 and size).
 * A binary is not redacted (bundle_redact): it is the file the user named.
 */
static void collect_objects(struct ctx *c)
{
	char path[160];
	size_t i;

	for (i = 0; i < nr_objects; i++) {
		char *co[] = { "/proc/self/exe", "--no-color",	  "check-object",
			       "--json",	 objects[i].real, NULL };

		snprintf(path, sizeof(path), "commands/check-object-%s.json", objects[i].name);
		want_cmd(c, co, path, false);
		snprintf(path, sizeof(path), "objects/%s", objects[i].name);
		want_file(c, objects[i].real, path, 0, 0);
	}
}

static void collect_commands(struct ctx *c)
{
	char *uname_a[] = { "uname", "-a", NULL };
	char *prog[] = { "bpftool", "-j", "prog", "list", NULL };
	char *map[] = { "bpftool", "-j", "map", "list", NULL };
	char *link[] = { "bpftool", "-j", "link", "list", NULL };
	char *feat[] = { "bpftool", "-j", "feature", "probe", NULL };
	char *perf[] = { "perf", "list", NULL };
	char *dmesg[] = { "dmesg", NULL };
	char *journal[] = { "journalctl", "-k", "-b", "--no-pager", "-q", NULL };
	char *unit_log[] = { "journalctl", "-u", c->agent.unit, "-b", "--no-pager",
			     "-q",	   "-n", "5000",	NULL };
	char *ck[] = { "/proc/self/exe", "--no-color", "check-kernel", "--json", NULL };
	char *ct[] = { "/proc/self/exe", "--no-color", "check-tracepoints", "--json", NULL };
	char *ml[] = { "/proc/self/exe", "--no-color", "map-dump", "--json", NULL };
	char host[PATH_MAX];

	want_cmd(c, uname_a, "commands/uname-a.txt", true);
	want_cmd(c, ck, "commands/edrdiag-check-kernel.json", false);
	want_cmd(c, ct, "commands/edrdiag-check-tracepoints.json", false);
	want_cmd(c, dmesg, "commands/dmesg.txt", true);
	/* the template gives each object's verdict too */
	collect_objects(c);
	if (c->minimal)
		return;
	want_cmd(c, journal, "commands/journalctl-k.txt", true);
	if (c->agent.unit[0])
		want_cmd(c, unit_log, "commands/journalctl-agent.txt", true);
	want_cmd(c, prog, "commands/bpftool-prog-list.json", false);
	want_cmd(c, map, "commands/bpftool-map-list.json", false);
	want_cmd(c, link, "commands/bpftool-link-list.json", false);
	want_cmd(c, feat, "commands/bpftool-feature-probe.json", false);
	want_cmd(c, perf, "commands/perf-list.txt", true);
	want_cmd(c, ml, "commands/edrdiag-map-list.json", false);
	if (opts.trace_seconds) {
		struct tracefs_location loc;

		tracefs_locate(NULL, &loc);
		snprintf(host, sizeof(host), "%s/trace_pipe",
			 loc.dir[0] ? loc.dir : tracefs_std_dirs[0]);
		want_file(c, host, "commands/trace_pipe.txt", (double)opts.trace_seconds, 0);
	}
}

/* A systemd unit's name as --agent may give it: "edr-agent" or "edr-agent.service". */
static bool unit_name_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_.@-");

	return n && !s[n] && n < 200 && s[0] != '.' && s[0] != '-';
}

/*
 * --agent as a systemd unit: its cgroup (v2) lists its processes; the first is its main
 * one more often than not. Only a unit that exists (its cgroup, or a unit file) counts.
 */
static bool agent_from_unit(struct agent *a, const char *name)
{
	static const char *const unit_dirs[] = { "/etc/systemd/system", "/run/systemd/system",
						 "/usr/lib/systemd/system", "/lib/systemd/system" };
	char unit[256], path[512], *procs = NULL;
	bool exists = false;
	size_t i, n;

	if (!unit_name_ok(name))
		return false;
	snprintf(unit, sizeof(unit), "%s%s", name, strchr(name, '.') ? "" : ".service");
	snprintf(path, sizeof(path), "/sys/fs/cgroup/system.slice/%s/cgroup.procs", unit);
	if (!sysroot_read(path, 65536, &procs, &n)) {
		exists = true;
		a->pid = (pid_t)strtol(procs, NULL, 10);
		free(procs);
	}
	for (i = 0; !exists && i < ARRAY_SIZE(unit_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], unit);
		exists = !access(path, F_OK);
	}
	if (!exists)
		return false;
	snprintf(a->unit, sizeof(a->unit), "%s", unit);
	a->how = a->pid ? util_fmt(_("systemd unit %s (--agent), its first process"), unit)
			: util_fmt(_("systemd unit %s (--agent), not running"), unit);
	return true;
}

/* Who the agent is: --agent as a pid, a unit or a process name; else the likely one. */
static void find_agent(struct ctx *c)
{
	struct agent *a = &c->agent;
	const struct hostinfo_holder *h;
	unsigned long v;
	char *end;
	pid_t pids[1];

	if (opts.agent) {
		errno = 0;
		v = strtoul(opts.agent, &end, 10);
		if (isdigit((unsigned char)opts.agent[0]) && !*end && !errno && v > 0 &&
		    v <= INT_MAX) {
			a->pid = (pid_t)v;
			a->how = util_xstrdup(_("given with --agent"));
		} else if (!agent_from_unit(a, opts.agent)) {
			if (procstat_find_by_name(opts.agent, getpid(), pids, 1) > 0)
				a->pid = pids[0];
			a->how = a->pid ? util_fmt(_("process name '%s' (--agent)"), opts.agent)
					: util_fmt(_("no process '%s' running (--agent)"),
						   opts.agent);
		}
	} else if ((h = hostinfo_likely_agent(&c->bpf))) {
		a->pid = h->pid;
		a->how = util_fmt(_("likely agent: %s (pid %d) holds %zu tracing BPF programs, the "
				    "most of any process; name it with --agent if it is not"),
				  h->comm, (int)h->pid, h->tracing);
	} else {
		a->how = util_xstrdup(c->bpf.err
					      ? _("no agent named, and the BPF programs could "
						  "not be listed to find one (--agent names it)")
					      : _("no agent named, and no process holds a tracing "
						  "BPF program"));
	}
	if (a->pid) {
		char path[64], comm[64] = "";

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)a->pid);
		FILE *f = fopen(path, "r");

		if (f) {
			if (fgets(comm, sizeof(comm), f))
				util_rstrip(comm);
			fclose(f);
		}
		snprintf(a->comm, sizeof(a->comm), "%s", comm);
	}
}

/*
 * The types the --object files' CO-RE relocations start from ("task_struct" for a read of
 * struct task_struct___x), each once: kept whole in the bundle's BTF subset, so that
 * check-object --root resolves them against the host's types.
 */
#define MAX_ROOTS 512
static size_t object_roots(char (*names)[128], size_t max)
{
	struct corerelo_list l;
	size_t i, j, k, n = 0;
	char why[160], *obj;

	for (i = 0; i < nr_objects; i++) {
		size_t len;

		if (util_read_file(objects[i].real, CORERELO_FILE_MAX, &obj, &len))
			continue;
		if (!corerelo_read(obj, len, NULL, &l, why, sizeof(why))) {
			for (j = 0; j < l.nr && n < max; j++) {
				const char *t = strchr(l.recs[j].type, ' ');
				size_t ess;

				if (!t)
					continue;
				t++;
				ess = btfread_essential_len(t);
				if (!ess || ess >= sizeof(names[0]))
					continue;
				for (k = 0; k < n && (strncmp(names[k], t, ess) || names[k][ess]);
				     k++)
					;
				if (k < n)
					continue;
				memcpy(names[n], t, ess);
				names[n++][ess] = '\0';
			}
			corerelo_free(&l);
		}
		free(obj);
	}
	return n;
}

/*
 * The kernel's BTF, cut to what a replay reads (the tracepoints' structs, the BPF enums), in
 * place of the file: check-tracepoints --root then cross-checks offsets offline. Stored
 * before the host paths, so the header-only copy check-kernel asks for is not taken too.
 */
static void collect_btf(struct ctx *c)
{
	static const char host[] = "/sys/kernel/btf/vmlinux";
	static char roots[MAX_ROOTS][128];
	const char *rootp[MAX_ROOTS];
	struct bundle_item *it;
	struct btf *btf;
	struct stat st;
	void *raw = NULL;
	size_t len = 0, nroots, i;
	int n;

	if (c->plan) {
		plan_item(c, "/sys/kernel/btf/vmlinux (the replay's subset)", host + 1);
		return;
	}
	if (stat(host, &st))
		return; /* check-kernel's own list records its absence */
	/*
	 * Unparsable, or the subset fails: no item here, so that check-kernel's own list stores
	 * the 24-byte header instead, as a bundle did before (an item here would shadow it).
	 */
	btf = btf__parse_raw(host);
	if (!btf)
		return;
	nroots = object_roots(roots, ARRAY_SIZE(roots));
	for (i = 0; i < nroots; i++)
		rootp[i] = roots[i];
	n = btfsubset_build(btf, rootp, nroots, &raw, &len);
	btf__free(btf);
	if (n < 0)
		return;
	it = bundle_add_data(&c->b, host, host + 1, raw, len);
	it->note = util_fmt("a subset of the host's %lld bytes: %d types, the trace_event_raw_* "
			    "structs and BPF enums a replay reads, common CO-RE roots and %zu of "
			    "the --object files'; pointers point to void",
			    (long long)st.st_size, n, nroots);
	free(raw);
}

/* What the host is, beyond the checks: taint, LSMs, container, BPF holders, the agent. */
static void collect_host_facts(struct ctx *c)
{
	unsigned long long tainted = 0;
	const char *why = NULL;
	json_t *doc, *lsm, *agent;
	char *data = NULL, *text;
	size_t n;

	doc = json_object();
	if (!sysroot_read("/proc/sys/kernel/tainted", 64, &data, &n) &&
	    sscanf(data, "%llu", &tainted) == 1)
		json_object_set_new(doc, "tainted",
				    json_pack("{s:I, s:o}", "value", (json_int_t)tainted, "flags",
					      hostinfo_taint_json(tainted)));
	else
		json_object_set_new(doc, "tainted", json_null());
	free(data);
	lsm = hostinfo_lsm_json(&why);
	json_object_set_new(doc, "lsm", lsm ? lsm : json_pack("{s:s}", "error", why));
	json_object_set_new(doc, "container", hostinfo_container_json());
	json_object_set_new(doc, "bpf", hostinfo_bpf_json(&c->bpf));
	/* how it was found names the agent's comm: any bytes */
	agent = json_pack("{s:o, s:o, s:i}", "given",
			  opts.agent ? text_json(opts.agent) : json_null(), "found_by",
			  text_json(c->agent.how), "pid", (int)c->agent.pid);
	if (c->agent.comm[0])
		json_object_set_new(agent, "comm", text_json(c->agent.comm));
	if (c->agent.unit[0])
		json_object_set_new(agent, "unit", json_string(c->agent.unit));
	json_object_set_new(doc, "agent", agent);
	text = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	bundle_add_data(&c->b, "edrdiag: taint, LSMs, container, BPF holders, the agent",
			"edrdiag-host.json", text, strlen(text));
	free(text);
	c->host = doc;
}

/* The agent as the report names it: its version, executable and pid, never its command line. */
static char *agent_desc(const struct agent *a)
{
	char path[64], exe[PATH_MAX] = "", *who;
	ssize_t n;

	if (!opts.agent && !a->pid)
		return opts.agent_version ? util_xstrdup(opts.agent_version) : NULL;
	if (a->pid) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)a->pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		who = util_fmt("process %s, pid %d", *exe ? exe : "?", (int)a->pid);
	} else {
		who = util_xstrdup(a->how);
	}
	if (opts.agent_version) {
		char *v = util_fmt("%s (%s)", opts.agent_version, who);

		free(who);
		who = v;
	}
	return who;
}

/*
 * Only a collected item is an answer: a failed command's output is stored, but report.md
 * must not read "no kernel log line mentions bpf" into dmesg's "Operation not permitted".
 */
/* An item's stored bytes as JSON, whatever its status: report.md weighs the status itself. */
static json_t *item_json(const struct bundle *b, const char *path)
{
	const struct bundle_item *it = bundle_find(b, path);

	return it && it->collected ? json_loadb(it->data, it->len, 0, NULL) : NULL;
}

static const char *item_text(const struct bundle *b, const char *path)
{
	const struct bundle_item *it = bundle_find(b, path);

	return it && it->status == BUNDLE_COLLECTED && it->len ? it->data : NULL;
}

/* An item's stored text, whatever its status (a failed dmesg's own error). */
static const char *item_stored(const struct bundle *b, const char *path)
{
	const struct bundle_item *it = bundle_find(b, path);

	return it && it->collected && it->len ? it->data : NULL;
}

/* The command line this process was started with, NULL-ended: the rerun repeats it. */
static char **self_argv(char **buf)
{
	size_t len, n = 0, i;
	char **argv;

	if (util_read_file("/proc/self/cmdline", 65536, buf, &len) || !len) {
		*buf = NULL;
		return NULL;
	}
	for (i = 0; i < len; i++)
		n += !(*buf)[i];
	argv = util_xmalloc((n + 2) * sizeof(*argv));
	for (i = 0, n = 0; i < len; i += strlen(*buf + i) + 1)
		argv[n++] = *buf + i;
	argv[n] = NULL;
	return argv;
}

static const char *const doc_paths[REPORT_DOC_NR] = {
	[REPORT_DOC_CHECK_KERNEL] = "commands/edrdiag-check-kernel.json",
	[REPORT_DOC_CHECK_TRACEPOINTS] = "commands/edrdiag-check-tracepoints.json",
	[REPORT_DOC_STATS] = "commands/edrdiag-stats.json",
	[REPORT_DOC_SELFTEST] = "commands/edrdiag-self-test.json",
};

/* report.md's view of the items: the manifest's words */
static struct report_md_item *report_items(const struct bundle *b)
{
	struct report_md_item *v = util_xmalloc((b->nr + 1) * sizeof(*v));
	size_t i;

	for (i = 0; i < b->nr; i++) {
		const struct bundle_item *it = &b->items[i];

		v[i] = (struct report_md_item){
			.path = it->path,
			.source = it->kind == BUNDLE_COMMAND ? it->source : NULL,
			.status = bundle_status_name(it->status),
			.exit_status = it->kind == BUNDLE_COMMAND ? it->exit_status : -1,
			.stderr_first_line = it->stderr_line,
			.why = it->why,
		};
	}
	return v;
}

static char *render_report(const struct ctx *c, const char *bundle_name)
{
	struct report_md_info in = { .bundle_name = bundle_name };
	char os[256] = "", rel[256] = "", un[512] = "", *agent = agent_desc(&c->agent), *md;
	char missing[128] = "", *argbuf = NULL, **argv = self_argv(&argbuf);
	json_t *docs[REPORT_DOC_NR], *ojson[MAX_OBJECTS];
	struct report_md_object ro[MAX_OBJECTS];
	char opath[MAX_OBJECTS][160];
	const char *t;
	size_t oi;
	int i;

	t = item_text(&c->b, distro_osrelease_paths[0] + 1);
	if (!t)
		t = item_text(&c->b, distro_osrelease_paths[1] + 1);
	if (t && osrelease_get(t, "PRETTY_NAME", os, sizeof(os)))
		osrelease_get(t, "NAME", os, sizeof(os));
	if ((t = item_text(&c->b, "proc/sys/kernel/osrelease")))
		snprintf(rel, sizeof(rel), "%s", t);
	if ((t = item_text(&c->b, "commands/uname-a.txt")))
		snprintf(un, sizeof(un), "%s", t);
	util_rstrip(rel);
	util_rstrip(un);
	in.os = os;
	in.kernel = rel;
	in.uname = un;
	in.agent = agent;
	in.agent_found = c->agent.how;
	in.host = c->host;
	for (oi = 0; oi < nr_objects; oi++) {
		snprintf(opath[oi], sizeof(opath[oi]), "commands/check-object-%s.json",
			 objects[oi].name);
		ro[oi].name = objects[oi].name;
		ro[oi].path = opath[oi];
		ro[oi].json = ojson[oi] = item_json(&c->b, opath[oi]);
	}
	in.objects = ro;
	in.nr_objects = nr_objects;
	for (i = 0; i < REPORT_DOC_NR; i++) {
		docs[i] = item_json(&c->b, doc_paths[i]);
		in.docs[i].path = bundle_find(&c->b, doc_paths[i]) ? doc_paths[i] : NULL;
		in.docs[i].json = docs[i];
	}
	/* dmesg, or the journal's kernel log when dmesg was not allowed */
	in.log_source = "commands/dmesg.txt";
	if (!item_text(&c->b, in.log_source) && item_text(&c->b, "commands/journalctl-k.txt"))
		in.log_source = "commands/journalctl-k.txt";
	in.kernel_log = item_stored(&c->b, in.log_source);
	in.sensor_log_source = "commands/edrdiag-self-test.json.stderr";
	in.sensor_log = item_stored(&c->b, in.sensor_log_source);
	/* a ".stderr" item exists only when there was some: none is nothing to show, not missing */
	if (!bundle_find(&c->b, in.sensor_log_source))
		in.sensor_log_source = NULL;
	in.items = report_items(&c->b);
	in.nr_items = c->b.nr;
	in.euid = (unsigned int)geteuid();
	caps_can_trace_here(missing, sizeof(missing));
	in.missing_caps = missing;
	in.argv = (const char *const *)argv;
	md = report_md_render(&in);
	for (i = 0; i < REPORT_DOC_NR; i++)
		json_decref(docs[i]);
	for (oi = 0; oi < nr_objects; oi++)
		json_decref(ojson[oi]);
	free((void *)in.items);
	free(argv);
	free(argbuf);
	free(agent);
	return md;
}

/* Markdown on a terminal: line by line, each made printable (a kernel log line may hold
 * escapes), the newlines kept. */
static void print_markdown(const char *md)
{
	const char *p = md, *nl;
	char *line, *safe;

	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		line = util_fmt("%.*s", (int)(nl - p), p);
		safe = text_printable(line);
		puts(safe);
		free(safe);
		free(line);
	}
}

/*
 * --redact: what identifies this host and its people, besides the addresses found in the
 * text. The host's names, its domain and its own addresses (redact.h), and the accounts of
 * people: uid 1000 and up, and whoever ran sudo. Turns identity redaction on.
 */
static void redact_words(struct redact *r, const char *node)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw;

	redact_set_identity(r, true);
	redact_add_host(r, node);
	setpwent();
	while ((pw = getpwent()))
		if (pw->pw_uid >= 1000 && pw->pw_uid != 65534)
			redact_add_word(r, REDACT_USER, pw->pw_name);
	endpwent();
	pw = getpwuid(getuid());
	if (pw && pw->pw_uid >= 1000 && pw->pw_uid != 65534)
		redact_add_word(r, REDACT_USER, pw->pw_name);
	if (sudo && strcmp(sudo, "root"))
		redact_add_word(r, REDACT_USER, sudo);
}

/* The statuses as people read them (the manifest and JSON keep bundle_status_name's ids). */
static const char *const status_words[BUNDLE_STATUS_NR] = {
	[BUNDLE_COLLECTED] = N_("collected"), [BUNDLE_FAILED] = N_("failed"),
	[BUNDLE_DENIED] = N_("denied"),	      [BUNDLE_MISSING_TOOL] = N_("missing tool"),
	[BUNDLE_TIMED_OUT] = N_("timed out"), [BUNDLE_SKIPPED] = N_("skipped"),
	[BUNDLE_ABSENT] = N_("absent"),
};

static const char *status_word(enum bundle_status s)
{
	return _(status_words[s < BUNDLE_STATUS_NR ? s : BUNDLE_FAILED]);
}

static void progress(const struct bundle_item *it, void *arg)
{
	(void)arg;
	if (it->status == BUNDLE_COLLECTED)
		fprintf(stderr, _("collect-report: %-44s %8zu bytes %6.2f s%s\n"), it->path,
			it->len, it->duration, it->truncated ? _(" (truncated)") : "");
	else
		fprintf(stderr, "collect-report: %-44s %s: %s\n", it->path, status_word(it->status),
			it->why ? it->why : "");
}

/* The archive's name: the host name made safe for a file name, and the UTC time. */
static int bundle_name(const char *node, char *name, size_t len, char *top, size_t toplen)
{
	const char *fixed = getenv("EDRDIAG_REPORT_TIME");
	char stamp[32], host[128];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	if (fixed) {
		/* tests only: a fixed clock to collide with an existing name */
		if (strlen(fixed) != 16 || fixed[8] != 'T' || fixed[15] != 'Z')
			return -EINVAL;
		snprintf(stamp, sizeof(stamp), "%s", fixed);
	} else {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	}
	snprintf(host, sizeof(host), "%s", node);
	for (i = 0; host[i]; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '.' && host[i] != '-')
			host[i] = '_';
	snprintf(top, toplen, "edrdiag-report-%s-%s", host, stamp);
	snprintf(name, len, "%s.tar.gz", top);
	return 0;
}

/*
 * When and by whom, in the manifest: a replay says its collected verdicts are from then, by
 * that user. The time is the name's stamp ("...-20261130T102900Z"), in ISO 8601.
 */
static void who_and_when(json_t *manifest, const char *top)
{
	const char *st = top + strlen(top) - 16;
	char *when = util_fmt("%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", st, st + 4, st + 6, st + 9, st + 11,
			      st + 13);
	char *uid = util_fmt("%u", (unsigned int)geteuid());

	json_object_set_new(manifest, "collected_at", json_string(when));
	json_object_set_new(manifest, "uid", json_string(uid));
	free(when);
	free(uid);
}

/* The status of each item not collected as JSON, for the summary document. */
static json_t *not_collected_json(const struct bundle_item *it)
{
	json_t *o =
		json_pack("{s:o, s:s, s:o}", "path", text_json(it->path), "status",
			  bundle_status_name(it->status), "why", text_json(it->why ? it->why : ""));

	if (it->exit_status >= 0)
		json_object_set_new(o, "exit_status", json_integer(it->exit_status));
	if (it->stderr_line)
		json_object_set_new(o, "stderr", text_json(it->stderr_line));
	return o;
}

/* The same run as root: what a non-root run that was denied items says to run instead. */
static char *rerun_as_root(void)
{
	char *buf = NULL, **argv = self_argv(&buf), *cmd, *safe;

	cmd = report_md_rerun((const char *const *)argv);
	free(argv);
	free(buf);
	/* the user's own words, made safe for the terminal */
	safe = text_printable(cmd);
	free(cmd);
	return safe;
}

static void print_summary(const struct ctx *c, const char *path, double secs, bool redacted,
			  const struct redact *r)
{
	size_t i, n[BUNDLE_STATUS_NR], total = 0, trunc = 0, red = 0;
	json_t *doc, *miss = json_array(), *tmos = json_array(), *truncs = json_array(), *counts;
	struct stat st;
	long long bytes = stat(path, &st) ? -1 : (long long)st.st_size;
	char *rerun;
	int k;

	bundle_count(&c->b, n);
	counts = json_object();
	for (k = 0; k < BUNDLE_STATUS_NR; k++) {
		total += n[k];
		json_object_set_new(counts, bundle_status_name(k), json_integer((json_int_t)n[k]));
	}
	for (i = 0; i < c->b.nr; i++) {
		const struct bundle_item *it = &c->b.items[i];

		/* the manifest's own entry: it lists the others, not itself */
		if (!strcmp(it->path, "manifest.json"))
			continue;
		if (it->status != BUNDLE_COLLECTED)
			json_array_append_new(miss, not_collected_json(it));
		if (it->timed_out)
			json_array_append_new(tmos, json_string(it->path));
		if (it->truncated) {
			trunc++;
			json_array_append_new(truncs, json_string(it->path));
		}
	}
	/* credentials are scrubbed on every run: their count is worth saying without --redact */
	for (k = 0; k < REDACT_NR; k++)
		red += r->count[k];
	if (output.json) {
		/* the path is the user's --output: any bytes */
		doc = json_pack("{s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:f, s:b}", "path",
				text_json(path), "bytes", (json_int_t)bytes, "items",
				(json_int_t)total, "collected", (json_int_t)n[BUNDLE_COLLECTED],
				"statuses", counts, "not_collected", miss, "timed_out", tmos,
				"truncated", truncs, "duration_s", (double)(long)(secs * 1e3) / 1e3,
				"redacted", redacted);
		output_doc("collect-report", doc);
		json_decref(doc);
		return;
	}
	json_decref(counts);
	json_decref(tmos);
	json_decref(truncs);
	printf("%s\n\n", path);
	/* "35 items: 24 collected, 6 denied, 2 failed" */
	printf(_("%zu items:"), total);
	for (k = 0, i = 0; k < BUNDLE_STATUS_NR; k++)
		if (n[k])
			printf("%s %zu %s", i++ ? "," : "", n[k], status_word(k));
	printf(_(" (%lld bytes compressed) in %.1f s"), bytes, secs);
	if (trunc)
		printf(_("; %zu truncated at %lu bytes"), trunc, opts.max_item);
	if (red)
		printf(_("; %zu values redacted"), red);
	printf(".\n");
	for (i = 0; i < c->b.nr; i++) {
		const struct bundle_item *it = &c->b.items[i];
		char *why, *p;

		if (it->status == BUNDLE_COLLECTED || !strcmp(it->path, "manifest.json"))
			continue;
		/* a path or a tool's stderr from the host: made printable */
		why = text_printable(it->why ? it->why : "");
		p = text_printable(it->path);
		printf("  %-12s %s: %s\n", status_word(it->status), p, why);
		free(why);
		free(p);
	}
	json_decref(miss);
	if (geteuid() && n[BUNDLE_DENIED]) {
		rerun = rerun_as_root();
		printf(_("Run as uid %u: %zu items were denied (above); the bundle cannot answer "
			 "what they hold. To collect them: %s\n"),
		       (unsigned int)geteuid(), n[BUNDLE_DENIED], rerun);
		free(rerun);
	}
	printf(_("The bundle holds report.md (the bug-report template, filled where edrdiag "
		 "could), manifest.json (every item with its size, sha256 and status) and the "
		 "host's files under their own paths: unpack it with 'tar xzf' and run 'edrdiag "
		 "check-kernel --root DIR' on the unpacked directory to replay the checks.\n"));
}

static void print_plan(json_t *plan)
{
	json_t *it;
	size_t i;

	if (output.json) {
		json_t *doc = json_pack("{s:b, s:O}", "dry_run", 1, "items", plan);

		output_doc("collect-report", doc);
		json_decref(doc);
		return;
	}
	printf(_("Would collect %zu items (nothing written):\n"), json_array_size(plan));
	json_array_foreach (plan, i, it)
		printf("  %-48s %s\n", json_string_value(json_object_get(it, "path")),
		       json_string_value(json_object_get(it, "source")));
	printf("  %-48s %s\n  %-48s %s\n", "report.md", _("the guide's 8.2 template, filled"),
	       "manifest.json", _("every item: size, sha256, status, why not collected"));
}

static int run(int argc, char **argv)
{
	const char *dir = opts.output ? opts.output : ".";
	char name[512], top[512], path[PATH_MAX + 512], err[512];
	struct redact r;
	struct utsname u;
	struct ctx c;
	double t0 = bundle_now();
	char *md = NULL, *mtext = NULL;
	json_t *manifest = NULL;
	int ret = EXIT_PASS, e;
	struct stat st;

	(void)argc;
	(void)argv;
	memset(&c, 0, sizeof(c));
	redact_init(&r);
	bundle_init(&c.b, (double)opts.timeout, opts.max_item, (double)opts.deadline);
	if (uname(&u)) {
		p_err("uname: %s", strerror(errno));
		return EXIT_ENV;
	}
	if (bundle_name(opts.redact ? "host-1" : u.nodename, name, sizeof(name), top,
			sizeof(top))) {
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "EDRDIAG_REPORT_TIME '%s': expected YYYYmmddTHHMMSSZ",
			   getenv("EDRDIAG_REPORT_TIME"));
		ret = EXIT_USAGE;
		goto out;
	}
	hostinfo_bpf_scan(&c.bpf, getpid());
	find_agent(&c);
	if (opts.dry_run) {
		c.plan = json_array();
		collect_window(&c);
		collect_btf(&c);
		collect_sysroot(&c);
		collect_commands(&c);
		plan_item(&c, "edrdiag: taint, LSMs, container, BPF holders", "edrdiag-host.json");
		print_plan(c.plan);
		goto out;
	}
	/* fail before a minute of collecting, not after; the write itself checks again */
	if (!opts.template && access(dir, W_OK | X_OK)) {
		p_err(_("cannot write to %s: %s"), dir, strerror(errno));
		ret = EXIT_ENV;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* a second run in the same second: said now; the final link still refuses to replace */
	if (!opts.template && (!lstat(path, &st) || errno != ENOENT)) {
		p_err(_("%s: exists; not overwritten"), path);
		ret = EXIT_ENV;
		goto out;
	}
	/* what a run killed while writing left (a file system without O_TMPFILE) */
	if (!opts.template)
		bundle_clean_stale(dir);
	/* nothing left behind, then the signal's own end: no partial archive, no orphan */
	sig_on_stop_cleanup(bundle_abort_cleanup);
	if (isatty(STDERR_FILENO))
		c.b.progress = progress;
	c.minimal = opts.template;
	if (!c.minimal) {
		collect_window(&c);
		collect_btf(&c);
	}
	collect_sysroot(&c);
	collect_commands(&c);
	if (!c.minimal)
		collect_host_facts(&c);
	bundle_wait_jobs(&c.b);
	if (opts.redact)
		redact_words(&r, u.nodename);

	md = render_report(&c, opts.template ? NULL : name);
	if (opts.template) {
		size_t n;
		/* credentials always; identity with --redact */
		char *red = redact_text(&r, md, strlen(md), &n);

		if (output.json) {
			/* the template quotes the host (os-release, the kernel log): any bytes */
			json_t *doc = json_pack("{s:o}", "template", text_json(red));

			output_doc("collect-report", doc);
			json_decref(doc);
		} else {
			print_markdown(red);
		}
		free(red);
		goto out;
	}
	bundle_add_data(&c.b, "the guide's 8.2 template, filled", "report.md", md, strlen(md));
	/* credentials always; identity with --redact (redact_words) */
	bundle_redact(&c.b, &r);
	bundle_hash(&c.b);
	manifest = bundle_manifest(&c.b, &r);
	json_object_set_new(manifest, "edrdiag", json_string(EDRDIAG_VERSION));
	json_object_set_new(manifest, "name", json_string(top));
	who_and_when(manifest, top);
	/*
	 * A "why" or a stderr line may name a path under a home directory or hold a secret; the
	 * paths are the archive's member names, kept as they are.
	 */
	redact_json(&r, manifest, (const char *const[]){ "path", NULL });
	mtext = json_dumps(manifest, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	/* the manifest describes the other items; it is stored, not listed in itself */
	c.b.progress = NULL;
	bundle_add_data(&c.b, "manifest", "manifest.json", mtext, strlen(mtext));
	e = bundle_write(&c.b, dir, name, top, err, sizeof(err));
	if (e) {
		p_err("%s", err);
		ret = EXIT_ENV;
		goto out;
	}
	print_summary(&c, path, bundle_now() - t0, opts.redact, &r);
	/*
	 * Exit 3 means no archive (edrdiag-collect-report(8)): a summary that cannot be
	 * written takes the archive back. A reader that went away (| head) is no failure.
	 */
	output_finish(EXIT_PASS);
	e = output_flush();
	if (e) {
		unlink(path);
		ret = EXIT_ENV;
		/*
		 * In JSON mode the dispatcher says "cannot write output" (the error document
		 * cannot be written either). Otherwise this line says it all, and the dispatcher's
		 * own flush is given a stdout that works, so that it does not say it twice.
		 */
		if (!output.json) {
			p_err(_("cannot write the summary: %s; %s removed"), strerror(-e), path);
			if (!freopen("/dev/null", "w", stdout))
				ret = EXIT_ENV;
		}
	}
out:
	free(md);
	free(mtext);
	json_decref(manifest);
	json_decref(c.plan);
	redact_free(&r);
	bundle_free(&c.b);
	hostinfo_bpf_free(&c.bpf);
	json_decref(c.host);
	free(c.agent.how);
	for (size_t i = 0; i < nr_objects; i++)
		free(objects[i].real);
	return ret;
}

const struct cmd cmd_collect_report = {
	.name = "collect-report",
	.summary =
		N_("write one safe, replayable support bundle with the bug-report template filled"),
	.synopsis = "[--output DIR] [--redact] [--agent PID|NAME|UNIT] [--template | --dry-run] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_LIVE_ONLY,
};
