// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fleet: per-host results folded into one fleet summary (fleet.h). Pure: no file is read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

static const char *const check_names[FLEET_CHECK_NR] = {
	[FLEET_CHECK_KERNEL] = "check-kernel",
	[FLEET_CHECK_TRACEPOINTS] = "check-tracepoints",
	[FLEET_CHECK_SELFTEST] = "run-sensor",
	[FLEET_CHECK_STATS] = "stats",
};

static const char *const cell_names[FLEET_CELL_NR] = {
	[FLEET_CELL_NONE] = "-",    [FLEET_CELL_PASS] = "pass", [FLEET_CELL_WARN] = "warn",
	[FLEET_CELL_FAIL] = "fail", [FLEET_CELL_SKIP] = "skip", [FLEET_CELL_ERROR] = "error",
};

static const char *const verdict_names[FLEET_VERDICT_NR] = {
	[FLEET_PASS] = "pass",	     [FLEET_WARN] = "warn",
	[FLEET_FAIL] = "fail",	     [FLEET_NO_RESULT] = "no_result",
	[FLEET_ERROR_DOC] = "error", [FLEET_ENVIRONMENT] = "environment",
};

/* A verdict by its name, for --since: 0, or -EINVAL. */
static int verdict_parse(const char *s, enum fleet_verdict *v)
{
	int i;

	for (i = 0; s && i < FLEET_VERDICT_NR; i++) {
		if (!strcmp(s, verdict_names[i])) {
			*v = (enum fleet_verdict)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* A host verdict means "gave a result": the coverage's numerator. */
static bool has_result(enum fleet_verdict v)
{
	return v == FLEET_PASS || v == FLEET_WARN || v == FLEET_FAIL;
}

void fleet_init(struct fleet *f, const char *source, const char *inventory)
{
	memset(f, 0, sizeof(*f));
	f->source = text_printable(source);
	f->inventory = inventory ? text_printable(inventory) : NULL;
}

static void host_free(struct fleet_host *h)
{
	size_t i;

	free(h->name);
	free(h->release);
	free(h->distro);
	free(h->error);
	free(h->error_code);
	for (i = 0; i < FLEET_CHECK_NR; i++)
		free(h->cell_source[i]);
	for (i = 0; i < h->ncauses; i++) {
		free(h->causes[i].check);
		free(h->causes[i].status);
		free(h->causes[i].id);
		free(h->causes[i].title);
	}
	free(h->causes);
	util_strv_free(h->problems, h->nproblems);
}

void fleet_free(struct fleet *f)
{
	size_t i;

	for (i = 0; i < f->nhosts; i++)
		host_free(&f->hosts[i]);
	free(f->hosts);
	free(f->index);
	for (i = 0; i < f->ngroups; i++)
		free(f->groups[i].hosts);
	free(f->groups);
	if (f->since) {
		free(f->since->previous);
		util_strv_free(f->since->newly_failing, f->since->nnew);
		util_strv_free(f->since->recovered, f->since->nrec);
		util_strv_free(f->since->appeared, f->since->napp);
		util_strv_free(f->since->disappeared, f->since->ndis);
		free(f->since);
	}
	free(f->source);
	free(f->inventory);
	memset(f, 0, sizeof(*f));
}

/* FNV-1a, for the index of host names */
static size_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

/* the index: open addressing over hosts[], slots hold index + 1, 0 is empty */
static void index_put(struct fleet *f, size_t i)
{
	size_t m = f->capindex - 1, k = name_hash(f->hosts[i].name) & m;

	while (f->index[k])
		k = (k + 1) & m;
	f->index[k] = i + 1;
}

static void index_grow(struct fleet *f)
{
	size_t i;

	free(f->index);
	f->capindex = f->capindex ? 2 * f->capindex : 256;
	f->index = util_xmalloc(f->capindex * sizeof(*f->index));
	memset(f->index, 0, f->capindex * sizeof(*f->index));
	for (i = 0; i < f->nhosts; i++)
		index_put(f, i);
}

struct fleet_host *fleet_host(struct fleet *f, const char *name)
{
	char *p = text_printable(name);
	struct fleet_host *h;
	size_t k;

	for (k = f->capindex ? name_hash(p) & (f->capindex - 1) : 0; f->capindex && f->index[k];
	     k = (k + 1) & (f->capindex - 1)) {
		if (!strcmp(f->hosts[f->index[k] - 1].name, p)) {
			free(p);
			return &f->hosts[f->index[k] - 1];
		}
	}
	if (f->nhosts == f->caphosts) {
		f->caphosts = f->caphosts ? 2 * f->caphosts : 64;
		f->hosts = util_xrealloc(f->hosts, f->caphosts * sizeof(*f->hosts));
	}
	h = &f->hosts[f->nhosts++];
	memset(h, 0, sizeof(*h));
	h->name = p;
	h->expected = true;
	h->exit_status = -1;
	if (2 * f->nhosts > f->capindex)
		index_grow(f);
	else
		index_put(f, f->nhosts - 1);
	return h;
}

void fleet_problem(struct fleet_host *h, const char *fmt, ...)
{
	va_list ap;
	char *raw;

	va_start(ap, fmt);
	raw = util_vfmt(fmt, ap);
	va_end(ap);
	if (h->nproblems == h->capproblems) {
		h->capproblems = h->capproblems ? 2 * h->capproblems : 4;
		h->problems = util_xrealloc(h->problems, h->capproblems * sizeof(*h->problems));
	}
	h->problems[h->nproblems++] = text_printable(raw);
	free(raw);
}

/* A string member, printable, or NULL when absent or not a string. */
static char *str_member(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? text_printable(s) : NULL;
}

static enum fleet_cell cell_of(const char *status)
{
	int i;

	for (i = FLEET_CELL_PASS; status && i < FLEET_CELL_NR; i++)
		if (!strcmp(status, cell_names[i]))
			return (enum fleet_cell)i;
	return FLEET_CELL_NONE;
}

static void add_cause(struct fleet_host *h, const char *check, const json_t *r)
{
	const char *st = json_string_value(json_object_get(r, "status"));
	struct fleet_cause *c;

	if (!st || (strcmp(st, "fail") && strcmp(st, "error")))
		return;
	if (h->ncauses == h->capcauses) {
		h->capcauses = h->capcauses ? 2 * h->capcauses : 4;
		h->causes = util_xrealloc(h->causes, h->capcauses * sizeof(*h->causes));
	}
	c = &h->causes[h->ncauses++];
	c->check = util_xstrdup(check);
	c->status = util_xstrdup(st);
	c->id = str_member(r, "id");
	c->title = str_member(r, "title");
	if (!c->id)
		c->id = util_xstrdup("?");
	if (!c->title)
		c->title = util_xstrdup("");
}

/* release and distro, from check-kernel's "kernel" member, else its target */
static void kernel_of(struct fleet_host *h, const json_t *doc)
{
	const json_t *k = json_object_get(doc, "kernel");

	if (!h->release)
		h->release = str_member(k, "release");
	if (!h->release)
		h->release = str_member(json_object_get(doc, "target"), "release");
	if (!h->distro)
		h->distro = str_member(k, "distro");
}

int fleet_add_doc(struct fleet_host *h, const json_t *doc, const char *source)
{
	const char *cmd = json_string_value(json_object_get(doc, "command"));
	const json_t *results = json_object_get(doc, "results"),
		     *err = json_object_get(doc, "error");
	enum fleet_cell cell;
	size_t i;
	int c;

	if (!json_is_object(doc) || !cmd) {
		fleet_problem(h, "%s: not an edrdiag document (no \"command\" member)", source);
		return -EINVAL;
	}
	if (!json_is_array(results)) {
		/* an error document: the head and "error" */
		if (!json_is_object(err)) {
			fleet_problem(h, "%s: an edrdiag document without results or error",
				      source);
			return -EINVAL;
		}
		if (!h->error) {
			h->error = str_member(err, "message");
			h->error_code = str_member(err, "code");
			if (!h->error)
				h->error = util_xstrdup("?");
		}
		return 0;
	}
	for (c = 0; c < FLEET_CHECK_NR; c++)
		if (!strcmp(cmd, check_names[c]))
			break;
	if (c == FLEET_CHECK_NR) {
		fleet_problem(h, "%s: a document of '%s', not a check fleet-summary reads", source,
			      cmd);
		return -EINVAL;
	}
	cell = cell_of(json_string_value(json_object_get(doc, "status")));
	if (cell == FLEET_CELL_NONE) {
		fleet_problem(h, "%s: no valid \"status\" member", source);
		return -EINVAL;
	}
	if (h->cells[c] != FLEET_CELL_NONE)
		return 0; /* the first document of a check wins */
	h->cells[c] = cell;
	h->cell_source[c] = text_printable(source);
	for (i = 0; i < json_array_size(results); i++)
		add_cause(h, check_names[c], json_array_get(results, i));
	if (c == FLEET_CHECK_KERNEL)
		kernel_of(h, doc);
	return 0;
}

int fleet_parse_exit_status(const char *data, size_t len, int *status)
{
	size_t i = 0;
	int v = 0, digits = 0;

	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	for (; i < len && data[i] >= '0' && data[i] <= '9'; i++, digits++) {
		v = v * 10 + (data[i] - '0');
		if (v > 255)
			return -EINVAL;
	}
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*status = v;
	return 0;
}

static enum fleet_verdict verdict_of(const struct fleet_host *h)
{
	bool any = false, warn = false, fail = false;
	int c;

	if (h->exit_status == 3 || (h->error_code && !strcmp(h->error_code, "privilege")) ||
	    (h->error_code && !strcmp(h->error_code, "environment")))
		return FLEET_ENVIRONMENT;
	for (c = 0; c < FLEET_CHECK_NR; c++) {
		any |= h->cells[c] != FLEET_CELL_NONE;
		warn |= h->cells[c] == FLEET_CELL_WARN;
		fail |= h->cells[c] == FLEET_CELL_FAIL || h->cells[c] == FLEET_CELL_ERROR;
	}
	if (!any)
		return h->error ? FLEET_ERROR_DOC : FLEET_NO_RESULT;
	return fail ? FLEET_FAIL : warn ? FLEET_WARN : FLEET_PASS;
}

static int host_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fleet_host *)a)->name, ((const struct fleet_host *)b)->name);
}

