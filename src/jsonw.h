/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_JSONW_H
#define EDRDIAG_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * A streaming JSON writer on a strbuf: the one way edrdiag writes JSON text. It tracks
 * commas and nesting itself, writes compact ({"a":1,"b":[2]}) or pretty (two-space indent,
 * "key": value, as jansson's JSON_INDENT(2)), and cannot produce invalid JSON: every string
 * goes through text_json_escape (text.h), so bytes that are not UTF-8 are escaped, never
 * dropped. Documents built with jansson are written through it with jsonw_value().
 *
 * Misuse (a value where a key is due, an end without a begin, nesting past JSONW_MAX_DEPTH)
 * is a bug in edrdiag: it aborts, so that the tests see it at once.
 */
#define JSONW_MAX_DEPTH 64

struct jsonw {
	struct strbuf *sb;
	bool pretty;
	int depth;
	/* per level: an object (keys due), and whether a member or element was written */
	bool object[JSONW_MAX_DEPTH];
	bool any[JSONW_MAX_DEPTH];
	bool key_done; /* a key was written: its value is next */
	bool top_done; /* the one value at the top was begun */
};

void jsonw_init(struct jsonw *w, struct strbuf *sb, bool pretty);

void jsonw_begin_object(struct jsonw *w);
void jsonw_end_object(struct jsonw *w);
void jsonw_begin_array(struct jsonw *w);
void jsonw_end_array(struct jsonw *w);

/* The next member's key (inside an object; a C string from edrdiag, escaped all the same). */
void jsonw_key(struct jsonw *w, const char *key);

/* Values: a string (NULL writes null), n bytes of one, numbers, true/false, null. */
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
void jsonw_u64(struct jsonw *w, unsigned long long v);
void jsonw_s64(struct jsonw *w, long long v);
/* A double as jansson's JSON_REAL_PRECISION(9) writes it ("%.9g", always a '.' or 'e'). */
void jsonw_real(struct jsonw *w, double v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* A jansson value, members in their order; NULL writes null. */
void jsonw_value(struct jsonw *w, const json_t *v);

/* Shorthands for one member: key, then the value. */
void jsonw_str_field(struct jsonw *w, const char *key, const char *s);
void jsonw_u64_field(struct jsonw *w, const char *key, unsigned long long v);
void jsonw_s64_field(struct jsonw *w, const char *key, long long v);
void jsonw_bool_field(struct jsonw *w, const char *key, bool v);
void jsonw_value_field(struct jsonw *w, const char *key, const json_t *v);

/*
 * For the hot paths (a million map entries): the next value is written by the caller as
 * JSON text straight into the buffer returned, after the separator the writer put there.
 * It must be one whole, valid JSON value (bpftool's hex arrays, a float as C prints it).
 */
struct strbuf *jsonw_value_raw(struct jsonw *w);
/* A key already escaped and quoted, n bytes ("name", as text_json_escape writes it). */
void jsonw_key_raw(struct jsonw *w, const char *quoted, size_t n);

/*
 * End every array and object nested deeper than depth, innermost first (a key left without
 * its value gets null): a document cut short by an error is still closed, and valid.
 */
void jsonw_end_to(struct jsonw *w, int depth);

/* True when every begin has had its end: the document is whole. */
bool jsonw_done(const struct jsonw *w);

#endif
