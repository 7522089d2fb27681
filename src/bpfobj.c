// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfobj.h"
#include "sysroot.h"
#include "text.h"
#include "util.h"

int bpfobj_ids(enum bpfobj_kind kind, __u32 **ids, size_t *n)
{
	size_t cap = 64;
	__u32 id = 0;
	int err;

	*n = 0;
	*ids = util_xmalloc(cap * sizeof(**ids));
	for (;;) {
		if (kind == BPFOBJ_PROG)
			err = bpf_prog_get_next_id(id, &id);
		else if (kind == BPFOBJ_MAP)
			err = bpf_map_get_next_id(id, &id);
		else
			err = bpf_link_get_next_id(id, &id);
		if (err) {
			err = -errno;
			break;
		}
		if (*n == cap) {
			cap *= 2;
			*ids = util_xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = id;
	}
	/* ENOENT ends the walk; anything else (EPERM) is an error */
	if (err == -ENOENT)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return err;
}

int bpfobj_fd_by_id(enum bpfobj_kind kind, __u32 id)
{
	int fd;

	if (kind == BPFOBJ_PROG)
		fd = bpf_prog_get_fd_by_id(id);
	else if (kind == BPFOBJ_MAP)
		fd = bpf_map_get_fd_by_id(id);
	else
		fd = bpf_link_get_fd_by_id(id);
	return fd < 0 ? -errno : fd;
}

int bpfobj_fd_kind(int fd)
{
	char path[64], link[64];
	int n;

	/* the kernel names the anonymous inode after the kind, as bpfobj_holders_scan reads */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = sysroot_readlink(path, link, sizeof(link));
	if (n <= 0)
		return -EINVAL;
	if (!strcmp(link, "anon_inode:bpf-map"))
		return BPFOBJ_MAP;
	if (!strcmp(link, "anon_inode:bpf-prog"))
		return BPFOBJ_PROG;
	if (!strcmp(link, "anon_inode:bpf_link"))
		return BPFOBJ_LINK;
	return -EINVAL;
}

int bpfobj_fdinfo_parse(const char *text, const char *key, unsigned long long *val)
{
	size_t klen = strlen(key);
	unsigned long long n;
	const char *p, *v;
	char *end;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) || p[klen] != ':')
			continue;
		/* "memlock:\t4096": a tab (spaces on some kernels), then a decimal number */
		for (v = p + klen + 1; *v == '\t' || *v == ' '; v++)
			;
		if (*v < '0' || *v > '9')
			return -EINVAL;
		errno = 0;
		n = strtoull(v, &end, 10);
		while (*end == '\t' || *end == ' ')
			end++;
		if (errno || (*end && *end != '\n'))
			return -EINVAL;
		*val = n;
		return 0;
	}
	return -ENOENT;
}

int bpfobj_fdinfo_u64(int fd, const char *key, unsigned long long *val)
{
	char path[64], *text;
	int err;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	err = sysroot_read(path, SYSROOT_LINE_CAP, &text, NULL);
	if (err)
		return err;
	err = bpfobj_fdinfo_parse(text, key, val);
	free(text);
	return err;
}

