// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "report_md.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

/* Findings listed in the Diagnosis at most; the rest are counted. */
#define MAX_FINDINGS 50
/* Bytes of one finding's title, detail or remedy kept: a check's detail can be long. */
#define MAX_FIELD 1000

static const char *const doc_names[REPORT_DOC_NR] = {
	[REPORT_DOC_CHECK_KERNEL] = "check-kernel",
	[REPORT_DOC_CHECK_TRACEPOINTS] = "check-tracepoints",
	[REPORT_DOC_STATS] = "stats",
	[REPORT_DOC_SELFTEST] = "run-sensor --self-test",
};

/* What the renderer works from: the inputs resolved once. */
struct ctx {
	const struct report_md_info *in;
	struct strbuf b;
	const json_t *doc[REPORT_DOC_NR]; /* usable documents only: with results */
	const char *path[REPORT_DOC_NR];  /* their paths in the bundle, or NULL */
	const json_t *raw[REPORT_DOC_NR]; /* what was given, usable or not */
	bool log_ok;			  /* the kernel log item was collected whole */
	bool log_empty;			  /* ... and holds nothing: no conclusion either */
	bool sensor_log_ok;
};

static void add(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = util_vfmt(fmt, ap);
	va_end(ap);
	strbuf_put(b, t, strlen(t));
	free(t);
}

/* The first n bytes of s or fewer, ending at a character boundary: never half a character. */
static size_t utf8_cut(const char *s, size_t len, size_t n)
{
	size_t i = 0, l;

	if (len <= n)
		return len;
	while (i < n) {
		l = text_utf8_len((const unsigned char *)s + i, len - i);
		if (!l)
			l = 1; /* an invalid byte: text_printable shows it as \xNN */
		if (i + l > n)
			break;
		i += l;
	}
	return i;
}

/*
 * Hostile text (len bytes; NULL when len is 0) cut at max bytes, at a character boundary,
 * and made printable (text.h: controls and bad UTF-8 as \xNN): a fresh heap string. *cut:
 * was anything left out.
 */
static char *printable_cut(const char *s, size_t len, size_t max, bool *cut)
{
	size_t n = utf8_cut(s, len, max);
	char *out = util_xmalloc(TEXT_PRINTABLE_MAX(n) + 1);

	*text_printable_escape(out, s, n) = '\0';
	*cut = n < len;
	return out;
}

/*
 * Hostile text in running Markdown: made printable, cut at max bytes with an ellipsis, and
 * the characters that would start a link, an HTML tag, code or emphasis escaped, so that a
 * process name cannot become markup.
 */
static void md_text(struct strbuf *b, const char *s, size_t max)
{
	bool cut;
	char *safe = printable_cut(s, s ? strlen(s) : 0, max, &cut), *p;

	for (p = safe; *p; p++) {
		if (strchr("`*[]<>&|", *p))
			strbuf_put(b, "\\", 1);
		strbuf_put(b, p, 1);
	}
	if (cut)
		STRBUF_LIT(b, "...");
	free(safe);
}

/*
 * Hostile text as a code span (at most MAX_FIELD bytes of it): a delimiter longer than any
 * run of backticks inside it.
 */
