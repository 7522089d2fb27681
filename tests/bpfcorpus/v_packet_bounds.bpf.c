// expect: fail verifier.packet-bounds load
// log: invalid access to packet, off=12 size=1
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: XDP reads the Ethernet type without first checking data + 14 <= data_end
 * (compare ok_xdp_bounds). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int xdp_nocheck(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	return data[12] == 0x86 ? XDP_DROP : XDP_PASS;
}
