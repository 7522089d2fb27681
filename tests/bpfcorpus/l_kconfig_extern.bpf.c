// expect: fail libbpf.kconfig-extern relocation
// log: extern 'CONFIG_EDRDIAG_NOSUCH_OPTION' (strong): not resolved
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Wrong: reads a Kconfig option (strong extern, not __weak) that the kernel's config does
 * not have, so libbpf has no value for it. */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

extern int CONFIG_EDRDIAG_NOSUCH_OPTION __kconfig;

SEC("tp/sched/sched_process_exec")
int need_config(void *ctx)
{
	return CONFIG_EDRDIAG_NOSUCH_OPTION;
}
