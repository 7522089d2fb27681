// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * text: foreign bytes made safe for a terminal (text_printable) and kept in JSON
 * (text_json, text_json_escape). Each case is one hostile or ordinary input and the exact
 * text expected; a failure prints both with every byte outside printable ASCII as \xNN, so
 * that the test's own output never sends a control byte to the terminal.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"
#include "util.h"

/*
 * s with anything but printable ASCII as \xNN and a backslash as \\, for failure messages
 * (written here, not with the code under test): a raw byte and its escaped text differ.
 */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; s && *s && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\') {
			buf[o++] = '\\';
			buf[o++] = '\\';
		} else if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		}
	}
	buf[o] = '\0';
	return s ? buf : "(null)";
}

#define CHECK_SHOWN(got, want, in)                                                                 \
	do {                                                                                       \
		const char *_g = (got), *_w = (want);                                              \
		char _b1[256], _b2[256], _b3[256];                                                 \
		if (!_g || strcmp(_g, _w)) {                                                       \
			printf("#   %s:%d: input \"%s\": got \"%s\", expected \"%s\"\n", __FILE__, \
			       __LINE__, shown(in, _b3, sizeof(_b3)), shown(_g, _b1, sizeof(_b1)), \
			       shown(_w, _b2, sizeof(_b2)));                                       \
			check_case_failed = 1;                                                     \
		}                                                                                  \
	} while (0)

/* One input, what a terminal gets, and the string value JSON holds. */
static const struct {
	const char *name, *in, *printable, *json;
} cases[] = {
	{ "empty", "", "", "" },
	{ "plain ASCII", "Debian GNU/Linux 12", "Debian GNU/Linux 12", "Debian GNU/Linux 12" },
	{ "ESC: an OSC title and a screen clear", "\x1b]0;PWNED\a\x1b[2J",
	  "\\x1b]0;PWNED\\x07\\x1b[2J", "\x1b]0;PWNED\a\x1b[2J" },
	{ "BEL", "a\ab", "a\\x07b", "a\ab" },
	{ "tab and newline", "a\tb\nc\r", "a\\x09b\\x0ac\\x0d", "a\tb\nc\r" },
	{ "DEL", "x\x7fy", "x\\x7fy", "x\x7fy" },
	{ "C1 CSI (U+009B) is two bytes escaped",
	  "\xc2\x9b"
	  "2J",
	  "\\xc2\\x9b2J",
	  "\xc2\x9b"
	  "2J" },
	{ "C1 first and last (U+0080, U+009F)", "\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f",
	  "\xc2\x80\xc2\x9f" },
	{ "U+00A0 is not a C1 control: kept",
	  "a\xc2\xa0"
	  "b",
	  "a\xc2\xa0"
	  "b",
	  "a\xc2\xa0"
	  "b" },
	{ "0xff", "x\xffy", "x\\xffy", "x\\xffy" },
	{ "Latin-1", "Deb\xe9ian", "Deb\\xe9ian", "Deb\\xe9ian" },
	{ "lone continuation byte", "\x80", "\\x80", "\\x80" },
	{ "truncated 3-byte sequence", "\xe4\xb8", "\\xe4\\xb8", "\\xe4\\xb8" },
	{ "truncated 3-byte sequence, then text", "\xe4\xb8z", "\\xe4\\xb8z", "\\xe4\\xb8z" },
	{ "truncated 4-byte sequence", "\xf0\x9f\x98", "\\xf0\\x9f\\x98", "\\xf0\\x9f\\x98" },
	{ "overlong '/' (c0 af)", "\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf" },
	{ "overlong 3-byte (e0 80 af)", "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf" },
	{ "overlong 4-byte (f0 80 80 af)", "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf",
	  "\\xf0\\x80\\x80\\xaf" },
	{ "surrogate U+D800 (ed a0 80)", "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80" },
	{ "last before the surrogates, U+D7FF", "\xed\x9f\xbf", "\xed\x9f\xbf", "\xed\x9f\xbf" },
	{ "past U+10FFFF (f4 90 80 80)", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
	  "\\xf4\\x90\\x80\\x80" },
	{ "U+10FFFF kept", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },
	{ "0xf5 and above never start UTF-8", "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80",
	  "\\xf5\\x80\\x80\\x80" },
	{ "Chinese kept", "\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87",
	  "\xe4\xb8\xad\xe6\x96\x87" },
	{ "emoji kept", "ok \xf0\x9f\x98\x80", "ok \xf0\x9f\x98\x80", "ok \xf0\x9f\x98\x80" },
	{ "backslash doubled on a terminal, kept in JSON", "C:\\x41", "C:\\\\x41", "C:\\x41" },
	{ "quote", "say \"hi\"", "say \"hi\"", "say \"hi\"" },
	{ "mixed", "\xe4\xb8\xad\x1b\xff\xe6\x96\x87", "\xe4\xb8\xad\\x1b\\xff\xe6\x96\x87",
	  "\xe4\xb8\xad\x1b\\xff\xe6\x96\x87" },
};

