// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-tracepoints: guide section 1.2 as checks. Where tracefs and debugfs are, whether
 * the sensor's tracepoints exist, and whether their format files have the layout the
 * sensor's program reads. Reads only: never enables an event or writes a tracing file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/btfread.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/manifest.h"
#include "../src/output.h"
#include "../src/sysroot.h"
#include "../src/target.h"
#include "../src/text.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

#define MAX_TRACEPOINTS 64

/* The host files it reads besides tracefs: the kernel BTF for the offsets' cross-check. */
#define BTF_PATH "/sys/kernel/btf/vmlinux"
/* ~2,000 events of ~40 bytes on a 6.x kernel; format files are ~2 KiB */
#define AVAILABLE_MAX (8u << 20)
#define FORMAT_MAX    (256u << 10)

static struct {
	const char *tp[MAX_TRACEPOINTS];
	size_t nr;
} opts;

enum { OPT_TRACEPOINT = 't' };

static const struct cliopt options[] = {
	{ "tracepoint", 't', OPT_TRACEPOINT, CLIOPT_REQUIRED, "CAT/EVENT",
	  N_("check this tracepoint (repeatable); default: sched/sched_process_exec, "
	     "sched/sched_process_fork, sched/sched_process_exit, syscalls/sys_enter_execve"),
	  CLIOPT_COMPLETE_WORDS,
	  "sched/sched_process_exec sched/sched_process_fork sched/sched_process_exit "
	  "syscalls/sys_enter_execve" },
	{ 0 },
};

struct ctx {
	struct report r;
	struct mount_table mounts;
	bool have_mounts;
	char tracing[PATH_MAX]; /* usable tracing dir (host path), "" if none */
	char *available;	/* available_events text, NULL if unreadable */
	struct btfread *btf;	/* vmlinux BTF for the cross-check, NULL if none */
	char *btf_data;		/* what btf points into */
	char btf_note[256];	/* why there is none */
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

/* The mode of a live directory; a bundle keeps files, not the modes of their directories. */
static const char *mode_str(const char *host_path, char *buf, size_t len)
{
	struct stat st;

	if (!sysroot_is_live())
		snprintf(buf, len, _("not collected"));
	else if (sysroot_stat(host_path, &st))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%04o %u:%u", st.st_mode & 07777, st.st_uid, st.st_gid);
	return buf;
}

/* fs.tracefs when dir, tracefs or the way to it, does not let this user in. */
static struct finding *not_readable(struct ctx *c, const char *dir)
{
	char mode[48];

