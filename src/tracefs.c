// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sysroot.h"
#include "tracefs.h"
#include "util.h"

/* A C identifier of n characters (tracepoint categories, events and field names). */
static bool ident(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Parse "offset:8;" style attributes; returns 0 when key is found with an integer. */
static int attr_int(const char *line, const char *key, int *val)
{
	const char *p = strstr(line, key);
	char *end;
	long v;

	if (!p)
		return -ENOENT;
	p += strlen(key);
	v = strtol(p, &end, 10);
	if (end == p || *end != ';' || v < 0 || v > 1 << 20)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

/*
 * "__data_loc char[] filename" -> type "char[]", name "filename", data_loc
 * "char comm[16]"              -> type "char[16]", name "comm"
 * "const char * filename"      -> type "const char *", name "filename"
 */
static int parse_decl(char *decl, struct tp_field *f)
{
	char *name, *bracket, *type;

	util_rstrip(decl);
	if (util_startswith(decl, "__data_loc ")) {
		f->data_loc = true;
		decl += strlen("__data_loc ");
	}
	name = strrchr(decl, ' ');
	if (!name || !name[1])
		return -EINVAL;
	*name++ = '\0';
	bracket = strchr(name, '[');
	util_rstrip(decl);
	if (!*decl)
		return -EINVAL;
	if (bracket) {
		type = util_fmt("%s%s", decl, bracket);
		*bracket = '\0';
	} else {
		type = util_xstrdup(decl);
	}
	if (!ident(name, strlen(name))) {
		free(type);
		return -EINVAL;
	}
	f->type = type;
	f->name = util_xstrdup(name);
	f->common = util_startswith(name, "common_");
	return 0;
}

static int parse_field(char *line, struct tp_field *f, char *why, size_t len)
{
	char *decl = line + strlen("field:"), *semi;
	int sgn = 0;

	memset(f, 0, sizeof(*f));
	semi = strchr(decl, ';');
	if (!semi) {
		snprintf(why, len, _("field declaration without ';'"));
		return -EINVAL;
	}
	*semi = '\0';
	if (attr_int(semi + 1, "offset:", &f->offset) || attr_int(semi + 1, "size:", &f->size)) {
		snprintf(why, len, _("field '%s' without a valid offset and size"), decl);
		return -EINVAL;
	}
	/* "signed:" appeared in 2.6.35; older formats lack it, which is not an error */
	if (attr_int(semi + 1, "signed:", &sgn) == -EINVAL || sgn > 1) {
		snprintf(why, len, _("field '%s' with a bad 'signed:' value"), decl);
		return -EINVAL;
	}
	f->is_signed = sgn == 1;
	if (parse_decl(decl, f)) {
		snprintf(why, len, _("cannot parse field declaration '%s'"), decl);
		return -EINVAL;
	}
	return 0;
}

int tp_format_parse(const char *text, struct tp_format *fmt, char *err, size_t errlen)
{
	char *copy = util_xstrdup(text), *line, *next, why[256];
	size_t cap = 0;
	unsigned int lineno = 0;
	bool in_format = false;
	int ret = 0;

	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
	for (line = copy; line && *line; line = next) {
		char *s;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		util_rstrip(line);
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (!*s)
			continue;
		if (util_startswith(s, "name:") && !fmt->name) {
			for (s += 5; *s == ' '; s++)
				;
			fmt->name = util_xstrdup(s);
		} else if (util_startswith(s, "ID:")) {
			char *end;

			fmt->id = strtol(s + 3, &end, 10);
			if (end == s + 3 || *end || fmt->id < 0) {
				snprintf(err, errlen, _("line %u: bad ID '%s'"), lineno, s + 3);
				ret = -EINVAL;
				break;
			}
		} else if (util_startswith(s, "format:")) {
			in_format = true;
		} else if (util_startswith(s, "field:")) {
			struct tp_field f;

			if (!in_format) {
				snprintf(err, errlen, _("line %u: field before 'format:'"), lineno);
				ret = -EINVAL;
				break;
			}
			if (parse_field(s, &f, why, sizeof(why))) {
				snprintf(err, errlen, _("line %u: %s"), lineno, why);
				ret = -EINVAL;
				break;
			}
			if (fmt->nr_fields == cap) {
				cap = cap ? cap * 2 : 16;
				fmt->fields = util_xrealloc(fmt->fields, cap * sizeof(f));
			}
			fmt->fields[fmt->nr_fields++] = f;
		} else if (util_startswith(s, "print fmt:")) {
			break;
		} else {
			snprintf(err, errlen, _("line %u: unexpected text '%.40s'"), lineno, s);
			ret = -EINVAL;
			break;
		}
	}
	free(copy);
	if (!ret && !fmt->name) {
		snprintf(err, errlen, _("no 'name:' line"));
		ret = -EINVAL;
	} else if (!ret && !fmt->nr_fields) {
		snprintf(err, errlen, _("no field lines"));
		ret = -EINVAL;
	}
	if (ret)
		tp_format_free(fmt);
	return ret;
}

const struct tp_field *tp_format_field(const struct tp_format *fmt, const char *name)
{
	size_t i;

	for (i = 0; i < fmt->nr_fields; i++)
		if (!strcmp(fmt->fields[i].name, name))
			return &fmt->fields[i];
	return NULL;
}

void tp_format_free(struct tp_format *fmt)
{
	size_t i;

	for (i = 0; i < fmt->nr_fields; i++) {
		free(fmt->fields[i].type);
		free(fmt->fields[i].name);
	}
	free(fmt->fields);
	free(fmt->name);
	memset(fmt, 0, sizeof(*fmt));
	fmt->id = -1;
}

/* The fields the sensor reads from each of its tracepoints, and their shape. */
static const struct tp_expect expectations[] = {
	{ "sched/sched_process_exec", "filename", TP_DATA_LOC, 4, false },
	{ "sched/sched_process_exec", "pid", TP_SCALAR, 4, true },
	{ "sched/sched_process_exec", "old_pid", TP_SCALAR, 4, true },
	{ "sched/sched_process_fork", "parent_pid", TP_SCALAR, 4, true },
	{ "sched/sched_process_fork", "child_pid", TP_SCALAR, 4, true },
	{ "sched/sched_process_exit", "pid", TP_SCALAR, 4, true },
	{ "syscalls/sys_enter_execve", "filename", TP_POINTER, 0, false },
};

const struct tp_expect *tp_expectations(const char *event, size_t *n)
{
	size_t i, first = ARRAY_SIZE(expectations);

	*n = 0;
	for (i = 0; i < ARRAY_SIZE(expectations); i++) {
		if (strcmp(expectations[i].event, event))
			continue;
		if (!*n)
			first = i;
		(*n)++;
	}
	return *n ? &expectations[first] : NULL;
}

bool tp_expect_check(const struct tp_expect *e, const struct tp_field *f, char *why, size_t len)
{
	switch (e->kind) {
	case TP_DATA_LOC:
		if (!f->data_loc || f->size != 4) {
			snprintf(why, len,
				 "%s is '%s%s' size %d, expected '__data_loc char[]' size 4",
				 f->name, f->data_loc ? "__data_loc " : "", f->type, f->size);
			return false;
		}
		return true;
	case TP_POINTER:
		if (!strchr(f->type, '*') || (f->size != 4 && f->size != 8)) {
			snprintf(why, len,
				 _("%s is '%s' size %d, expected a pointer of size 4 or 8"),
				 f->name, f->type, f->size);
			return false;
		}
		return true;
	case TP_SCALAR:
		if (f->data_loc || f->size != e->size || f->is_signed != e->is_signed) {
			snprintf(why, len, _("%s is %s size %d, expected %s size %d"), f->name,
				 f->is_signed ? "signed" : "unsigned", f->size,
				 e->is_signed ? "signed" : "unsigned", e->size);
			return false;
		}
		return true;
	}
	return false;
}

/* /proc/mounts escapes space, tab, newline and backslash as \ooo: decoded in place */
static char *unescape(char *s)
{
	char *o = s, *in = s;

	while (*in) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
		    in[3] >= '0' && in[3] <= '7') {
			*o++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 4;
		} else {
			*o++ = *in++;
		}
	}
	*o = '\0';
	return s;
}

