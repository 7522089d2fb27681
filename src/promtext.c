// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The Prometheus text exposition format, valid by construction (promtext.h). */
#include "promtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

bool prom_name_valid(const char *name)
{
	const char *s = name;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	/* names starting with __ are reserved for Prometheus' own use */
	return strncmp(name, "__", 2) != 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static void die(const char *what, const char *name)
{
	fprintf(stderr, "edrdiag: internal error: metric %s '%s'\n", what, name);
	abort();
}

struct prom_family *prom_family(struct prom *p, const char *name, enum prom_type type,
				const char *help, const char *const *labels)
{
	struct prom_family *f;
	size_t i;

	if (!prom_name_valid(name))
		die("name invalid", name);
	if ((type == PROM_COUNTER) != ends_with(name, "_total"))
		die("type and _total suffix disagree", name);
	for (i = 0; i < p->nr; i++)
		if (!strcmp(p->fam[i]->name, name))
			die("declared twice", name);
	f = util_xmalloc(sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->help = help;
	f->type = type;
	for (; labels && labels[f->nr_labels]; f->nr_labels++) {
		if (f->nr_labels == PROM_MAX_LABELS || !prom_name_valid(labels[f->nr_labels]))
			die("label invalid", name);
		f->labels[f->nr_labels] = labels[f->nr_labels];
	}
	if (p->nr == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 32;
		p->fam = util_xrealloc(p->fam, p->cap * sizeof(*p->fam));
	}
	p->fam[p->nr++] = f;
	return f;
}

/*
 * A label value's text between its quotes: the value made printable (text.h: controls and
 * bytes that are not UTF-8 as the text \xNN, a backslash doubled), then backslash and quote
 * escaped as the format asks. So a newline never ends a line, and a value reads as edrdiag's
 * tables show it.
 */
static void prom_label_value(struct strbuf *out, const char *s)
{
	struct strbuf t = { 0 };
	size_t i;

	if (!s)
		return;
	strbuf_printable(&t, s, strlen(s));
	for (i = 0; i < t.len; i++) {
		if (t.p[i] == '\\' || t.p[i] == '"')
			strbuf_put(out, "\\", 1);
		strbuf_put(out, &t.p[i], 1);
	}
	strbuf_free(&t);
}

static void sample_start(struct prom_family *f, const char *const *values)
{
	struct strbuf *b = &f->body;
	size_t i;

	strbuf_put(b, f->name, strlen(f->name));
	if (f->nr_labels) {
		STRBUF_LIT(b, "{");
		for (i = 0; i < f->nr_labels; i++) {
			if (i)
				STRBUF_LIT(b, ",");
			strbuf_put(b, f->labels[i], strlen(f->labels[i]));
			STRBUF_LIT(b, "=\"");
			prom_label_value(b, values ? values[i] : NULL);
			STRBUF_LIT(b, "\"");
		}
		STRBUF_LIT(b, "}");
	}
	STRBUF_LIT(b, " ");
	f->nr_samples++;
}

void prom_sample(struct prom_family *f, const char *const *values, double v)
{
	char num[64];

	sample_start(f, values);
	if (isnan(v))
		snprintf(num, sizeof(num), "NaN");
	else if (isinf(v))
		snprintf(num, sizeof(num), "%s", v > 0 ? "+Inf" : "-Inf");
	else if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(long long)v)
		snprintf(num, sizeof(num), "%lld", (long long)v); /* below 2^53: exact */
	else
		snprintf(num, sizeof(num), "%.15g", v);
	strbuf_put(&f->body, num, strlen(num));
	STRBUF_LIT(&f->body, "\n");
}

void prom_sample_u64(struct prom_family *f, const char *const *values, unsigned long long v)
{
	sample_start(f, values);
	strbuf_u64(&f->body, v);
	STRBUF_LIT(&f->body, "\n");
}

/* HELP text: a backslash and a newline escaped, as the format asks */
static void help_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			STRBUF_LIT(out, "\\\\");
		else if (*s == '\n')
			STRBUF_LIT(out, "\\n");
		else
			strbuf_put(out, s, 1);
	}
}

void prom_write(const struct prom *p, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		const struct prom_family *f = p->fam[i];

		if (!f->nr_samples)
			continue;
		STRBUF_LIT(out, "# HELP ");
		strbuf_put(out, f->name, strlen(f->name));
		STRBUF_LIT(out, " ");
		help_text(out, f->help);
		STRBUF_LIT(out, "\n# TYPE ");
		strbuf_put(out, f->name, strlen(f->name));
		if (f->type == PROM_COUNTER)
			STRBUF_LIT(out, " counter\n");
		else
			STRBUF_LIT(out, " gauge\n");
		strbuf_put(out, f->body.p, f->body.len);
	}
}

void prom_free(struct prom *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		strbuf_free(&p->fam[i]->body);
		free(p->fam[i]);
	}
	free(p->fam);
	memset(p, 0, sizeof(*p));
}