static void md_code(struct strbuf *b, const char *s)
{
	size_t run = 0, max = 0, i;
	const char *p;
	bool cut;
	char *safe = printable_cut(s, s ? strlen(s) : 0, MAX_FIELD, &cut);

	for (p = safe; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	for (i = 0; i <= max; i++)
		STRBUF_LIT(b, "`");
	/* a span starting or ending with a backtick needs a space to keep it apart */
	if (max)
		STRBUF_LIT(b, " ");
	strbuf_put(b, safe, strlen(safe));
	if (cut)
		STRBUF_LIT(b, "...");
	if (max)
		STRBUF_LIT(b, " ");
	for (i = 0; i <= max; i++)
		STRBUF_LIT(b, "`");
	free(safe);
}

/* md_text and md_code as fresh heap strings, for a translated format's %s */
static char *md_text_str(const char *s, size_t max)
{
	struct strbuf b = { 0 };

	md_text(&b, s, max);
	return strbuf_cstr(&b);
}

static char *md_code_str(const char *s)
{
	struct strbuf b = { 0 };

	md_code(&b, s);
	return strbuf_cstr(&b);
}

/* One hostile log line in a fenced block: printable, cut, and no backtick to close the fence. */
static void md_log_line(struct strbuf *b, const char *indent, const char *s, size_t len)
{
	bool cut;
	char *safe = printable_cut(s, len, REPORT_MD_MAX_LINE, &cut), *p;

	for (p = safe; *p; p++)
		if (*p == '`')
			*p = '\'';
	add(b, "%s%s%s\n", indent, safe, cut ? "..." : "");
	free(safe);
}

static const struct report_md_item *find_item(const struct report_md_info *in, const char *path)
{
	size_t i;

	for (i = 0; path && in->items && i < in->nr_items; i++)
		if (in->items[i].path && !strcmp(in->items[i].path, path))
			return &in->items[i];
	return NULL;
}

static bool is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

/* An item edrdiag could not collect as a whole: what the report must not conclude from. */
static bool item_failed(const struct report_md_item *it)
{
	return it && (is(it->status, "failed") || is(it->status, "denied") ||
		      is(it->status, "missing_tool") || is(it->status, "timed_out"));
}

/* A text item whose every line can be believed: collected, and its command did not fail. */
static bool item_whole(const struct report_md_item *it)
{
	return it && is(it->status, "collected") && it->exit_status <= 0;
}

/*
 * "`dmesg` failed (exit 1): read kernel buffer failed: Operation not permitted": what
 * happened to the item at path, for a reader deciding what to trust. The manifest's status
 * keys become words here; the JSON keeps the keys.
 */
static void item_reason(struct ctx *c, const char *path)
{
	const struct report_md_item *it = find_item(c->in, path);
	const char *st = it ? it->status : NULL, *why;
	int x = it ? it->exit_status : -1;
	char *name = md_code_str(it && it->source && *it->source ? it->source
				 : it				 ? it->path
				 : path				 ? path
								 : "?");

	if (!it)
		add(&c->b, _("%s not collected"), name);
	else if (is(st, "collected") && x > 0)
		add(&c->b, _("%s collected, but its command failed (exit %d)"), name, x);
	else if (is(st, "collected"))
		add(&c->b, _("%s collected"), name);
	else if (is(st, "failed") && x > 0)
		add(&c->b, _("%s failed (exit %d)"), name, x);
	else if (is(st, "failed"))
		add(&c->b, _("%s failed"), name);
	else if (is(st, "denied"))
		add(&c->b, _("%s was denied"), name);
	else if (is(st, "missing_tool"))
		add(&c->b, _("%s not run: the tool is not installed"), name);
	else if (is(st, "timed_out"))
		add(&c->b, _("%s timed out"), name);
	else if (is(st, "skipped"))
		add(&c->b, _("%s skipped"), name);
	else if (is(st, "absent"))
		add(&c->b, _("%s is absent on the host"), name);
	else {
		char *t = md_text_str(st ? st : "(none)", 40);

		add(&c->b, _("%s has the unknown status %s"), name, t);
		free(t);
	}
	free(name);
	why = it && it->stderr_first_line && *it->stderr_first_line ? it->stderr_first_line
	      : it						    ? it->why
								    : NULL;
	if (why && *why) {
		STRBUF_LIT(&c->b, ": ");
		md_text(&c->b, why, REPORT_MD_MAX_LINE);
	}
}

static const char *error_message(const json_t *doc)
{
	const json_t *e = json_object_get(doc, "error");

	if (json_is_string(e))
		return json_string_value(e);
	return json_string_value(json_object_get(e, "message"));
}

/*
 * A document whose findings can be listed: it has results. A run that ended in an error
 * may still have them (run-sensor's "no attach method worked"); stats without privilege
 * has none.
 */
static bool doc_usable(const json_t *doc)
{
	return json_is_object(doc) && json_is_array(json_object_get(doc, "results"));
}

/* Why document k cannot be read: its own error, else its item's fate. */
static void doc_reason(struct ctx *c, enum report_doc k)
{
	const char *msg = c->raw[k] ? error_message(c->raw[k]) : NULL;

	if (msg) {
		md_text(&c->b, msg, REPORT_MD_MAX_LINE);
	} else if (c->raw[k]) {
		add(&c->b, "%s", _("not a check document"));
	} else if (!c->path[k]) {
		add(&c->b, "%s", _("not part of this bundle"));
	} else {
		item_reason(c, c->path[k]);
	}
}

static void resolve(struct ctx *c, const struct report_md_info *in)
{
	const struct report_md_item *sensor;
	int k;

	c->in = in;
	for (k = 0; k < REPORT_DOC_NR; k++) {
		c->raw[k] = in->docs[k].json;
		c->path[k] = in->docs[k].path;
	}
	for (k = 0; k < REPORT_DOC_NR; k++)
		c->doc[k] = doc_usable(c->raw[k]) ? c->raw[k] : NULL;
	/* without a manifest, a log handed over is taken as collected (--template, old callers) */
	c->log_ok = in->kernel_log && (!in->items || item_whole(find_item(in, in->log_source)));
	c->log_empty = c->log_ok && !in->kernel_log[strspn(in->kernel_log, " \t\r\n")];
	/* run-sensor's stderr is wanted most when the command failed: any exit status will do */
	sensor = find_item(in, in->sensor_log_source);
	c->sensor_log_ok =
		in->sensor_log && (!in->items || (sensor && is(sensor->status, "collected")));
}

/* "... 12 more left out": what a cap dropped is counted, never silently lost */
static void left_out(struct strbuf *b, const char *prefix, size_t n)
{
	strbuf_put(b, prefix, strlen(prefix));
	add(b, ngettext("... %zu more left out", "... %zu more left out", n), n);
	STRBUF_LIT(b, "\n");
}

/*
 * "<indent>label: s\n", s hostile text cut at max bytes; when s is NULL or empty, fallback
 * in its place, or no line at all without one.
 */
static void md_field(struct ctx *c, const char *indent, const char *label, const char *s,
		     size_t max, const char *fallback)
{
	if (!(s && *s) && !fallback)
		return;
	add(&c->b, "%s%s: ", indent, label);
	if (s && *s)
		md_text(&c->b, s, max);
	else
		add(&c->b, "%s", fallback);
	STRBUF_LIT(&c->b, "\n");
}

/* ---- the non-root banner ---- */

static bool privileged(const struct report_md_info *in)
{
	return in->euid == 0 && !(in->missing_caps && *in->missing_caps);
}

/* A word safe unquoted in a POSIX shell, else single-quoted with ' as '\''. */
static void shell_word(struct strbuf *b, const char *w)
{
	const char *p;

	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_@%+=:,./-") == strlen(w)) {
		strbuf_put(b, w, strlen(w));
		return;
	}
	STRBUF_LIT(b, "'");
	for (p = w; *p; p++)
		if (*p == '\'')
			STRBUF_LIT(b, "'\\''");
		else
			strbuf_put(b, p, 1);
	STRBUF_LIT(b, "'");
}

