// expect: load
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A socket filter that counts packets by length bucket in an array map. Nothing is wrong. */
#include "corpus.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

SEC("socket")
int count_len(struct __sk_buff *skb)
{
	__u32 key = skb->len >> 8;
	__u64 *v;

	if (key > 15)
		key = 15;
	v = bpf_map_lookup_elem(&buckets, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return skb->len;
}
