// expect: fail attach.btf-target-missing attach
// log: failed to find kernel BTF type ID of 'edrdiag_nosuch_tp'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a BTF-enabled raw tracepoint (tp_btf) on a tracepoint this kernel does not have;
 * libbpf looks for its btf_trace_ type in the kernel BTF and finds none (compare
 * a_btf_target_missing, an fentry). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/edrdiag_nosuch_tp")
int BPF_PROG(no_tp_btf)
{
	return 0;
}
