// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "jsonw.h"
#include "output.h"
#include "strbuf.h"
#include "target.h"
#include "text.h"
#include "util.h"

struct output_opts output;

#ifndef EDRDIAG_VERSION
#define EDRDIAG_VERSION "0.0.0"
#endif

/*
 * The document being written: one at a time, and one per invocation. open: begun, not yet
 * ended; held: ended and written but for its closing brace, which waits for an error that
 * may still come (output_doc_end).
 */
static struct {
	struct strbuf sb;
	struct jsonw w;
	bool open, held, stream;
} cur;

/* The first error in JSON mode, waiting for its document; later ones go to stderr. */
static struct {
	char *msg;
	enum output_err code;
} pending;

static const char *invocation_command;

/* Write what the writer holds to stdout; a failed write is seen by output_flush(). */
static void doc_write(void)
{
	if (cur.sb.len)
		fwrite(cur.sb.p, 1, cur.sb.len, stdout);
	cur.sb.len = 0;
}

const char *output_err_name(enum output_err code, int exit_code)
{
	switch (code) {
	case OUTPUT_ERR_USAGE:
		return "usage";
	case OUTPUT_ERR_BAD_INPUT:
		return "bad_input";
	case OUTPUT_ERR_PRIVILEGE:
		return "privilege";
	case OUTPUT_ERR_ENVIRONMENT:
		return "environment";
	case OUTPUT_ERR_AUTO:
		break;
	}
	return exit_code == 2 ? "usage" : "environment";
}

/* The pending error as the "error" member of the document at depth 1; then it is gone. */
static void put_error(int exit_code)
{
	json_t *msg;

	if (!pending.msg)
		return;
	jsonw_key(&cur.w, "error");
	jsonw_begin_object(&cur.w);
	jsonw_str_field(&cur.w, "code", output_err_name(pending.code, exit_code));
	/* text_json: a byte that is not UTF-8 as \xNN, as in every finding (edrdiag(8)) */
	msg = text_json(pending.msg);
	jsonw_value_field(&cur.w, "message", msg);
	json_decref(msg);
	jsonw_end_object(&cur.w);
	free(pending.msg);
	pending.msg = NULL;
}

/* Close the document: every level still open, the error when asked, the brace. */
static void doc_close(bool with_error, int exit_code)
{
	jsonw_end_to(&cur.w, 1);
	if (with_error)
		put_error(exit_code);
	jsonw_end_object(&cur.w);
	STRBUF_LIT(&cur.sb, "\n");
	doc_write();
	strbuf_free(&cur.sb);
	cur.open = false;
	cur.held = false;
}

struct jsonw *output_doc_begin(const char *command)
{
	json_t *t;

	if (cur.open) {
		fprintf(stderr, "edrdiag: bug: a JSON document begun inside another\n");
		abort();
	}
	/*
	 * A second document: the command streams them (stats --count N). The one before is
	 * closed now, and from here on each is written whole at its end, so that a reader
	 * of the stream is not kept a document behind (output_doc_stream).
	 */
	if (cur.held) {
		doc_close(false, 0);
		cur.stream = true;
	}
	cur.open = true;
	jsonw_init(&cur.w, &cur.sb, output.pretty);
	jsonw_begin_object(&cur.w);
	jsonw_str_field(&cur.w, "command", command);
	jsonw_key(&cur.w, "edrdiag");
	jsonw_begin_object(&cur.w);
	jsonw_str_field(&cur.w, "version", EDRDIAG_VERSION);
	jsonw_u64_field(&cur.w, "schema", OUTPUT_SCHEMA);
	jsonw_end_object(&cur.w);
	if (target_get()->source) {
		t = target_json();
		jsonw_value_field(&cur.w, "target", t);
		json_decref(t);
	}
	return &cur.w;
}

void output_doc_flush(void)
{
	doc_write();
}

