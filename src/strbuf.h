/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_STRBUF_H
#define EDRDIAG_STRBUF_H

#include <stddef.h>
#include <string.h>

/*
 * A growable byte buffer that output is built in and then written with one fwrite: the
 * event lines of run-sensor, the entries of map-dump, redacted text. Hand-formatted
 * numbers and JSON strings, because printf's format parsing was the largest cost per
 * line at a million lines.
 */
struct strbuf {
	char *p;
	size_t len, cap;
};

/* Make room for n more bytes (and a NUL after them). */
void strbuf_grow(struct strbuf *b, size_t n);

/* Room for n more bytes; returns where they go. The caller advances len. */
static inline char *strbuf_room(struct strbuf *b, size_t n)
{
	if (__builtin_expect(b->len + n + 1 > b->cap, 0))
		strbuf_grow(b, n);
	return b->p + b->len;
}

static inline void strbuf_put(struct strbuf *b, const char *s, size_t n)
{
	memcpy(strbuf_room(b, n), s, n);
	b->len += n;
}

#define STRBUF_LIT(b, s) strbuf_put(b, s, sizeof(s) - 1)

void strbuf_u64(struct strbuf *b, unsigned long long v);
void strbuf_s64(struct strbuf *b, long long v);
/* s (n bytes) as a JSON string literal, with text_json_escape's rules (text.h) */
void strbuf_json_str(struct strbuf *b, const char *s, size_t n);
/* s (n bytes) safe for a terminal, with text_printable's rules (text.h) */
void strbuf_printable(struct strbuf *b, const char *s, size_t n);
/* NUL-terminate and return the text (still owned by b) */
char *strbuf_cstr(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
