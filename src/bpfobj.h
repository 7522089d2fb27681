/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFOBJ_H
#define EDRDIAG_BPFOBJ_H

#include <jansson.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Reading the kernel's BPF objects (DESIGN.md 7): ids through bpf_*_get_next_id, details
 * through bpf_obj_get_info_by_fd, never by parsing another tool's text; and which
 * processes hold which object, from /proc/PID/fdinfo.
 */

enum bpfobj_kind {
	BPFOBJ_PROG,
	BPFOBJ_MAP,
	BPFOBJ_LINK,
};

/* Every id of a kind, ascending. 0 or -errno (EPERM without privilege). */
int bpfobj_ids(enum bpfobj_kind kind, __u32 **ids, size_t *n);

/* An fd for an id: -ENOENT when no such object (gone meanwhile, or never was). */
int bpfobj_fd_by_id(enum bpfobj_kind kind, __u32 id);

/* What kind of BPF object fd is (from its /proc/self/fd link), or -EINVAL if none. */
int bpfobj_fd_kind(int fd);

/*
 * The value of "KEY:\tNUMBER" in the text of an fdinfo file (key without the colon, at the
 * start of a line; the first such line counts). 0, -ENOENT without that line, or -EINVAL
 * when its value is not a decimal number that fits. Never prints.
 */
int bpfobj_fdinfo_parse(const char *text, const char *key, unsigned long long *val);

/* The "memlock:" (or another key's) value from /proc/self/fdinfo/FD. 0 or -errno. */
int bpfobj_fdinfo_u64(int fd, const char *key, unsigned long long *val);

/* Names of program and map types, as bpftool prints them ("tracepoint", "hash"). */
const char *bpfobj_prog_type_name(__u32 type);
const char *bpfobj_map_type_name(__u32 type);

/* One process holding one object through an fd. */
struct bpfobj_holder {
	enum bpfobj_kind kind;
	__u32 id;
	pid_t pid;
	char comm[16];
};

/* Who holds what: built once by scanning /proc/PID/fd and fdinfo of every process. */
struct bpfobj_holders {
	struct bpfobj_holder *h;
	size_t nr, cap;
};

/* Scan all processes (pid 0) or one. 0 or -errno; unreadable processes are skipped. */
int bpfobj_holders_scan(struct bpfobj_holders *hs, pid_t only_pid);
void bpfobj_holders_free(struct bpfobj_holders *hs);
/*
 * Holders of one object, leaving out process skip (0: none; a reader's own fds are only there
 * to read): returns how many, fills up to max into out (may be NULL).
 */
size_t bpfobj_holders_of(const struct bpfobj_holders *hs, enum bpfobj_kind kind, __u32 id,
			 pid_t skip, const struct bpfobj_holder **out, size_t max);

/* Holders a table shows; the rest are counted ("+N more"). */
#define BPFOBJ_HOLDERS_SHOWN 3

/*
 * The holders column of a table: "comm(pid), comm(pid), +N more" (total counts those not
 * in h; at most BPFOBJ_HOLDERS_SHOWN of h shown), or "-" for none. Each comm is made
 * printable (text.h): any process may name itself anything. Returns buf.
 */
const char *bpfobj_holders_text(const struct bpfobj_holder *const *h, size_t total, char *buf,
				size_t len);
/* The same n holders in JSON: [{"pid": N, "comm": "..."}], each comm as text_json keeps it. */
json_t *bpfobj_holders_json(const struct bpfobj_holder *const *h, size_t n);

#endif
