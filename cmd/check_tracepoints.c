// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-tracepoints: guide section 1.2 as checks. Where tracefs and debugfs are, whether
 * the sensor's tracepoints exist, and whether their format files have the layout the
 * sensor's program reads. Reads only: never enables an event or writes a tracing file.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/btfcheck.h"
#include "../src/finding.h"
#include "../src/manifest.h"
#include "../src/output.h"
#include "../src/sysroot.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

#define MAX_TRACEPOINTS 64

static const char *const default_tracepoints[] = {
	"sched/sched_process_exec",
	"sched/sched_process_fork",
	"sched/sched_process_exit",
	"syscalls/sys_enter_execve",
};

static struct {
	const char *tp[MAX_TRACEPOINTS];
	size_t nr;
} opts;

enum { OPT_TRACEPOINT = 't' };

static const struct option longopts[] = {
	{ "tracepoint", required_argument, NULL, OPT_TRACEPOINT },
	{ 0 },
};

/* The places libbpf looks for tracefs, in its order. */
static const char *const std_tracing[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

struct ctx {
	struct report r;
	struct mount_table mounts;
	bool have_mounts;
	char tracing[PATH_MAX]; /* usable tracing dir (host path), "" if none */
	char *available;	/* available_events text, NULL if unreadable */
	struct btf *btf;	/* vmlinux BTF for the cross-check, NULL if none */
	char btf_note[160];	/* why there is none */
	json_t *jtps;
};

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_TRACEPOINT:
		if (!tp_name_valid(arg)) {
			p_err("--tracepoint '%s': expected CATEGORY/EVENT, such as "
			      "sched/sched_process_exec",
			      arg);
			return EXIT_USAGE;
		}
		if (opts.nr == MAX_TRACEPOINTS) {
			p_err("--tracepoint '%s': at most %d tracepoints", arg, MAX_TRACEPOINTS);
			return EXIT_USAGE;
		}
		opts.tp[opts.nr++] = arg;
		return 0;
	}
	return EXIT_USAGE;
}