static int cause_cmp(const struct fleet_cause *a, const struct fleet_cause *b)
{
	int r = strcmp(a->check, b->check);

	if (!r)
		r = strcmp(a->status, b->status);
	if (!r)
		r = strcmp(a->id, b->id);
	if (!r)
		r = strcmp(a->title, b->title);
	return r;
}

struct cause_ref {
	const struct fleet_cause *cause;
	const struct fleet_host *host;
};

static int cause_ref_cmp(const void *a, const void *b)
{
	const struct cause_ref *x = a, *y = b;
	int r = cause_cmp(x->cause, y->cause);

	return r ? r : strcmp(x->host->name, y->host->name);
}

static int group_cmp(const void *a, const void *b)
{
	const struct fleet_group *x = a, *y = b;

	if (x->nhosts != y->nhosts)
		return x->nhosts > y->nhosts ? -1 : 1;
	return cause_cmp(x->cause, y->cause);
}

void fleet_finish(struct fleet *f)
{
	struct cause_ref *refs;
	size_t i, j, nrefs = 0;

	qsort(f->hosts, f->nhosts, sizeof(*f->hosts), host_cmp);
	/* sorted: the name index no longer applies (find_host searches the sorted array) */
	free(f->index);
	f->index = NULL;
	f->capindex = 0;
	for (i = 0; i < f->nhosts; i++) {
		struct fleet_host *h = &f->hosts[i];
		int c;

		h->verdict = verdict_of(h);
		if (!h->expected)
			continue;
		f->expected++;
		f->with_result += has_result(h->verdict);
		f->verdicts[h->verdict]++;
		for (c = 0; c < FLEET_CHECK_NR; c++)
			f->counts[c][h->cells[c]]++;
		nrefs += h->ncauses;
	}
	/* causes: every (cause, host) pair, sorted, then cut into groups */
	refs = util_xmalloc((nrefs ? nrefs : 1) * sizeof(*refs));
	nrefs = 0;
	for (i = 0; i < f->nhosts; i++) {
		const struct fleet_host *h = &f->hosts[i];

		for (j = 0; h->expected && j < h->ncauses; j++) {
			/* the same finding twice in one host's documents counts once */
			size_t k;

			for (k = 0; k < j && cause_cmp(&h->causes[k], &h->causes[j]); k++)
				;
			if (k == j)
				refs[nrefs++] = (struct cause_ref){ &h->causes[j], h };
		}
	}
	qsort(refs, nrefs, sizeof(*refs), cause_ref_cmp);
	for (i = 0; i < nrefs; i = j) {
		struct fleet_group *g;

		for (j = i + 1; j < nrefs && !cause_cmp(refs[i].cause, refs[j].cause); j++)
			;
		f->groups = util_xrealloc(f->groups, (f->ngroups + 1) * sizeof(*f->groups));
		g = &f->groups[f->ngroups++];
		g->cause = refs[i].cause;
		g->nhosts = j - i;
		g->hosts = util_xmalloc(g->nhosts * sizeof(*g->hosts));
		for (size_t k = i; k < j; k++)
			g->hosts[k - i] = refs[k].host;
	}
	free(refs);
	if (f->ngroups)
		qsort(f->groups, f->ngroups, sizeof(*f->groups), group_cmp);
}

