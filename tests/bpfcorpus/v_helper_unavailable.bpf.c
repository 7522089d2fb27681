// expect: fail verifier.helper-unavailable load
// log: program of this type cannot use helper bpf_override_return#58
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: bpf_override_return belongs to kprobe programs (error injection); a socket filter
 * may not call it. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
int wrong_helper(struct __sk_buff *skb)
{
	return bpf_override_return((void *)skb, 0);
}