/* 0 when DIR/events is a directory; else -errno, -EACCES when DIR cannot be searched */
static int events_dir(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;
	int err;

	snprintf(p, sizeof(p), "%s/events", dir);
	err = sysroot_stat(p, &st);
	if (err)
		return err;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static bool has_events(const char *dir)
{
	return events_dir(dir) == 0;
}

static const char *mode_str(const char *host_path, char *buf, size_t len)
{
	struct stat st;

	if (sysroot_stat(host_path, &st))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%04o %u:%u", st.st_mode & 07777, st.st_uid, st.st_gid);
	return buf;
}

/* Where is tracefs usable? A standard place first (libbpf looks only there). */
static void locate_tracefs(struct ctx *c)
{
	const struct mount_entry *dbg = NULL;
	char other[PATH_MAX] = "", mode[48];
	const char *denied = NULL;
	struct finding *f;
	size_t i;

	c->tracing[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(std_tracing) && !c->tracing[0]; i++) {
		int err = events_dir(std_tracing[i]);

		if (!err)
			snprintf(c->tracing, sizeof(c->tracing), "%s", std_tracing[i]);
		else if (err == -EACCES && !denied)
			denied = std_tracing[i];
	}
	/* mounted elsewhere, e.g. /tmp/tracing: usable by hand, not by libbpf */
	for (i = 0; c->have_mounts && i < c->mounts.nr && !c->tracing[0] && !other[0]; i++) {
		const struct mount_entry *m = &c->mounts.e[i];

		if (!strcmp(m->fstype, "tracefs") && has_events(m->target))
			snprintf(other, sizeof(other), "%s", m->target);
	}

	if (c->tracing[0]) {
		const struct mount_entry *m =
			c->have_mounts ? mounts_find(&c->mounts, "tracefs", c->tracing) : NULL;

		if (!m && c->have_mounts)
			dbg = mounts_find(&c->mounts, "debugfs", "/sys/kernel/debug");
		if (sysroot_access(c->tracing, R_OK | X_OK)) {
			f = report_add(&c->r, "fs.tracefs", ST_FAIL, "1.2",
				       "tracefs is mounted but not readable",
				       "run edrdiag and the agent as root (tracefs is root-only by "
				       "default)",
				       "%s (mode %s) is not readable by uid %u", c->tracing,
				       mode_str(c->tracing, mode, sizeof(mode)),
				       (unsigned int)geteuid());
			c->tracing[0] = '\0';
			return;
		}
		f = report_add(&c->r, "fs.tracefs", ST_PASS, "1.2", "tracefs available", NULL,
			       "%s (mode %s)", c->tracing,
			       mode_str(c->tracing, mode, sizeof(mode)));
		if (m)
			finding_append(f, "mounted: %s %s", m->fstype, m->options);
		else if (dbg)
			finding_append(f, "reached through debugfs at /sys/kernel/debug");
		else if (c->have_mounts)
			finding_append(f, "note: not listed in /proc/mounts");
		return;
	}
	/*
	 * A standard place that this user cannot even search (tracefs and debugfs are 0700 by
	 * default): tracefs is there, but not for us. Not "not mounted": mounting would not help.
	 */
	if (denied) {
		char where[PATH_MAX];
		struct stat st;
		char *slash;

		/* the directory that refuses: the place itself, or its parent (debugfs) */
		snprintf(where, sizeof(where), "%s", denied);
		if (sysroot_stat(where, &st) && (slash = strrchr(where, '/')) && slash != where)
			*slash = '\0';
		f = report_add(
			&c->r, "fs.tracefs", ST_FAIL, "1.2", "tracefs is mounted but not readable",
			"run edrdiag and the agent as root (tracefs is root-only by default)",
			"%s (mode %s) is not readable by uid %u", where,
			mode_str(where, mode, sizeof(mode)), (unsigned int)geteuid());
		if (strcmp(where, denied))
			finding_append(f, "so %s cannot be reached", denied);
		return;
	}
	if (other[0]) {
		report_add(&c->r, "fs.tracefs", ST_WARN, "1.2",
			   "tracefs mounted only outside the standard places",
			   "mount -t tracefs nodev /sys/kernel/tracing",
			   "mounted at %s; libbpf looks only in /sys/kernel/tracing and "
			   "/sys/kernel/debug/tracing",
			   other);
		snprintf(c->tracing, sizeof(c->tracing), "%s", other);
		return;
	}
	report_add(&c->r, "fs.tracefs", ST_FAIL, "1.2", "tracefs not mounted",
		   "mount -t tracefs nodev /sys/kernel/tracing (or mount -t debugfs none "
		   "/sys/kernel/debug, which brings it at /sys/kernel/debug/tracing)",
		   "no events/ under /sys/kernel/tracing or /sys/kernel/debug/tracing%s",
		   c->have_mounts ? ", and no tracefs in /proc/mounts" : "");
}

static void check_debugfs(struct ctx *c)
{
	const struct mount_entry *m = NULL;
	char mode[48];

	if (c->have_mounts) {
		m = mounts_find(&c->mounts, "debugfs", "/sys/kernel/debug");
		if (!m)
			m = mounts_find(&c->mounts, "debugfs", NULL);
	}
	if (m)
		report_add(&c->r, "fs.debugfs", ST_PASS, "1.2", "debugfs mounted", NULL,
			   "%s (mode %s) %s", m->target, mode_str(m->target, mode, sizeof(mode)),
			   m->options);
	else if (!c->have_mounts)
		report_add(&c->r, "fs.debugfs", ST_SKIP, "1.2", "debugfs state unknown", NULL,
			   "/proc/mounts not readable");
	else
		report_add(&c->r, "fs.debugfs", ST_WARN, "1.2", "debugfs not mounted",
			   "mount -t debugfs none /sys/kernel/debug",
			   "the guide's /sys/kernel/debug/tracing paths and older tools need it%s",
			   c->tracing[0] ? "; the sensor itself uses tracefs, which is available"
					 : "");
}

static void load_btf(struct ctx *c)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	char disk[PATH_MAX];

	if (sysroot_access(path, F_OK)) {
		snprintf(c->btf_note, sizeof(c->btf_note), "offsets not cross-checked: no %s",
			 path);
		return;
	}
	/* libbpf 1.x returns NULL and sets errno */
	c->btf = btf__parse(sysroot_path(disk, sizeof(disk), path), NULL);
	if (!c->btf)
		snprintf(c->btf_note, sizeof(c->btf_note), "offsets not cross-checked: %s: %s",
			 path, strerror(errno));
}