void mounts_parse(const char *text, struct mount_table *mt)
{
	char *line, *next;
	size_t cap = 0;

	memset(mt, 0, sizeof(*mt));
	/* one copy of the text, cut in place: an entry costs its pointers, not four copies */
	mt->text = util_xstrdup(text);
	for (line = mt->text; line && *line; line = next) {
		char *f[4], *save = NULL;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (i = 0; i < 4; i++) {
			f[i] = strtok_r(i ? NULL : line, " \t", &save);
			if (!f[i])
				break;
		}
		if (i < 3)
			continue;
		if (mt->nr == MOUNTS_MAX_ENTRIES) {
			mt->truncated = true;
			break;
		}
		if (mt->nr == cap) {
			cap = cap ? cap * 2 : 32;
			mt->e = util_xrealloc(mt->e, cap * sizeof(*mt->e));
		}
		mt->e[mt->nr].source = unescape(f[0]);
		mt->e[mt->nr].target = unescape(f[1]);
		mt->e[mt->nr].fstype = unescape(f[2]);
		mt->e[mt->nr].options = i == 4 ? unescape(f[3]) : "";
		mt->nr++;
	}
}

int mounts_read(struct mount_table *mt)
{
	char *text;
	int err;

	memset(mt, 0, sizeof(*mt));
	err = sysroot_read(MOUNTS_PATH, MOUNTS_MAX_BYTES, &text, NULL);
	if (err)
		return err;
	mounts_parse(text, mt);
	free(text);
	/* the lines past the cap are not looked at: said, never silent */
	if (mt->truncated)
		sysroot_refuse(MOUNTS_PATH, -SYSROOT_ETOOBIG,
			       "refused in part: more than %d lines, the rest not read",
			       MOUNTS_MAX_ENTRIES);
	return 0;
}

