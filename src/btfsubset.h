/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BTFSUBSET_H
#define EDRDIAG_BTFSUBSET_H

#include <bpf/btf.h>
#include <stddef.h>

/*
 * The host's kernel BTF cut down to what a replay reads from a bundle: every struct
 * trace_event_raw_<event> (check-tracepoints cross-checks the format files' offsets against
 * them) with the types their members need, the enums feature detection reads
 * (bpf_prog_type, bpf_map_type, bpf_attach_type, bpf_link_type, bpf_func_id), the structs a
 * sensor's CO-RE reads commonly start from (task_struct, cred, file, ...), and the structs,
 * unions, enums and typedefs named in extra (an --object's CO-RE relocation roots), each
 * complete. Pointers keep their size but point to void: what they point to is never read,
 * and following them would pull in the whole kernel (5 MB -> a few hundred KB). An empty
 * struct BTFSUBSET_MARKER says, in the file, that it is a subset.
 *
 * src is the live kernel's BTF (trusted: never a bundle's). On success *out (malloc'd, raw
 * BTF, the kernel's layout) and *len are set and the number of types kept is returned;
 * -errno on failure.
 */
#define BTFSUBSET_MARKER "edrdiag_btf_subset"
int btfsubset_build(const struct btf *src, const char *const *extra, size_t nr_extra, void **out,
		    size_t *len);

#endif