static bool in_available(const struct ctx *c, const char *cat, const char *ev)
{
	size_t lc = strlen(cat), le = strlen(ev);
	const char *p;

	for (p = c->available; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, cat, lc) && p[lc] == ':' && !strncmp(p + lc + 1, ev, le) &&
		    (p[lc + 1 + le] == '\n' || p[lc + 1 + le] == '\0'))
			return true;
	return false;
}

static json_t *fields_json(const struct tp_format *fmt)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < fmt->nr_fields; i++) {
		const struct tp_field *f = &fmt->fields[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:i, s:b, s:b}", "name",
						   f->name, "type", f->type, "offset", f->offset,
						   "size", f->size, "signed", f->is_signed,
						   "data_loc", f->data_loc));
	}
	return a;
}

/*
 * Compare every event field's offset with BTF's struct trace_event_raw_<event>: the
 * struct the sensor's program is compiled against. Returns the number of mismatches.
 */
static int btf_cross_check(struct ctx *c, const char *ev, const struct tp_format *fmt,
			   struct finding *f, json_t *jtp)
{
	char sname[160], member[160];
	int bad = 0, checked = 0;
	size_t i;

	if (!c->btf) {
		finding_append(f, "%s", c->btf_note);
		return 0;
	}
	snprintf(sname, sizeof(sname), "trace_event_raw_%s", ev);
	for (i = 0; i < fmt->nr_fields; i++) {
		const struct tp_field *fl = &fmt->fields[i];
		int off, size, err;

		if (fl->common)
			continue;
		snprintf(member, sizeof(member), "%s%s", fl->data_loc ? "__data_loc_" : "",
			 fl->name);
		err = btf_member_offset(c->btf, sname, member, &off, &size);
		if (err == -ENOENT) {
			finding_append(f, "offsets not cross-checked: BTF has no struct %s", sname);
			return 0;
		}
		if (err) {
			finding_append(
				f, "BTF struct %s has no member %s (format has it at offset %d)",
				sname, member, fl->offset);
			bad++;
			continue;
		}
		checked++;
		if (off != fl->offset) {
			finding_append(f, "offset mismatch for %s: format says %d, BTF %s says %d",
				       fl->name, fl->offset, sname, off);
			bad++;
		}
	}
	json_object_set_new(jtp, "btf_checked", json_boolean(checked > 0));
	if (!bad)
		finding_append(f, "%d offsets agree with BTF struct %s", checked, sname);
	return bad;
}

/* Check the fields the sensor relies on; returns the number of failures. */
static int check_layout(const char *name, const struct tp_format *fmt, struct finding *f,
			char *summary, size_t len)
{
	const struct tp_expect *e;
	size_t n, i, used = 0;
	char why[256];
	int bad = 0;

	summary[0] = '\0';
	e = tp_expectations(name, &n);
	for (i = 0; i < n; i++) {
		const struct tp_field *fl = tp_format_field(fmt, e[i].field);

		if (!fl) {
			finding_append(f, "field '%s' missing", e[i].field);
			bad++;
			continue;
		}
		if (!tp_expect_check(&e[i], fl, why, sizeof(why))) {
			finding_append(f, "%s", why);
			bad++;
			continue;
		}
		used += (size_t)snprintf(summary + used, used < len ? len - used : 0, "%s%s@%d",
					 used ? ", " : "", fl->name, fl->offset);
		if (used >= len)
			used = len - 1;
	}
	return bad;
}

