// expect: fail attach.kprobes-unavailable attach
// log: failed to create kprobe 'security_bprm_committed_creds+0x0' perf event
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Correct code, but a kprobe: it loads, and attaching needs the kprobe PMU or
 * kprobe_events, which a kernel without CONFIG_KPROBES (this host) does not have. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/security_bprm_committed_creds")
int BPF_KPROBE(on_commit_creds)
{
	return 0;
}
