// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "i18n.h"
#include "jsonw.h"
#include "util.h"

/* The help column starts here at most: a longer spelling puts its help on the next line. */
#define HELP_COL_MAX 30

struct option *cliopt_getopt(const struct cliopt *const *tables, size_t n, char *shortopts,
			     size_t len)
{
	const struct cliopt *o;
	struct option *all;
	size_t i, k = 0, total = 0, s = 0;

	for (i = 0; i < n; i++)
		for (o = tables[i]; o && o->name; o++)
			total++;
	all = util_xmalloc((total + 1) * sizeof(*all));
	if (len)
		shortopts[s++] = ':';
	for (i = 0; i < n; i++) {
		for (o = tables[i]; o && o->name; o++) {
			all[k].name = o->name;
			all[k].has_arg = o->arg == CLIOPT_NONE	     ? no_argument
					 : o->arg == CLIOPT_REQUIRED ? required_argument
								     : optional_argument;
			all[k].flag = NULL;
			all[k].val = o->key;
			k++;
			if (!o->short_name || s + 3 >= len)
				continue;
			shortopts[s++] = o->short_name;
			if (o->arg != CLIOPT_NONE)
				shortopts[s++] = ':';
			if (o->arg == CLIOPT_OPTIONAL)
				shortopts[s++] = ':';
		}
	}
	memset(&all[k], 0, sizeof(all[k]));
	if (len)
		shortopts[s] = '\0';
	return all;
}

const struct cliopt *cliopt_by_name(const struct cliopt *const *tables, size_t n, const char *name,
				    size_t namelen)
{
	const struct cliopt *o;
	size_t i;

	for (i = 0; i < n; i++)
		for (o = tables[i]; o && o->name; o++)
			if (strlen(o->name) == namelen && !strncmp(o->name, name, namelen))
				return o;
	return NULL;
}

const struct cliopt *cliopt_by_key(const struct cliopt *const *tables, size_t n, int key)
{
	const struct cliopt *o;
	size_t i;

	for (i = 0; i < n; i++)
		for (o = tables[i]; o && o->name; o++)
			if (o->key == key)
				return o;
	return NULL;
}

char *cliopt_spelling(const struct cliopt *o)
{
	char sh[8] = "    ";

	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	if (o->arg == CLIOPT_OPTIONAL)
		return util_fmt("%s--%s[=%s]", sh, o->name, o->value ? o->value : "VALUE");
	if (o->arg == CLIOPT_REQUIRED)
		return util_fmt("%s--%s %s", sh, o->name, o->value ? o->value : "VALUE");
	return util_fmt("%s--%s", sh, o->name);
}

/* The end of the unit of text at p: a word, or one CJK character (a line breaks around it). */
static const char *unit_end(const char *p)
{
	if (i18n_is_wide(p))
		for (p++; (*p & 0xc0) == 0x80; p++)
			;
	else
		while (*p && *p != ' ' && !i18n_is_wide(p))
			p++;
	return p;
}

/*
 * text, word by word, in lines of at most width columns: the first goes on at column col
 * (where the caller is), the others start at column indent. A word longer than a line is
 * not cut. Columns, not bytes: a translation's CJK character takes two, and a line may
 * break between two of them, as Chinese has no spaces between words.
 */
static void wrap(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text + strspn(text, " ");
	bool first = true;

	do {
		int avail = width - (first ? col : indent);
		const char *e = p, *end = p;

		while (*e) {
			const char *w = unit_end(e);

			if (end > p && i18n_width_n(p, (size_t)(w - p)) > avail)
				break;
			end = w;
			e = w + strspn(w, " ");
		}
		fprintf(f, "%*s%.*s\n", first ? 0 : indent, "", (int)(end - p), p);
		p = e;
		first = false;
	} while (*p);
}

void cliopt_print(FILE *f, const struct cliopt *t, int width)
{
	const struct cliopt *o;
	int col = 0, n;
	char *s;

	/* the help column: after the longest spelling that leaves it within HELP_COL_MAX */
	for (o = t; o && o->name; o++) {
		s = cliopt_spelling(o);
		n = 2 + (int)strlen(s) + 2;
		if (n > col && n <= HELP_COL_MAX)
			col = n;
		free(s);
	}
	for (o = t; o && o->name; o++) {
		s = cliopt_spelling(o);
		n = 2 + (int)strlen(s) + 2;
		if (n > col)
			/* too long for the column: the help starts on the next line */
			fprintf(f, "  %s\n%*s", s, col, "");
		else
			fprintf(f, "  %-*s", col - 2, s);
		/* the tables mark their help with N_(): translated here, where it is printed */
		wrap(f, _(o->help), col, col, width);
		free(s);
	}
}

/* "auto ringbuf perfbuf" as ["auto", "ringbuf", "perfbuf"] */
static void words_json(struct jsonw *w, const char *words)
{
	const char *p = words, *e;

	jsonw_begin_array(w);
	while (*(p += strspn(p, " "))) {
		e = p + strcspn(p, " ");
		jsonw_strn(w, p, (size_t)(e - p));
		p = e;
	}
	jsonw_end_array(w);
}

void cliopt_json(struct jsonw *w, const char *key, const struct cliopt *t)
{
	const struct cliopt *o;
	char buf[64];

	jsonw_key(w, key);
	jsonw_begin_array(w);
	for (o = t; o && o->name; o++) {
		jsonw_begin_object(w);
		snprintf(buf, sizeof(buf), "--%s", o->name);
		jsonw_str_field(w, "name", buf);
		snprintf(buf, sizeof(buf), "-%c", o->short_name);
		jsonw_str_field(w, "short", o->short_name ? buf : NULL);
		jsonw_str_field(w, "argument",
				o->arg == CLIOPT_NONE	    ? "none"
				: o->arg == CLIOPT_REQUIRED ? "required"
							    : "optional");
		jsonw_str_field(w, "value", o->arg == CLIOPT_NONE ? NULL : o->value);
		jsonw_str_field(w, "help", _(o->help));
		jsonw_key(w, "choices");
		if (o->complete == CLIOPT_COMPLETE_WORDS)
			words_json(w, o->words);
		else
			jsonw_null(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}
