// expect: fail verifier.stack-size load
// log: combined stack size of 3 calls is 640. Too large
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: each function stays under the 512-byte stack limit, but the call chain together
 * (two frames of 320 bytes) does not. A socket filter: tracing programs get a private
 * stack on x86 since 6.14, where this limit is checked differently. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

static __attribute__((noinline)) int inner(struct __sk_buff *skb)
{
	char buf[320];

	if (bpf_skb_load_bytes(skb, 0, buf, sizeof(buf)))
		return 0;
	return buf[0] + buf[319];
}

static __attribute__((noinline)) int outer(struct __sk_buff *skb)
{
	char buf[320];

	if (bpf_skb_load_bytes(skb, 0, buf, sizeof(buf)))
		return 0;
	return inner(skb) + buf[0] + buf[319];
}

SEC("socket")
int deep_stack(struct __sk_buff *skb)
{
	return outer(skb);
}
