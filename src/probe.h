/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_PROBE_H
#define EDRDIAG_PROBE_H

#include <stddef.h>

/*
 * Live probes of the running kernel's bpf(): they load or create an object, close it at
 * once and leave nothing behind (nothing attached, nothing pinned).
 */

/* Load a two-instruction BPF_PROG_TYPE_TRACEPOINT program. 0 or -errno; log gets the
 * verifier's words when the kernel gave any. */
int probe_tracepoint_prog(char *log, size_t loglen);

/* Create a one-page BPF_MAP_TYPE_RINGBUF map. 0 or -errno. */
int probe_ringbuf(void);

/* Plain-language meaning of a bpf() errno for the given probe ("prog" or "ringbuf"). */
const char *probe_explain(int err, const char *what);

#endif
