/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds report_md_render() a kernel log (dmesg text) to pick the BPF lines from. */
#include "fuzz.h"
#include "report_md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), *md;
	struct report_md_info in = {
		.os = "Debian GNU/Linux 12 (bookworm)",
		.kernel = "6.1.0-18-amd64",
		.kernel_log = text,
		.log_source = "commands/dmesg.txt",
	};

	for (in.lang = REPORT_EN; in.lang <= REPORT_ZH; in.lang++) {
		md = report_md_render(&in);
		FUZZ_ASSERT(md != NULL);
		free(md);
	}
	free(text);
	return 0;
}
