/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds procstat_parse_status() the text of /proc/PID/status. */
#include "fuzz.h"
#include "procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct procstat_status st;

	if (!procstat_parse_status(text, &st))
		FUZZ_ASSERT(st.name[0] && st.tgid > 0 && strlen(st.name) < sizeof(st.name));
	free(text);
	return 0;
}
