// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * redact_text FILE [identity]: redact FILE as collect-report redacts an item (credentials;
 * with "identity", addresses and 2000 user names too) and print "BYTES SECONDS VALUES" on
 * stdout, for bench/redact.sh. The redacted text itself is discarded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/redact.h"
#include "../../src/util.h"

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct redact r;
	char *data, *out, word[32];
	size_t len, n, values = 0;
	int i;

	if (argc < 2 || util_read_file(argv[1], 1u << 30, &data, &len)) {
		fprintf(stderr, "usage: redact_text FILE [identity] (FILE readable)\n");
		return 2;
	}
	redact_init(&r);
	if (argc > 2 && !strcmp(argv[2], "identity"))
		for (i = 0; i < 2000; i++) {
			snprintf(word, sizeof(word), "user%d", i);
			redact_add_word(&r, REDACT_USER, word);
		}
	clock_gettime(CLOCK_MONOTONIC, &a);
	redact_learn(&r, data, len);
	out = redact_text(&r, data, len, &n);
	clock_gettime(CLOCK_MONOTONIC, &b);
	for (i = 0; i < REDACT_NR; i++)
		values += r.count[i];
	printf("%zu %.3f %zu\n", len,
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, values);
	free(out);
	free(data);
	redact_free(&r);
	return 0;
}
