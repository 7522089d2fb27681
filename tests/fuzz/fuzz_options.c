/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds the core's parsers of option values a string: --tracepoint, --attach, a prog type. */
#include "bpfstats.h"
#include "fuzz.h"
#include "sensor.h"
#include "tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = fuzz_cstr(data, size);

	tp_name_valid(arg);
	sensor_method_parse(arg);
	bpfstats_prog_type_parse(arg);
	free(arg);
	return 0;
}
