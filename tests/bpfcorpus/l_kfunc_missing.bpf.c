// expect: fail libbpf.kfunc-missing relocation
// log: extern (func ksym) 'bpf_edrdiag_nosuch_kfunc': not found in kernel or module BTFs
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: calls a kernel function (kfunc) this kernel does not export, as an object built
 * for a newer kernel would. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

extern int bpf_edrdiag_nosuch_kfunc(int x) __ksym;

SEC("tp_btf/sched_process_exec")
int call_missing(void *ctx)
{
	return bpf_edrdiag_nosuch_kfunc(1);
}
