// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "i18n.h"
#include "bpfobj.h"
#include "bpfstats.h"
#include "mapdump.h"
#include "sysroot.h"
#include "util.h"

#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

static __u64 ptr_u64(const void *p)
{
	return (__u64)(unsigned long)p;
}

int bpfstats_sysctl_read(void)
{
	char v[16];

	if (sysroot_read_line(STATS_SYSCTL, v, sizeof(v)))
		return -1;
	return atoi(v);
}

static int write_sysctl(const char *v)
{
	ssize_t n;
	int fd, err = 0;

	fd = sysroot_open_write(STATS_SYSCTL);
	if (fd < 0)
		return fd;
	n = write(fd, v, strlen(v));
	if (n != (ssize_t)strlen(v))
		err = n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static void begin(struct bpfstats *s, bool force_sysctl, bool may_set_sysctl)
{
	int fd, err;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->sysctl_found = bpfstats_sysctl_read();
	/*
	 * A handle of our own wherever the kernel has one (5.8), even when the sysctl is on
	 * already: whoever set it may switch it off mid-window, and the counts would stop
	 * without a word. The kernel counts handles and the sysctl apart; the sysctl is left
	 * exactly as found.
	 */
	if (!force_sysctl) {
		fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (fd >= 0) {
			s->fd = fd;
			s->mode = BPFSTATS_ENABLE_STATS;
			if (s->sysctl_found > 0)
				snprintf(s->why, sizeof(s->why),
					 _("held for the window with BPF_ENABLE_STATS, although "
					   "kernel.bpf_stats_enabled = %d already (left as it is): "
					   "switching the sysctl off meanwhile cannot stop the "
					   "count"),
					 s->sysctl_found);
			else
				snprintf(s->why, sizeof(s->why),
					 _("switched on for the window with BPF_ENABLE_STATS; the "
					   "kernel switches them off when its fd closes, however "
					   "edrdiag exits"));
			return;
		}
		err = errno;
		/* EINVAL: a kernel before 5.8 does not know the command; the sysctl may do */
		if (err != EINVAL && s->sysctl_found <= 0) {
			s->mode = BPFSTATS_UNAVAILABLE;
			snprintf(s->why, sizeof(s->why), _("BPF_ENABLE_STATS failed: %s (%s)%s"),
				 util_errname(err), strerror(err),
				 err == EPERM ? _(" -- it needs CAP_SYS_ADMIN") : "");
			return;
		}
	}
	/* on already, and no handle of our own: measured with it, left exactly so */
	if (s->sysctl_found > 0) {
		s->mode = BPFSTATS_ALREADY_ON;
		snprintf(s->why, sizeof(s->why),
			 _("already on (kernel.bpf_stats_enabled = %d): left as it is; with no "
			   "handle of edrdiag's own, the counts stop if it is switched off during "
			   "the window"),
			 s->sysctl_found);
		return;
	}
	if (s->sysctl_found < 0) {
		s->mode = BPFSTATS_UNAVAILABLE;
		snprintf(s->why, sizeof(s->why),
			 _("no BPF_ENABLE_STATS and no %s: the kernel has no BPF run-time "
			   "statistics (Linux 5.1 or later has them)"),
			 STATS_SYSCTL);
		return;
	}
	if (!may_set_sysctl) {
		s->mode = BPFSTATS_UNAVAILABLE;
		snprintf(s->why, sizeof(s->why),
			 _("no BPF_ENABLE_STATS (kernel before 5.8), and a long-running edrdiag "
			   "does "
			   "not set %s: a SIGKILL would leave it on"),
			 STATS_SYSCTL);
		return;
	}
	err = write_sysctl("1");
	if (err) {
		s->mode = BPFSTATS_UNAVAILABLE;
		snprintf(s->why, sizeof(s->why), _("%s cannot be set: %s"), STATS_SYSCTL,
			 strerror(-err));
		return;
	}
	s->sysctl_set = true;
	s->mode = BPFSTATS_SYSCTL;
	snprintf(s->why, sizeof(s->why),
		 _("switched on for the window with kernel.bpf_stats_enabled = 1%s; set back to 0 "
		   "at the end"),
		 force_sysctl ? " (EDRDIAG_STATS_SYSCTL)"
			      : " (no BPF_ENABLE_STATS: kernel before 5.8)");
}

void bpfstats_begin(struct bpfstats *s, bool force_sysctl)
{
	begin(s, force_sysctl, true);
}

void bpfstats_hold(struct bpfstats *s)
{
	begin(s, false, false);
}

int bpfstats_end(struct bpfstats *s)
{
	int err = 0;

	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	if (s->sysctl_set) {
		err = write_sysctl("0");
		/* one retry: a signal cannot interrupt a sysctl write, but make sure */
		if (err)
			err = write_sysctl("0");
		if (err)
			snprintf(s->why, sizeof(s->why),
				 _("could not set %s back to 0: %s -- run: sysctl -w "
				   "kernel.bpf_stats_enabled=0"),
				 STATS_SYSCTL, strerror(-err));
		s->sysctl_set = false;
	}
	return err;
}

const char *bpfstats_mode_name(enum bpfstats_mode m)
{
	switch (m) {
	case BPFSTATS_ALREADY_ON:
		return "already_on";
	case BPFSTATS_ENABLE_STATS:
		return "enable_stats";
	case BPFSTATS_SYSCTL:
		return "sysctl";
	case BPFSTATS_UNAVAILABLE:
		return "unavailable";
	case BPFSTATS_OFF:
		break;
	}
	return "off";
}

static void hex_tag(const __u8 *tag, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < BPF_TAG_SIZE; i++) {
		out[2 * i] = hex[tag[i] >> 4];
		out[2 * i + 1] = hex[tag[i] & 15];
	}
	out[2 * BPF_TAG_SIZE] = '\0';
}

