/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds manifest_parse() the manifest.json of a support bundle (not NUL-terminated). */
#include "fuzz.h"
#include "manifest.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1), err[256] = "x", *shown;
	const char *a, *b;
	struct manifest m;
	size_t i;

	if (!text)
		abort();
	memcpy(text, data, size);
	if (manifest_parse(text, size, &m, err, sizeof(err))) {
		/* said why, with no control or broken UTF-8, and left nothing behind: told by
		 * text_printable, which keeps such a text as it is (a backslash doubled) */
		FUZZ_ASSERT(err[0] && !m.items && !m.nr && !m.edrdiag && !m.name);
		shown = text_printable(err);
		for (a = err, b = shown; *a && *b == *a && (*a != '\\' || *++b == '\\'); a++, b++)
			;
		FUZZ_ASSERT(!*a && !*b);
		free(shown);
	} else {
		for (i = 0; i < m.nr; i++) {
			FUZZ_ASSERT(m.items[i].path && m.items[i].path[0] != '/');
			FUZZ_ASSERT(m.items[i].collected ? strlen(m.items[i].sha256) == 64
							 : m.items[i].bytes == -1);
		}
		manifest_free(&m);
	}
	free(text);
	return 0;
}
