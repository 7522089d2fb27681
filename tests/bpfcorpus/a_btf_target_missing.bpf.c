// expect: fail attach.btf-target-missing attach
// log: failed to find kernel BTF type ID of 'edrdiag_nosuch_function'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: fentry on a function the kernel's BTF does not have (renamed, inlined or static
 * elsewhere); libbpf cannot find the attach target's BTF id. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/edrdiag_nosuch_function")
int BPF_PROG(no_target)
{
	return 0;
}
