/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds mounts_parse() the text of /proc/mounts, then looks mounts up as the checks do. */
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
	mounts_free(&mt);
	free(text);
	return 0;
}