const char *bpfobj_prog_type_name(__u32 type)
{
	static const char *const names[] = {
		[BPF_PROG_TYPE_UNSPEC] = "unspec",
		[BPF_PROG_TYPE_SOCKET_FILTER] = "socket_filter",
		[BPF_PROG_TYPE_KPROBE] = "kprobe",
		[BPF_PROG_TYPE_SCHED_CLS] = "sched_cls",
		[BPF_PROG_TYPE_SCHED_ACT] = "sched_act",
		[BPF_PROG_TYPE_TRACEPOINT] = "tracepoint",
		[BPF_PROG_TYPE_XDP] = "xdp",
		[BPF_PROG_TYPE_PERF_EVENT] = "perf_event",
		[BPF_PROG_TYPE_CGROUP_SKB] = "cgroup_skb",
		[BPF_PROG_TYPE_CGROUP_SOCK] = "cgroup_sock",
		[BPF_PROG_TYPE_LWT_IN] = "lwt_in",
		[BPF_PROG_TYPE_LWT_OUT] = "lwt_out",
		[BPF_PROG_TYPE_LWT_XMIT] = "lwt_xmit",
		[BPF_PROG_TYPE_SOCK_OPS] = "sock_ops",
		[BPF_PROG_TYPE_SK_SKB] = "sk_skb",
		[BPF_PROG_TYPE_CGROUP_DEVICE] = "cgroup_device",
		[BPF_PROG_TYPE_SK_MSG] = "sk_msg",
		[BPF_PROG_TYPE_RAW_TRACEPOINT] = "raw_tracepoint",
		[BPF_PROG_TYPE_CGROUP_SOCK_ADDR] = "cgroup_sock_addr",
		[BPF_PROG_TYPE_LWT_SEG6LOCAL] = "lwt_seg6local",
		[BPF_PROG_TYPE_LIRC_MODE2] = "lirc_mode2",
		[BPF_PROG_TYPE_SK_REUSEPORT] = "sk_reuseport",
		[BPF_PROG_TYPE_FLOW_DISSECTOR] = "flow_dissector",
		[BPF_PROG_TYPE_CGROUP_SYSCTL] = "cgroup_sysctl",
		[BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE] = "raw_tracepoint_writable",
		[BPF_PROG_TYPE_CGROUP_SOCKOPT] = "cgroup_sockopt",
		[BPF_PROG_TYPE_TRACING] = "tracing",
		[BPF_PROG_TYPE_STRUCT_OPS] = "struct_ops",
		[BPF_PROG_TYPE_EXT] = "ext",
		[BPF_PROG_TYPE_LSM] = "lsm",
		[BPF_PROG_TYPE_SK_LOOKUP] = "sk_lookup",
		[BPF_PROG_TYPE_SYSCALL] = "syscall",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "unknown";
}

const char *bpfobj_map_type_name(__u32 type)
{
	static const char *const names[] = {
		[BPF_MAP_TYPE_UNSPEC] = "unspec",
		[BPF_MAP_TYPE_HASH] = "hash",
		[BPF_MAP_TYPE_ARRAY] = "array",
		[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
		[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
		[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
		[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
		[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
		[BPF_MAP_TYPE_CGROUP_ARRAY] = "cgroup_array",
		[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
		[BPF_MAP_TYPE_LRU_PERCPU_HASH] = "lru_percpu_hash",
		[BPF_MAP_TYPE_LPM_TRIE] = "lpm_trie",
		[BPF_MAP_TYPE_ARRAY_OF_MAPS] = "array_of_maps",
		[BPF_MAP_TYPE_HASH_OF_MAPS] = "hash_of_maps",
		[BPF_MAP_TYPE_DEVMAP] = "devmap",
		[BPF_MAP_TYPE_SOCKMAP] = "sockmap",
		[BPF_MAP_TYPE_CPUMAP] = "cpumap",
		[BPF_MAP_TYPE_XSKMAP] = "xskmap",
		[BPF_MAP_TYPE_SOCKHASH] = "sockhash",
		[BPF_MAP_TYPE_CGROUP_STORAGE] = "cgroup_storage",
		[BPF_MAP_TYPE_REUSEPORT_SOCKARRAY] = "reuseport_sockarray",
		[BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE] = "percpu_cgroup_storage",
		[BPF_MAP_TYPE_QUEUE] = "queue",
		[BPF_MAP_TYPE_STACK] = "stack",
		[BPF_MAP_TYPE_SK_STORAGE] = "sk_storage",
		[BPF_MAP_TYPE_DEVMAP_HASH] = "devmap_hash",
		[BPF_MAP_TYPE_STRUCT_OPS] = "struct_ops",
		[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
		[BPF_MAP_TYPE_INODE_STORAGE] = "inode_storage",
		[BPF_MAP_TYPE_TASK_STORAGE] = "task_storage",
		[BPF_MAP_TYPE_BLOOM_FILTER] = "bloom_filter",
		[BPF_MAP_TYPE_USER_RINGBUF] = "user_ringbuf",
		/* newer than the UAPI header this builds against */
		[32] = "cgrp_storage",
		[33] = "arena",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "unknown";
}

static void add_holder(struct bpfobj_holders *hs, enum bpfobj_kind kind, __u32 id, pid_t pid,
		       const char *comm)
{
	struct bpfobj_holder *h;
	size_t i;

	/* one entry per (object, process), however many fds the process has on it */
	for (i = hs->nr; i > 0 && hs->h[i - 1].pid == pid; i--)
		if (hs->h[i - 1].kind == kind && hs->h[i - 1].id == id)
			return;
	if (hs->nr == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 64;
		hs->h = util_xrealloc(hs->h, hs->cap * sizeof(*hs->h));
	}
	h = &hs->h[hs->nr++];
	h->kind = kind;
	h->id = id;
	h->pid = pid;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
}

/* "prog_id:\t12" and the like: which object an fd is, from its fdinfo */
static void scan_fdinfo(struct bpfobj_holders *hs, pid_t pid, const char *comm, int fd,
			enum bpfobj_kind kind)
{
	static const char *const keys[] = { "prog_id", "map_id", "link_id" };
	unsigned long long id;
	char path[64], *text;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	if (sysroot_read(path, SYSROOT_LINE_CAP, &text, NULL))
		return;
	if (!bpfobj_fdinfo_parse(text, keys[kind], &id) && id <= UINT32_MAX)
		add_holder(hs, kind, (__u32)id, pid, comm);
	free(text);
}

static void scan_pid(struct bpfobj_holders *hs, pid_t pid)
{
	char path[64], comm[32] = "", link[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	sysroot_read_line(path, comm, sizeof(comm));
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = sysroot_opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		ssize_t n;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		/* the link's text names the kind: only BPF fds get their fdinfo read */
		n = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strcmp(link, "anon_inode:bpf-prog"))
			scan_fdinfo(hs, pid, comm, atoi(d->d_name), BPFOBJ_PROG);
		else if (!strcmp(link, "anon_inode:bpf-map"))
			scan_fdinfo(hs, pid, comm, atoi(d->d_name), BPFOBJ_MAP);
		else if (!strcmp(link, "anon_inode:bpf_link"))
			scan_fdinfo(hs, pid, comm, atoi(d->d_name), BPFOBJ_LINK);
	}
	closedir(dir);
}

int bpfobj_holders_scan(struct bpfobj_holders *hs, pid_t only_pid)
{
	struct dirent *d;
	DIR *dir;

	memset(hs, 0, sizeof(*hs));
	if (only_pid) {
		scan_pid(hs, only_pid);
		return 0;
	}
	dir = sysroot_opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			scan_pid(hs, (pid_t)atoi(d->d_name));
	closedir(dir);
	return 0;
}

void bpfobj_holders_free(struct bpfobj_holders *hs)
{
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}

size_t bpfobj_holders_of(const struct bpfobj_holders *hs, enum bpfobj_kind kind, __u32 id,
			 pid_t skip, const struct bpfobj_holder **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < hs->nr; i++) {
		if (hs->h[i].kind != kind || hs->h[i].id != id || hs->h[i].pid == skip)
			continue;
		if (out && n < max)
			out[n] = &hs->h[i];
		n++;
	}
	return n;
}

const char *bpfobj_holders_text(const struct bpfobj_holder *const *h, size_t total, char *buf,
				size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < total && i < BPFOBJ_HOLDERS_SHOWN; i++) {
		char *comm = text_printable(h[i]->comm);

		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s(%d)", i ? ", " : "",
				      comm, (int)h[i]->pid);
		free(comm);
	}
	if (total > BPFOBJ_HOLDERS_SHOWN && o < len)
		snprintf(buf + o, len - o, ", +%zu more", total - BPFOBJ_HOLDERS_SHOWN);
	if (!total)
		snprintf(buf, len, "-");
	return buf;
}

json_t *bpfobj_holders_json(const struct bpfobj_holder *const *h, size_t n)
{
	json_t *a = json_array();
	size_t i;

	/* text_json: json_pack's "s" is NULL for a comm that is not UTF-8, the holder lost */
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:o}", "pid", (int)h[i]->pid, "comm",
						   text_json(h[i]->comm)));
	return a;
}
