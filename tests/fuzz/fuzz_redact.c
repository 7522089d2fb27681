/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds the redaction two items of a bundle (any bytes): the first byte picks each one's
 * path (the per-path policies: os-release, mounts, sysctls, tracefs, any other) and
 * whether it was cut at its size cap, then the rest is split in two. Credentials only
 * first, then with the host's names, users and addresses to hide.
 */
#include "fuzz.h"
#include "redact.h"

static const char *const paths[] = {
	"commands/dmesg.txt",
	"etc/os-release",
	"proc/mounts",
	"proc/sys/kernel/hostname",
	"sys/kernel/tracing/events/a/b/format",
	"manifest.json",
	"boot/config-6.1",
	"proc/cmdline",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t npaths = sizeof(paths) / sizeof(paths[0]);
	unsigned int sel = size ? data[0] : 0;
	struct redact r;
	char *text, *out;
	size_t n, i, len, half;

	if (size) {
		data++;
		size--;
	}
	half = size / 2;
	redact_init(&r);
	if (sel & 1) {
		redact_add_host_files(
			&r, "build-07.example.org", "search example.org lab.example.net\n",
			"10.0.0.7 build-07.example.org build-07 b7.lab.example.net\n");
		redact_add_word(&r, REDACT_USER, "alice");
		redact_add_word(&r, REDACT_USER, "bob_2");
		redact_add_word(&r, REDACT_IPV4, "192.0.2.9");
		redact_learn(&r, (const char *)data, size);
	}
	/* the input's halves, each in its own buffer: the second finds the first's numbers */
	for (i = 0; i < 2; i++) {
		len = i ? size - half : half;
		text = malloc(len ? len : 1);
		if (!text)
			abort();
		memcpy(text, data + (i ? half : 0), len);
		out = redact_item(&r, paths[(sel >> (1 + 3 * i)) % npaths], text, len,
				  (sel >> 7) & (i == 1), &n);
		FUZZ_ASSERT(out && out[n] == '\0');
		free(out);
		free(text);
	}
	redact_free(&r);
	return 0;
}
