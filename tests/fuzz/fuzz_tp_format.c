/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds tp_format_parse() the text of a tracefs events/<cat>/<name>/format file. */
#include "fuzz.h"
#include "tracefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const events[] = { "sched/sched_process_exec",
					      "sched/sched_process_fork",
					      "sched/sched_process_exit",
					      "syscalls/sys_enter_execve" };
	char *text = fuzz_cstr(data, size), err[256] = "", why[256];
	const struct tp_expect *e;
	struct tp_format fmt;
	size_t i, j, k, n;

	if (tp_format_parse(text, &fmt, err, sizeof(err))) {
		FUZZ_ASSERT(err[0]);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(fmt.name && fmt.nr_fields > 0);
	for (i = 0; i < fmt.nr_fields; i++)
		FUZZ_ASSERT(tp_format_field(&fmt, fmt.fields[i].name) != NULL);
	/* every expectation the sensor has, against every field parsed */
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		e = tp_expectations(events[i], &n);
		for (j = 0; j < n; j++)
			for (k = 0; k < fmt.nr_fields; k++)
				tp_expect_check(&e[j], &fmt.fields[k], why, sizeof(why));
	}
	tp_format_free(&fmt);
	free(text);
	return 0;
}
