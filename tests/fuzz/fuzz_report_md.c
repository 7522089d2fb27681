/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds report_md_render() what a hostile bundle holds: the input up to its first NUL is a
 * JSON document, handed over as every check document (check-kernel, stats with an agent,
 * the self-test summary with its attempts); the rest is the kernel log and the self-test's
 * stderr. The report must come out as valid UTF-8 with no control byte but newlines.
 */
#include "fuzz.h"
#include "report_md.h"
#include "text.h"

static void assert_clean(const char *md)
{
	size_t n = strlen(md), i = 0, l;

	while (i < n) {
		FUZZ_ASSERT((unsigned char)md[i] >= 0x20 || md[i] == '\n');
		l = text_utf8_len((const unsigned char *)md + i, n - i);
		FUZZ_ASSERT(l > 0);
		i += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t jlen = nul ? (size_t)(nul - data) : size;
	char *text = fuzz_cstr(nul ? nul + 1 : data + size, nul ? size - jlen - 1 : 0), *md;
	json_t *j = json_loadb((const char *)data, jlen, 0, NULL);
	const struct report_md_item items[] = {
		{ "commands/dmesg.txt", "dmesg", size & 1 ? "collected" : "failed", (int)(size & 3),
		  text, NULL },
		{ "commands/bpftool-prog-list.json", NULL, "denied", -1, NULL, text },
		{ "commands/selftest.stderr", NULL, "collected", 1, NULL, NULL },
	};
	static const char *const argv[] = { "edrdiag", "collect-report", "--agent", "a'b`c", NULL };
	struct report_md_info in = {
		.os = "Debian GNU/Linux 12 (bookworm)",
		.kernel = "6.1.0-18-amd64",
		.agent = text,
		.kernel_log = text,
		.log_source = "commands/dmesg.txt",
		.sensor_log = text,
		.sensor_log_source = "commands/selftest.stderr",
		.euid = size & 4 ? 65534 : 0,
		.missing_caps = size & 8 ? "CAP_BPF" : NULL,
		.argv = argv,
	};
	int k;

	for (k = 0; k < REPORT_DOC_NR; k++)
		in.docs[k] = (struct report_md_doc){ "commands/x.json", j };
	/* without a manifest, and with one */
	md = report_md_render(&in);
	FUZZ_ASSERT(md != NULL);
	assert_clean(md);
	free(md);
	in.items = items;
	in.nr_items = sizeof(items) / sizeof(items[0]);
	md = report_md_render(&in);
	FUZZ_ASSERT(md != NULL);
	assert_clean(md);
	free(md);
	json_decref(j);
	free(text);
	return 0;
}
