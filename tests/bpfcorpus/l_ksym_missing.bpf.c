// expect: fail libbpf.ksym-missing relocation
// log: extern 'edrdiag_nosuch_symbol' (strong): not resolved
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: refers to a kernel variable (a typeless ksym) that is not in /proc/kallsyms. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

extern const void edrdiag_nosuch_symbol __ksym;

SEC("tp/sched/sched_process_exec")
int read_missing(void *ctx)
{
	return (unsigned long)&edrdiag_nosuch_symbol & 1;
}
