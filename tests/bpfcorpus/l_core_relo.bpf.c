// expect: fail libbpf.core-relo relocation
// log: failed to resolve CO-RE relocation <byte_off> [5] struct task_struct___x.nosuch
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a CO-RE read of task_struct.nosuch, a field this kernel's task_struct lacks
 * (the ___x flavour names the local struct task_struct with a field of its own). libbpf
 * cannot relocate it and poisons the instruction; the program is refused. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

struct task_struct___x {
	int nosuch;
} __attribute__((preserve_access_index));

SEC("tp/sched/sched_process_exec")
int missing_field(void *ctx)
{
	struct task_struct___x *t = (void *)bpf_get_current_task();

	return BPF_CORE_READ(t, nosuch);
}