/*
 * The name of the program's main function in its BTF, when the kernel's name may be a cut
 * short copy of it: 15 characters, and the BTF name starts with them. Else name is kept.
 */
static void full_name(int fd, const struct bpf_prog_info *info, struct bpfstats_prog *p)
{
	struct bpf_func_info fi;
	struct bpf_prog_info fin;
	const struct btf_type *t;
	const char *n = NULL;
	struct btf *btf;
	__u32 len = sizeof(fin);

	snprintf(p->full_name, sizeof(p->full_name), "%s", p->name);
	if (strlen(p->name) < BPF_OBJ_NAME_LEN - 1 || !info->btf_id || !info->nr_func_info)
		return;
	memset(&fin, 0, sizeof(fin));
	fin.nr_func_info = 1;
	fin.func_info_rec_size = sizeof(fi);
	fin.func_info = ptr_u64(&fi);
	if (bpf_obj_get_info_by_fd(fd, &fin, &len) || !fin.nr_func_info)
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, fi.type_id);
	if (t && btf_is_func(t))
		n = btf__name_by_offset(btf, t->name_off);
	if (n && !strncmp(n, p->name, strlen(p->name)))
		snprintf(p->full_name, sizeof(p->full_name), "%s", n);
	btf__free(btf);
}

int bpfstats_prog_read(__u32 id, unsigned int flags, struct bpfstats_prog *p)
{
	struct bpf_prog_info info;
	__u32 len, cap = 16;
	int fd, err = 0;

	memset(p, 0, sizeof(*p));
	fd = bpfobj_fd_by_id(BPFOBJ_PROG, id);
	if (fd < 0)
		return fd;
	if (flags & BPFSTATS_MAPS)
		p->map_ids = util_xmalloc(cap * sizeof(__u32));
	for (;;) {
		memset(&info, 0, sizeof(info));
		if (p->map_ids) {
			info.nr_map_ids = cap;
			info.map_ids = ptr_u64(p->map_ids);
		}
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			err = -errno;
			goto out;
		}
		if (!p->map_ids || info.nr_map_ids <= cap)
			break;
		/* more maps than room: the kernel said how many, ask again */
		cap = info.nr_map_ids;
		p->map_ids = util_xrealloc(p->map_ids, cap * sizeof(__u32));
	}
	p->id = info.id;
	p->type = info.type;
	memcpy(p->name, info.name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
	hex_tag(info.tag, p->tag);
	p->run_cnt = info.run_cnt;
	p->run_time_ns = info.run_time_ns;
	p->recursion_misses = info.recursion_misses;
	p->nr_map_ids = p->map_ids ? info.nr_map_ids : 0;
	if (flags & BPFSTATS_MEMLOCK)
		bpfobj_fdinfo_u64(fd, "memlock", &p->memlock);
	if (flags & BPFSTATS_FULL_NAME)
		full_name(fd, &info, p);
out:
	close(fd);
	if (err)
		bpfstats_prog_free(p);
	return err;
}

void bpfstats_prog_free(struct bpfstats_prog *p)
{
	free(p->map_ids);
	p->map_ids = NULL;
	p->nr_map_ids = 0;
}

