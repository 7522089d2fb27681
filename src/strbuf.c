// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "text.h"
#include "util.h"

void strbuf_grow(struct strbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;

	while (cap < b->len + n + 1)
		cap *= 2;
	b->p = util_xrealloc(b->p, cap);
	b->cap = cap;
}

void strbuf_u64(struct strbuf *b, unsigned long long v)
{
	/* two digits a division: numbers are most of a BTF rendering */
	static const char d2[] = "00010203040506070809101112131415161718192021222324"
				 "25262728293031323334353637383940414243444546474849"
				 "50515253545556575859606162636465666768697071727374"
				 "75767778798081828384858687888990919293949596979899";
	char tmp[20], *end = tmp + sizeof(tmp), *p = end;

	while (v >= 100) {
		p -= 2;
		memcpy(p, d2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, d2 + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	strbuf_put(b, p, (size_t)(end - p));
}

void strbuf_s64(struct strbuf *b, long long v)
{
	if (v < 0) {
		STRBUF_LIT(b, "-");
		strbuf_u64(b, 0ull - (unsigned long long)v);
		return;
	}
	strbuf_u64(b, (unsigned long long)v);
}

void strbuf_json_str(struct strbuf *b, const char *s, size_t n)
{
	char *end = text_json_escape(strbuf_room(b, TEXT_JSON_MAX(n)), s, n);

	b->len = (size_t)(end - b->p);
}

void strbuf_printable(struct strbuf *b, const char *s, size_t n)
{
	char *end = text_printable_escape(strbuf_room(b, TEXT_PRINTABLE_MAX(n)), s, n);

	b->len = (size_t)(end - b->p);
}

char *strbuf_cstr(struct strbuf *b)
{
	strbuf_room(b, 0);
	b->p[b->len] = '\0';
	return b->p;
}

void strbuf_free(struct strbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
