/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds bpfobj_fdinfo_parse() the text of /proc/PID/fdinfo/N, asking for each key it reads. */
#include <errno.h>

#include "bpfobj.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "memlock", "frozen",  "prog_id",
					    "map_id",  "link_id", "pos" };
	char *text = fuzz_cstr(data, size);
	unsigned long long v;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ret = bpfobj_fdinfo_parse(text, keys[i], &v);
		FUZZ_ASSERT(ret == 0 || ret == -ENOENT || ret == -EINVAL);
	}
	free(text);
	return 0;
}