bool mounts_target_valid(const char *target)
{
	const char *c, *e;

	/* absolute, plain names only: no "..", ".", empty component or control character */
	if (target[0] != '/' || strlen(target) >= 4096)
		return false;
	for (c = target; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	for (c = target + 1; *c; c = *e ? e + 1 : e) {
		e = strchrnul(c, '/');
		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return false;
	}
	return true;
}

const struct mount_entry *mounts_find(const struct mount_table *mt, const char *fstype,
				      const char *target)
{
	const struct mount_entry *found = NULL;
	size_t i;

	/* the last matching line wins: a later mount hides an earlier one at the same place */
	for (i = 0; i < mt->nr; i++) {
		if (fstype && strcmp(mt->e[i].fstype, fstype))
			continue;
		if (target && strcmp(mt->e[i].target, target))
			continue;
		found = &mt->e[i];
		if (!target)
			return found;
	}
	return found;
}

void mounts_free(struct mount_table *mt)
{
	free(mt->e);
	free(mt->text);
	memset(mt, 0, sizeof(*mt));
}

const char *const tracefs_std_dirs[TRACEFS_NR_STD] = { "/sys/kernel/tracing",
						       "/sys/kernel/debug/tracing" };

const char *const tracefs_sensor_tracepoints[TRACEFS_NR_SENSOR] = {
	"sched/sched_process_exec",
	"sched/sched_process_fork",
	"sched/sched_process_exit",
	"syscalls/sys_enter_execve",
};

const char *const tracefs_event_files[TRACEFS_NR_EVENT_FILES] = { "format", "id" };

/* 0 when DIR/events is a directory, else -errno (-EACCES: DIR cannot be searched). */
static int tracefs_events_dir(const char *dir)
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

void tracefs_locate(const struct mount_table *mt, struct tracefs_location *loc)
{
	size_t i;
	int err;

	memset(loc, 0, sizeof(*loc));
	for (i = 0; i < TRACEFS_NR_STD; i++) {
		err = tracefs_events_dir(tracefs_std_dirs[i]);
		if (!err) {
			snprintf(loc->dir, sizeof(loc->dir), "%s", tracefs_std_dirs[i]);
			loc->standard = true;
			return;
		}
		if ((err == -EACCES || err == -EPERM) && !loc->denied) {
			loc->denied = tracefs_std_dirs[i];
			loc->denied_err = err;
		}
	}
	/* mounted elsewhere, e.g. /tmp/tracing: usable by hand, not by libbpf */
	for (i = 0; mt && i < mt->nr; i++) {
		const struct mount_entry *m = &mt->e[i];

		if (strcmp(m->fstype, "tracefs"))
			continue;
		if (!mounts_target_valid(m->target)) {
			sysroot_refuse(
				MOUNTS_PATH, -SYSROOT_EBADVALUE,
				"refused: a tracefs mount point that is not a plain absolute "
				"path (\"..\", \".\", an empty component or a control "
				"character)");
			continue;
		}
		if (!tracefs_events_dir(m->target)) {
			snprintf(loc->dir, sizeof(loc->dir), "%s", m->target);
			return;
		}
	}
}

bool tp_name_valid(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash && ident(name, (size_t)(slash - name)) && ident(slash + 1, strlen(slash + 1));
}

bool tp_available_lists(const char *available, const char *cat, const char *ev)
{
	size_t lc = strlen(cat), le = strlen(ev);
	const char *p;

	for (p = available; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, cat, lc) && p[lc] == ':' && !strncmp(p + lc + 1, ev, le) &&
		    (p[lc + 1 + le] == '\n' || p[lc + 1 + le] == '\0'))
			return true;
	return false;
}

