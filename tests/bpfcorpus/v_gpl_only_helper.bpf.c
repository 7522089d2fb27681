// expect: fail verifier.gpl-only-helper load
// log: cannot call GPL-restricted function from non-GPL compatible program
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the license section says "Proprietary", but bpf_probe_read_kernel is GPL-only. */
#include "corpus.h"

char LICENSE[] SEC("license") = "Proprietary";

SEC("tp/sched/sched_process_exec")
int gpl_helper(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	int pid = 0;

	bpf_probe_read_kernel(&pid, sizeof(pid), &task->pid);
	return pid & 1;
}
