// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON contract as output.c keeps it (edrdiag(8), JSON CONTRACT): one document per
 * invocation, the first error as its "error" member (of the document being written, of the
 * last one written, or of an error document of its own), with its code; a stream's
 * documents written whole at their end. stdout and stderr are captured into files.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "jsonw.h"
#include "output.h"
#include "util.h"

static struct {
	int saved;
	FILE *f;
} cap[3];

/* From now on, fd (1 or 2) writes to a temporary file. */
static void capture(int fd)
{
	fflush(fd == 1 ? stdout : stderr);
	cap[fd].f = tmpfile();
	cap[fd].saved = dup(fd);
	dup2(fileno(cap[fd].f), fd);
}

/* What fd got since capture(), as a fresh string; fd writes where it did before. */
static char *captured(int fd)
{
	struct stat st;
	char *s;
	long n;

	fflush(fd == 1 ? stdout : stderr);
	dup2(cap[fd].saved, fd);
	close(cap[fd].saved);
	/* the size, not ftell: the stream's cached offset does not see what fd wrote */
	n = fstat(fileno(cap[fd].f), &st) ? 0 : (long)st.st_size;
	s = util_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	rewind(cap[fd].f);
	s[fread(s, 1, (size_t)(n > 0 ? n : 0), cap[fd].f)] = '\0';
	fclose(cap[fd].f);
	return s;
}

/* The n-th line of text (0 first) parsed as JSON; NULL when it is not there or not JSON. */
static json_t *line_json(const char *text, int n)
{
	const char *p = text, *e;

	for (; n > 0 && p; n--)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p || !*p)
		return NULL;
	e = strchrnul(p, '\n');
	return json_loadb(p, (size_t)(e - p), 0, NULL);
}

static int lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

static const char *str(const json_t *doc, const char *path1, const char *path2)
{
	json_t *v = json_object_get(doc, path1);

	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

/* An error before any document: the dispatcher's error document, its code from the exit. */
static void error_document(void)
{
	char *out;
	json_t *doc;

	capture(1);
	output_command("check-kernel");
	p_err("unknown option '%s'", "--bogus");
	output_finish(2);
	out = captured(1);
	CHECK_INT(lines(out), 1);
	doc = line_json(out, 0);
	CHECK(doc != NULL);
	CHECK_STR(str(doc, "command", NULL), "check-kernel");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(doc, "edrdiag"), "schema")),
		  OUTPUT_SCHEMA);
	CHECK(!json_object_get(doc, "target")); /* no target_init() here */
	CHECK_STR(str(doc, "error", "code"), "usage");
	CHECK_STR(str(doc, "error", "message"), "unknown option '--bogus'");
	CHECK_INT(json_object_size(doc), 3);
	json_decref(doc);
	free(out);
	/* no command word: "command" is null; exit 3 makes it "environment" */
	capture(1);
	output_command(NULL);
	p_err("%s", "no way");
	output_finish(3);
	out = captured(1);
	doc = line_json(out, 0);
	CHECK(json_is_null(json_object_get(doc, "command")));
	CHECK_STR(str(doc, "error", "code"), "environment");
	json_decref(doc);
	free(out);
}

/* An error before the document: its last member, with the code given. */
static void error_joins_the_document(void)
{
	json_t *m = json_pack("{s:i, s:[i]}", "a", 1, "attempts", 2), *doc;
	char *out;

	capture(1);
	output_command("run-sensor");
	p_err_code(OUTPUT_ERR_PRIVILEGE, "missing %s", "CAP_BPF");
	output_doc("run-sensor", m);
	output_finish(3);
	out = captured(1);
	CHECK_INT(lines(out), 1);
	doc = line_json(out, 0);
	CHECK_INT(json_integer_value(json_object_get(doc, "a")), 1);
	CHECK_INT(json_array_size(json_object_get(doc, "attempts")), 1);
	CHECK_STR(str(doc, "error", "code"), "privilege");
	CHECK_STR(str(doc, "error", "message"), "missing CAP_BPF");
	/* the last member */
	CHECK(strstr(out, "\"error\":{") > strstr(out, "\"attempts\""));
	json_decref(doc);
	free(out);
	json_decref(m);
}

/* An error after the document was written: it still joins it; the second goes to stderr. */
static void error_after_the_document(void)
{
	json_t *m = json_pack("{s:i}", "sample", 1), *doc;
	char *out, *err;

	capture(1);
	capture(2);
	output_doc("stats", m);
	p_err("restoring %s failed", "kernel.bpf_stats_enabled");
	p_err("and a second %s", "error");
	output_finish(0);
	err = captured(2);
	out = captured(1);
	CHECK_INT(lines(out), 1);
	doc = line_json(out, 0);
	CHECK(doc != NULL);
	CHECK_STR(str(doc, "error", "code"), "environment");
	CHECK_STR(str(doc, "error", "message"), "restoring kernel.bpf_stats_enabled failed");
	CHECK_STR(err, "edrdiag: and a second error\n");
	json_decref(doc);
	free(out);
	free(err);
	json_decref(m);
}

/*
 * Two documents (stats --count 2) make a stream: the second is written whole at its end,
 * and an error after it is the stream's last line.
 */