int bpfstats_prog_type_parse(const char *name)
{
	int t;

	for (t = 1; t < 256; t++) {
		const char *n = bpfobj_prog_type_name((__u32)t);

		if (strcmp(n, "unknown") && !strcmp(n, name))
			return t;
	}
	return -1;
}

/*
 * struct bpf_link_info for perf_event links (Linux 6.6 and later): the uapi headers this
 * builds against may predate it, so its layout is spelled out here. The kernel fills it for
 * tracepoints, kprobes and uprobes attached through bpf_link_create(BPF_PERF_EVENT), which is
 * how libbpf attaches a tracepoint program.
 */
struct link_info_perf {
	__u32 type;
	__u32 id;
	__u32 prog_id;
	__u32 pad;
	__u32 perf_type; /* enum bpf_perf_event_type */
	__u32 pad2;
	__u64 name; /* tp_name, func_name or file_name: in/out */
	__u32 name_len;
	__u32 offset; /* kprobe and uprobe offset */
	__u64 addr;   /* kprobe address */
};

enum {
	PERF_EVENT_UPROBE = 1,
	PERF_EVENT_URETPROBE,
	PERF_EVENT_KPROBE,
	PERF_EVENT_KRETPROBE,
	PERF_EVENT_TRACEPOINT,
	PERF_EVENT_EVENT,
};

const char *bpfstats_link_type_name(__u32 type)
{
	/* bpftool's names; the kernel's enum grows, libbpf 1.1's copy of it does not */
	static const char *const names[] = {
		"unspec",	"raw_tracepoint", "tracing",   "cgroup",
		"iter",		"netns",	  "xdp",       "perf_event",
		"kprobe_multi", "struct_ops",	  "netfilter", "tcx",
		"uprobe_multi", "netkit",	  "sockmap",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static void describe_perf(int fd, struct bpfstats_link *l)
{
	union {
		struct link_info_perf perf;
		char raw[256]; /* room for a newer kernel's struct: the tail must be zero */
	} u;
	char name[128] = "";
	__u32 len = sizeof(u);
	const char *kind;

	memset(&u, 0, sizeof(u));
	u.perf.name = ptr_u64(name);
	u.perf.name_len = sizeof(name);
	if (bpf_obj_get_info_by_fd(fd, &u, &len) || len < offsetof(struct link_info_perf, addr)) {
		/* a kernel before 6.6 tells no more than the link type */
		snprintf(l->point, sizeof(l->point), "perf_event");
		return;
	}
	name[sizeof(name) - 1] = '\0';
	switch (u.perf.perf_type) {
	case PERF_EVENT_TRACEPOINT:
		snprintf(l->point, sizeof(l->point), "tracepoint:%s", name);
		return;
	case PERF_EVENT_KPROBE:
	case PERF_EVENT_KRETPROBE:
		kind = u.perf.perf_type == PERF_EVENT_KPROBE ? "kprobe" : "kretprobe";
		if (u.perf.offset)
			snprintf(l->point, sizeof(l->point), "%s:%s+%u", kind, name, u.perf.offset);
		else
			snprintf(l->point, sizeof(l->point), "%s:%s", kind, name);
		return;
	case PERF_EVENT_UPROBE:
	case PERF_EVENT_URETPROBE:
		kind = u.perf.perf_type == PERF_EVENT_UPROBE ? "uprobe" : "uretprobe";
		snprintf(l->point, sizeof(l->point), "%s:%s+0x%x", kind, name, u.perf.offset);
		return;
	}
	/* PERF_EVENT_EVENT, or a kind newer than this: the link type */
	snprintf(l->point, sizeof(l->point), "perf_event");
}

static int describe_link(__u32 id, struct bpfstats_link *l)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	const char *at;
	char name[128] = "";
	int fd, err = 0;

	memset(l, 0, sizeof(*l));
	fd = bpfobj_fd_by_id(BPFOBJ_LINK, id);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		goto out;
	}
	l->id = info.id;
	l->prog_id = info.prog_id;
	l->type = info.type;
	switch (info.type) {
	case BPF_LINK_TYPE_RAW_TRACEPOINT:
		/* ask again, now with room for the name */
		memset(&info, 0, sizeof(info));
		info.raw_tracepoint.tp_name = ptr_u64(name);
		info.raw_tracepoint.tp_name_len = sizeof(name);
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			name[0] = '\0';
		name[sizeof(name) - 1] = '\0';
		snprintf(l->point, sizeof(l->point), "raw_tracepoint:%s", name[0] ? name : "?");
		break;
	case BPF_LINK_TYPE_TRACING:
		at = libbpf_bpf_attach_type_str(info.tracing.attach_type);
		snprintf(l->point, sizeof(l->point), "tracing:%s (btf_id %u)", at ? at : "?",
			 info.tracing.target_btf_id);
		break;
	case BPF_LINK_TYPE_CGROUP:
		at = libbpf_bpf_attach_type_str(info.cgroup.attach_type);
		snprintf(l->point, sizeof(l->point), "cgroup:%s (cgroup_id %llu)", at ? at : "?",
			 (unsigned long long)info.cgroup.cgroup_id);
		break;
	case BPF_LINK_TYPE_XDP:
		snprintf(l->point, sizeof(l->point), "xdp (ifindex %u)", info.xdp.ifindex);
		break;
	case BPF_LINK_TYPE_PERF_EVENT:
		describe_perf(fd, l);
		break;
	default:
		snprintf(l->point, sizeof(l->point), "%s", bpfstats_link_type_name(info.type));
	}
out:
	close(fd);
	return err;
}

