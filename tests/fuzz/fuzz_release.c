/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds util_parse_release() a kernel release string (/proc/sys/kernel/osrelease, uname). */
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	int ma, mi, pa;

	if (!util_parse_release(text, &ma, &mi, &pa)) {
		/* digits first: no sign, no blank (sscanf's "%d" took both) */
		FUZZ_ASSERT(text[0] >= '0' && text[0] <= '9');
		FUZZ_ASSERT(ma >= 0 && mi >= 0 && pa >= 0);
		util_kver(ma, mi, pa);
	}
	free(text);
	return 0;
}