int fleet_exit_code(const struct fleet *f)
{
	return f->verdicts[FLEET_PASS] + f->verdicts[FLEET_WARN] == f->expected ? 0 : 1;
}

static const struct fleet_host *find_host(const struct fleet *f, const char *name)
{
	struct fleet_host key = { .name = (char *)name };

	return bsearch(&key, f->hosts, f->nhosts, sizeof(*f->hosts), host_cmp);
}

static void strv_push(char ***v, size_t *n, const char *s)
{
	*v = util_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = util_xstrdup(s);
}

int fleet_since(struct fleet *f, const json_t *prev, const char *prev_name, const char **why)
{
	const json_t *hosts = json_object_get(prev, "hosts"), *h;
	struct fleet_since *s;
	const char **names;
	size_t i, nnames = 0;

	if (!json_is_object(prev) || !json_is_string(json_object_get(prev, "command")) ||
	    strcmp(json_string_value(json_object_get(prev, "command")), "fleet-summary")) {
		*why = "not a fleet-summary JSON document";
		return -EINVAL;
	}
	if (!json_is_array(hosts)) {
		*why = "no \"hosts\" array";
		return -EINVAL;
	}
	json_array_foreach (hosts, i, h) {
		enum fleet_verdict v;

		if (!json_is_string(json_object_get(h, "name")) ||
		    verdict_parse(json_string_value(json_object_get(h, "verdict")), &v)) {
			*why = "a host without a name or a valid verdict";
			return -EINVAL;
		}
	}
	s = util_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->previous = text_printable(prev_name);
	/* the hosts expected then, by name (written printable: compared as they are) */
	names = util_xmalloc((json_array_size(hosts) + 1) * sizeof(*names));
	json_array_foreach (hosts, i, h) {
		const char *name = json_string_value(json_object_get(h, "name"));
		const struct fleet_host *now = find_host(f, name);
		enum fleet_verdict was = FLEET_NO_RESULT;

		if (json_is_false(json_object_get(h, "expected")))
			continue;
		names[nnames++] = name;
		verdict_parse(json_string_value(json_object_get(h, "verdict")), &was);
		if (!now || !now->expected) {
			strv_push(&s->disappeared, &s->ndis, name);
			continue;
		}
		if (now->verdict == FLEET_FAIL && was != FLEET_FAIL)
			strv_push(&s->newly_failing, &s->nnew, name);
		else if (was == FLEET_FAIL && has_result(now->verdict) &&
			 now->verdict != FLEET_FAIL)
			strv_push(&s->recovered, &s->nrec, name);
	}
	qsort(names, nnames, sizeof(*names), util_str_cmp);
	for (i = 0; i < f->nhosts; i++) {
		const char *key = f->hosts[i].name;

		if (f->hosts[i].expected &&
		    !bsearch(&key, names, nnames, sizeof(*names), util_str_cmp))
			strv_push(&s->appeared, &s->napp, key);
	}
	free(names);
	qsort(s->newly_failing, s->nnew, sizeof(char *), util_str_cmp);
	qsort(s->recovered, s->nrec, sizeof(char *), util_str_cmp);
	qsort(s->appeared, s->napp, sizeof(char *), util_str_cmp);
	qsort(s->disappeared, s->ndis, sizeof(char *), util_str_cmp);
	f->since = s;
	return 0;
}

