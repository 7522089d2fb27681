// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

static const char hex[] = "0123456789abcdef";

size_t text_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* below: an overlong form of U+0000..U+07FF */
		else if (s[0] == 0xed)
			hi = 0x9f; /* above: the surrogates U+D800..U+DFFF */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* below: an overlong form of U+0000..U+FFFF */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* above: past U+10FFFF */
	} else {
		return 0; /* a continuation byte, 0xc0/0xc1 (overlong) or 0xf5..0xff */
	}
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

static inline char *put_hex(char *dst, unsigned char c)
{
	dst[0] = '\\';
	dst[1] = 'x';
	dst[2] = hex[c >> 4];
	dst[3] = hex[c & 15];
	return dst + 4;
}

char *text_printable_escape(char *dst, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, u;

	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\')
				*dst++ = '\\'; /* a backslash as \\ */
			*dst++ = (char)c;
			i++;
			continue;
		}
		u = c >= 0x80 ? text_utf8_len(s + i, n - i) : 0;
		/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f: CSI is 0xc2 0x9b */
		if (u && !(c == 0xc2 && s[i + 1] < 0xa0)) {
			memcpy(dst, s + i, u);
			dst += u;
			i += u;
			continue;
		}
		/* a control, or a byte that is not UTF-8: a C1 control is two of these */
		dst = put_hex(dst, c);
		i++;
	}
	return dst;
}

char *text_printable(const char *s)
{
	size_t n;
	char *out, *end;

	if (!s)
		s = "(null)";
	n = strlen(s);
	out = util_xmalloc(TEXT_PRINTABLE_MAX(n) + 1);
	end = text_printable_escape(out, s, n);
	*end = '\0';
	return out;
}

json_t *text_json(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i = 0, u;
	char *buf, *p;
	json_t *j;

	if (!str)
		return json_null();
	n = strlen(str);
	/* most text is valid: it is checked once, here, and not again by jansson */
	while (i < n && (u = text_utf8_len(s + i, n - i)))
		i += u;
	if (i == n) {
		j = json_stringn_nocheck(str, n);
	} else {
		p = buf = util_xmalloc(4 * n + 1);
		memcpy(p, s, i);
		p += i;
		while (i < n) {
			u = text_utf8_len(s + i, n - i);
			if (u) {
				memcpy(p, s + i, u);
				p += u;
				i += u;
			} else {
				p = put_hex(p, s[i++]);
			}
		}
		j = json_stringn_nocheck(buf, (size_t)(p - buf));
		free(buf);
	}
	if (!j) {
		/* jansson's only failure left is memory: as util_xmalloc does */
		fputs("edrdiag: out of memory\n", stderr);
		abort();
	}
	return j;
}

char *text_json_escape(char *dst, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	*dst++ = '"';
	while (i < n) {
		unsigned char c = s[i];
		size_t u;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*dst++ = (char)c;
			i++;
			continue;
		}
		u = c >= 0x80 ? text_utf8_len(s + i, n - i) : 0;
		if (u && !(c == 0xc2 && s[i + 1] < 0xa0)) {
			memcpy(dst, s + i, u);
			dst += u;
			i += u;
			continue;
		}
		if (u) {
			c = s[i + 1]; /* a C1 control: its code point is its second byte */
			i++;
		}
		*dst++ = '\\';
		if (c == '"' || c == '\\') {
			*dst++ = (char)c;
		} else if (c == '\n') {
			*dst++ = 'n';
		} else if (c == '\t') {
			*dst++ = 't';
		} else {
			/* controls, and bytes that are not UTF-8: as the code point of the byte */
			memcpy(dst, "u00", 3);
			dst[3] = hex[c >> 4];
			dst[4] = hex[c & 15];
			dst += 5;
		}
		i++;
	}
	*dst++ = '"';
	return dst;
}

void text_scrub(char *s)
{
	size_t left = strlen(s), n;

	for (; *s; s += n, left -= n) {
		unsigned char c = (unsigned char)*s;

		n = c < 0x20 || c == 0x7f ? 0 : text_utf8_len((const unsigned char *)s, left);
		/* U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f */
		if (!n || (c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			*s = '?';
			n = 1;
		}
	}
}
