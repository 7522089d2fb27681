// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/btf.h>
#include <errno.h>
#include <string.h>

#include "btfcheck.h"

int btf_member_offset(const struct btf *btf, const char *sname, const char *member, int *offset,
		      int *size)
{
	const struct btf_member *m;
	const struct btf_type *t;
	__s32 id;
	int i, n;

	id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, (__u32)id);
	m = btf_members(t);
	n = btf_vlen(t);
	for (i = 0; i < n; i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		*offset = (int)(btf_member_bit_offset(t, (__u32)i) / 8);
		*size = (int)btf__resolve_size(btf, m->type);
		return 0;
	}
	return -ESRCH;
}