/* ---- JSON ---- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* how many hosts of a group run each release (or distro): [{"value", "hosts"}], sorted */
static json_t *spread_json(const struct fleet_group *g, bool distro)
{
	const char **v = util_xmalloc(g->nhosts * sizeof(*v));
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; i < g->nhosts; i++) {
		const char *s = distro ? g->hosts[i]->distro : g->hosts[i]->release;

		v[i] = s ? s : "unknown";
	}
	qsort(v, g->nhosts, sizeof(*v), util_str_cmp);
	for (i = 0; i < g->nhosts; i = j) {
		for (j = i + 1; j < g->nhosts && !strcmp(v[i], v[j]); j++)
			;
		json_array_append_new(a, json_pack("{s:s, s:I}", "value", v[i], "hosts",
						   (json_int_t)(j - i)));
	}
	free(v);
	return a;
}

static bool listed_apart(const struct fleet_host *h)
{
	return h->expected && !has_result(h->verdict);
}

/* why a host gave no usable result, in one printable line (English: it is data) */
static char *apart_reason(const struct fleet_host *h)
{
	if (!h->dir)
		return util_xstrdup("no directory in the results tree");
	if (h->verdict == FLEET_ENVIRONMENT && h->error)
		return util_fmt("exit 3: %s", h->error);
	if (h->verdict == FLEET_ENVIRONMENT)
		return util_xstrdup("exit 3 (exit-status file)");
	if (h->verdict == FLEET_ERROR_DOC)
		return util_fmt("error: %s", h->error);
	if (h->exit_status >= 0)
		return util_fmt("no edrdiag document (exit status %d)", h->exit_status);
	if (h->nproblems)
		return util_fmt("no usable edrdiag document (%s)", h->problems[0]);
	return util_xstrdup("no edrdiag document");
}

