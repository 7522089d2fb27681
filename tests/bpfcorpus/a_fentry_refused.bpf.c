// expect: fail attach.fentry-refused attach
// log: prog 'on_commit_creds_fentry': BPF program load failed: Operation not permitted
// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Correct code on a function that exists, but this host refuses fentry programs with EPERM
 * (as lockdown, an LSM policy or an architecture without trampolines would). */
#include "corpus.h"

char LICENSE[] SEC("license") = "GPL";

SEC("fentry/security_bprm_committed_creds")
int BPF_PROG(on_commit_creds_fentry)
{
	return 0;
}