char *report_md_rerun(const char *const *argv)
{
	struct strbuf b = { 0 };
	size_t i;

	STRBUF_LIT(&b, "sudo");
	if (!argv || !argv[0])
		STRBUF_LIT(&b, " edrdiag collect-report");
	for (i = 0; argv && argv[i]; i++) {
		STRBUF_LIT(&b, " ");
		shell_word(&b, argv[i]);
	}
	return strbuf_cstr(&b); /* the buffer is the caller's now */
}

/* Did check-kernel skip its live probes (no privilege to load a probe program)? */
static bool probes_skipped(const json_t *ck)
{
	const json_t *f;
	size_t i;

	json_array_foreach (json_object_get(ck, "results"), i, f)
		if (util_startswith(json_string_value(json_object_get(f, "id")) ?: "", "probe.") &&
		    is(json_string_value(json_object_get(f, "status")), "skip"))
			return true;
	return false;
}

/* The first bpftool item that failed: the list of loaded programs and maps is missing. */
static const struct report_md_item *bpftool_failed(const struct report_md_info *in)
{
	size_t i;

	for (i = 0; in->items && i < in->nr_items; i++)
		if (util_startswith(in->items[i].path ?: "", "commands/bpftool-") &&
		    item_failed(&in->items[i]))
			return &in->items[i];
	return NULL;
}

static void banner_doc(struct ctx *c, enum report_doc k, const char *question, size_t *n)
{
	if (c->doc[k])
		return;
	add(&c->b, "> - %s: ", question);
	doc_reason(c, k);
	STRBUF_LIT(&c->b, "\n");
	(*n)++;
}

static void banner(struct ctx *c)
{
	const struct report_md_info *in = c->in;
	const struct report_md_item *bt;
	const json_t *agent;
	char *cmd;
	size_t n = 0;

	if (privileged(in))
		return;
	add(&c->b, "> **%s** ", _("Collected without full privilege"));
	if (in->missing_caps && *in->missing_caps) {
		char *caps = md_text_str(in->missing_caps, 200);

		add(&c->b, _("(uid %u; missing %s)."), in->euid, caps);
		free(caps);
	} else {
		add(&c->b, _("(uid %u)."), in->euid);
	}
	add(&c->b, " %s\n>\n", _("This bundle cannot answer:"));
	if ((in->kernel_log || in->log_source) && (!c->log_ok || c->log_empty)) {
		add(&c->b, "> - %s: ", _("the kernel log (guide 6.1)"));
		if (c->log_empty)
			add(&c->b, "%s", _("collected empty"));
		else
			item_reason(c, in->log_source);
		STRBUF_LIT(&c->b, "\n");
		n++;
	}
	if ((bt = bpftool_failed(in))) {
		add(&c->b,
		    "> - %s: ", _("which BPF programs, maps and links are loaded (bpftool)"));
		item_reason(c, bt->path);
		STRBUF_LIT(&c->b, "\n");
		n++;
	}
	if (c->doc[REPORT_DOC_CHECK_KERNEL] && probes_skipped(c->doc[REPORT_DOC_CHECK_KERNEL])) {
		add(&c->b, "> - %s: %s\n",
		    _("live probes of the kernel's BPF features (guide 4.1)"),
		    _("skipped without BPF privilege"));
		n++;
	}
	banner_doc(c, REPORT_DOC_STATS,
		   _("the run-time cost of BPF programs and maps, and event loss (guide 2.2, 3.1)"),
		   &n);
	agent = json_object_get(c->doc[REPORT_DOC_STATS], "agent");
	if (in->agent && !c->doc[REPORT_DOC_STATS]) {
		add(&c->b, "> - %s\n", _("the agent's CPU and memory (guide 3.1, 3.2)"));
		n++;
	} else if (in->agent && !json_is_object(agent)) {
		add(&c->b, "> - %s: %s\n", _("the agent's CPU and memory (guide 3.1, 3.2)"),
		    _("not measured"));
		n++;
	}
	banner_doc(c, REPORT_DOC_SELFTEST,
		   _("whether a BPF sensor loads, attaches and sees execs here, end to end (guide "
		     "1.1, 1.2, 5.1)"),
		   &n);
	if (!n)
		add(&c->b, "> - %s\n", _("nothing: every question of the guide was answered"));
	if (in->euid) {
		cmd = report_md_rerun(in->argv);
		add(&c->b, ">\n> %s ", _("Rerun as root for a complete bundle:"));
		md_code(&c->b, cmd);
		free(cmd);
	} else {
		/* root already, without the capabilities: sudo cannot give them (a container) */
		add(&c->b, ">\n> %s",
		    _("Rerun where root has these capabilities (on the host, not in a container "
		      "that drops them) for a complete bundle."));
	}
	STRBUF_LIT(&c->b, "\n\n");
}

