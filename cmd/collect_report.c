// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * collect-report: guide section 8 as one command. Collects what support needs into one
 * bounded, replayable tar.gz (the files the checks read, stored under their own paths, so
 * `check-kernel --root <unpacked bundle>` replays), with a manifest and the 8.2 template
 * filled in. Reads only; never collects environments, command lines, keys or agent configs.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../src/bundle.h"
#include "../src/distro.h"
#include "../src/osrelease.h"
#include "../src/output.h"
#include "../src/procstat.h"
#include "../src/redact.h"
#include "../src/report_md.h"
#include "../src/sig.h"
#include "../src/target.h"
#include "../src/text.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

#define DEFAULT_TIMEOUT	 5
#define DEFAULT_MAX_ITEM (16UL << 20)
#define DEFAULT_DEADLINE 60

static struct {
	const char *output;
	unsigned long timeout, max_item, deadline, trace_seconds;
	bool redact, template, dry_run;
	enum report_lang lang;
	const char *agent, *agent_version;
} opts = {
	.timeout = DEFAULT_TIMEOUT,
	.max_item = DEFAULT_MAX_ITEM,
	.deadline = DEFAULT_DEADLINE,
};

enum {
	OPT_OUTPUT = 'o',
	OPT_TIMEOUT = 0x200,
	OPT_MAX_ITEM,
	OPT_DEADLINE,
	OPT_TRACE,
	OPT_REDACT,
	OPT_TEMPLATE,
	OPT_LANG,
	OPT_AGENT,
	OPT_AGENT_VERSION,
	OPT_DRY_RUN,
};

static const struct cliopt options[] = {
	{ "output", 'o', OPT_OUTPUT, CLIOPT_REQUIRED, "DIR",
	  "write the bundle in DIR (default: the current directory)", CLIOPT_COMPLETE_DIR },
	{ "timeout", 0, OPT_TIMEOUT, CLIOPT_REQUIRED, "SEC",
	  "per-item time limit (default 5; 1 to 3600)" },
	{ "max-item-size", 0, OPT_MAX_ITEM, CLIOPT_REQUIRED, "BYTES",
	  "per-item size cap (default 16777216)" },
	{ "deadline", 0, OPT_DEADLINE, CLIOPT_REQUIRED, "SEC",
	  "whole-run limit (default 60): items left are recorded as not collected" },
	{ "trace-seconds", 0, OPT_TRACE, CLIOPT_REQUIRED, "N",
	  "also sample trace_pipe for N seconds (guide 6.1)" },
	{ "redact", 0, OPT_REDACT, CLIOPT_NONE, NULL,
	  "replace host name, IP and MAC addresses and user names with placeholders (host-1, "
	  "ip-1, mac-1, user-1)" },
	{ "lang", 0, OPT_LANG, CLIOPT_REQUIRED, "en|zh", "language of report.md (default en)",
	  CLIOPT_COMPLETE_WORDS, "en zh" },
	{ "agent", 0, OPT_AGENT, CLIOPT_REQUIRED, "PID|NAME",
	  "the agent process, named in report.md" },
	{ "agent-version", 0, OPT_AGENT_VERSION, CLIOPT_REQUIRED, "STR",
	  "the agent's version, for report.md" },
	{ "template", 0, OPT_TEMPLATE, CLIOPT_NONE, NULL, "print report.md only; write no bundle" },
	{ "dry-run", 0, OPT_DRY_RUN, CLIOPT_NONE, NULL,
	  "list what would be collected; write nothing" },
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
	case OPT_LANG:
		if (!strcmp(arg, "en")) {
			opts.lang = REPORT_EN;
		} else if (!strcmp(arg, "zh")) {
			opts.lang = REPORT_ZH;
		} else {
			p_err("--lang '%s': expected en or zh", arg);
			return EXIT_USAGE;
		}
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
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	struct stat st;

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
	return 0;
}

/* What a run collects: the list --dry-run prints is the list a real run works through. */
struct ctx {
	struct bundle b;
	json_t *plan; /* --dry-run: {"source", "path"} per item; NULL otherwise */
	bool minimal; /* --template: only what the template needs */
};

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
		json_array_append_new(c->plan,
				      json_pack("{s:s, s:s}", "source", host, "path", path));
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

