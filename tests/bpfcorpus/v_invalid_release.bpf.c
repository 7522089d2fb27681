// expect: fail verifier.invalid-release load
// log: release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: bpf_task_release drops a reference that bpf_task_acquire took; the task pointer
 * here came from bpf_get_current_task_btf, which takes none, so it releases what was never
 * acquired. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("tp_btf/sched_process_exec")
int release_unacquired(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();

	bpf_task_release(task);
	return 0;
}