/* ---- Environment ---- */

static double num(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* The agent's measured CPU and RSS (guide 3.1, 3.2), from the stats document. */
static void agent_usage(struct ctx *c)
{
	const json_t *st = c->doc[REPORT_DOC_STATS], *a = json_object_get(st, "agent");

	if (!c->in->agent && !json_is_object(a))
		return;
	add(&c->b, "  - %s: ", _("Agent CPU and memory"));
	if (!st) {
		add(&c->b, "%s: ", _("not available"));
		doc_reason(c, REPORT_DOC_STATS);
	} else if (!json_is_object(a)) {
		add(&c->b, "%s", _("not measured (stats ran without an agent)"));
	} else if (json_is_false(json_object_get(a, "running"))) {
		add(&c->b, _("not measured: process %lld was not running"),
		    (long long)json_integer_value(json_object_get(a, "pid")));
	} else {
		add(&c->b, _("%.2f%% of one CPU, RSS %.1f MB, over %.2f s (limits %g%%, %g MB)"),
		    num(a, "cpu_pct_of_core"), num(a, "vm_rss_kb") / 1024.0, num(st, "window_s"),
		    num(a, "max_cpu_pct"), num(a, "max_rss_mb"));
	}
	STRBUF_LIT(&c->b, "\n");
}

/* Holders of BPF programs other than the agent: they share its hooks and budgets. */
static void other_bpf_users(struct ctx *c, const json_t *bpf, json_int_t agent)
{
	const json_t *h;
	size_t i, shown = 0, more = 0;

	json_array_foreach (json_object_get(bpf, "holders"), i, h) {
		const char *product = json_string_value(json_object_get(h, "product"));

		if (json_integer_value(json_object_get(h, "pid")) == agent)
			continue;
		if (shown == 5) {
			more++;
			continue;
		}
		if (!shown++)
			add(&c->b, "- %s:\n",
			    _("Other processes holding BPF programs (they may "
			      "compete with the agent)"));
		STRBUF_LIT(&c->b, "  - ");
		if (product)
			add(&c->b, "%s: ", product);
		md_text(&c->b, json_string_value(json_object_get(h, "comm")) ?: "?", 64);
		add(&c->b, _(" (pid %lld): %lld BPF programs, %lld of them tracing"),
		    (long long)json_integer_value(json_object_get(h, "pid")),
		    (long long)json_integer_value(json_object_get(h, "programs")),
		    (long long)json_integer_value(json_object_get(h, "tracing_programs")));
		STRBUF_LIT(&c->b, "\n");
	}
	if (more)
		add(&c->b, _("  - and %zu more (edrdiag-host.json)\n"), more);
}

/* What edrdiag-host.json says of the host: taint, LSMs, container, other BPF users. */
static void host_facts(struct ctx *c)
{
	const json_t *host = c->in->host, *t, *f, *ct;
	const char *m;
	size_t i;

	if (!host)
		return;
	t = json_object_get(host, "tainted");
	if (json_is_object(t)) {
		add(&c->b, "- %s: %lld", _("Kernel taint"),
		    (long long)json_integer_value(json_object_get(t, "value")));
		json_array_foreach (json_object_get(t, "flags"), i, f) {
			add(&c->b, "%s", i ? "; " : " (");
			md_text(&c->b, json_string_value(json_object_get(f, "flag")) ?: "?", 4);
			STRBUF_LIT(&c->b, ": ");
			/* hostinfo's English, marked there: translated here, unknown text as is
			 * (never gettext(""), which is the catalogue's header) */
			m = json_string_value(json_object_get(f, "meaning"));
			md_text(&c->b, m && *m ? _(m) : "", 100);
		}
		add(&c->b, "%s\n", i ? ")" : "");
	}
	if (json_is_array(json_object_get(host, "lsm"))) {
		add(&c->b, "- %s: ", _("Active LSMs"));
		json_array_foreach (json_object_get(host, "lsm"), i, f) {
			add(&c->b, "%s", i ? ", " : "");
			md_text(&c->b, json_string_value(f) ?: "?", 64);
		}
		STRBUF_LIT(&c->b, "\n");
	}
	ct = json_object_get(host, "container");
	if (json_is_true(json_object_get(ct, "container"))) {
		add(&c->b, "- %s: ", _("edrdiag ran in a container"));
		md_text(&c->b, json_string_value(json_object_get(ct, "kind")) ?: "?", 64);
		add(&c->b, "%s\n",
		    _(" (what it saw of files and processes may be the container's)"));
	}
	other_bpf_users(c, json_object_get(host, "bpf"),
			json_integer_value(json_object_get(json_object_get(host, "agent"), "pid")));
}

static void environment(struct ctx *c)
{
	const struct report_md_info *in = c->in;

	add(&c->b, "**%s:**\n", _("Environment"));
	md_field(c, "- ", _("Operating system"), in->os, 200, _("unknown"));
	md_field(c, "- ", _("Kernel version"), in->kernel, 200, _("unknown"));
	if (in->uname && *in->uname) {
		STRBUF_LIT(&c->b, "  - ");
		md_code(&c->b, in->uname);
		STRBUF_LIT(&c->b, "\n");
	}
	md_field(c, "- ", _("Agent version"), in->agent, 500,
		 _("<agent version: give --agent PID|NAME or --agent-version>"));
	md_field(c, "  - ", _("How the agent was found"), in->agent_found, 500, NULL);
	agent_usage(c);
	host_facts(c);
	STRBUF_LIT(&c->b, "\n");
}

/* ---- Diagnosis ---- */

struct fref {
	int rank;   /* 0 fail, 1 error, 2 warn */
	size_t seq; /* order of appearance: stable within a rank */
	enum report_doc k;
	const json_t *f;
};

static int rank_of(const char *status)
{
	if (is(status, "fail"))
		return 0;
	if (is(status, "error"))
		return 1;
	if (is(status, "warn"))
		return 2;
	return -1;
}

static int fref_cmp(const void *a, const void *b)
{
	const struct fref *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *const rank_label[] = { N_("[fail]"), N_("[error]"), N_("[warn]") };

static void finding(struct ctx *c, const struct fref *r)
{
	const json_t *f = r->f;
	const char *title = json_string_value(json_object_get(f, "title"));
	const char *detail = json_string_value(json_object_get(f, "detail"));
	const char *remedy = json_string_value(json_object_get(f, "remedy"));
	const char *guide = json_string_value(json_object_get(f, "guide"));

	add(&c->b, "- **%s** ", _(rank_label[r->rank]));
	md_code(&c->b, json_string_value(json_object_get(f, "id")) ?: "?");
	add(&c->b, " (%s): ", doc_names[r->k]);
	md_text(&c->b, title ? title : "?", MAX_FIELD);
	if (guide && *guide) {
		char *g = md_text_str(guide, 20);

		STRBUF_LIT(&c->b, " ");
		add(&c->b, _("(guide %s)"), g);
		free(g);
	}
	STRBUF_LIT(&c->b, "\n");
	md_field(c, "  - ", _("Observed"), detail, MAX_FIELD, NULL);
	md_field(c, "  - ", _("Remedy"), remedy, MAX_FIELD, NULL);
}

/* Which documents were read and which were not, and why: the Diagnosis's own limits. */
static void doc_list(struct ctx *c, size_t nread)
{
	size_t i, k, n = 0;

	if (nread) {
		add(&c->b, "- %s: ", _("Documents read"));
		for (k = 0, i = 0; k < REPORT_DOC_NR; k++) {
			if (!c->doc[k])
				continue;
			add(&c->b, "%s%s", i++ ? ", " : "", doc_names[k]);
			if (c->path[k]) {
				STRBUF_LIT(&c->b, " (");
				md_code(&c->b, c->path[k]);
				STRBUF_LIT(&c->b, ")");
			}
			if (error_message(c->doc[k])) {
				char *m = md_text_str(error_message(c->doc[k]), REPORT_MD_MAX_LINE);

				STRBUF_LIT(&c->b, " ");
				add(&c->b, _("(ended in an error: %s)"), m);
				free(m);
			}
		}
		STRBUF_LIT(&c->b, "\n");
	}
	for (k = 0; k < REPORT_DOC_NR; k++) {
		if (c->doc[k])
			continue;
		if (!n++)
			add(&c->b, "- %s:\n", _("Not available, so not judged"));
		add(&c->b, "  - %s: ", doc_names[k]);
		doc_reason(c, k);
		STRBUF_LIT(&c->b, "\n");
	}
}

/*
 * collect-report --object: each object's verdict as check-object gave it, and the cause of
 * each program it refused. Everything in the document is the object's: hostile.
 */
static void objects(struct ctx *c)
{
	const struct report_md_object *o;
	const json_t *p;
	size_t i, j, n;

	for (i = 0; i < c->in->nr_objects; i++) {
		o = &c->in->objects[i];
		add(&c->b, "- %s ", _("BPF object"));
		md_code(&c->b, o->name ? o->name : "?");
		if (!o->json || !json_is_array(json_object_get(o->json, "programs"))) {
			STRBUF_LIT(&c->b, ": ");
			add(&c->b, "%s (", _("no verdict"));
			if (o->json && error_message(o->json)) {
				md_text(&c->b, error_message(o->json), REPORT_MD_MAX_LINE);
				STRBUF_LIT(&c->b, "; ");
			}
			item_reason(c, o->path);
			STRBUF_LIT(&c->b, ")\n");
			continue;
		}
		STRBUF_LIT(&c->b, ": ");
		add(&c->b, _("check-object says %s"),
		    is(json_string_value(json_object_get(o->json, "status")), "pass")
			    ? _("it loads here")
			    : _("it does not load here"));
		STRBUF_LIT(&c->b, " (");
		md_code(&c->b, o->path);
		STRBUF_LIT(&c->b, ")\n");
		n = 0;
		json_array_foreach (json_object_get(o->json, "programs"), j, p) {
			const char *v = json_string_value(json_object_get(p, "verdict"));
			const char *cause = json_string_value(json_object_get(p, "cause"));
			const char *stage = json_string_value(json_object_get(p, "stage"));

			if (++n > REPORT_MD_MAX_OBJECT_PROGS)
				continue;
			add(&c->b, "  - %s ", _("program"));
			md_code(&c->b, json_string_value(json_object_get(p, "name")) ?: "?");
			STRBUF_LIT(&c->b, ": ");
			md_text(&c->b, v ? v : "?", 20);
			if (is(v, "fail")) {
				add(&c->b, ", %s ", _("cause"));
				md_code(&c->b, cause ? cause : "?");
				add(&c->b, ", %s ", _("stage"));
				md_text(&c->b, stage ? stage : "?", 20);
			}
			STRBUF_LIT(&c->b, "\n");
		}
		if (n > REPORT_MD_MAX_OBJECT_PROGS)
			left_out(&c->b, "  - ", n - REPORT_MD_MAX_OBJECT_PROGS);
	}
}

static void diagnosis(struct ctx *c)
{
	struct fref *v = NULL;
	size_t n = 0, cap = 0, nread = 0, i, seq = 0;
	const json_t *f;
	int k, rank;

	add(&c->b, "**%s:**\n", _("Diagnosis (edrdiag)"));
	for (k = 0; k < REPORT_DOC_NR; k++) {
		if (!c->doc[k])
			continue;
		nread++;
		json_array_foreach (json_object_get(c->doc[k], "results"), i, f) {
			rank = rank_of(json_string_value(json_object_get(f, "status")));
			if (rank < 0)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				v = util_xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = (struct fref){ rank, seq++, (enum report_doc)k, f };
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), fref_cmp);
	for (i = 0; i < n && i < MAX_FINDINGS; i++)
		finding(c, &v[i]);
	if (n > MAX_FINDINGS)
		left_out(&c->b, "- ", n - MAX_FINDINGS);
	if (!nread)
		add(&c->b, "- %s\n", _("No check document could be read: nothing is judged here."));
	else if (!n)
		add(&c->b, "- %s\n", _("No failing or warning finding in the documents read."));
	objects(c);
	doc_list(c, nread);
	free(v);
	STRBUF_LIT(&c->b, "\n");
}

/* ---- Error messages ---- */

static bool has_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return true;
	return false;
}

/* needle as a word of its own: "JIT" in "bpf_jit: JIT" but not in "jitter" */
static bool has_word_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n) &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + n == len || !isalnum((unsigned char)s[i + n])))
			return true;
	return false;
}

