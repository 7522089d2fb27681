// expect: load
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* XDP reading the Ethernet type after the data_end check the verifier asks for. Nothing is
 * wrong; compare v_packet_bounds, which lacks the check. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xdp_eth(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;

	if (data + 14 > end)
		return XDP_PASS;
	return data[12] == 0x86 && data[13] == 0xdd ? XDP_DROP : XDP_PASS;
}