json_t *fleet_json(const struct fleet *f)
{
	json_t *o = json_object(), *checks = json_array(), *hosts = json_array();
	json_t *causes = json_array(), *apart = json_array(), *vc = json_object();
	size_t i, j;
	int c;

	json_object_set_new(o, "status",
			    json_string(fleet_exit_code(f)	  ? "fail"
					: f->verdicts[FLEET_WARN] ? "warn"
								  : "pass"));
	json_object_set_new(o, "source", json_string(f->source));
	json_object_set_new(o, "inventory", str_or_null(f->inventory));
	json_object_set_new(o, "expected", json_integer((json_int_t)f->expected));
	json_object_set_new(o, "with_result", json_integer((json_int_t)f->with_result));
	json_object_set_new(o, "coverage",
			    json_real(f->expected ? (double)f->with_result / (double)f->expected
						  : 0.0));
	for (i = 0; i < FLEET_VERDICT_NR; i++)
		json_object_set_new(vc, verdict_names[i], json_integer((json_int_t)f->verdicts[i]));
	json_object_set_new(o, "verdicts", vc);
	for (c = 0; c < FLEET_CHECK_NR; c++) {
		json_t *counts = json_object();

		for (i = FLEET_CELL_PASS; i < FLEET_CELL_NR; i++)
			json_object_set_new(counts, cell_names[i],
					    json_integer((json_int_t)f->counts[c][i]));
		json_object_set_new(counts, "missing",
				    json_integer((json_int_t)f->counts[c][FLEET_CELL_NONE]));
		json_array_append_new(checks, json_pack("{s:s, s:o}", "name", check_names[c],
							"counts", counts));
	}
	json_object_set_new(o, "checks", checks);
	for (i = 0; i < f->nhosts; i++) {
		const struct fleet_host *h = &f->hosts[i];
		json_t *cells = json_object(), *jh;

		for (c = 0; c < FLEET_CHECK_NR; c++)
			json_object_set_new(cells, check_names[c],
					    h->cells[c] == FLEET_CELL_NONE
						    ? json_null()
						    : json_string(cell_names[h->cells[c]]));
		jh = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o}", "name", h->name,
			       "verdict", verdict_names[h->verdict], "expected", h->expected,
			       "checks", cells, "release", str_or_null(h->release), "distro",
			       str_or_null(h->distro), "exit_status",
			       h->exit_status < 0 ? json_null() : json_integer(h->exit_status),
			       "error", str_or_null(h->error), "problems",
			       strv_json(h->problems, h->nproblems));
		json_array_append_new(hosts, jh);
		if (listed_apart(h)) {
			char *why = apart_reason(h);

			json_array_append_new(apart, json_pack("{s:s, s:s, s:s}", "name", h->name,
							       "verdict", verdict_names[h->verdict],
							       "reason", why));
			free(why);
		}
	}
	json_object_set_new(o, "hosts", hosts);
	for (i = 0; i < f->ngroups; i++) {
		const struct fleet_group *g = &f->groups[i];
		json_t *names = json_array();

		for (j = 0; j < g->nhosts; j++)
			json_array_append_new(names, json_string(g->hosts[j]->name));
		json_array_append_new(
			causes, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "check",
					  g->cause->check, "status", g->cause->status, "id",
					  g->cause->id, "title", g->cause->title, "count",
					  (json_int_t)g->nhosts, "hosts", names, "releases",
					  spread_json(g, false), "distros", spread_json(g, true)));
	}
	json_object_set_new(o, "causes", causes);
	json_object_set_new(o, "no_result", apart);
	if (f->since) {
		const struct fleet_since *s = f->since;

		json_object_set_new(o, "since",
				    json_pack("{s:s, s:o, s:o, s:o, s:o}", "previous", s->previous,
					      "newly_failing", strv_json(s->newly_failing, s->nnew),
					      "recovered", strv_json(s->recovered, s->nrec),
					      "appeared", strv_json(s->appeared, s->napp),
					      "disappeared", strv_json(s->disappeared, s->ndis)));
	} else {
		json_object_set_new(o, "since", json_null());
	}
	return o;
}