static void two_documents(void)
{
	json_t *m = json_object(), *d0, *d1, *d2;
	struct stat st;
	char *out;

	capture(1);
	output_doc("stats", m);
	output_doc("stats", m);
	fflush(stdout);
	CHECK(fstat(1, &st) == 0 && st.st_size > 0);
	p_err_code(OUTPUT_ERR_ENVIRONMENT, "late");
	output_finish(0);
	out = captured(1);
	/* both were whole before the error came */
	CHECK_INT(st.st_size, strlen(out) - strlen(strchr(strchr(out, '\n') + 1, '\n') + 1));
	CHECK_INT(lines(out), 3);
	d0 = line_json(out, 0);
	d1 = line_json(out, 1);
	d2 = line_json(out, 2);
	CHECK(d0 && d1 && d2);
	CHECK(!json_object_get(d0, "error") && !json_object_get(d1, "error"));
	CHECK_STR(str(d2, "error", "message"), "late");
	CHECK_STR(str(d2, "error", "code"), "environment");
	json_decref(d0);
	json_decref(d1);
	json_decref(d2);
	free(out);
	json_decref(m);
}

/* A document cut short inside an array by an error: closed, valid, with the error. */
static void cut_short(void)
{
	struct jsonw *w;
	json_t *doc;
	char *out;

	capture(1);
	w = output_doc_begin("map-dump");
	jsonw_key(w, "entries");
	jsonw_begin_array(w);
	jsonw_begin_object(w);
	jsonw_key(w, "key");
	output_doc_flush();
	p_err("reading map %d failed", 7);
	output_finish(3);
	out = captured(1);
	doc = line_json(out, 0);
	CHECK(doc != NULL);
	CHECK(json_is_null(
		json_object_get(json_array_get(json_object_get(doc, "entries"), 0), "key")));
	CHECK_STR(str(doc, "error", "message"), "reading map 7 failed");
	json_decref(doc);
	free(out);
}

/* --pretty: indented, the error too. */
static void pretty(void)
{
	json_t *m = json_pack("{s:s}", "template", "# report"), *doc;
	char *out;

	output_init(true, true, true, false);
	capture(1);
	output_doc("collect-report", m);
	p_err_code(OUTPUT_ERR_BAD_INPUT, "x");
	output_finish(2);
	out = captured(1);
	CHECK(!strncmp(out, "{\n  \"command\": \"collect-report\",\n  \"edrdiag\": {\n", 47));
	CHECK(strstr(out, "\n  \"error\": {\n    \"code\": \"bad_input\",\n") != NULL);
	CHECK(!strcmp(out + strlen(out) - 3, "\n}\n"));
	doc = json_loads(out, 0, NULL);
	CHECK(doc != NULL);
	json_decref(doc);
	free(out);
	json_decref(m);
	output_init(true, false, true, false);
}

/* Plain mode: the error on stderr at once, and nothing on stdout at the end. */
static void plain(void)
{
	char *out, *err;

	output_init(false, false, true, false);
	capture(1);
	capture(2);
	p_err_code(OUTPUT_ERR_USAGE, "bad \x1b[31m option");
	output_finish(2);
	err = captured(2);
	out = captured(1);
	CHECK_STR(out, "");
	CHECK_STR(err, "edrdiag: bad \\x1b[31m option\n");
	free(out);
	free(err);
	output_init(true, false, true, false);
}

/* Bytes that are not UTF-8 in a message: \xNN, as in every finding (text_json). */
static void not_utf8(void)
{
	json_t *doc;
	char *out;

	capture(1);
	p_err("unknown option '--x\xff'");
	output_finish(2);
	out = captured(1);
	doc = line_json(out, 0);
	CHECK_STR(str(doc, "error", "message"), "unknown option '--x\\xff'");
	json_decref(doc);
	free(out);
}

/* A stream said so: each document whole at its end, the first too; a late error its own line. */
static void stream(void)
{
	json_t *m = json_object(), *doc;
	char *out;

	capture(1);
	output_doc_stream();
	output_doc("stats", m);
	fflush(stdout);
	{
		/* already whole, newline included, before the next document begins */
		struct stat st;
		char last = 0;

		CHECK(fstat(1, &st) == 0 && st.st_size > 0);
		CHECK_INT(pread(1, &last, 1, st.st_size - 1), 1);
		CHECK_INT(last, '\n');
	}
	output_doc("stats", m);
	p_err("late");
	output_finish(3);
	out = captured(1);
	CHECK_INT(lines(out), 3);
	doc = line_json(out, 2);
	CHECK_STR(str(doc, "command", NULL), "check-kernel"); /* output_command: the last set */
	CHECK_STR(str(doc, "error", "message"), "late");
	json_decref(doc);
	doc = line_json(out, 1);
	CHECK(!json_object_get(doc, "error"));
	json_decref(doc);
	free(out);
	json_decref(m);
}

int main(void)
{
	output_init(true, false, true, false);
	RUN(error_document);
	output_command("check-kernel");
	RUN(error_joins_the_document);
	RUN(error_after_the_document);
	RUN(cut_short);
	RUN(pretty);
	RUN(plain);
	RUN(not_utf8);
	output_command("check-kernel");
	/* the last two: a stream stays one */
	RUN(two_documents);
	RUN(stream);
	return check_finish();
}
