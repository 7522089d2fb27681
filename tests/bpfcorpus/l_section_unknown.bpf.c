// expect: fail libbpf.section-unknown open
// log: missing BPF prog type, check ELF section name 'sensor/exec'
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: the ELF section "sensor/exec" names no program type libbpf knows, so it cannot
 * tell which kind of program this is. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("sensor/exec")
int unknown_section(void *ctx)
{
	return 0;
}