void output_doc_end(void)
{
	if (cur.stream) {
		doc_close(false, 0);
		return;
	}
	doc_write();
	cur.open = false;
	cur.held = true;
}

void output_doc(const char *command, const json_t *members)
{
	struct jsonw *w = output_doc_begin(command);
	const char *k;
	json_t *v;

	json_object_foreach ((json_t *)members, k, v)
		jsonw_value_field(w, k, v);
	output_doc_end();
}

void output_doc_stream(void)
{
	cur.stream = true;
}

void output_command(const char *command)
{
	invocation_command = command;
}

void output_finish(int exit_code)
{
	if (cur.open || cur.held) {
		/* a document cut short by an error is closed all the same, with the error */
		doc_close(true, exit_code);
	} else if (pending.msg) {
		/* no command known ("edrdiag --bogus"): "command" is null (jsonw_str) */
		output_doc_begin(invocation_command);
		doc_close(true, exit_code);
	}
	free(pending.msg);
	pending.msg = NULL;
}

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

__attribute__((format(printf, 2, 0))) static void verr(enum output_err code, const char *fmt,
						       va_list ap)
{
	/* the message in the run's language (i18n.h); "code" stays the same in every one */
	char *msg = util_vfmt(gettext(fmt), ap), *safe;

	/* in JSON mode the first error waits for its document: one per invocation */
	if (output.json && !pending.msg) {
		pending.msg = msg;
		pending.code = code;
		return;
	}
	safe = text_printable(msg);

	fprintf(stderr, "edrdiag: %s\n", safe);
	free(safe);
	free(msg);
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(OUTPUT_ERR_AUTO, fmt, ap);
	va_end(ap);
}

void p_err_code(enum output_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(code, fmt, ap);
	va_end(ap);
}

static void report_json(FILE *out, const struct report *r)
{
	json_t *results = json_array(), *summary = json_object(), *doc_members;
	const char *k;
	json_t *v;
	size_t i;

	for (i = 0; i < r->nr; i++) {
		const struct finding *f = &r->f[i];
		json_t *o = json_object();

		/*
		 * Every string through text_json, which cannot fail: json_pack's "s" returns
		 * NULL for text that is not UTF-8, and the finding would silently vanish from
		 * results while the summary still counts it.
		 */
		json_object_set_new(o, "id", text_json(f->id));
		json_object_set_new(o, "status", json_string(status_str(f->status)));
		json_object_set_new(o, "title", text_json(f->title));
		json_object_set_new(o, "detail", text_json(f->detail));
		json_object_set_new(o, "remedy", text_json(f->remedy));
		json_object_set_new(o, "guide", text_json(f->guide));
		json_array_append_new(results, o);
	}
	for (i = ST_PASS; i <= ST_ERROR; i++)
		json_object_set_new(summary, status_str(i),
				    json_integer((json_int_t)report_count(r, i)));
	doc_members = json_pack("{s:s, s:b, s:o, s:o}", "status", status_str(report_status(r)),
				"strict", r->strict, "summary", summary, "results", results);
	json_object_foreach (r->extra, k, v)
		json_object_set(doc_members, k, v);
	/* JSON is only ever stdout's: run-sensor's plain summary goes to stderr, not this */
	(void)out;
	output_doc(r->command, doc_members);
	json_decref(doc_members);
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

static const char *const status_labels[] = { N_("PASS"), N_("WARN"), N_("FAIL"), N_("SKIP"),
					     N_("ERROR") };

/* The status column's width: its widest label, translated (a CJK character is two columns). */
static int status_width(void)
{
	int w = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_labels); i++)
		if (i18n_width(_(status_labels[i])) > w)
			w = i18n_width(_(status_labels[i]));
	return w;
}