/*
 * "bpf" or "btf" as the kernel and libbpf write them: "BPF:", "eBPF", "libbpf:", "bpf_jit",
 * "bpftool", "bpffs"; not inside another word, such as a process "test_btfread" that
 * segfaulted.
 */
static bool has_bpf_word(const char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i + 3 <= len; i++) {
		const char *after = s + i + 3;
		size_t rest = len - i - 3;

		if (strncasecmp(s + i, w, 3))
			continue;
		if (i > 0 && isalnum((unsigned char)s[i - 1]) &&
		    !((i == 1 || !isalnum((unsigned char)s[i - 2])) && tolower(s[i - 1]) == 'e') &&
		    !(i >= 3 && !strncasecmp(s + i - 3, "lib", 3)))
			continue;
		if (rest && isalpha((unsigned char)*after) &&
		    !(rest >= 4 && !strncasecmp(after, "tool", 4)) &&
		    !(rest >= 2 && !strncasecmp(after, "fs", 2)))
			continue;
		return true;
	}
	return false;
}

/* Words of failure, as the kernel, libbpf and the verifier write them. */
static const char *const error_words[] = {
	"fail",	       "error",	    "denied",	"refused",	 "invalid",
	"cannot",      "can't",	    "unable",	"not permitted", "not supported",
	"unsupported", "rejected",  "!read_ok", "out of bounds", "unreachable insn",
	"back-edge",   "too large", "too many", "unknown func",	 "misaligned",
	"restricted", /* lockdown: "use of bpf to read kernel RAM is restricted" */
};

