// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "i18n.h"
#include "util.h"

void report_init(struct report *r, const char *command)
{
	memset(r, 0, sizeof(*r));
	r->command = command;
	r->extra = json_object();
}

void report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free(r->f[i].id);
		free(r->f[i].title);
		free(r->f[i].detail);
		free(r->f[i].remedy);
	}
	free(r->f);
	json_decref(r->extra);
	memset(r, 0, sizeof(*r));
}

/*
 * The text of a finding in the language of the run (i18n.h): every call site passes English
 * literals, which po/extract.sh knows by these functions' names. Text that is no msgid (a
 * distribution's name, a title replayed from a bundle) comes back as it is; "" would be the
 * catalogue's header, so it is not looked up.
 */
__attribute__((format_arg(1))) static const char *tr(const char *s)
{
	return s && *s ? gettext(s) : s;
}

struct finding *report_add(struct report *r, const char *id, enum status st, const char *guide,
			   const char *title, const char *remedy, const char *detail_fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (r->nr == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->f = util_xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	f = &r->f[r->nr++];
	f->id = util_xstrdup(id);
	f->status = st;
	f->guide = guide;
	f->title = util_xstrdup(tr(title));
	f->remedy = remedy ? util_xstrdup(tr(remedy)) : NULL;
	if (detail_fmt) {
		va_start(ap, detail_fmt);
		f->detail = util_vfmt(tr(detail_fmt), ap);
		va_end(ap);
	} else {
		f->detail = util_xstrdup("");
	}
	return f;
}

void finding_append(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *add, *s;

	va_start(ap, fmt);
	add = util_vfmt(tr(fmt), ap);
	va_end(ap);
	s = *f->detail ? util_fmt("%s; %s", f->detail, add) : util_xstrdup(add);
	free(add);
	free(f->detail);
	f->detail = s;
}

void finding_set_title(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	free(f->title);
	va_start(ap, fmt);
	f->title = util_vfmt(tr(fmt), ap);
	va_end(ap);
}

void finding_set_status(struct finding *f, enum status st)
{
	f->status = st;
}

void finding_set_remedy(struct finding *f, const char *remedy)
{
	free(f->remedy);
	f->remedy = remedy ? util_xstrdup(tr(remedy)) : NULL;
}

const struct finding *report_find(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->f[i].id, id))
			return &r->f[i];
	return NULL;
}

size_t report_count(const struct report *r, enum status st)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr; i++)
		n += r->f[i].status == st;
	return n;
}

enum status report_status(const struct report *r)
{
	if (report_count(r, ST_FAIL) || report_count(r, ST_ERROR))
		return ST_FAIL;
	if (report_count(r, ST_WARN))
		return r->strict ? ST_FAIL : ST_WARN;
	return ST_PASS;
}

int report_exit_code(const struct report *r)
{
	return report_status(r) == ST_FAIL ? 1 : 0;
}

const char *status_str(enum status st)
{
	static const char *const names[] = { "pass", "warn", "fail", "skip", "error" };

	return st < ARRAY_SIZE(names) ? names[st] : "error";
}