	return report_add(&c->r, "fs.tracefs", ST_FAIL, "1.2",
			  "tracefs is mounted but not readable",
			  "run edrdiag and the agent as root (tracefs is root-only by default)",
			  "%s (mode %s) is not readable by uid %u", dir,
			  mode_str(dir, mode, sizeof(mode)), (unsigned int)geteuid());
}

/* Where is tracefs usable? A standard place first (libbpf looks only there). */
static void locate_tracefs(struct ctx *c)
{
	const struct mount_entry *dbg = NULL;
	struct tracefs_location loc;
	char mode[48];
	struct finding *f;

	tracefs_locate(c->have_mounts ? &c->mounts : NULL, &loc);
	c->tracing[0] = '\0';
	if (loc.standard) {
		const struct mount_entry *m =
			c->have_mounts ? mounts_find(&c->mounts, "tracefs", loc.dir) : NULL;

		snprintf(c->tracing, sizeof(c->tracing), "%s", loc.dir);
		if (!m && c->have_mounts)
			dbg = mounts_find(&c->mounts, "debugfs", "/sys/kernel/debug");
		if (sysroot_access(c->tracing, R_OK | X_OK)) {
			not_readable(c, c->tracing);
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
	 * In a bundle, the manifest says so of the collector's user.
	 */
	if (loc.denied) {
		char where[PATH_MAX], events[PATH_MAX];
		const char *why = NULL;
		struct stat st;
		char *slash;
		int nc;

		/* the directory that refuses: the place itself, or its parent (debugfs) */
		snprintf(where, sizeof(where), "%s", loc.denied);
		if (sysroot_is_live() && sysroot_stat(where, &st) &&
		    (slash = strrchr(where, '/')) && slash != where)
			*slash = '\0';
		snprintf(events, sizeof(events), "%s/events", loc.denied);
		if (!sysroot_is_live())
			why = sysroot_not_collected_why(events, &nc);
		if (why)
			f = report_add(
				&c->r, "fs.tracefs", ST_FAIL, "1.2",
				"tracefs is mounted but not readable",
				"run edrdiag and the agent as root (tracefs is root-only by "
				"default)",
				"%s was not readable by the user who collected the bundle%s%s: "
				"%s",
				loc.denied, target_get()->collected_uid ? _(", uid ") : "",
				target_get()->collected_uid ? target_get()->collected_uid : "",
				why);
		else
			f = not_readable(c, where);
		if (!why && strcmp(where, loc.denied))
			finding_append(f, "so %s cannot be reached", loc.denied);
		return;
	}
	if (loc.dir[0]) {
		report_add(&c->r, "fs.tracefs", ST_WARN, "1.2",
			   "tracefs mounted only outside the standard places",
			   "mount -t tracefs nodev /sys/kernel/tracing",
			   "mounted at %s; libbpf looks only in /sys/kernel/tracing and "
			   "/sys/kernel/debug/tracing",
			   loc.dir);
		snprintf(c->tracing, sizeof(c->tracing), "%s", loc.dir);
		return;
	}
	report_add(&c->r, "fs.tracefs", ST_FAIL, "1.2", "tracefs not mounted",
		   "mount -t tracefs nodev /sys/kernel/tracing (or mount -t debugfs none "
		   "/sys/kernel/debug, which brings it at /sys/kernel/debug/tracing)",
		   "no events/ under /sys/kernel/tracing or /sys/kernel/debug/tracing%s",
		   c->have_mounts ? _(", and no tracefs in /proc/mounts") : "");
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
			   c->tracing[0] ? _("; the sensor itself uses tracefs, which is available")
					 : "");
}

static void load_btf(struct ctx *c)
{
	char err[160];
	size_t len;
	int e;

	e = sysroot_read(BTF_PATH, BTFREAD_FILE_MAX, &c->btf_data, &len);
	if (e) {
		snprintf(c->btf_note, sizeof(c->btf_note), _("offsets not cross-checked: %s: %s"),
			 BTF_PATH, e == -ENOENT ? _("absent") : sysroot_error(BTF_PATH, e));
		c->btf_data = NULL;
		return;
	}
	/* a bundle keeps only the header: the host's own run did the cross-check */
	if (btfread_open(c->btf_data, len, &c->btf, err, sizeof(err))) {
		snprintf(c->btf_note, sizeof(c->btf_note), _("offsets not cross-checked: %s: %s"),
			 BTF_PATH, err);
		free(c->btf_data);
		c->btf_data = NULL;
	}
}

static json_t *fields_json(const struct tp_format *fmt)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < fmt->nr_fields; i++) {
		const struct tp_field *f = &fmt->fields[i];

		json_array_append_new(a, json_pack("{s:s, s:o, s:i, s:i, s:b, s:b}", "name",
						   f->name, "type", text_json(f->type), "offset",
						   f->offset, "size", f->size, "signed",
						   f->is_signed, "data_loc", f->data_loc));
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
		err = btfread_member(c->btf, sname, member, &off, &size);
		if (err == -ENOENT) {
			finding_append(f, "offsets not cross-checked: BTF has no struct %s", sname);
			return 0;
		}
		if (err == -ESRCH) {
			finding_append(
				f, "BTF struct %s has no member %s (format has it at offset %d)",
				sname, member, fl->offset);
			bad++;
			continue;
		}
		if (err) {
			finding_append(f, "BTF struct %s member %s: its size does not resolve",
				       sname, member);
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

/*
 * A bundle keeps only the header of the kernel's BTF, so a replay cannot cross-check the
 * offsets; the host's own run could, and its verdict is in the bundle. Where it found what
 * this replay cannot see, the replay says what the host's run said.
 */
static void adopt_collected(struct finding *f)
{
	json_t *jf = target_get()->kind == TARGET_BUNDLE
			     ? target_collected("check-tracepoints", f->id)
			     : NULL;
	const char *st = jf ? json_string_value(json_object_get(jf, "status")) : NULL;
	const char *title, *detail;

	if (!st || !strcmp(st, "pass") || !strcmp(st, "skip"))
		return;
	title = json_string_value(json_object_get(jf, "title"));
	detail = json_string_value(json_object_get(jf, "detail"));
	finding_set_status(f, !strcmp(st, "warn") ? ST_WARN : ST_FAIL);
	finding_set_title(f, "%s (collected on the host)",
			  title ? title : _("the host's run disagrees"));
	finding_append(f, "the host's own run, with the kernel's BTF%s%s, found: %s",
		       target_get()->collected_at ? _(", at ") : "",
		       target_get()->collected_at ? target_get()->collected_at : "",
		       detail ? detail : _("(no detail)"));
	finding_set_remedy(f, json_string_value(json_object_get(jf, "remedy")));
}

static bool sensor_tracepoint(const char *name)
{
	size_t i;

	for (i = 0; i < TRACEFS_NR_SENSOR; i++)
		if (!strcmp(tracefs_sensor_tracepoints[i], name))
			return true;
	return false;
}

static int check_tracepoint(struct ctx *c, const char *name, bool user_given)
{
	char cat[128], dir[PATH_MAX], path[PATH_MAX], id[192], summary[160], why[256];
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
	listed = tp_available_lists(c->available, cat, ev);
	if (!present && !sysroot_is_live() && !sensor_tracepoint(name) && (listed || !user_given)) {
		/* a bundle holds the event files of the sensor's tracepoints only */
		json_object_set_new(jtp, "present", json_null());
		report_add(&c->r, id, ST_SKIP, "1.2", "not collected in the bundle", NULL,
			   "a bundle holds the files of the sensor's own tracepoints only%s: run "
			   "edrdiag check-tracepoints --tracepoint %s on the host",
			   listed ? _(" (available_events lists it)") : "", name);
		snprintf(id, sizeof(id), "tracepoint.%s.format", name);
		report_add(&c->r, id, ST_SKIP, "1.2", "not collected in the bundle", NULL,
			   "see tracepoint.%s", name);
		return 0;
	}
	json_object_set_new(jtp, "present", json_boolean(present));
	if (!present) {
		if (user_given && !listed) {
			p_err_code(OUTPUT_ERR_BAD_INPUT,
				   "unknown tracepoint '%s': no %s/events/%s on %s", name,
				   c->tracing, name,
				   sysroot_is_live() ? _("this host") : _("the bundle's host"));
			return EXIT_USAGE;
		}
		report_add(
			&c->r, id, ST_FAIL, "1.2", "tracepoint missing",
			!strcmp(cat, "syscalls")
				? _("use a kernel built with CONFIG_FTRACE_SYSCALLS=y")
				: _("check the name (ls /sys/kernel/tracing/events/); without the "
				    "tracepoint the sensor can only use its kprobe fallback, which "
				    "needs CONFIG_KPROBES=y"),
			"no %s%s", dir, listed ? _(", yet available_events lists it") : "");
		snprintf(id, sizeof(id), "tracepoint.%s.format", name);
		report_add(&c->r, id, ST_SKIP, "1.2", "no format: tracepoint missing", NULL,
			   "see tracepoint.%s", name);
		return 0;
	}

	snprintf(path, sizeof(path), "%s/format", dir);
	err = sysroot_read(path, FORMAT_MAX, &text, NULL);
	fmt.id = -1;
	if (!err) {
		err = tp_format_parse(text, &fmt, why, sizeof(why)) ? -EBADMSG : 0;
		free(text);
	}
	if (!err)
		json_object_set_new(jtp, "id", json_integer(fmt.id));

	f = report_add(&c->r, id, listed || !c->available ? ST_PASS : ST_WARN, "1.2",
		       listed || !c->available
			       ? _("tracepoint present")
			       : _("tracepoint present but not in available_events"),
		       NULL, "%s", dir);
	if (!err && fmt.id >= 0)
		finding_append(f, "ID %ld", fmt.id);
	if (!c->available)
		finding_append(f, "available_events not readable");
	snprintf(path, sizeof(path), "%s/enable", dir);
	/* may it be enabled? asked with access(2), never by writing; a copied tree can't say */
	if (sysroot_is_live())
		finding_append(f, "enable %s",
			       sysroot_access(path, W_OK) ? _("not writable by this user")
							  : _("writable"));

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
			   err == -EACCES ? _("run edrdiag as root") : NULL, "%s: %s", path,
			   sysroot_error(path, err));
		return 0;
	}
	json_object_set_new(jtp, "fields", fields_json(&fmt));
	f = report_add(&c->r, id, ST_PASS, "1.2", "", NULL, NULL);
	bad = check_layout(name, &fmt, f, summary, sizeof(summary));
	bad_btf = btf_cross_check(c, ev, &fmt, f, jtp);
	if (bad) {
		finding_set_status(f, ST_FAIL);
		finding_set_title(f, "layout differs from what the sensor reads");
		finding_set_remedy(f,
				   "the sensor cannot read this kernel's event: report the kernel "
				   "(uname -r and this format file) to the sensor's maintainers");
	} else if (bad_btf) {
		/* the format file is the running kernel's truth; BTF is what CO-RE relocates by */
		finding_set_status(f, ST_FAIL);
		finding_set_title(f, "format and kernel BTF disagree on the layout");
		finding_set_remedy(f, "CO-RE would read wrong offsets: check that "
				      "/sys/kernel/btf/vmlinux belongs to the running kernel (no "
				      "stale or foreign BTF), and report the kernel if it does");
	} else if (*summary) {
		finding_set_title(f, "layout as the sensor expects: %s", summary);
	} else {
		finding_set_title(f, "format parses: %zu fields", fmt.nr_fields);
	}
	if (!bad && !c->btf)
		adopt_collected(f);
	tp_format_free(&fmt);
	return 0;
}

int check_tracepoints_gather(struct report *r)
{
	const char *const *tps = opts.nr ? opts.tp : tracefs_sensor_tracepoints;
	size_t n = opts.nr ? opts.nr : TRACEFS_NR_SENSOR, i;
	json_t *jtr;
	struct ctx c;
	char path[PATH_MAX];
	int ret = 0;

	memset(&c, 0, sizeof(c));
	report_init(&c.r, "check-tracepoints");
	c.r.strict = global.strict;
	/* under --root: is the tree a support bundle, unchanged since it was collected? */
	manifest_check_root(&c.r);
	c.jtps = json_array();
	c.have_mounts = mounts_read(&c.mounts) == 0;
	locate_tracefs(&c);
	check_debugfs(&c);
	if (c.tracing[0]) {
		snprintf(path, sizeof(path), "%s/available_events", c.tracing);
		if (sysroot_read(path, AVAILABLE_MAX, &c.available, NULL))
			c.available = NULL;
		load_btf(&c);
	}
	for (i = 0; i < n && !ret; i++)
		ret = check_tracepoint(&c, tps[i], opts.nr > 0);
	if (ret)
		goto out;
	target_report_refusals(&c.r);

	jtr = json_pack("{s:o, s:b}", "tracefs", c.tracing[0] ? text_json(c.tracing) : json_null(),
			"live", sysroot_is_live());
	json_object_set_new(c.r.extra, "root", text_json(sysroot_dir()));
	json_object_set_new(c.r.extra, "tracing", jtr);
	json_object_set(c.r.extra, "tracepoints", c.jtps);
	*r = c.r; /* the caller's now */
	memset(&c.r, 0, sizeof(c.r));
out:
	json_decref(c.jtps);
	btfread_free(c.btf);
	free(c.btf_data);
	free(c.available);
	mounts_free(&c.mounts);
	report_free(&c.r);
	return ret;
}

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_report(check_tracepoints_gather);
}