/* The kernel's own alarms, matched as written ("BUG:" but not "debug:"). */
static const char *const alarms[] = { "BUG:", "Oops", "WARNING: CPU:", "general protection" };

static bool has_error_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(error_words); i++)
		if (has_ci(s, len, error_words[i]))
			return true;
	for (i = 0; i < ARRAY_SIZE(alarms); i++)
		if (memmem(s, len, alarms[i], strlen(alarms[i])))
			return true;
	return false;
}

/* The message past a "[  12.345678] " timestamp and a journal's "host kernel: " prefix. */
static const char *message_start(const char *s, size_t *len)
{
	const char *e = s + *len, *k;

	if (s < e && *s == '[') {
		const char *r = memchr(s, ']', (size_t)(e - s));

		if (r)
			s = r + 1;
	}
	k = memmem(s, (size_t)(e - s), "kernel: ", 8);
	if (k)
		s = k + 8;
	while (s < e && *s == ' ')
		s++;
	*len = (size_t)(e - s);
	return s;
}

bool report_md_is_error_line(const char *line, size_t len)
{
	const char *m;
	size_t mlen = len;

	if (!line || !len)
		return false;
	m = message_start(line, &mlen);
	/* the verifier names registers: "R1 invalid mem access 'scalar'", "R0 !read_ok" */
	if (mlen > 2 && m[0] == 'R' && isdigit((unsigned char)m[1])) {
		size_t i = 1;

		while (i < mlen && isdigit((unsigned char)m[i]))
			i++;
		if (i < mlen && m[i] == ' ' && has_error_word(m, mlen))
			return true;
	}
	if (!has_bpf_word(line, len, "bpf") && !has_bpf_word(line, len, "btf") &&
	    !has_ci(line, len, "verifier") && !has_word_ci(line, len, "jit"))
		return false;
	return has_error_word(line, len);
}

