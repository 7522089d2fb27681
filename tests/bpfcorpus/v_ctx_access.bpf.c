// expect: fail verifier.ctx-access load
// log: invalid bpf_context access off=4000 size=4
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: reads the context (struct __sk_buff) at an offset past its end, as a program
 * built against a newer uapi header than the kernel's would. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("socket")
__attribute__((naked)) int bad_ctx(void)
{
	asm volatile("r0 = *(u32 *)(r1 + 4000)\n"
		     "exit\n");
}