/* A status as the table shows it, "PASS" or its translation, padded to the column. */
static void print_status(FILE *out, bool color, enum status st)
{
	const char *label = _(status_labels[st < ARRAY_SIZE(status_labels) ? st : ST_ERROR]);
	int pad = status_width() - i18n_width(label);

	/* printf's width counts bytes, not columns: the padding is counted here */
	if (color)
		fprintf(out, "%s%s\033[0m%*s", status_color(st), label, pad, "");
	else
		fprintf(out, "%s%*s", label, pad, "");
}

/* A finding's strings as the terminal gets them: no control byte of the target's reaches it. */
struct plain_finding {
	char *id, *title, *detail, *remedy, *guide;
};

static void report_plain(FILE *out, const struct report *r)
{
	bool color = out == stdout ? output.color : output.color_stderr;
	struct plain_finding *pf = util_xmalloc((r->nr ? r->nr : 1) * sizeof(*pf));
	size_t i, w = 10;
	enum status overall;
	int indent;

	for (i = 0; i < r->nr; i++) {
		const struct finding *f = &r->f[i];

		pf[i].id = text_printable(f->id);
		pf[i].title = text_printable(f->title);
		pf[i].detail = f->detail ? text_printable(f->detail) : NULL;
		pf[i].remedy = f->remedy ? text_printable(f->remedy) : NULL;
		pf[i].guide = f->guide ? text_printable(f->guide) : NULL;
		if (strlen(pf[i].id) > w)
			w = strlen(pf[i].id);
	}
	if (w > 48)
		w = 48;
	output_target_line(out);
	/* detail and remedy under the title: status, two spaces, id, two spaces */
	indent = status_width() + 2 + (int)w + 2;
	for (i = 0; i < r->nr; i++) {
		const struct plain_finding *f = &pf[i];
		bool more = r->f[i].status != ST_PASS || output.verbose;

		print_status(out, color, r->f[i].status);
		fprintf(out, "  %-*s  %s\n", (int)w, f->id, f->title);
		if (more && f->detail && *f->detail)
			fprintf(out, "%*s%s\n", indent, "", f->detail);
		if (more && f->remedy && f->guide)
			/* TRANSLATORS: a finding's remedy, then the guide's section */
			fprintf(out, _("%*sfix: %s [guide %s]\n"), indent, "", f->remedy, f->guide);
		else if (more && f->remedy)
			fprintf(out, _("%*sfix: %s\n"), indent, "", f->remedy);
		free(f->id);
		free(f->title);
		free(f->detail);
		free(f->remedy);
		free(f->guide);
	}
	free(pf);
	overall = report_status(r);
	fprintf(out, "\n%s: ", r->command);
	print_status(out, color, overall);
	fprintf(out, _(" (%zu pass, %zu warn, %zu fail, %zu skip, %zu error%s)\n"),
		report_count(r, ST_PASS), report_count(r, ST_WARN), report_count(r, ST_FAIL),
		report_count(r, ST_SKIP), report_count(r, ST_ERROR),
		r->strict ? _("; --strict: warnings fail") : "");
}

void output_target_line(FILE *out)
{
	static bool printed;
	char *line, *safe;

	/* once per run: stats prints a report per sample, of the same target */
	if (printed)
		return;
	printed = true;
	line = target_line();
	safe = text_printable(line);
	fprintf(out, "%s\n", safe);
	free(safe);
	free(line);
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

/* Did the reader of stdout go away (head -1 closed the pipe)? */
static bool reader_gone(int err)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
	struct stat st;

	if (err == -EPIPE)
		return true;
	/* the error may be an earlier write's: ask the pipe itself */
	return !fstat(STDOUT_FILENO, &st) && S_ISFIFO(st.st_mode) && poll(&p, 1, 0) == 1 &&
	       (p.revents & POLLERR);
}

int output_flush(void)
{
	int err = 0;

	if (fflush(stdout) == EOF || ferror(stdout))
		err = errno ? -errno : -EIO;
	/* what the reader wanted it had: SIGPIPE is ignored, and EPIPE is no failure */
	if (err && reader_gone(err))
		return 0;
	return err;
}