/*
 * An error line of the kernel log, or of run-sensor's stderr (verifier): there the whole
 * text is about BPF, so any line with a word of failure counts, and so does the verifier's
 * last word before its "processed N insns" summary, whatever it says ("R0 leaks addr as
 * return value").
 */
static bool line_is_error(const char *p, const char *e, bool verifier)
{
	size_t len = (size_t)(e - p);

	if (report_md_is_error_line(p, len))
		return true;
	if (!verifier)
		return false;
	if (has_error_word(p, len))
		return true;
	return *e && util_startswith(e + 1, "processed ") && len &&
	       !util_startswith(p, "processed ");
}

/*
 * The error lines of text, the last REPORT_MD_MAX_LOG_LINES of them in a fenced block (the
 * latest are closest to the failure); the earlier ones counted.
 */
static size_t error_lines(struct ctx *c, const char *text, const char *indent, bool emit,
			  size_t *total_lines, bool verifier)
{
	const char *p, *e;
	size_t n = 0, lines = 0, skip;

	for (p = text; p && *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		lines++;
		n += line_is_error(p, e, verifier);
	}
	if (total_lines)
		*total_lines = lines;
	if (!emit || !n)
		return n;
	skip = n > REPORT_MD_MAX_LOG_LINES ? n - REPORT_MD_MAX_LOG_LINES : 0;
	add(&c->b, "\n%s```text\n", indent);
	for (p = text; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (!line_is_error(p, e, verifier))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		md_log_line(&c->b, indent, p, (size_t)(e - p));
	}
	add(&c->b, "%s```\n", indent);
	if (n > REPORT_MD_MAX_LOG_LINES) {
		STRBUF_LIT(&c->b, "\n");
		left_out(&c->b, indent, n - REPORT_MD_MAX_LOG_LINES);
	}
	return n;
}

/* Load and attach failures the self-test recorded (errno set), one line each. */
static void attempts(struct ctx *c)
{
	const json_t *a, *doc = c->doc[REPORT_DOC_SELFTEST];
	size_t i, n = 0;

	/* the attempts are there also when the run ended in an error document */
	if (!doc)
		doc = c->raw[REPORT_DOC_SELFTEST];
	json_array_foreach (json_object_get(doc, "attempts"), i, a) {
		if (json_integer_value(json_object_get(a, "errno")) == 0)
			continue;
		if (++n > REPORT_MD_MAX_LOG_LINES)
			continue;
		add(&c->b,
		    "  - %s: ", _("BPF program load/attach failure (run-sensor --self-test)"));
		md_text(&c->b, json_string_value(json_object_get(a, "method")) ?: "?", 40);
		STRBUF_LIT(&c->b, ": ");
		md_text(&c->b, json_string_value(json_object_get(a, "reason")) ?: "?", MAX_FIELD);
		if (json_string_value(json_object_get(a, "cause"))) {
			add(&c->b, " (%s ", _("cause"));
			md_code(&c->b, json_string_value(json_object_get(a, "cause")));
			STRBUF_LIT(&c->b, ")");
		}
		STRBUF_LIT(&c->b, "\n");
	}
	if (n > REPORT_MD_MAX_LOG_LINES)
		left_out(&c->b, "  - ", n - REPORT_MD_MAX_LOG_LINES);
}

