/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds mounts_parse() the text of /proc/mounts, then looks mounts up as the checks do, and
 * asks of every mount point whether it may become a path: one that may is absolute and has
 * no "..", "." or empty component and no control character.
 */
#include "fuzz.h"
#include "tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct mount_table mt;

	mounts_parse(text, &mt);
	mounts_find(&mt, "tracefs", NULL);
	mounts_find(&mt, "bpf", "/sys/fs/bpf");
	mounts_find(&mt, "securityfs", "/sys/kernel/security");
	/* the first and the last line parsed are found again (every line: quadratic) */
	if (mt.nr) {
		FUZZ_ASSERT(mounts_find(&mt, mt.e[0].fstype, mt.e[0].target));
		FUZZ_ASSERT(mounts_find(&mt, mt.e[mt.nr - 1].fstype, mt.e[mt.nr - 1].target));
	}
	for (size_t i = 0; i < mt.nr; i++) {
		const char *t = mt.e[i].target;

		if (!mounts_target_valid(t))
			continue;
		FUZZ_ASSERT(t[0] == '/' && !strstr(t, "//") && !strstr(t, "/../") &&
			    !strstr(t, "/./"));
		FUZZ_ASSERT(strcmp(t + strlen(t) - (strlen(t) >= 3 ? 3 : 0), "/..") &&
			    strcmp(t + strlen(t) - (strlen(t) >= 2 ? 2 : 0), "/."));
		for (const char *c = t; *c; c++)
			FUZZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f);
	}
	mounts_free(&mt);
	free(text);
	return 0;
}