/* ---- plain ---- */

static void print_names(FILE *out, const char *label, char *const *v, size_t n)
{
	size_t i;

	fprintf(out, "  %-15s %zu", label, n);
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : ": ", v[i]);
	fputc('\n', out);
}

static void print_spread(FILE *out, const struct fleet_group *g, bool distro)
{
	json_t *a = spread_json(g, distro), *e;
	size_t i;

	json_array_foreach (a, i, e) {
		fprintf(out, "%s%s (%lld)", i ? ", " : "",
			json_string_value(json_object_get(e, "value")),
			(long long)json_integer_value(json_object_get(e, "hosts")));
	}
	json_decref(a);
}

void fleet_print_plain(const struct fleet *f, FILE *out)
{
	size_t i, j, w = 4;
	int c;

	fprintf(out, _("fleet: %s: %zu of %zu expected hosts gave a result (coverage %.1f%%)\n"),
		f->source, f->with_result, f->expected,
		f->expected ? 100.0 * (double)f->with_result / (double)f->expected : 0.0);
	for (i = 0; i < f->nhosts; i++)
		if (strlen(f->hosts[i].name) > w)
			w = strlen(f->hosts[i].name);
	if (w > 40)
		w = 40;
	fprintf(out, "\n%-*s  %-11s", (int)w, "HOST", "VERDICT");
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fprintf(out, "  %-*s", (int)strlen(check_names[c]), check_names[c]);
	fprintf(out, "  %s\n", "RELEASE / DISTRIBUTION");
	for (i = 0; i < f->nhosts; i++) {
		const struct fleet_host *h = &f->hosts[i];

		fprintf(out, "%-*s  %-11s", (int)w, h->name, verdict_names[h->verdict]);
		for (c = 0; c < FLEET_CHECK_NR; c++)
			fprintf(out, "  %-*s", (int)strlen(check_names[c]),
				cell_names[h->cells[c]]);
		fprintf(out, "  %s / %s%s\n", h->release ? h->release : "-",
			h->distro ? h->distro : "-",
			h->expected ? "" : _(" (not in the inventory)"));
	}
	fprintf(out, _("\nPer check (hosts):\n"));
	fprintf(out, "  %-18s %6s %6s %6s %6s %6s %8s\n", "CHECK", "pass", "warn", "fail", "skip",
		"error", "missing");
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fprintf(out, "  %-18s %6zu %6zu %6zu %6zu %6zu %8zu\n", check_names[c],
			f->counts[c][FLEET_CELL_PASS], f->counts[c][FLEET_CELL_WARN],
			f->counts[c][FLEET_CELL_FAIL], f->counts[c][FLEET_CELL_SKIP],
			f->counts[c][FLEET_CELL_ERROR], f->counts[c][FLEET_CELL_NONE]);
	if (f->ngroups)
		fprintf(out, _("\nFailing hosts by cause:\n"));
	for (i = 0; i < f->ngroups; i++) {
		const struct fleet_group *g = &f->groups[i];

		fprintf(out, "  %s %s (%s): %s: %zu\n", g->cause->status, g->cause->id,
			g->cause->check, g->cause->title, g->nhosts);
		fprintf(out, _("    releases: "));
		print_spread(out, g, false);
		fprintf(out, _("\n    distributions: "));
		print_spread(out, g, true);
		fprintf(out, _("\n    hosts: "));
		for (j = 0; j < g->nhosts; j++)
			fprintf(out, "%s%s", j ? ", " : "", g->hosts[j]->name);
		fputc('\n', out);
	}
	if (f->with_result < f->expected)
		fprintf(out, _("\nHosts without a result:\n"));
	for (i = 0; i < f->nhosts; i++) {
		if (listed_apart(&f->hosts[i])) {
			char *why = apart_reason(&f->hosts[i]);

			fprintf(out, "  %-*s  %-11s  %s\n", (int)w, f->hosts[i].name,
				verdict_names[f->hosts[i].verdict], why);
			free(why);
		}
	}
	if (f->since) {
		const struct fleet_since *s = f->since;

		fprintf(out, _("\nSince %s:\n"), s->previous);
		print_names(out, "newly failing", s->newly_failing, s->nnew);
		print_names(out, "recovered", s->recovered, s->nrec);
		print_names(out, "appeared", s->appeared, s->napp);
		print_names(out, "disappeared", s->disappeared, s->ndis);
	}
	fprintf(out, _("\nVerdict: %zu pass, %zu warn, %zu fail, %zu without a result\n"),
		f->verdicts[FLEET_PASS], f->verdicts[FLEET_WARN], f->verdicts[FLEET_FAIL],
		f->expected - f->with_result);
}