int bpfstats_links(struct bpfstats_link **links, size_t *n)
{
	__u32 *ids;
	size_t nids, i;
	int err;

	*links = NULL;
	*n = 0;
	err = bpfobj_ids(BPFOBJ_LINK, &ids, &nids);
	if (err)
		return err;
	*links = util_xmalloc((nids ? nids : 1) * sizeof(**links));
	for (i = 0; i < nids; i++)
		if (!describe_link(ids[i], &(*links)[*n]))
			(*n)++;
	free(ids);
	return 0;
}

bool bpfstats_map_countable(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
	case BPF_MAP_TYPE_LPM_TRIE:
	case BPF_MAP_TYPE_DEVMAP_HASH:
	case BPF_MAP_TYPE_SOCKHASH:
		return true;
	}
	return false;
}

/* The ring buffer's positions, read through read-only mappings: nothing is consumed. */
static int ringbuf_positions(int fd, unsigned long long *pending)
{
	long page = sysconf(_SC_PAGESIZE);
	void *cons, *prod;
	unsigned long c, p;

	cons = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED)
		return -errno;
	prod = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, page);
	if (prod == MAP_FAILED) {
		int err = -errno;

		munmap(cons, (size_t)page);
		return err;
	}
	/* the consumer first: read in this order, the difference is never negative */
	c = __atomic_load_n((unsigned long *)cons, __ATOMIC_ACQUIRE);
	p = __atomic_load_n((unsigned long *)prod, __ATOMIC_ACQUIRE);
	*pending = bpfstats_ringbuf_pending(c, p);
	munmap(prod, (size_t)page);
	munmap(cons, (size_t)page);
	return 0;
}

/*
 * Count the entries through map-dump's walker, as map-dump --count-only does: batched where
 * the kernel can, key by key where not, a restarted walk counted once (mapdump.h).
 */
static int count_entries(struct mapdump *md, long long *count)
{
	struct mapdump_result res;
	int err;

	if (!md->meta.dumpable)
		return -EOPNOTSUPP;
	err = mapdump_stream(md, MAPDUMP_COUNT, NULL, 0, &res);
	/* stopped early: the map changes faster than it can be counted, so no count holds */
	if (!err && md->changed)
		err = -EAGAIN;
	*count = (long long)res.count;
	return err;
}

int bpfstats_map_read(__u32 id, struct bpfstats_map *m)
{
	const struct bpf_map_info *info;
	struct mapdump md;
	int fd, err;

	memset(m, 0, sizeof(*m));
	m->entries = -1;
	fd = bpfobj_fd_by_id(BPFOBJ_MAP, id);
	if (fd < 0)
		return fd;
	/* one reader of a map's metadata for stats and map-dump: mapdump_meta_read */
	err = mapdump_open(&md, fd, MAPDUMP_NO_BTF);
	if (err)
		goto out;
	info = md.info;
	m->id = info->id;
	m->type = info->type;
	memcpy(m->name, info->name, sizeof(m->name));
	m->name[sizeof(m->name) - 1] = '\0';
	m->key_size = info->key_size;
	m->value_size = info->value_size;
	m->max_entries = info->max_entries;
	m->map_flags = info->map_flags;
	m->memlock = md.meta.memlock;
	if (bpfstats_map_countable(info->type)) {
		if (count_entries(&md, &m->entries))
			m->entries = -1;
	} else if (info->type == BPF_MAP_TYPE_RINGBUF) {
		m->ringbuf = true;
		m->rb_size = info->max_entries;
		m->rb_err = ringbuf_positions(md.fd, &m->rb_pending);
	}
out:
	mapdump_close(&md);
	return err;
}
