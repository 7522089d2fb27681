/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BTFSUBSET_H
#define EDRDIAG_BTFSUBSET_H

#include <bpf/btf.h>
#include <stddef.h>

/*
 * The host's kernel BTF cut down to what a replay reads from a bundle: every struct
 * trace_event_raw_<event> (check-tracepoints cross-checks the format files' offsets against
 * them) with the types their members need, and the enums feature detection reads
 * (bpf_prog_type, bpf_map_type, bpf_attach_type, bpf_link_type, bpf_func_id). Pointers keep
 * their size but point to void: what they point to is never read, and following them would
 * pull in the whole kernel (5 MB -> a few hundred KB).
 *
 * src is the live kernel's BTF (trusted: never a bundle's). On success *out (malloc'd, raw
 * BTF, the kernel's layout) and *len are set and the number of types kept is returned;
 * -errno on failure.
 */
int btfsubset_build(const struct btf *src, void **out, size_t *len);

#endif
