/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds the BPF log classifier a customer's log (any bytes, NULs included): the first byte
 * picks the errno and stage hints, the rest is the log, in a buffer of exactly its size.
 * What it promises: a result always, every string it returns printable and bounded, at
 * most 3 closest lines and only when nothing matched, statistics -1 or not negative.
 */
#include "bpfcause.h"
#include "fuzz.h"

static const char *const stages[] = { NULL, "open", "relocation", "load", "attach", "permission" };
static const int errnos[] = { 0, 1, 2, 3, 7, 13, 22, 95 };

static void printable(const char *s)
{
	FUZZ_ASSERT(s != NULL);
	FUZZ_ASSERT(strlen(s) <= 4 * BPFCAUSE_MAX_LINE + 200);
	for (; *s; s++)
		FUZZ_ASSERT((unsigned char)*s >= 0x20 && *s != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int sel = size ? data[0] : 0;
	struct bpfcause_match m;
	char *log;
	size_t i;

	if (size) {
		data++;
		size--;
	}
	log = malloc(size ? size : 1);
	if (!log)
		abort();
	memcpy(log, data, size);
	bpfcause_classify(log, size, errnos[sel & 7], stages[(sel >> 3) % 6], &m);
	if (m.cause) {
		FUZZ_ASSERT(bpfcause_find(m.cause->id) == m.cause);
		FUZZ_ASSERT(m.nr_closest == 0);
		printable(m.evidence);
	}
	FUZZ_ASSERT(m.nr_closest <= 3);
	for (i = 0; i < m.nr_closest; i++)
		printable(m.closest[i]);
	if (m.source)
		printable(m.source);
	bpfcause_match_free(&m);
	free(log);
	return 0;
}
