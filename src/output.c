// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

struct output_opts output;
static bool error_printed;

void output_init(bool json, bool pretty, bool no_color, bool verbose)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	output.json = json || pretty;
	output.pretty = pretty;
	output.verbose = verbose;
	/* https://no-color.org: any non-empty NO_COLOR disables colour */
	output.color = !output.json && !no_color && !(nc && *nc) && isatty(STDOUT_FILENO) &&
		       !(term && !strcmp(term, "dumb"));
	output.color_stderr = !no_color && !(nc && *nc) && isatty(STDERR_FILENO) &&
			      !(term && !strcmp(term, "dumb"));
}

static void dump_json(json_t *doc, FILE *f)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9) |
		       (output.pretty ? JSON_INDENT(2) : JSON_COMPACT);

	json_dumpf(doc, f, flags);
	fputc('\n', f);
}

void p_err(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = util_vfmt(fmt, ap);
	va_end(ap);
	if (output.json && !error_printed) {
		json_t *doc = json_pack("{s:s}", "error", msg);

		dump_json(doc, stdout);
		json_decref(doc);
		error_printed = true;
	} else {
		fprintf(stderr, "edrdiag: %s\n", msg);
	}
	free(msg);
}

bool output_error_printed(void)
{
	return error_printed;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void report_json(FILE *out, const struct report *r)
{
	json_t *doc, *results = json_array(), *summary = json_object();
	const char *k;
	json_t *v;
	size_t i;

	for (i = 0; i < r->nr; i++) {
		const struct finding *f = &r->f[i];

		json_array_append_new(
			results, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id", f->id, "status",
					   status_str(f->status), "title", f->title, "detail",
					   str_or_null(f->detail), "remedy", str_or_null(f->remedy),
					   "guide", str_or_null(f->guide)));
	}
	for (i = ST_PASS; i <= ST_ERROR; i++)
		json_object_set_new(summary, status_str(i),
				    json_integer((json_int_t)report_count(r, i)));
	doc = json_pack("{s:s, s:s, s:b, s:o, s:o}", "command", r->command, "status",
			status_str(report_status(r)), "strict", r->strict, "summary", summary,
			"results", results);
	json_object_foreach (r->extra, k, v)
		json_object_set(doc, k, v);
	dump_json(doc, out);
	json_decref(doc);
}

static const char *status_color(enum status st)
{
	switch (st) {
	case ST_PASS:
		return "\033[32m";
	case ST_WARN:
		return "\033[33m";
	case ST_FAIL:
	case ST_ERROR:
		return "\033[1;31m";
	case ST_SKIP:
		break;
	}
	return "\033[2m";
}

static void print_status(FILE *out, bool color, enum status st)
{
	char label[8];
	size_t i;

	snprintf(label, sizeof(label), "%s", status_str(st));
	for (i = 0; label[i]; i++)
		label[i] = (char)(label[i] - 'a' + 'A');
	if (color)
		fprintf(out, "%s%-5s\033[0m", status_color(st), label);
	else
		fprintf(out, "%-5s", label);
}

static void report_plain(FILE *out, const struct report *r)
{
	bool color = out == stdout ? output.color : output.color_stderr;
	size_t i, w = 10;
	enum status overall;

	for (i = 0; i < r->nr; i++)
		if (strlen(r->f[i].id) > w)
			w = strlen(r->f[i].id);
	if (w > 48)
		w = 48;
	for (i = 0; i < r->nr; i++) {
		const struct finding *f = &r->f[i];
		bool more = f->status != ST_PASS || output.verbose;

		print_status(out, color, f->status);
		fprintf(out, "  %-*s  %s\n", (int)w, f->id, f->title);
		if (more && f->detail && *f->detail)
			fprintf(out, "%*s%s\n", (int)w + 9, "", f->detail);
		if (more && f->remedy)
			fprintf(out, "%*sfix: %s%s%s%s\n", (int)w + 9, "", f->remedy,
				f->guide ? " [guide " : "", f->guide ? f->guide : "",
				f->guide ? "]" : "");
	}
	overall = report_status(r);
	fprintf(out, "\n%s: ", r->command);
	print_status(out, color, overall);
	fprintf(out, " (%zu pass, %zu warn, %zu fail, %zu skip, %zu error%s)\n",
		report_count(r, ST_PASS), report_count(r, ST_WARN), report_count(r, ST_FAIL),
		report_count(r, ST_SKIP), report_count(r, ST_ERROR),
		r->strict ? "; --strict: warnings fail" : "");
}

void output_report_to(FILE *f, const struct report *r)
{
	if (output.json)
		report_json(f, r);
	else
		report_plain(f, r);
}

void output_report(const struct report *r)
{
	output_report_to(stdout, r);
}

int output_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return errno ? -errno : -EIO;
	return 0;
}
