/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds corerelo_read() a BPF object (customer input: check-object reads its .BTF.ext
 * itself), resolved against the object's own .BTF as the target, so that the resolver runs
 * on the same hostile types the records point into, and once against no target. Every
 * record must come back with printable, terminated text and a consistent verdict; the
 * subprograms of the functions the records are in are followed too (a bounded call walk).
 */
#include <errno.h>

#include "corerelo.h"
#include "fuzz.h"

static void printable(const char *s, size_t len)
{
	size_t i;

	FUZZ_ASSERT(memchr(s, '\0', len) != NULL);
	for (i = 0; s[i]; i++)
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] < 0x7f);
}

static void check(const struct corerelo_list *l)
{
	size_t i;

	FUZZ_ASSERT(l->nr <= CORERELO_MAX);
	for (i = 0; i < l->nr; i++) {
		const struct corerelo_rec *r = &l->recs[i];

		printable(r->func, sizeof(r->func));
		printable(r->section, sizeof(r->section));
		printable(r->type, sizeof(r->type));
		printable(r->access, sizeof(r->access));
		printable(r->missing, sizeof(r->missing));
		printable(r->closest, sizeof(r->closest));
		FUZZ_ASSERT(r->kind_name != NULL);
		FUZZ_ASSERT(r->resolved >= -1 && r->resolved <= 1);
		FUZZ_ASSERT(!r->poisons || r->resolved == 0);
		FUZZ_ASSERT(!r->closest[0] || r->resolved == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btfread *t = NULL;
	struct corerelo_list l;
	char err[256] = "";
	uint8_t *copy;
	int ret;

	/* exactly size bytes, so that AddressSanitizer sees a read past them */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (corerelo_open_btf(copy, size, &t, err, sizeof(err)))
		t = NULL;
	ret = corerelo_read(copy, size, t, &l, err, sizeof(err));
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	if (ret)
		FUZZ_ASSERT(err[0] && !l.nr);
	else
		check(&l);
	/* the call walk, from the functions the records are in (programs or subprograms) */
	for (size_t i = 0; i < l.nr && i < 4; i++) {
		static char names[CORERELO_MAX_CALLEES][64];
		size_t k, n = corerelo_callees(copy, size, l.recs[i].func, names,
					       CORERELO_MAX_CALLEES);

		FUZZ_ASSERT(n <= CORERELO_MAX_CALLEES);
		for (k = 0; k < n; k++)
			FUZZ_ASSERT(memchr(names[k], '\0', sizeof(names[k])) != NULL);
		/* the kfuncs it calls: identifiers only, each once, at most max */
		{
			struct corerelo_kfunc kf[8];
			size_t m = corerelo_kfuncs(copy, size, l.recs[i].func, kf, 8);

			FUZZ_ASSERT(m <= 8);
			for (k = 0; k < m; k++)
				FUZZ_ASSERT(kf[k].name[0] &&
					    strspn(kf[k].name,
						   "abcdefghijklmnopqrstuvwxyz"
						   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
						    strlen(kf[k].name));
		}
	}
	corerelo_free(&l);
	ret = corerelo_read(copy, size, NULL, &l, err, sizeof(err));
	if (!ret)
		check(&l);
	corerelo_free(&l);
	btfread_free(t);
	free(copy);
	return 0;
}
