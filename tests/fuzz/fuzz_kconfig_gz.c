/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Feeds kconfig_load() a file (a memfd, as /proc/self/fd/N): the /proc/config.gz path. */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "kconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kconfig kc;
	char path[64], err[256] = "";
	int fd, ret;
	size_t i;

	fd = memfd_create("config.gz", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ret = kconfig_load(path, &kc, err, sizeof(err));
	close(fd);
	if (ret) {
		FUZZ_ASSERT(ret != -EINVAL || err[0]);
		return 0;
	}
	kconfig_state_str(kconfig_state(&kc, "CONFIG_DEBUG_INFO_BTF"));
	for (i = 0; i < kc.nr; i++)
		FUZZ_ASSERT(kconfig_get(&kc, kc.entries[i].name) == &kc.entries[i]);
	kconfig_free(&kc);
	return 0;
}
