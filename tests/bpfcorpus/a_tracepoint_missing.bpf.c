// expect: fail attach.tracepoint-missing attach
// log: failed to determine tracepoint 'sched/sched_process_nosuch' perf event ID
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the tracepoint sched/sched_process_nosuch does not exist on this kernel (as a
 * tracepoint renamed or added in another release); the program loads, attaching fails. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp/sched/sched_process_nosuch")
int no_tracepoint(void *ctx)
{
	return 0;
}
