/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds kconfig_parse() a kernel config held in memory (plain text, or gzip by its magic). */
#include "fuzz.h"
#include "kconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "CONFIG_BPF", "CONFIG_BPF_SYSCALL",
					     "CONFIG_DEBUG_INFO_BTF", "CONFIG_", "" };
	void *copy = malloc(size ? size : 1);
	struct kconfig kc;
	char err[256] = "";
	size_t i;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (kconfig_parse(copy, size, &kc, err, sizeof(err))) {
		FUZZ_ASSERT(err[0]); /* an error always says why */
	} else {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			kconfig_state_str(kconfig_state(&kc, names[i]));
		/* sorted, one entry per name: the lookup finds each entry itself */
		for (i = 0; i < kc.nr; i++)
			FUZZ_ASSERT(kconfig_get(&kc, kc.entries[i].name) == &kc.entries[i]);
		kconfig_free(&kc);
	}
	free(copy);
	return 0;
}