/* ---- CSV ---- */

/*
 * One CSV cell: quoted when it holds a comma, quote or space; a cell that a spreadsheet
 * would take for a formula (= + - @ first) gets a leading apostrophe.
 */
static void csv_cell(FILE *out, const char *s, bool last)
{
	bool quote = false;
	const char *p;

	s = s ? s : "";
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == ' ' || *p == '\'')
			quote = true;
	if (quote)
		fputc('"', out);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		if (strcmp(s, "-"))
			fputc('\'', out);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	fputc(last ? '\n' : ',', out);
}

void fleet_print_csv(const struct fleet *f, FILE *out)
{
	size_t i;
	int c;

	fputs("host,verdict,expected", out);
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fprintf(out, ",%s", check_names[c]);
	fputs(",release,distro,causes,reason\n", out);
	for (i = 0; i < f->nhosts; i++) {
		const struct fleet_host *h = &f->hosts[i];
		char *causes = util_xstrdup(""), *why = listed_apart(h) ? apart_reason(h) : NULL;
		size_t j;

		for (j = 0; j < h->ncauses; j++) {
			char *n = util_fmt("%s%s%s", causes, j ? ";" : "", h->causes[j].id);

			free(causes);
			causes = n;
		}
		csv_cell(out, h->name, false);
		csv_cell(out, verdict_names[h->verdict], false);
		csv_cell(out, h->expected ? "yes" : "no", false);
		for (c = 0; c < FLEET_CHECK_NR; c++)
			csv_cell(out, h->cells[c] == FLEET_CELL_NONE ? "" : cell_names[h->cells[c]],
				 false);
		csv_cell(out, h->release, false);
		csv_cell(out, h->distro, false);
		csv_cell(out, causes, false);
		csv_cell(out, why, true);
		free(causes);
		free(why);
	}
}

/* ---- Markdown ---- */

