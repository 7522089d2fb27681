/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds redact_text() two files of a bundle (any bytes), with host and user names to hide. */
#include "fuzz.h"
#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redact r;
	char *text, *out;
	size_t n, i, len;

	redact_init(&r);
	redact_add_word(&r, REDACT_HOST, "build-07.example.org");
	redact_add_word(&r, REDACT_HOST, "build-07");
	redact_add_word(&r, REDACT_USER, "alice");
	redact_add_word(&r, REDACT_USER, "bob_2");
	/* the input's halves, each in its own buffer: the second finds the first's numbers */
	for (i = 0; i < 2; i++) {
		len = i ? size - size / 2 : size / 2;
		text = malloc(len ? len : 1);
		if (!text)
			abort();
		memcpy(text, data + (i ? size / 2 : 0), len);
		out = redact_text(&r, text, len, &n);
		FUZZ_ASSERT(out && out[n] == '\0');
		free(out);
		free(text);
	}
	redact_free(&r);
	return 0;
}