static int check_tracepoint(struct ctx *c, const char *name, bool user_given)
{
	char cat[128], dir[PATH_MAX], path[PATH_MAX], id[192], title[256], summary[160], why[256];
	const char *ev = strchr(name, '/') + 1;
	struct tp_format fmt;
	struct finding *f;
	json_t *jtp;
	char *text;
	bool listed, present;
	int err, bad, bad_btf;

	snprintf(cat, sizeof(cat), "%.*s", (int)(ev - name - 1), name);
	snprintf(id, sizeof(id), "tracepoint.%s", name);
	jtp = json_pack("{s:s}", "name", name);
	json_array_append_new(c->jtps, jtp);

	if (!c->tracing[0]) {
		json_object_set_new(jtp, "present", json_null());
		report_add(&c->r, id, ST_SKIP, "1.2", "not checked: tracefs unavailable", NULL,
			   "see fs.tracefs");
		snprintf(id, sizeof(id), "tracepoint.%s.format", name);
		report_add(&c->r, id, ST_SKIP, "1.2", "not checked: tracefs unavailable", NULL,
			   "see fs.tracefs");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/events/%s", c->tracing, name);
	present = sysroot_isdir(dir);
	listed = c->available && in_available(c, cat, ev);
	json_object_set_new(jtp, "present", json_boolean(present));
	if (!present) {
		if (user_given && !listed) {
			p_err("unknown tracepoint '%s': no %s/events/%s on this host", name,
			      c->tracing, name);
			return EXIT_USAGE;
		}
		report_add(
			&c->r, id, ST_FAIL, "1.2", "tracepoint missing",
			!strcmp(cat, "syscalls")
				? "use a kernel built with CONFIG_FTRACE_SYSCALLS=y"
				: "check the name (ls /sys/kernel/tracing/events/); without the "
				  "tracepoint the sensor can only use its kprobe fallback, which "
				  "needs CONFIG_KPROBES=y",
			"no %s%s", dir, listed ? ", yet available_events lists it" : "");
		snprintf(id, sizeof(id), "tracepoint.%s.format", name);
		report_add(&c->r, id, ST_SKIP, "1.2", "no format: tracepoint missing", NULL,
			   "see tracepoint.%s", name);
		return 0;
	}

	snprintf(path, sizeof(path), "%s/format", dir);
	err = sysroot_read(path, &text, NULL);
	fmt.id = -1;
	if (!err) {
		err = tp_format_parse(text, &fmt, why, sizeof(why)) ? -EBADMSG : 0;
		free(text);
	}
	if (!err)
		json_object_set_new(jtp, "id", json_integer(fmt.id));

	f = report_add(&c->r, id, listed || !c->available ? ST_PASS : ST_WARN, "1.2",
		       listed || !c->available ? "tracepoint present"
					       : "tracepoint present but not in available_events",
		       NULL, "%s", dir);
	if (!err && fmt.id >= 0)
		finding_append(f, "ID %ld", fmt.id);
	if (!c->available)
		finding_append(f, "available_events not readable");
	snprintf(path, sizeof(path), "%s/enable", dir);
	/* may it be enabled? asked with access(2), never by writing; a copied tree can't say */
	if (sysroot_is_live())
		finding_append(f, "enable %s",
			       sysroot_access(path, W_OK) ? "not writable by this user"
							  : "writable");

	snprintf(id, sizeof(id), "tracepoint.%s.format", name);
	snprintf(path, sizeof(path), "%s/format", dir);
	if (err == -EBADMSG) {
		report_add(&c->r, id, ST_FAIL, "1.2", "format file does not parse",
			   "report this kernel to the sensor's maintainers with the format file",
			   "%s: %s", path, why);
		return 0;
	}
	if (err) {
		report_add(&c->r, id, ST_FAIL, "1.2", "format file not readable",
			   err == -EACCES ? "run edrdiag as root" : NULL, "%s: %s", path,
			   strerror(-err));
		return 0;
	}
	json_object_set_new(jtp, "fields", fields_json(&fmt));
	f = report_add(&c->r, id, ST_PASS, "1.2", "", NULL, "%s", "");
	bad = check_layout(name, &fmt, f, summary, sizeof(summary));
	bad_btf = btf_cross_check(c, ev, &fmt, f, jtp);
	if (bad) {
		f->status = ST_FAIL;
		snprintf(title, sizeof(title), "layout differs from what the sensor reads");
		finding_set_remedy(f,
				   "the sensor cannot read this kernel's event: report the kernel "
				   "(uname -r and this format file) to the sensor's maintainers");
	} else if (bad_btf) {
		/* the format file is the running kernel's truth; BTF is what CO-RE relocates by */
		f->status = ST_FAIL;
		snprintf(title, sizeof(title), "format and kernel BTF disagree on the layout");
		finding_set_remedy(f, "CO-RE would read wrong offsets: check that "
				      "/sys/kernel/btf/vmlinux belongs to the running kernel (no "
				      "stale or foreign BTF), and report the kernel if it does");
	} else if (*summary) {
		snprintf(title, sizeof(title), "layout as the sensor expects: %s", summary);
	} else {
		snprintf(title, sizeof(title), "format parses: %zu fields", fmt.nr_fields);
	}
	free(f->title);
	f->title = util_xstrdup(title);
	tp_format_free(&fmt);
	return 0;
}

static int run(int argc, char **argv)
{
	const char *const *tps = opts.nr ? opts.tp : default_tracepoints;
	size_t n = opts.nr ? opts.nr : ARRAY_SIZE(default_tracepoints), i;
	json_t *jtr;
	struct ctx c;
	char path[PATH_MAX], *text;
	int ret = 0;

	(void)argc;
	(void)argv;
	memset(&c, 0, sizeof(c));
	report_init(&c.r, "check-tracepoints");
	c.r.strict = global.strict;
	/* under --root: is the tree a support bundle, unchanged since it was collected? */
	manifest_check_root(&c.r);
	c.jtps = json_array();
	if (sysroot_read("/proc/mounts", &text, NULL) == 0) {
		mounts_parse(text, &c.mounts);
		c.have_mounts = true;
		free(text);
	}
	locate_tracefs(&c);
	check_debugfs(&c);
	if (c.tracing[0]) {
		snprintf(path, sizeof(path), "%s/available_events", c.tracing);
		if (sysroot_read(path, &c.available, NULL))
			c.available = NULL;
		load_btf(&c);
	}
	for (i = 0; i < n && !ret; i++)
		ret = check_tracepoint(&c, tps[i], opts.nr > 0);
	if (ret)
		goto out;

	jtr = json_pack("{s:o, s:b}", "tracefs",
			c.tracing[0] ? json_string(c.tracing) : json_null(), "live",
			sysroot_is_live());
	json_object_set_new(c.r.extra, "root", json_string(sysroot_dir()));
	json_object_set_new(c.r.extra, "tracing", jtr);
	json_object_set(c.r.extra, "tracepoints", c.jtps);
	output_report(&c.r);
	ret = report_exit_code(&c.r);
out:
	json_decref(c.jtps);
	btf__free(c.btf);
	free(c.available);
	mounts_free(&c.mounts);
	report_free(&c.r);
	return ret;
}

const struct cmd cmd_check_tracepoints = {
	.name = "check-tracepoints",
	.summary = "tracefs and debugfs, the sensor's tracepoints and the layout it reads",
	.synopsis = "[--tracepoint CATEGORY/EVENT]... ",
	.options = "  -t, --tracepoint CAT/EVENT  check this tracepoint (repeatable); default:\n"
		   "                              sched/sched_process_exec, "
		   "sched/sched_process_fork,\n"
		   "                              sched/sched_process_exit, "
		   "syscalls/sys_enter_execve\n",
	.shortopts = "t:",
	.longopts = longopts,
	.parse_opt = parse_opt,
	.run = run,
	.args_hint = "name tracepoints with --tracepoint CATEGORY/EVENT",
};