/* edrdiag's own items that failed, were denied, timed out or had no tool to run. */
static void failed_items(struct ctx *c)
{
	const struct report_md_info *in = c->in;
	const struct report_md_item *it;
	size_t i, n = 0, shown = 0;

	for (i = 0; in->items && i < in->nr_items; i++)
		n += item_failed(&in->items[i]);
	if (!n)
		return;
	add(&c->b, "  - ");
	add(&c->b,
	    ngettext("edrdiag could not collect %zu item:", "edrdiag could not collect %zu items:",
		     n),
	    n);
	STRBUF_LIT(&c->b, "\n");
	for (i = 0; i < in->nr_items && shown < REPORT_MD_MAX_LOG_LINES; i++) {
		it = &in->items[i];
		if (!item_failed(it))
			continue;
		shown++;
		STRBUF_LIT(&c->b, "    - ");
		/* the path, when the reason names the command rather than the file */
		if (it->source && *it->source) {
			md_code(&c->b, it->path ?: "?");
			STRBUF_LIT(&c->b, ": ");
		}
		item_reason(c, it->path);
		STRBUF_LIT(&c->b, "\n");
	}
	if (n > shown)
		left_out(&c->b, "    - ", n - shown);
}

/* The error lines of one text item, or why it cannot be read. */
static void text_errors(struct ctx *c, const char *label, const char *text, const char *path,
			bool ok, bool verifier)
{
	size_t n, lines;

	if (!ok) {
		if (!path && !text)
			return;
		add(&c->b, "  - ");
		add(&c->b, _("%s not available:"), label);
		STRBUF_LIT(&c->b, " ");
		item_reason(c, path);
		STRBUF_LIT(&c->b, "\n");
		return;
	}
	n = error_lines(c, text, "    ", false, &lines, verifier);
	add(&c->b, "  - %s", label);
	if (path) {
		STRBUF_LIT(&c->b, " (");
		md_code(&c->b, path);
		STRBUF_LIT(&c->b, ")");
	}
	STRBUF_LIT(&c->b, ": ");
	if (!text[strspn(text, " \t\r\n")]) {
		add(&c->b, "%s\n", _("empty: nothing can be concluded from it"));
		return;
	}
	if (!n) {
		add(&c->b,
		    ngettext("no BPF-related error in %zu line",
			     "no BPF-related error in %zu lines", lines),
		    lines);
		STRBUF_LIT(&c->b, "\n");
		return;
	}
	add(&c->b, ngettext("%zu BPF-related error line", "%zu BPF-related error lines", n), n);
	STRBUF_LIT(&c->b, "\n");
	error_lines(c, text, "    ", true, NULL, verifier);
}

static void errors(struct ctx *c)
{
	const struct report_md_info *in = c->in;

	size_t len;

	add(&c->b, "- %s:\n", _("Error messages"));
	len = c->b.len;
	attempts(c);
	failed_items(c);
	text_errors(c, _("Kernel log"), in->kernel_log, in->log_source, c->log_ok, false);
	if (in->sensor_log || in->sensor_log_source)
		text_errors(c, _("Self-test output"), in->sensor_log, in->sensor_log_source,
			    c->sensor_log_ok, true);
	/* an empty list would read as "no errors" */
	if (c->b.len == len)
		add(&c->b, "  - %s\n",
		    _("nothing to read them from: no kernel log, self-test or item list was "
		      "given"));
}

static void logs(struct ctx *c)
{
	const struct report_md_info *in = c->in;

	add(&c->b, "**%s:**\n", _("Logs and error messages"));
	errors(c);
	add(&c->b, "- %s: ", _("Related logs"));
	md_code(&c->b, in->log_source ? in->log_source : "commands/dmesg.txt");
	if (in->bundle_name) {
		char *name = md_code_str(in->bundle_name);

		STRBUF_LIT(&c->b, " ");
		add(&c->b, _("in the bundle %s"), name);
		free(name);
	}
	add(&c->b, "; %s\n\n", _("manifest.json says how every item was collected"));
}

char *report_md_render(const struct report_md_info *in)
{
	struct ctx c = { 0 };

	resolve(&c, in);
	add(&c.b, "# %s\n\n", _("eBPF sensor problem report"));
	banner(&c);
	environment(&c);

	add(&c.b, "**%s:**\n", _("Problem description"));
	add(&c.b, "- %s: %s\n", _("Symptoms"),
	    _("<what you saw: the agent's own error, events missing, high CPU or memory, ...>"));
	add(&c.b, "- %s: %s\n", _("Steps to reproduce"),
	    _("<what you did, step by step, so that support can do it again>"));
	add(&c.b, "- %s: %s\n", _("Expected behaviour"), _("<what should have happened>"));
	add(&c.b, "- %s: %s\n\n", _("Actual behaviour"), _("<what happened instead>"));

	diagnosis(&c);
	logs(&c);

	add(&c.b, "**%s:**\n", _("Solutions already tried"));
	add(&c.b, "- %s\n\n", _("<what you have tried so far, and what each attempt changed>"));
	add(&c.b, "---\n%s\n",
	    _("Generated by edrdiag collect-report; the <...> prompts are for you to fill."));
	return strbuf_cstr(&c.b); /* the buffer is the caller's now */
}
