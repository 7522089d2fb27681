// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "i18n.h"
#include "caps.h"
#include "util.h"

int caps_effective(uint64_t *mask)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	/* glibc has no capget() wrapper; libcap would be a dependency for two words */
	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	*mask = (uint64_t)data[1].effective << 32 | data[0].effective;
	return 0;
}

bool caps_can_trace(uint64_t mask, long kver, char *missing, size_t len)
{
	bool bpf = caps_has(mask, CAP_BPF), perfmon = caps_has(mask, CAP_PERFMON);

	if (caps_has(mask, CAP_SYS_ADMIN))
		return true;
	if (kver >= util_kver(5, 8, 0)) {
		if (bpf && perfmon)
			return true;
		snprintf(missing, len, "%s%s%s (or CAP_SYS_ADMIN)", bpf ? "" : "CAP_BPF",
			 !bpf && !perfmon ? ", " : "", perfmon ? "" : "CAP_PERFMON");
		return false;
	}
	/* before 5.8 there is no CAP_BPF: tracing programs need CAP_SYS_ADMIN */
	snprintf(missing, len, "%s", _("CAP_SYS_ADMIN (kernels before 5.8 have no CAP_BPF)"));
	return false;
}

bool caps_can_trace_here(char *missing, size_t len)
{
	int ma = 0, mi = 0, pa = 0;
	uint64_t caps = 0;
	struct utsname u;

	if (len)
		missing[0] = '\0';
	/* the running kernel's version decides whether CAP_BPF exists */
	if (uname(&u) == 0)
		util_parse_release(u.release, &ma, &mi, &pa);
	return caps_effective(&caps) || caps_can_trace(caps, util_kver(ma, mi, pa), missing, len);
}
