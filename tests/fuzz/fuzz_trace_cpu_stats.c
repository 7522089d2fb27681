/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds trace_cpu_stats_parse() the text of a tracefs per_cpu/cpuN/stats file. */
#include "fuzz.h"
#include "tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct trace_cpu_stats st;

	trace_cpu_stats_parse(text, &st);
	free(text);
	return 0;
}