int trace_cpu_stats_parse(const char *text, struct trace_cpu_stats *st)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "entries", offsetof(struct trace_cpu_stats, entries) },
		{ "overrun", offsetof(struct trace_cpu_stats, overrun) },
		{ "commit overrun", offsetof(struct trace_cpu_stats, commit_overrun) },
		{ "bytes", offsetof(struct trace_cpu_stats, bytes) },
		{ "dropped events", offsetof(struct trace_cpu_stats, dropped_events) },
		{ "read events", offsetof(struct trace_cpu_stats, read_events) },
	};
	bool have_overrun = false;
	const char *p = text;
	size_t i;

	memset(st, 0, sizeof(*st));
	/* "overrun: 12", "commit overrun: 0", "oldest event ts:  4018.842754" (not counted) */
	while (p && *p) {
		const char *colon = strchr(p, ':'), *nl = strchr(p, '\n');

		for (i = 0; colon && (!nl || colon < nl) && i < ARRAY_SIZE(keys); i++) {
			if ((size_t)(colon - p) != strlen(keys[i].key) ||
			    strncmp(p, keys[i].key, strlen(keys[i].key)))
				continue;
			*(unsigned long long *)((char *)st + keys[i].off) =
				strtoull(colon + 1, NULL, 10);
			have_overrun |= i == 1;
			break;
		}
		p = nl ? nl + 1 : NULL;
	}
	return have_overrun ? 0 : -EINVAL;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct trace_cpu_stats *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

int trace_cpu_stats_read(const char *dir, struct trace_cpu_stats **st, size_t *n)
{
	char host[PATH_MAX];
	size_t cap = 8;
	struct dirent *d;
	DIR *dp;

	*st = NULL;
	*n = 0;
	snprintf(host, sizeof(host), "%s/per_cpu", dir);
	dp = sysroot_opendir(host);
	if (!dp)
		return -errno;
	*st = util_xmalloc(cap * sizeof(**st));
	while ((d = readdir(dp))) {
		char path[PATH_MAX], *text, *end;
		long cpu;

		if (strncmp(d->d_name, "cpu", 3))
			continue;
		cpu = strtol(d->d_name + 3, &end, 10);
		if (end == d->d_name + 3 || *end || cpu < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/stats", host, d->d_name);
		if (sysroot_read(path, SYSROOT_LINE_CAP, &text, NULL))
			continue;
		if (*n == cap) {
			cap *= 2;
			*st = util_xrealloc(*st, cap * sizeof(**st));
		}
		if (!trace_cpu_stats_parse(text, &(*st)[*n])) {
			(*st)[*n].cpu = (int)cpu;
			(*n)++;
		}
		free(text);
	}
	closedir(dp);
	qsort(*st, *n, sizeof(**st), cmp_cpu);
	return 0;
}