/* text in a table cell: the characters Markdown would read as markup, escaped */
static void md_text(FILE *out, const char *s)
{
	for (s = s ? s : "-"; *s; s++) {
		if (strchr("|*_`[]<>#~", *s))
			fputc('\\', out);
		fputc(*s, out);
	}
}

void fleet_print_markdown(const struct fleet *f, FILE *out)
{
	size_t i, j;
	int c;

	fputs("# ", out);
	fprintf(out, _("Fleet summary: %s"), "");
	md_text(out, f->source);
	fprintf(out, _("\n\n%zu of %zu expected hosts gave a result (coverage %.1f%%).\n"),
		f->with_result, f->expected,
		f->expected ? 100.0 * (double)f->with_result / (double)f->expected : 0.0);
	fputs("\n| check | pass | warn | fail | skip | error | missing |\n"
	      "|---|---:|---:|---:|---:|---:|---:|\n",
	      out);
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fprintf(out, "| %s | %zu | %zu | %zu | %zu | %zu | %zu |\n", check_names[c],
			f->counts[c][FLEET_CELL_PASS], f->counts[c][FLEET_CELL_WARN],
			f->counts[c][FLEET_CELL_FAIL], f->counts[c][FLEET_CELL_SKIP],
			f->counts[c][FLEET_CELL_ERROR], f->counts[c][FLEET_CELL_NONE]);
	if (f->ngroups)
		fprintf(out,
			"\n## %s\n\n| status | id | title | check | hosts | releases |\n"
			"|---|---|---|---|---:|---|\n",
			_("Failing hosts by cause"));
	for (i = 0; i < f->ngroups; i++) {
		const struct fleet_group *g = &f->groups[i];
		json_t *a = spread_json(g, false), *e;

		fprintf(out, "| %s | ", g->cause->status);
		md_text(out, g->cause->id);
		fputs(" | ", out);
		md_text(out, g->cause->title);
		fprintf(out, " | %s | %zu | ", g->cause->check, g->nhosts);
		json_array_foreach (a, j, e) {
			fputs(j ? ", " : "", out);
			md_text(out, json_string_value(json_object_get(e, "value")));
			fprintf(out, " (%lld)",
				(long long)json_integer_value(json_object_get(e, "hosts")));
		}
		json_decref(a);
		fputs(" |\n", out);
	}
	fprintf(out, "\n## %s\n\n| host | verdict |", _("Hosts"));
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fprintf(out, " %s |", check_names[c]);
	fputs(" release | distribution | note |\n|---|---|", out);
	for (c = 0; c < FLEET_CHECK_NR; c++)
		fputs("---|", out);
	fputs("---|---|---|\n", out);
	for (i = 0; i < f->nhosts; i++) {
		const struct fleet_host *h = &f->hosts[i];
		char *why = listed_apart(h) ? apart_reason(h) : NULL;

		fputs("| ", out);
		md_text(out, h->name);
		fprintf(out, " | %s |", verdict_names[h->verdict]);
		for (c = 0; c < FLEET_CHECK_NR; c++)
			fprintf(out, " %s |", cell_names[h->cells[c]]);
		fputc(' ', out);
		md_text(out, h->release);
		fputs(" | ", out);
		md_text(out, h->distro);
		fputs(" | ", out);
		md_text(out, why ? why : h->expected ? "" : "not in the inventory");
		fputs(" |\n", out);
		free(why);
	}
	if (f->since) {
		const struct fleet_since *s = f->since;
		struct {
			const char *label;
			char *const *v;
			size_t n;
		} rows[] = { { "newly failing", s->newly_failing, s->nnew },
			     { "recovered", s->recovered, s->nrec },
			     { "appeared", s->appeared, s->napp },
			     { "disappeared", s->disappeared, s->ndis } };

		fprintf(out, "\n## %s ", _("Since"));
		md_text(out, s->previous);
		fputs("\n\n", out);
		for (i = 0; i < ARRAY_SIZE(rows); i++) {
			fprintf(out, "- %s (%zu):", rows[i].label, rows[i].n);
			for (j = 0; j < rows[i].n; j++) {
				fputs(j ? ", " : " ", out);
				md_text(out, rows[i].v[j]);
			}
			fputc('\n', out);
		}
	}
}