static void host_files(host_want_fn want, void *arg)
{
	struct tracefs_location loc;
	struct mount_table mt;
	char path[PATH_MAX];
	size_t i, k;

	/* what run() reads on a live host, through the same lists */
	want(MOUNTS_PATH, HOST_FILE, 0, arg);
	/* where tracefs_locate() looks: what the host says of each (denied, absent) */
	for (i = 0; i < TRACEFS_NR_STD; i++) {
		snprintf(path, sizeof(path), "%s/events", tracefs_std_dirs[i]);
		want(path, HOST_DIR, 0, arg);
	}
	tracefs_locate(mounts_read(&mt) ? NULL : &mt, &loc);
	mounts_free(&mt);
	if (!loc.dir[0])
		return;
	snprintf(path, sizeof(path), "%s/available_events", loc.dir);
	want(path, HOST_FILE, 0, arg);
	for (i = 0; i < TRACEFS_NR_SENSOR; i++)
		for (k = 0; k < TRACEFS_NR_EVENT_FILES; k++) {
			snprintf(path, sizeof(path), "%s/events/%s/%s", loc.dir,
				 tracefs_sensor_tracepoints[i], tracefs_event_files[k]);
			want(path, HOST_FILE, 0, arg);
		}
	/* the BTF's header, which check-kernel collects: the offsets' cross-check is made on
	 * the host, and its verdict collected in commands/ */
}

const struct cmd cmd_check_tracepoints = {
	.name = "check-tracepoints",
	.summary = N_("tracefs and debugfs, the sensor's tracepoints and the layout it reads"),
	.synopsis = "[--tracepoint CATEGORY/EVENT]... ",
	.opts = options,
	.parse_opt = parse_opt,
	.run = run,
	.args_hint = "name tracepoints with --tracepoint CATEGORY/EVENT",
	.host_files = host_files,
};
