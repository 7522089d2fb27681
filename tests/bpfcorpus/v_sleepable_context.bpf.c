// expect: fail verifier.sleepable-context load
// log: helper call might sleep in a non-sleepable prog
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: bpf_copy_from_user may sleep (it can fault pages in); a tracepoint program runs
 * where it must not sleep (only sleepable programs, SEC("fentry.s/...") or SEC("lsm.s/..."),
 * may call it). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_exec")
int sleep_in_tp(void *ctx)
{
	char buf[16];

	if (bpf_copy_from_user(buf, sizeof(buf), (void *)0x1000))
		return 0;
	return buf[0];
}
