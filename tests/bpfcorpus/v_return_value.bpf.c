// expect: fail verifier.return-value load
// log: At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, 3]
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: a cgroup_skb program must return 0 (drop) or 1 (allow); this one returns 2. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("cgroup_skb/egress")
int bad_verdict(struct __sk_buff *skb)
{
	volatile int r = 2;

	return r;
}
