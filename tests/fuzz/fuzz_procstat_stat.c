/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds procstat_parse_stat() the text of /proc/PID/stat. */
#include "fuzz.h"
#include "procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct procstat_stat st;

	if (!procstat_parse_stat(text, &st))
		FUZZ_ASSERT(st.pid > 0 && strlen(st.comm) < sizeof(st.comm));
	free(text);
	return 0;
}
