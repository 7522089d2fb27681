/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BTFCHECK_H
#define EDRDIAG_BTFCHECK_H

struct btf;

/*
 * Byte offset and size of member `member` of `struct sname` in btf.
 * Returns 0, -ENOENT (no such struct) or -ESRCH (no such member).
 */
int btf_member_offset(const struct btf *btf, const char *sname, const char *member, int *offset,
		      int *size);

#endif
