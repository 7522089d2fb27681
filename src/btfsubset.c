// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The replay's share of the kernel BTF: see btfsubset.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfsubset.h"
#include "util.h"

static const char *const kept_enums[] = {
	"bpf_prog_type", "bpf_map_type", "bpf_attach_type", "bpf_link_type", "bpf_func_id",
};

/*
 * The structs an exec/file/network sensor's CO-RE reads start from (each hop of a
 * BPF_CORE_READ is a relocation of its own, rooted at the struct it reads): check-object
 * --root resolves those against the bundle without an --object at collection time.
 */
static const char *const kept_structs[] = {
	"task_struct",	 "cred",      "linux_binprm",  "mm_struct", "file",
	"path",		 "dentry",    "inode",	       "qstr",	    "super_block",
	"vfsmount",	 "fs_struct", "files_struct",  "nsproxy",   "pid_namespace",
	"pid",		 "upid",      "signal_struct", "sock",	    "sock_common",
	"sk_buff",	 "socket",    "kernfs_node",   "css_set",   "cgroup",
	"mnt_namespace",
};

static bool named_in(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static bool is_root(const struct btf *src, const struct btf_type *t, const char *const *extra,
		    size_t nr_extra)
{
	const char *name = btf__name_by_offset(src, t->name_off);

	if (!name || !*name)
		return false;
	if ((btf_is_composite(t) || btf_is_any_enum(t) || btf_is_typedef(t)) &&
	    named_in(name, extra, nr_extra))
		return true;
	if (btf_is_struct(t))
		return util_startswith(name, "trace_event_raw_") ||
		       named_in(name, kept_structs, ARRAY_SIZE(kept_structs));
	if (btf_is_any_enum(t))
		return named_in(name, kept_enums, ARRAY_SIZE(kept_enums));
	return false;
}

/* The ids type t refers to that the subset keeps (pointers' targets are not). */
static size_t refs_of(const struct btf_type *t, const __u32 **refs)
{
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		*refs = &t->type;
		return 1;
	case BTF_KIND_ARRAY:
		*refs = &btf_array(t)->type;
		return 2; /* type, index_type: adjacent in struct btf_array */
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		*refs = NULL;
		return btf_vlen(t);
	default:
		*refs = NULL;
		return 0;
	}
}

/* Mark id and what it needs, iteratively (a struct's depth is unbounded in principle). */
static void mark(const struct btf *src, __u32 id, __u8 *keep)
{
	size_t sp = 0, cap = 0, i, n;
	__u32 *stack = NULL, r;
	const __u32 *refs;

	util_u32_push(&stack, &sp, &cap, id);
	while (sp) {
		const struct btf_type *t;

		id = stack[--sp];
		if (!id || keep[id])
			continue;
		keep[id] = 1;
		t = btf__type_by_id(src, id);
		n = refs_of(t, &refs);
		for (i = 0; i < n; i++) {
			r = refs ? refs[i] : btf_members(t)[i].type;
			if (!keep[r])
				util_u32_push(&stack, &sp, &cap, r);
		}
	}
	free(stack);
}

/* Point the copy's references at the new ids (the ones mark() followed); a pointer at void. */
static void remap(struct btf_type *t, const __u32 *newid)
{
	const __u32 *refs;
	size_t i, n;

	if (btf_is_ptr(t)) {
		t->type = 0;
		return;
	}
	n = refs_of(t, &refs);
	for (i = 0; i < n; i++) {
		/* refs points into t, which is writable */
		__u32 *r = refs ? (__u32 *)&refs[i] : &btf_members(t)[i].type;

		*r = newid[*r];
	}
}

int btfsubset_build(const struct btf *src, const char *const *extra, size_t nr_extra, void **out,
		    size_t *len)
{
	__u32 cnt = btf__type_cnt(src), id, *newid, next = 1, size;
	struct btf *dst;
	const void *raw;
	__u8 *keep;
	int ret = 0;

	keep = calloc(cnt, 1);
	newid = calloc(cnt, sizeof(*newid));
	dst = btf__new_empty();
	if (!keep || !newid || !dst) {
		ret = -ENOMEM;
		goto out;
	}
	for (id = 1; id < cnt; id++)
		if (!keep[id] && is_root(src, btf__type_by_id(src, id), extra, nr_extra))
			mark(src, id, keep);
	/* new ids in the old order: every reference resolves once all are copied */
	for (id = 1; id < cnt; id++)
		if (keep[id])
			newid[id] = next++;
	for (id = 1; id < cnt; id++) {
		int nid;

		if (!keep[id])
			continue;
		nid = btf__add_type(dst, src, btf__type_by_id(src, id));
		if (nid < 0 || (__u32)nid != newid[id]) {
			ret = nid < 0 ? nid : -EINVAL;
			goto out;
		}
		/* the copy is ours and writable; libbpf only hands out const views */
		remap((struct btf_type *)btf__type_by_id(dst, nid), newid);
	}
	/* said in the file itself: a type missing from it may be one the subset left out */
	if (btf__add_struct(dst, BTFSUBSET_MARKER, 0) < 0) {
		ret = -ENOMEM;
		goto out;
	}
	raw = btf__raw_data(dst, &size);
	if (!raw) {
		ret = -ENOMEM;
		goto out;
	}
	*out = util_xmalloc(size);
	memcpy(*out, raw, size);
	*len = size;
	ret = (int)(next - 1);
out:
	btf__free(dst);
	free(newid);
	free(keep);
	return ret;
}
