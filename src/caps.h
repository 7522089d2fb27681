/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_CAPS_H
#define EDRDIAG_CAPS_H

#include <stdbool.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdint.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* The calling process's effective capability set as a 64-bit mask (capget(2)). */
int caps_effective(uint64_t *mask);

static inline bool caps_has(uint64_t mask, int cap)
{
	return (mask >> cap) & 1;
}

/*
 * Can a process with this effective set load tracing BPF programs on a kernel of the
 * given version? CAP_SYS_ADMIN always; CAP_BPF + CAP_PERFMON from 5.8. When not, writes
 * the missing capabilities ("CAP_BPF, CAP_PERFMON") into missing.
 */
bool caps_can_trace(uint64_t mask, long kver, char *missing, size_t len);

/*
 * The same for this process on the running kernel (its release from uname). When the
 * effective set cannot be read, true: the kernel will say. missing is "" when true.
 */
bool caps_can_trace_here(char *missing, size_t len);

#endif