static void want_cmd(struct ctx *c, char *const argv[], const char *path, bool merge)
{
	if (c->plan) {
		char *line = util_xstrdup(argv[0]), *n;

		for (size_t i = 1; argv[i]; i++) {
			n = util_fmt("%s %s", line, argv[i]);
			free(line);
			line = n;
		}
		json_array_append_new(c->plan,
				      json_pack("{s:s, s:s}", "source", line, "path", path));
		free(line);
		return;
	}
	bundle_add_command(&c->b, argv, path, merge);
}

static void collect_sysroot(struct ctx *c)
{
	static const char *const extra_files[] = {
		"/proc/version",
		"/proc/sys/kernel/pid_max",
		"/proc/sys/kernel/perf_event_paranoid",
		"/proc/sys/kernel/bpf_stats_enabled",
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

static void collect_commands(struct ctx *c)
{
	char *uname_a[] = { "uname", "-a", NULL };
	char *prog[] = { "bpftool", "-j", "prog", "list", NULL };
	char *map[] = { "bpftool", "-j", "map", "list", NULL };
	char *feat[] = { "bpftool", "-j", "feature", "probe", NULL };
	char *dmesg[] = { "dmesg", NULL };
	char *journal[] = { "journalctl", "-k", "-b", "--no-pager", "-q", NULL };
	char *ck[] = { "/proc/self/exe", "--no-color", "check-kernel", "--json", NULL };
	char *ct[] = { "/proc/self/exe", "--no-color", "check-tracepoints", "--json", NULL };
	char *ml[] = { "/proc/self/exe", "--no-color", "map-dump", "--json", NULL };
	/* a short window: stats counts map fill, which takes longer the fuller the maps */
	char *st[] = {
		"/proc/self/exe", "--no-color", "stats", "--json", "--interval", "0.25", NULL
	};
	char host[PATH_MAX];

	want_cmd(c, uname_a, "commands/uname-a.txt", true);
	want_cmd(c, ck, "commands/edrdiag-check-kernel.json", false);
	want_cmd(c, ct, "commands/edrdiag-check-tracepoints.json", false);
	want_cmd(c, dmesg, "commands/dmesg.txt", true);
	if (c->minimal)
		return;
	want_cmd(c, journal, "commands/journalctl-k.txt", true);
	want_cmd(c, prog, "commands/bpftool-prog-list.json", false);
	want_cmd(c, map, "commands/bpftool-map-list.json", false);
	want_cmd(c, feat, "commands/bpftool-feature-probe.json", false);
	want_cmd(c, ml, "commands/edrdiag-map-list.json", false);
	want_cmd(c, st, "commands/edrdiag-stats.json", false);
	if (opts.trace_seconds) {
		struct tracefs_location loc;

		tracefs_locate(NULL, &loc);
		snprintf(host, sizeof(host), "%s/trace_pipe",
			 loc.dir[0] ? loc.dir : tracefs_std_dirs[0]);
		want_file(c, host, "commands/trace_pipe.txt", (double)opts.trace_seconds, 0);
	}
}

/* The agent as the report names it: its executable's name and pid, never its command line. */
static char *agent_desc(void)
{
	char path[64], exe[PATH_MAX] = "", *ver = NULL, *who = NULL, *ret;
	pid_t pid = 0, pids[1];
	unsigned long v;
	ssize_t n;

	if (opts.agent_version)
		ver = util_xstrdup(opts.agent_version);
	if (opts.agent) {
		char *end;

		errno = 0;
		v = strtoul(opts.agent, &end, 10);
		if (!*end && !errno && v > 0 && v <= INT_MAX)
			pid = (pid_t)v;
		else if (procstat_find_by_name(opts.agent, getpid(), pids, 1) > 0)
			pid = pids[0];
		if (pid) {
			snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
			n = readlink(path, exe, sizeof(exe) - 1);
			exe[n > 0 ? n : 0] = '\0';
			who = util_fmt("process %s, pid %d", *exe ? exe : "?", (int)pid);
		} else {
			who = util_fmt("no process '%s' running", opts.agent);
		}
	}
	if (ver && who)
		ret = util_fmt("%s (%s)", ver, who);
	else
		ret = ver ? ver : who;
	if (ret != ver)
		free(ver);
	if (ret != who)
		free(who);
	return ret;
}

static json_t *item_json(const struct bundle *b, const char *path)
{
	const struct bundle_item *it = bundle_find(b, path);

	return it && it->collected ? json_loadb(it->data, it->len, 0, NULL) : NULL;
}

static const char *item_text(const struct bundle *b, const char *path)
{
	const struct bundle_item *it = bundle_find(b, path);

	return it && it->collected && it->len ? it->data : NULL;
}

static char *render_report(const struct ctx *c, const char *bundle_name)
{
	struct report_md_info in = { .lang = opts.lang, .bundle_name = bundle_name };
	char os[256] = "", rel[256] = "", un[512] = "", *agent = agent_desc(), *md;
	const char *t;
	json_t *ck, *ct;
	size_t n = 0;

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
	ck = item_json(&c->b, "commands/edrdiag-check-kernel.json");
	ct = item_json(&c->b, "commands/edrdiag-check-tracepoints.json");
	if (ck)
		in.checks[n++] = ck;
	if (ct)
		in.checks[n++] = ct;
	in.kernel_log = item_text(&c->b, "commands/dmesg.txt");
	in.log_source = "commands/dmesg.txt";
	if (!in.kernel_log) {
		in.kernel_log = item_text(&c->b, "commands/journalctl-k.txt");
		in.log_source = "commands/journalctl-k.txt";
	}
	md = report_md_render(&in);
	json_decref(ck);
	json_decref(ct);
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

static void progress(const struct bundle_item *it, void *arg)
{
	(void)arg;
	if (it->collected)
		fprintf(stderr, "collect-report: %-44s %8zu bytes %6.2f s%s%s\n", it->path, it->len,
			it->duration, it->timed_out ? " (timed out)" : "",
			it->truncated ? " (truncated)" : "");
	else
		fprintf(stderr, "collect-report: %-44s not collected: %s\n", it->path, it->why);
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

static void print_summary(const struct ctx *c, const char *path, double secs, bool redacted,
			  const struct redact *r)
{
	size_t i, got = 0, missing = 0, tmo = 0, trunc = 0, red = 0;
	json_t *doc, *miss = json_array(), *tmos = json_array(), *truncs = json_array();
	struct stat st;
	long long bytes = stat(path, &st) ? -1 : (long long)st.st_size;
	int k;

	for (i = 0; i < c->b.nr; i++) {
		const struct bundle_item *it = &c->b.items[i];

		/* the manifest's own entry: it lists the others, not itself */
		if (!strcmp(it->path, "manifest.json"))
			continue;
		got += it->collected;
		if (!it->collected) {
			missing++;
			json_array_append_new(miss, json_pack("{s:s, s:s}", "path", it->path, "why",
							      it->why));
		}
		if (it->timed_out) {
			tmo++;
			json_array_append_new(tmos, json_string(it->path));
		}
		if (it->truncated) {
			trunc++;
			json_array_append_new(truncs, json_string(it->path));
		}
	}
	for (k = 0; redacted && k < REDACT_NR; k++)
		red += r->count[k];
	if (output.json) {
		/* the path is the user's --output: any bytes */
		doc = json_pack("{s:o, s:I, s:I, s:I, s:o, s:o, s:o, s:f, s:b}", "path",
				text_json(path), "bytes", (json_int_t)bytes, "items",
				(json_int_t)(got + missing), "collected", (json_int_t)got,
				"not_collected", miss, "timed_out", tmos, "truncated", truncs,
				"duration_s", (double)(long)(secs * 1e3) / 1e3, "redacted",
				redacted);
		output_doc("collect-report", doc);
		json_decref(doc);
		return;
	}
	json_decref(miss);
	json_decref(tmos);
	json_decref(truncs);
	printf("%s\n\n", path);
	printf("Collected %zu of %zu items (%lld bytes compressed) in %.1f s", got, got + missing,
	       bytes, secs);
	if (missing)
		printf("; %zu not collected (see manifest.json: why)", missing);
	if (tmo)
		printf("; %zu timed out", tmo);
	if (trunc)
		printf("; %zu truncated at %lu bytes", trunc, opts.max_item);
	if (redacted)
		printf("; %zu values redacted", red);
	printf(". The bundle holds report.md (the bug-report template, filled where edrdiag "
	       "could), manifest.json (every item with its size, sha256 and status) and the "
	       "host's files under their own paths: unpack it with 'tar xzf' and run 'edrdiag "
	       "check-kernel --root DIR' on the unpacked directory to replay the checks.\n");
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
	printf("Would collect %zu items (nothing written):\n", json_array_size(plan));
	json_array_foreach (plan, i, it)
		printf("  %-48s %s\n", json_string_value(json_object_get(it, "path")),
		       json_string_value(json_object_get(it, "source")));
	printf("  %-48s %s\n  %-48s %s\n", "report.md", "the guide's 8.2 template, filled",
	       "manifest.json", "every item: size, sha256, exit status, why not collected");
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
	if (opts.dry_run) {
		c.plan = json_array();
		collect_sysroot(&c);
		collect_commands(&c);
		print_plan(c.plan);
		goto out;
	}
	/* fail before a minute of collecting, not after; the write itself checks again */
	if (!opts.template && access(dir, W_OK | X_OK)) {
		p_err("cannot write to %s: %s", dir, strerror(errno));
		ret = EXIT_ENV;
		goto out;
	}
	/* nothing left behind, then the signal's own end: no partial archive, no orphan */
	sig_on_stop_cleanup(bundle_abort_cleanup);
	if (isatty(STDERR_FILENO))
		c.b.progress = progress;
	c.minimal = opts.template;
	collect_sysroot(&c);
	collect_commands(&c);
	if (opts.redact)
		redact_words(&r, u.nodename);

	md = render_report(&c, opts.template ? NULL : name);
	if (opts.template) {
		size_t n;
		char *red = opts.redact ? redact_text(&r, md, strlen(md), &n) : NULL;

		if (output.json) {
			/* the template quotes the host (os-release, the kernel log): any bytes */
			json_t *doc = json_pack("{s:o}", "template", text_json(red ? red : md));

			output_doc("collect-report", doc);
			json_decref(doc);
		} else {
			print_markdown(red ? red : md);
		}
		free(red);
		goto out;
	}
	bundle_add_data(&c.b, "the guide's 8.2 template, filled", "report.md", md, strlen(md));
	if (opts.redact)
		bundle_redact(&c.b, &r);
	bundle_hash(&c.b);
	manifest = bundle_manifest(&c.b, opts.redact ? &r : NULL);
	json_object_set_new(manifest, "edrdiag", json_string(EDRDIAG_VERSION));
	json_object_set_new(manifest, "name", json_string(top));
	who_and_when(manifest, top);
	mtext = json_dumps(manifest, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	if (opts.redact) {
		/* a "why" may name a path under a home directory; its counts are already in */
		size_t n;
		char *red = redact_text(&r, mtext, strlen(mtext), &n);

		free(mtext);
		mtext = red;
	}
	/* the manifest describes the other items; it is stored, not listed in itself */
	c.b.progress = NULL;
	bundle_add_data(&c.b, "manifest", "manifest.json", mtext, strlen(mtext));
	e = bundle_write(&c.b, dir, name, top, err, sizeof(err));
	if (e) {
		p_err("%s", err);
		ret = EXIT_ENV;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	print_summary(&c, path, bundle_now() - t0, opts.redact, &r);
out:
	free(md);
	free(mtext);
	json_decref(manifest);
	json_decref(c.plan);
	redact_free(&r);
	bundle_free(&c.b);
	return ret;
}

const struct cmd cmd_collect_report = {
	.name = "collect-report",
	.summary = "write one safe, replayable support bundle with the bug-report template filled",
	.synopsis = "[--output DIR] [--redact] [--lang en|zh] [--template | --dry-run] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_LIVE_ONLY,
};