static void test_printable(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = text_printable(cases[i].in);

		printf("# %s\n", cases[i].name);
		CHECK_SHOWN(p, cases[i].printable, cases[i].in);
		free(p);
	}
}

/* Nothing but printable ASCII and valid, non-control UTF-8 is left, for any byte. */
static void test_printable_every_byte(void)
{
	char in[3] = { 0 }, *p;
	int c;

	for (c = 1; c < 256; c++) {
		in[0] = (char)c;
		p = text_printable(in);
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			CHECK(p[0] == c && !p[1]);
		} else {
			char want[8];

			snprintf(want, sizeof(want), c == '\\' ? "\\\\" : "\\x%02x", c);
			CHECK_SHOWN(p, want, in);
		}
		free(p);
	}
	/* every C1 control, as its two bytes */
	for (c = 0x80; c < 0xa0; c++) {
		char want[16];

		in[0] = '\xc2';
		in[1] = (char)c;
		snprintf(want, sizeof(want), "\\xc2\\x%02x", c);
		p = text_printable(in);
		CHECK_SHOWN(p, want, in);
		free(p);
	}
}

static void test_printable_null(void)
{
	char *p = text_printable(NULL);

	CHECK_STR(p, "(null)");
	free(p);
}

/* The string value jansson holds, after a trip through json_dumps and jansson's own loader. */
static void test_json(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		json_t *j = text_json(cases[i].in), *doc, *back;
		json_error_t err;
		char *text;

		printf("# %s\n", cases[i].name);
		CHECK(j != NULL && json_is_string(j));
		if (!j)
			continue;
		CHECK_SHOWN(json_string_value(j), cases[i].json, cases[i].in);
		doc = json_pack("{s:o}", "v", j);
		CHECK(doc != NULL);
		text = json_dumps(doc, JSON_COMPACT);
		CHECK(text != NULL);
		back = text ? json_loads(text, 0, &err) : NULL;
		if (!back)
			printf("#   not JSON: %s\n", err.text);
		CHECK(back != NULL);
		if (back)
			CHECK_SHOWN(json_string_value(json_object_get(back, "v")), cases[i].json,
				    cases[i].in);
		json_decref(back);
		free(text);
		json_decref(doc);
	}
}

/* Never NULL: json_null() for NULL, a string for any byte, alone or among others. */
static void test_json_never_null(void)
{
	char in[4] = { 0 };
	json_t *j = text_json(NULL);
	int a, b;

	CHECK(j != NULL && json_is_null(j));
	json_decref(j);
	for (a = 1; a < 256; a++) {
		for (b = 0; b < 256; b += 5) {
			in[0] = (char)a;
			in[1] = (char)b;
			in[2] = (char)(b ^ 0x40);
			j = text_json(in);
			CHECK(j != NULL && json_is_string(j));
			json_decref(j);
		}
	}
}

