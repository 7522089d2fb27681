// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

/* A misuse is edrdiag's bug: stop where it happened. */
static void misuse(const char *what)
{
	fprintf(stderr, "edrdiag: bug: jsonw: %s\n", what);
	abort();
}

void jsonw_init(struct jsonw *w, struct strbuf *sb, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
	w->pretty = pretty;
}

static void indent(struct jsonw *w)
{
	int i;

	STRBUF_LIT(w->sb, "\n");
	for (i = 0; i < w->depth; i++)
		STRBUF_LIT(w->sb, "  ");
}

/* Before a key or an array element: the comma, and the new line when pretty. */
static void sep(struct jsonw *w)
{
	if (!w->depth)
		return;
	if (w->any[w->depth - 1])
		STRBUF_LIT(w->sb, ",");
	w->any[w->depth - 1] = true;
	if (w->pretty)
		indent(w);
}

static void before_value(struct jsonw *w)
{
	if (w->key_done) {
		w->key_done = false;
		return;
	}
	if (w->depth && w->object[w->depth - 1])
		misuse("a value where a key is due");
	if (!w->depth && w->top_done)
		misuse("a second value at the top");
	sep(w);
	if (!w->depth)
		w->top_done = true;
}

static void begin(struct jsonw *w, bool object)
{
	before_value(w);
	if (w->depth == JSONW_MAX_DEPTH - 1)
		misuse("nested too deep");
	strbuf_put(w->sb, object ? "{" : "[", 1);
	w->depth++;
	w->object[w->depth - 1] = object;
	w->any[w->depth - 1] = false;
}

static void end(struct jsonw *w, bool object)
{
	bool any;

	if (!w->depth || w->object[w->depth - 1] != object || w->key_done)
		misuse(object ? "an end of object out of place" : "an end of array out of place");
	any = w->any[w->depth - 1];
	w->depth--;
	if (any && w->pretty)
		indent(w);
	strbuf_put(w->sb, object ? "}" : "]", 1);
}

void jsonw_begin_object(struct jsonw *w)
{
	begin(w, true);
}

void jsonw_end_object(struct jsonw *w)
{
	end(w, true);
}

void jsonw_begin_array(struct jsonw *w)
{
	begin(w, false);
}

void jsonw_end_array(struct jsonw *w)
{
	end(w, false);
}

static void key_colon(struct jsonw *w)
{
	if (w->pretty)
		STRBUF_LIT(w->sb, ": ");
	else
		STRBUF_LIT(w->sb, ":");
	w->key_done = true;
}

void jsonw_key(struct jsonw *w, const char *key)
{
	if (!w->depth || !w->object[w->depth - 1] || w->key_done)
		misuse("a key outside an object, or two keys");
	sep(w);
	strbuf_json_str(w->sb, key, strlen(key));
	key_colon(w);
}

void jsonw_key_raw(struct jsonw *w, const char *quoted, size_t n)
{
	if (!w->depth || !w->object[w->depth - 1] || w->key_done)
		misuse("a key outside an object, or two keys");
	sep(w);
	strbuf_put(w->sb, quoted, n);
	key_colon(w);
}

struct strbuf *jsonw_value_raw(struct jsonw *w)
{
	before_value(w);
	return w->sb;
}

void jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	before_value(w);
	strbuf_json_str(w->sb, s, n);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_strn(w, s, strlen(s));
}

void jsonw_u64(struct jsonw *w, unsigned long long v)
{
	before_value(w);
	strbuf_u64(w->sb, v);
}

void jsonw_s64(struct jsonw *w, long long v)
{
	before_value(w);
	strbuf_s64(w->sb, v);
}

void jsonw_real(struct jsonw *w, double v)
{
	char buf[40], *e;
	int n;

	/* JSON has no NaN or infinity */
	if (!isfinite(v)) {
		jsonw_null(w);
		return;
	}
	before_value(w);
	n = snprintf(buf, sizeof(buf), "%.9g", v);
	/* as jansson writes it: "1e300", not printf's "1e+300"; "1.5e-7", not "1.5e-07" */
	e = strchr(buf, 'e');
	if (e) {
		char *d = e + 1, *s = d;

		if (*s == '+')
			s++;
		else if (*s == '-')
			d = ++s;
		while (*s == '0' && s[1])
			s++;
		memmove(d, s, strlen(s) + 1);
		n = (int)strlen(buf);
	}
	strbuf_put(w->sb, buf, (size_t)n);
	/* 2 is an integer to a reader; 2.0 stays a real, as jansson writes it */
	if (!strpbrk(buf, ".e"))
		STRBUF_LIT(w->sb, ".0");
}

void jsonw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	if (v)
		STRBUF_LIT(w->sb, "true");
	else
		STRBUF_LIT(w->sb, "false");
}

void jsonw_null(struct jsonw *w)
{
	before_value(w);
	STRBUF_LIT(w->sb, "null");
}

void jsonw_value(struct jsonw *w, const json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
		jsonw_begin_object(w);
		/* jansson keeps members in the order they were set */
		json_object_foreach ((json_t *)v, k, m) {
			jsonw_key(w, k);
			jsonw_value(w, m);
		}
		jsonw_end_object(w);
		break;
	case JSON_ARRAY:
		jsonw_begin_array(w);
		json_array_foreach (v, i, m)
			jsonw_value(w, m);
		jsonw_end_array(w);
		break;
	case JSON_STRING:
		jsonw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jsonw_s64(w, (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		jsonw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
		jsonw_bool(w, true);
		break;
	case JSON_FALSE:
		jsonw_bool(w, false);
		break;
	case JSON_NULL:
		jsonw_null(w);
		break;
	}
}

void jsonw_str_field(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

void jsonw_u64_field(struct jsonw *w, const char *key, unsigned long long v)
{
	jsonw_key(w, key);
	jsonw_u64(w, v);
}

void jsonw_s64_field(struct jsonw *w, const char *key, long long v)
{
	jsonw_key(w, key);
	jsonw_s64(w, v);
}

void jsonw_bool_field(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_value_field(struct jsonw *w, const char *key, const json_t *v)
{
	jsonw_key(w, key);
	jsonw_value(w, v);
}

void jsonw_end_to(struct jsonw *w, int depth)
{
	while (w->depth > depth) {
		if (w->key_done)
			jsonw_null(w);
		end(w, w->object[w->depth - 1]);
	}
	if (w->key_done && w->depth == depth)
		jsonw_null(w);
}

bool jsonw_done(const struct jsonw *w)
{
	return !w->depth && !w->key_done && w->top_done;
}
