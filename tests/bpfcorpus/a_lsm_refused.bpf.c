// expect: fail attach.fentry-refused attach
// log: prog 'check_exec': BPF program load failed: Operation not permitted
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Correct code, an LSM program (the kernel's "bpf" LSM is active here), but BPF LSM
 * programs attach through the same trampolines as fentry, and this host refuses them (EPERM). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/bprm_check_security")
int BPF_PROG(check_exec, struct linux_binprm *bprm)
{
	return 0;
}
