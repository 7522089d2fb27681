/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds prom_sample() a label value of any bytes (a process's comm, a map's name) and checks
 * that the line written is one Prometheus reads back: one line, valid UTF-8, the value
 * inside its quotes with only the escapes the format knows (\\, \", \n).
 */
#include "fuzz.h"
#include "promtext.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const l[] = { "owner", "id", NULL };
	static const char head[] = "# HELP x_up h\n# TYPE x_up gauge\nx_up{owner=\"";
	static const char tail[] = "\",id=\"1\"} 1\n";
	char *text = fuzz_cstr(data, size);
	struct prom p = { 0 };
	struct strbuf b = { 0 };
	const char *s, *end;
	size_t n;

	prom_sample(prom_family(&p, "x_up", PROM_GAUGE, "h", l), (const char *[]){ text, "1" }, 1);
	prom_write(&p, &b);
	strbuf_cstr(&b);
	FUZZ_ASSERT(b.len >= sizeof(head) + sizeof(tail) - 2);
	FUZZ_ASSERT(!memcmp(b.p, head, sizeof(head) - 1));
	FUZZ_ASSERT(!strcmp(b.p + b.len - (sizeof(tail) - 1), tail));
	s = b.p + sizeof(head) - 1;
	end = b.p + b.len - (sizeof(tail) - 1);
	for (; s < end; s += n) {
		/* no raw newline or control byte, no bare quote; an escape the format knows */
		FUZZ_ASSERT((unsigned char)*s >= 0x20 && *s != 0x7f && *s != '"');
		if (*s == '\\') {
			FUZZ_ASSERT(s + 1 < end && (s[1] == '\\' || s[1] == '"' || s[1] == 'n'));
			n = 2;
			continue;
		}
		n = text_utf8_len((const unsigned char *)s, (size_t)(end - s));
		FUZZ_ASSERT(n > 0);
	}
	strbuf_free(&b);
	prom_free(&p);
	free(text);
	return 0;
}
