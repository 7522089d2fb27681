/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds osrelease_get() the text of /etc/os-release, with the keys and buffer sizes in use. */
#include "fuzz.h"
#include "osrelease.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "PRETTY_NAME", "NAME", "ID", "VERSION_ID" };
	static const size_t lens[] = { 256, 64, 7, 1 };
	char *text = fuzz_cstr(data, size), *out;
	size_t i, j;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			/* exactly lens[j] bytes: a write past them is an overflow */
			out = malloc(lens[j]);
			if (!out)
				abort();
			if (!osrelease_get(text, keys[i], out, lens[j]))
				FUZZ_ASSERT(strlen(out) < lens[j]);
			free(out);
		}
	}
	free(text);
	return 0;
}