/* The hand-written JSON of run-sensor's events and map-dump's entries: valid, exact. */
static void test_json_escape(void)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "/bin/true", "\"/bin/true\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "a\nb\tc\x1b", "\"a\\nb\\tc\\u001b\"" },
		{ "x\x7fy", "\"x\\u007fy\"" },
		/* a C1 control: the same character, escaped */
		{ "\xc2\x9b"
		  "2J",
		  "\"\\u009b2J\"" },
		/* not UTF-8: the byte's value, as run-sensor(8) says */
		{ "x\xffy", "\"x\\u00ffy\"" },
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },
		{ "\xc0\xaf", "\"\\u00c0\\u00af\"" },
		{ "\xe4\xb8\xad", "\"\xe4\xb8\xad\"" },
	};
	char buf[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n = strlen(t[i].in);
		char *end = text_json_escape(buf, t[i].in, n);
		json_error_t err;
		json_t *v;

		CHECK((size_t)(end - buf) <= TEXT_JSON_MAX(n));
		*end = '\0';
		CHECK_SHOWN(buf, t[i].want, t[i].in);
		v = json_loads(buf, JSON_DECODE_ANY, &err);
		if (!v)
			printf("#   not JSON: %s\n", err.text);
		CHECK(v != NULL && json_is_string(v));
		json_decref(v);
	}
}

/* The buffer bounds the callers size their room by hold for the worst input. */
static void test_bounds(void)
{
	char in[64], out[6 * 64 + 2];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i % 2 ? 0xff : 0x01);
	CHECK((size_t)(text_printable_escape(out, in, sizeof(in)) - out) ==
	      TEXT_PRINTABLE_MAX(sizeof(in)));
	CHECK((size_t)(text_json_escape(out, in, sizeof(in)) - out) == TEXT_JSON_MAX(sizeof(in)));
	/* NUL bytes inside a counted string are bytes like any other */
	CHECK((size_t)(text_printable_escape(out, "a\0b", 3) - out) == 6);
	CHECK(!memcmp(out, "a\\x00b", 6));
}

static void test_utf8_len(void)
{
	CHECK_INT(text_utf8_len((const unsigned char *)"a", 1), 1);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xe4\xb8\xad", 3), 3);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 3), 0);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xc1\xbf", 2), 0);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xed\xbf\xbf", 3), 0);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xee\x80\x80", 3), 3);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xc3(", 2), 0);
}

/* text_scrub: what becomes '?' is what text_printable writes as \xNN, one '?' a byte. */
static void test_scrub(void)
{
	static const struct {
		const char *in, *want;
	} scrub[] = {
		{ "plain ascii, a \\ and ~", "plain ascii, a \\ and ~" },
		{ "tab\tnl\nesc\x1b[2J del\x7f", "tab?nl?esc?[2J del?" },
		{ "caf\xc3\xa9 \xe8\xaf\x8a\xe6\x96\xad \xf0\x9f\x98\x80",
		  "caf\xc3\xa9 \xe8\xaf\x8a\xe6\x96\xad \xf0\x9f\x98\x80" },
		{ "csi \xc2\x9b nel \xc2\x85 nbsp \xc2\xa0", "csi ?? nel ?? nbsp \xc2\xa0" },
		{ "bad \xff\xfe lone \x80 overlong \xc1\xbf", "bad ?? lone ? overlong ??" },
		{ "surrogate \xed\xa0\x80", "surrogate ???" },
		{ "cut at the end \xe8\xaf", "cut at the end ??" },
		{ "", "" },
	};
	size_t i;
	int c;

	for (i = 0; i < ARRAY_SIZE(scrub); i++) {
		char *s = util_xstrdup(scrub[i].in);

		text_scrub(s);
		CHECK_STR(s, scrub[i].want);
		free(s);
	}
	/* every single byte: kept exactly when text_printable keeps it */
	for (c = 1; c < 256; c++) {
		char s[2] = { (char)c, 0 }, *p = text_printable(s);
		bool kept = !strcmp(p, s) || c == '\\';

		text_scrub(s);
		CHECK(kept ? s[0] == (char)c : s[0] == '?');
		free(p);
	}
}

int main(void)
{
	RUN(test_printable);
	RUN(test_printable_every_byte);
	RUN(test_printable_null);
	RUN(test_json);
	RUN(test_json_never_null);
	RUN(test_json_escape);
	RUN(test_bounds);
	RUN(test_utf8_len);
	RUN(test_scrub);
	return check_finish();
}
