// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpfobj.h"
#include "mapdump.h"
#include "text.h"
#include "util.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own "not supported", which leaks out of bpf() */
#endif

/* Types the installed UAPI header may not name yet (it describes an older kernel). */
#define MAP_TYPE_CGRP_STORAGE 32
#define MAP_TYPE_ARENA	      33

/* A chunk's key and value buffers stay within this, whatever the map's size. */
#define CHUNK_BYTES (2u << 20)
#define CHUNK_MAX   8192u
/* The stream writes its buffer out past this. */
#define FLUSH_AT (256u << 10)
/* Nesting deeper than this in BTF is not a map value: a loop in a corrupt BTF. */
#define BTF_MAX_DEPTH 64

static const char hexdig[] = "0123456789abcdef";

/*
 * The members of each struct or union as JSON keys ("name":), escaped the first time the
 * type is rendered rather than once per entry: a million entries repeat the same names.
 */
struct mdnames {
	__u32 ntypes;
	void **by_type; /* per type id: NULL, or struct mname[vlen] followed by the text */
};

struct mname {
	__u32 off, len; /* in the text after the array */
};

static struct mdnames *names_new(const struct btf *btf)
{
	struct mdnames *c = util_xmalloc(sizeof(*c));

	c->ntypes = btf__type_cnt(btf);
	c->by_type = util_xmalloc(c->ntypes * sizeof(*c->by_type));
	memset(c->by_type, 0, c->ntypes * sizeof(*c->by_type));
	return c;
}

static void names_free(struct mdnames *c)
{
	__u32 i;

	if (!c)
		return;
	for (i = 0; i < c->ntypes; i++)
		free(c->by_type[i]);
	free(c->by_type);
	free(c);
}

static bool not_supported(int err)
{
	return err == -EINVAL || err == -EOPNOTSUPP || err == -ENOTSUPP || err == -ENOSYS;
}

int mapdump_meta_read(int fd, struct mapdump_meta *m)
{
	unsigned long long frozen = 0;
	__u32 len = sizeof(m->info);

	memset(m, 0, sizeof(*m));
	if (bpf_obj_get_info_by_fd(fd, &m->info, &len))
		return -errno;
	/* both are in fdinfo since 4.10 and 5.2; older kernels leave them unknown */
	bpfobj_fdinfo_u64(fd, "memlock", &m->memlock);
	bpfobj_fdinfo_u64(fd, "frozen", &frozen);
	m->frozen = frozen != 0;
	m->dumpable = !mapdump_undumpable(m->info.type);
	/* a type not known here (a newer kernel's), or one the kernel will not walk: ask it */
	if (m->dumpable && !mapdump_type_batch(m->info.type)) {
		void *key = util_xmalloc(m->info.key_size + 1);

		if (bpf_map_get_next_key(fd, NULL, key) && not_supported(-errno))
			m->dumpable = false;
		free(key);
	}
	return 0;
}

const char *mapdump_why_not(const struct mapdump_meta *m)
{
	const char *why = mapdump_undumpable(m->info.type);

	if (why || m->dumpable)
		return why;
	return "the kernel cannot list the keys of this map type";
}

const char *mapdump_undumpable(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_RINGBUF:
		return "a ring buffer has no keys: its records are consumed by the agent as they "
		       "come (see `edrdiag stats` for how full it is)";
	case BPF_MAP_TYPE_USER_RINGBUF:
		return "a user ring buffer has no keys: its records are consumed by the program";
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return "its values are perf event fds, which the kernel does not give back; the "
		       "events are read by the agent";
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		return "its values are cgroup fds, which the kernel does not give back";
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return "a queue or stack has no keys, and reading an element would remove it";
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return "a bloom filter answers membership queries only: it has no entries to list";
	case BPF_MAP_TYPE_STRUCT_OPS:
		return "its value is a kernel struct of function pointers (see `bpftool struct_ops "
		       "dump`)";
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case MAP_TYPE_CGRP_STORAGE:
		return "local storage is keyed by its owner's fd (socket, inode, task or cgroup) "
		       "and cannot be listed";
	case BPF_MAP_TYPE_XSKMAP:
		return "its values are AF_XDP sockets, which the kernel does not give back";
	case MAP_TYPE_ARENA:
		return "an arena is memory shared with the program, not a table of entries";
	}
	return NULL;
}

bool mapdump_type_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

bool mapdump_type_batch(__u32 type)
{
	return type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/*
 * get_next_key walks these by index, so a key whose lookup fails is still a place to go on
 * from; a hash map's walk restarts from its first bucket when given a key it no longer has.
 */
static bool type_indexed(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP:
	case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_REUSEPORT_SOCKARRAY:
		return true;
	}
	return false;
}

/* An empty slot of a map of programs or maps is not an entry that vanished. */
static bool type_has_holes(__u32 type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS || type == BPF_MAP_TYPE_DEVMAP ||
	       type == BPF_MAP_TYPE_CPUMAP || type == BPF_MAP_TYPE_SOCKMAP ||
	       type == BPF_MAP_TYPE_REUSEPORT_SOCKARRAY;
}

int mapdump_open(struct mapdump *md, int fd, unsigned int flags)
{
	size_t entry;
	int err, n;

	memset(md, 0, sizeof(*md));
	md->fd = fd;
	md->info = &md->meta.info;
	err = mapdump_meta_read(fd, &md->meta);
	if (err)
		return err;
	md->percpu = mapdump_type_percpu(md->info->type);
	md->ncpus = 1;
	md->value_stride = md->info->value_size;
	if (md->percpu) {
		n = libbpf_num_possible_cpus();
		if (n < 1)
			return n < 0 ? n : -EINVAL;
		md->ncpus = (unsigned int)n;
		md->value_stride = ((size_t)md->info->value_size + 7) & ~(size_t)7;
	}
	md->value_bytes = md->value_stride * md->ncpus;
	entry = md->info->key_size + md->value_bytes + sizeof(int);
	md->chunk = (__u32)(CHUNK_BYTES / (entry ? entry : 1));
	md->chunk = md->chunk < 1 ? 1 : md->chunk > CHUNK_MAX ? CHUNK_MAX : md->chunk;
	md->method = !(flags & MAPDUMP_NO_BATCH) && mapdump_type_batch(md->info->type)
			     ? MAPDUMP_BATCH
			     : MAPDUMP_ITERATE;

	/* a struct_ops value is typed in vmlinux BTF; that map type is not dumped anyway */
	if (!(flags & MAPDUMP_NO_BTF) && md->info->btf_id && md->info->btf_value_type_id &&
	    !md->info->btf_vmlinux_value_type_id) {
		md->btf = btf__load_from_kernel_by_id(md->info->btf_id);
		if (!md->btf)
			md->btf_err = errno ? -errno : -EINVAL;
		else
			md->names = names_new(md->btf);
	}
	return 0;
}

/* The chunk's buffers, on the first read: opening a map only for its metadata costs none. */
static void alloc_chunk(struct mapdump *md)
{
	size_t ks = md->info->key_size, tok = ks > 8 ? ks : 8;

	/* +1: a map with a zero key or value size still gets valid pointers */
	md->keys = util_xmalloc(md->chunk * ks + 1);
	md->values = util_xmalloc(md->chunk * md->value_bytes + 1);
	md->errs = util_xmalloc(md->chunk * sizeof(*md->errs));
	md->prev = util_xmalloc(ks + 1);
	md->first = util_xmalloc(ks + 1);
	/* the batch token is a bucket index (u32) for hashes, a key for arrays */
	md->token_in = util_xmalloc(tok);
	md->token_out = util_xmalloc(tok);
}

void mapdump_close(struct mapdump *md)
{
	if (md->fd >= 0)
		close(md->fd);
	md->fd = -1;
	names_free(md->names);
	md->names = NULL;
	btf__free(md->btf);
	md->btf = NULL;
	free(md->keys);
	free(md->values);
	free(md->errs);
	free(md->prev);
	free(md->first);
	free(md->token_in);
	free(md->token_out);
	md->keys = md->values = md->prev = md->first = md->token_in = md->token_out = NULL;
	md->errs = NULL;
}

static int next_iterate(struct mapdump *md, __u32 *n)
{
	size_t ks = md->info->key_size;
	/* a hash map cannot hold more than max_entries at once: beyond that, it is restarting */
	unsigned long long bound = 2ull * md->info->max_entries + 1024;
	__u32 i = 0;

	while (i < md->chunk && !md->done) {
		unsigned char *key = md->keys + i * ks;
		unsigned char *value = md->values + i * md->value_bytes;
		int err;

		if (md->visited >= bound) {
			md->changed = true;
			md->done = true;
			break;
		}
		if (bpf_map_get_next_key(md->fd, md->have_prev ? md->prev : NULL, key)) {
			err = -errno;
			if (err == -ENOENT) {
				md->done = true;
				break;
			}
			/* the kernel cannot walk this map type at all */
			if (!md->visited && not_supported(err))
				return -EOPNOTSUPP;
			return err;
		}
		md->visited++;
		if (!type_indexed(md->info->type)) {
			/*
			 * Given a key it no longer has, a hash map (LPM trie, sockhash, devmap
			 * hash alike) hands out its first key again: the walk has restarted.
			 * The first key seen again is the sure sign; more keys than the map can
			 * hold catches a restart whose first key went too.
			 */
			if (!md->have_first) {
				memcpy(md->first, key, ks);
				md->have_first = true;
			} else if (!memcmp(key, md->first, ks)) {
				md->restarts++;
				md->restarted = true;
				md->walk_from = i;
				md->repeated = true;
			}
			if (md->visited > md->info->max_entries)
				md->repeated = true;
		}
		err = bpf_map_lookup_elem(md->fd, key, value) ? -errno : 0;
		if (err == -ENOENT) {
			if (!type_has_holes(md->info->type))
				md->vanished++;
			/* go on from this key only where the walk is by index (see type_indexed) */
			if (type_indexed(md->info->type)) {
				memcpy(md->prev, key, ks);
				md->have_prev = true;
			}
			continue;
		}
		md->errs[i++] = -err;
		memcpy(md->prev, key, ks);
		md->have_prev = true;
	}
	*n = i;
	return 0;
}

static int next_batch(struct mapdump *md, __u32 *n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count = md->chunk;
	int err;

	err = bpf_map_lookup_batch(md->fd, md->started ? md->token_in : NULL, md->token_out,
				   md->keys, md->values, &count, &opts);
	err = err ? -errno : 0;
	if (err == -ENOENT) {
		/* the end; the last call may still have returned entries */
		md->done = true;
		err = 0;
	} else if (err && !count && (not_supported(err) || err == -ENOSPC)) {
		/*
		 * No batch lookups for this map on this kernel (< 5.6), or a hash bucket
		 * larger than a chunk (-ENOSPC): go on key by key from the last key read.
		 */
		md->method = MAPDUMP_ITERATE;
		md->fallback_err = err;
		/* the table's first key: a walk that comes back to it has restarted */
		md->have_first = !bpf_map_get_next_key(md->fd, NULL, md->first);
		return next_iterate(md, n);
	}
	if (err) {
		*n = 0;
		return err;
	}
	if (!count)
		md->done = true;
	memcpy(md->token_in, md->token_out, md->info->key_size > 8 ? md->info->key_size : 8);
	md->started = true;
	if (count) {
		memcpy(md->prev, md->keys + (size_t)(count - 1) * md->info->key_size,
		       md->info->key_size);
		md->have_prev = true;
	}
	memset(md->errs, 0, count * sizeof(*md->errs));
	md->visited += count;
	*n = count;
	return 0;
}

int mapdump_next(struct mapdump *md, __u32 *n)
{
	*n = 0;
	md->restarted = false;
	md->walk_from = 0;
	if (mapdump_undumpable(md->info->type))
		return -EOPNOTSUPP;
	if (md->done)
		return 0;
	if (!md->keys)
		alloc_chunk(md);
	if (md->method == MAPDUMP_BATCH)
		return next_batch(md, n);
	return next_iterate(md, n);
}

/* "\"0xNN\"," for every byte: JSON hex is one 8-byte copy per byte */
static char hex_json_tab[256][8];

static void hex_json_init(void)
{
	int i;

	if (hex_json_tab[0][0])
		return;
	for (i = 0; i < 256; i++)
		memcpy(hex_json_tab[i],
		       (char[8]){ '"', '0', 'x', hexdig[i >> 4], hexdig[i & 15], '"', ',', 0 }, 8);
}

char *mapdump_hex_json(char *dst, const unsigned char *data, size_t n)
{
	size_t i;

	hex_json_init();
	*dst++ = '[';
	for (i = 0; i < n; i++) {
		/* 8 bytes copied, 7 kept: the next byte's copy overwrites the spare one */
		memcpy(dst, hex_json_tab[data[i]], 8);
		dst += 7;
	}
	if (n)
		dst--; /* the last comma */
	*dst++ = ']';
	return dst;
}

char *mapdump_hex_plain(char *dst, const unsigned char *data, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* bpftool's fprint_hex(): 16 bytes a line, two spaces between halves */
		if (!i)
			;
		else if (!(i % 16))
			*dst++ = '\n';
		else if (!(i % 8)) {
			*dst++ = ' ';
			*dst++ = ' ';
		} else {
			*dst++ = ' ';
		}
		*dst++ = hexdig[data[i] >> 4];
		*dst++ = hexdig[data[i] & 15];
	}
	return dst;
}

static void put_hex_json(struct strbuf *b, const unsigned char *data, size_t n)
{
	char *end = mapdump_hex_json(strbuf_room(b, 7 * n + 2), data, n);

	b->len = (size_t)(end - b->p);
}

static void put_hex_plain(struct strbuf *b, const unsigned char *data, size_t n)
{
	char *end = mapdump_hex_plain(strbuf_room(b, 3 * n + 1), data, n);

	b->len = (size_t)(end - b->p);
}

/* --- BTF rendering --- */

struct render {
	struct strbuf *b;
	const struct btf *btf;
	struct mdnames *names;	  /* NULL: escape every name as it comes */
	const unsigned char *end; /* of the data: nothing is read past it */
	int err;
};

static int render(struct render *r, __u32 id, unsigned int bit_off, const unsigned char *data,
		  int depth);

static void put_null(struct render *r)
{
	STRBUF_LIT(r->b, "null");
	r->err = -EINVAL;
}

/*
 * nr_bits at bit_off (< 8) of data, as a "0x..." string: how bpftool shows bit-fields and
 * 128-bit integers. Little-endian bit numbering, as on the hosts BPF runs on (x86, arm64).
 */
static void put_bits(struct render *r, unsigned int nr_bits, unsigned int bit_off,
		     const unsigned char *data)
{
	unsigned int nbytes = (bit_off + nr_bits + 7) / 8, i;
	unsigned __int128 v = 0;
	char tmp[40], *p = tmp + sizeof(tmp);

	if (nbytes > 16 || data + nbytes > r->end || !nr_bits) {
		put_null(r);
		return;
	}
	for (i = nbytes; i-- > 0;)
		v = v << 8 | data[i];
	v >>= bit_off;
	if (nr_bits < 128)
		v &= ((unsigned __int128)1 << nr_bits) - 1;
	/* "0x" and the hex digits without leading zeros, written backwards */
	*--p = '"';
	do {
		*--p = hexdig[(unsigned int)v & 15];
		v >>= 4;
	} while (v);
	p -= 3;
	memcpy(p, "\"0x", 3);
	strbuf_put(r->b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static unsigned long long load_uint(const unsigned char *p, unsigned int size)
{
	unsigned long long v = 0;

	/* memcpy: map data has no alignment guarantee (a 3-byte key before a u64) */
	memcpy(&v, p, size);
	return v;
}

static long long load_sint(const unsigned char *p, unsigned int size)
{
	unsigned long long v = load_uint(p, size);
	unsigned int shift = 64 - 8 * size;

	return (long long)(v << shift) >> shift;
}

static void render_int(struct render *r, const struct btf_type *t, unsigned int bit_off,
		       const unsigned char *data)
{
	unsigned int bits = btf_int_bits(t), off = btf_int_offset(t);
	__u8 enc = btf_int_encoding(t);

	if (bit_off || off || bits % 8 || bits == 128) {
		off += bit_off;
		put_bits(r, bits, off % 8, data + off / 8);
		return;
	}
	if (data + bits / 8 > r->end) {
		put_null(r);
		return;
	}
	switch (enc) {
	case 0:
	case BTF_INT_SIGNED:
		if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
			put_bits(r, bits, 0, data);
		} else if (enc) {
			strbuf_s64(r->b, load_sint(data, bits / 8));
		} else {
			strbuf_u64(r->b, load_uint(data, bits / 8));
		}
		return;
	case BTF_INT_CHAR:
		if (data[0] >= 0x20 && data[0] < 0x7f) {
			strbuf_json_str(r->b, (const char *)data, 1);
		} else {
			char tmp[8] = { '"',
					'\\',
					'u',
					'0',
					'0',
					hexdig[data[0] >> 4],
					hexdig[data[0] & 15],
					'"' };

			strbuf_put(r->b, tmp, 8);
		}
		return;
	case BTF_INT_BOOL:
		if (data[0])
			STRBUF_LIT(r->b, "true");
		else
			STRBUF_LIT(r->b, "false");
		return;
	}
	put_null(r);
}

/* bpftool's rule: a char array holding a NUL-terminated printable string is a string */
static bool str_array(const struct btf *btf, const struct btf_array *arr, const unsigned char *s,
		      const unsigned char *end)
{
	const struct btf_type *e = btf__type_by_id(btf, arr->type);
	__u32 i;

	if (!arr->nelems)
		return false;
	/* modifiers are looked through, typedefs are not: a typedef of char is not a string */
	while (e && btf_is_mod(e))
		e = btf__type_by_id(btf, e->type);
	if (!e || !btf_is_int(e) || e->size != 1)
		return false;
	if (btf_int_encoding(e) != BTF_INT_CHAR &&
	    strcmp(btf__name_by_offset(btf, e->name_off), "char"))
		return false;
	for (i = 0; i < arr->nelems && s + i < end; i++) {
		if (!s[i])
			return true;
		if (s[i] <= 0x1f || s[i] >= 0x7f)
			return false;
	}
	return false;
}

static void render_array(struct render *r, const struct btf_type *t, const unsigned char *data,
			 int depth)
{
	const struct btf_array *arr = btf_array(t);
	long long esz;
	__u32 i;

	if (str_array(r->btf, arr, data, r->end)) {
		strbuf_json_str(r->b, (const char *)data, strnlen((const char *)data, arr->nelems));
		return;
	}
	esz = btf__resolve_size(r->btf, arr->type);
	if (esz < 0 || data + (size_t)esz * arr->nelems > r->end) {
		put_null(r);
		return;
	}
	STRBUF_LIT(r->b, "[");
	for (i = 0; i < arr->nelems; i++) {
		if (i)
			STRBUF_LIT(r->b, ",");
		render(r, arr->type, 0, data + (size_t)esz * i, depth + 1);
	}
	STRBUF_LIT(r->b, "]");
}

static void put_name(struct render *r, __u32 name_off)
{
	const char *name = btf__name_by_offset(r->btf, name_off);

	name = name ? name : "";
	strbuf_json_str(r->b, name, strlen(name));
	STRBUF_LIT(r->b, ":");
}

/* The struct's escaped member names, built on first use; NULL without a cache. */
static const struct mname *member_names(struct render *r, __u32 id, const struct btf_type *t,
					const char **text)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, vlen = btf_vlen(t);
	struct mname *mn;
	size_t total = 0;
	char *p;

	if (!r->names || id >= r->names->ntypes)
		return NULL;
	if (!r->names->by_type[id]) {
		for (i = 0; i < vlen; i++) {
			const char *name = btf__name_by_offset(r->btf, m[i].name_off);

			total += TEXT_JSON_MAX(strlen(name ? name : "")) + 1;
		}
		mn = util_xmalloc(vlen * sizeof(*mn) + total + 1);
		p = (char *)(mn + vlen);
		for (i = 0, total = 0; i < vlen; i++) {
			const char *name = btf__name_by_offset(r->btf, m[i].name_off);
			char *end;

			name = name ? name : "";
			end = text_json_escape(p + total, name, strlen(name));
			*end++ = ':';
			mn[i].off = (__u32)total;
			mn[i].len = (__u32)(end - (p + total));
			total += mn[i].len;
		}
		r->names->by_type[id] = mn;
	}
	mn = r->names->by_type[id];
	*text = (const char *)(mn + vlen);
	return mn;
}

static void render_struct(struct render *r, __u32 id, const struct btf_type *t,
			  const unsigned char *data, int depth)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, vlen = btf_vlen(t);
	const struct mname *mn;
	const char *text = NULL;

	mn = member_names(r, id, t, &text);
	STRBUF_LIT(r->b, "{");
	for (i = 0; i < vlen; i++) {
		__u32 off = btf_member_bit_offset(t, i), bsz = btf_member_bitfield_size(t, i);

		if (i)
			STRBUF_LIT(r->b, ",");
		if (mn)
			strbuf_put(r->b, text + mn[i].off, mn[i].len);
		else
			put_name(r, m[i].name_off);
		if (bsz)
			put_bits(r, bsz, off % 8, data + off / 8);
		else
			render(r, m[i].type, off % 8, data + off / 8, depth + 1);
	}
	STRBUF_LIT(r->b, "}");
}

static void render_enum(struct render *r, const struct btf_type *t, const unsigned char *data)
{
	__u16 i, vlen = btf_vlen(t);
	long long v;

	if ((t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8) ||
	    data + t->size > r->end) {
		put_null(r);
		return;
	}
	/* read signed, as bpftool does, whatever the enum's signedness */
	v = load_sint(data, t->size);
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t);

		for (i = 0; i < vlen; i++)
			if (v == e[i].val)
				goto named;
	} else {
		const struct btf_enum64 *e = btf_enum64(t);

		for (i = 0; i < vlen; i++)
			if ((unsigned long long)v == btf_enum64_value(&e[i]))
				goto named;
	}
	strbuf_s64(r->b, v);
	return;
named : {
	const char *name = btf__name_by_offset(r->btf, btf_is_enum(t) ? btf_enum(t)[i].name_off
								      : btf_enum64(t)[i].name_off);

	name = name ? name : "";
	strbuf_json_str(r->b, name, strlen(name));
}
}

static void render_float(struct render *r, const struct btf_type *t, const unsigned char *data)
{
	char tmp[40];
	double v;

	if (data + t->size > r->end || (t->size != 4 && t->size != 8)) {
		put_null(r);
		return;
	}
	if (t->size == 4) {
		float f;

		memcpy(&f, data, 4);
		v = f;
	} else {
		memcpy(&v, data, 8);
	}
	/* JSON has no NaN or infinity */
	if (!isfinite(v)) {
		STRBUF_LIT(r->b, "null");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.*g", t->size == 4 ? 9 : 17, v);
	strbuf_put(r->b, tmp, strlen(tmp));
}

static int render(struct render *r, __u32 id, unsigned int bit_off, const unsigned char *data,
		  int depth)
{
	const struct btf_type *t = btf__type_by_id(r->btf, id);

	if (!t || depth > BTF_MAX_DEPTH || data > r->end) {
		put_null(r);
		return r->err;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		render_int(r, t, bit_off, data);
		break;
	case BTF_KIND_PTR:
		/* BPF pointers are 64-bit; bpftool shows them as unsigned numbers in JSON */
		if (data + 8 > r->end)
			put_null(r);
		else
			strbuf_u64(r->b, load_uint(data, 8));
		break;
	case BTF_KIND_ARRAY:
		render_array(r, t, data, depth);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		render_struct(r, id, t, data, depth);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		render_enum(r, t, data);
		break;
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		render(r, t->type, bit_off, data, depth + 1);
		break;
	case BTF_KIND_VAR:
		/* a global of a program's .data/.bss/.rodata: {"name": value} */
		STRBUF_LIT(r->b, "{");
		put_name(r, t->name_off);
		render(r, t->type, bit_off, data, depth + 1);
		STRBUF_LIT(r->b, "}");
		break;
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);
		__u16 i, vlen = btf_vlen(t);

		STRBUF_LIT(r->b, "{");
		put_name(r, t->name_off);
		STRBUF_LIT(r->b, "[");
		for (i = 0; i < vlen; i++) {
			if (i)
				STRBUF_LIT(r->b, ",");
			render(r, v[i].type, 0, data + v[i].offset, depth + 1);
		}
		STRBUF_LIT(r->b, "]}");
		break;
	}
	case BTF_KIND_FLOAT:
		render_float(r, t, data);
		break;
	default:
		/* forward declarations, functions, tags: not the type of any data */
		put_null(r);
	}
	return r->err;
}

static int btf_json(struct mdnames *names, struct strbuf *b, const struct btf *btf, __u32 type_id,
		    const void *data, size_t size)
{
	struct render r = {
		.b = b, .btf = btf, .names = names, .end = (const unsigned char *)data + size
	};
	long long need = btf__resolve_size(btf, type_id);

	if (need < 0 || (size_t)need > size) {
		put_null(&r);
		return r.err;
	}
	return render(&r, type_id, 0, data, 0);
}

int mapdump_btf_json(struct strbuf *b, const struct btf *btf, __u32 type_id, const void *data,
		     size_t size)
{
	return btf_json(NULL, b, btf, type_id, data, size);
}

/* --- entries --- */

static void put_formatted(const struct mapdump *md, struct strbuf *b, const void *key,
			  const void *value)
{
	const struct bpf_map_info *info = md->info;
	unsigned int c;

	STRBUF_LIT(b, ",\"formatted\":{");
	if (info->btf_key_type_id) {
		STRBUF_LIT(b, "\"key\":");
		btf_json(md->names, b, md->btf, info->btf_key_type_id, key, info->key_size);
		STRBUF_LIT(b, ",");
	}
	if (!md->percpu) {
		STRBUF_LIT(b, "\"value\":");
		btf_json(md->names, b, md->btf, info->btf_value_type_id, value, info->value_size);
	} else {
		STRBUF_LIT(b, "\"values\":[");
		for (c = 0; c < md->ncpus; c++) {
			if (c)
				STRBUF_LIT(b, ",");
			STRBUF_LIT(b, "{\"cpu\":");
			strbuf_u64(b, c);
			STRBUF_LIT(b, ",\"value\":");
			btf_json(md->names, b, md->btf, info->btf_value_type_id,
				 (const unsigned char *)value + c * md->value_stride,
				 info->value_size);
			STRBUF_LIT(b, "}");
		}
		STRBUF_LIT(b, "]");
	}
	STRBUF_LIT(b, "}");
}

void mapdump_format_json(const struct mapdump *md, struct strbuf *b, const void *key,
			 const void *value, int err)
{
	const struct bpf_map_info *info = md->info;
	unsigned int c;

	STRBUF_LIT(b, "{\"key\":");
	put_hex_json(b, key, info->key_size);
	if (err) {
		const char *msg = strerror(err);

		STRBUF_LIT(b, ",\"value\":{\"error\":");
		strbuf_json_str(b, msg, strlen(msg));
		STRBUF_LIT(b, "}}");
		return;
	}
	if (!md->percpu) {
		STRBUF_LIT(b, ",\"value\":");
		put_hex_json(b, value, info->value_size);
	} else {
		STRBUF_LIT(b, ",\"values\":[");
		for (c = 0; c < md->ncpus; c++) {
			if (c)
				STRBUF_LIT(b, ",");
			STRBUF_LIT(b, "{\"cpu\":");
			strbuf_u64(b, c);
			STRBUF_LIT(b, ",\"value\":");
			put_hex_json(b, (const unsigned char *)value + c * md->value_stride,
				     info->value_size);
			STRBUF_LIT(b, "}");
		}
		STRBUF_LIT(b, "]");
	}
	if (md->btf)
		put_formatted(md, b, key, value);
	STRBUF_LIT(b, "}");
}

void mapdump_format_plain(const struct mapdump *md, struct strbuf *b, const void *key,
			  const void *value, int err)
{
	const struct bpf_map_info *info = md->info;
	__u32 ks = info->key_size, vs = info->value_size;
	bool single_line, break_names;
	unsigned int c;

	/* the layout of bpftool's print_entry_plain() and print_entry_error_msg() */
	if (err) {
		const char *msg = strerror(err);
		size_t len = strlen(msg);

		break_names = ks > 16 || len > 16;
		single_line = ks + len <= 24 && !break_names;
		strbuf_put(b, break_names ? "key:\n" : "key: ", 5);
		put_hex_plain(b, key, ks);
		if (single_line)
			STRBUF_LIT(b, "  ");
		else
			STRBUF_LIT(b, "\n");
		strbuf_put(b, break_names ? "value:\n" : "value: ", 7);
		strbuf_put(b, msg, len);
		STRBUF_LIT(b, "\n");
		return;
	}
	if (!md->percpu) {
		break_names = ks > 16 || vs > 16;
		single_line = ks + vs <= 24 && !break_names;
		if (ks) {
			strbuf_put(b, break_names ? "key:\n" : "key: ", 5);
			put_hex_plain(b, key, ks);
			if (single_line)
				STRBUF_LIT(b, "  ");
			else
				STRBUF_LIT(b, "\n");
		}
		if (vs) {
			strbuf_put(b, break_names ? "value:\n" : "value: ", 7);
			put_hex_plain(b, value, vs);
		}
		STRBUF_LIT(b, "\n");
		return;
	}
	if (ks) {
		STRBUF_LIT(b, "key:\n");
		put_hex_plain(b, key, ks);
		STRBUF_LIT(b, "\n");
	}
	for (c = 0; vs && c < md->ncpus; c++) {
		char tmp[32];
		int n = snprintf(tmp, sizeof(tmp), "value (CPU %02u):%c", c, vs > 16 ? '\n' : ' ');

		strbuf_put(b, tmp, (size_t)n);
		put_hex_plain(b, (const unsigned char *)value + c * md->value_stride, vs);
		STRBUF_LIT(b, "\n");
	}
}

static int flush(struct strbuf *b, FILE *out)
{
	if (b->len && fwrite(b->p, 1, b->len, out) != b->len)
		return errno ? -errno : -EIO;
	b->len = 0;
	return 0;
}

void mapdump_count_chunk(const struct mapdump *md, __u32 n, struct mapdump_result *res)
{
	__u32 i = 0;

	if (md->restarted) {
		res->count = res->errors = 0;
		i = md->walk_from;
	}
	res->count += n - i;
	for (; i < n; i++)
		res->errors += md->errs[i] != 0;
}

int mapdump_stream(struct mapdump *md, FILE *out, enum mapdump_format fmt, const char *sep,
		   unsigned long long limit, struct mapdump_result *res)
{
	size_t seplen = sep ? strlen(sep) : 0;
	struct strbuf b = {};
	int err = 0, werr;
	__u32 n, i;

	memset(res, 0, sizeof(*res));
	for (;;) {
		err = mapdump_next(md, &n);
		if (err || !n)
			break;
		if (fmt == MAPDUMP_COUNT && !limit) {
			mapdump_count_chunk(md, n, res);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (limit && res->count == limit) {
				res->truncated = true;
				goto out;
			}
			if (fmt == MAPDUMP_JSON) {
				/* the separator's first character (the comma) only between two */
				if (seplen)
					strbuf_put(&b, sep + !res->count, seplen - !res->count);
				mapdump_format_json(md, &b, mapdump_key(md, i),
						    mapdump_value(md, i), md->errs[i]);
			} else if (fmt == MAPDUMP_PLAIN) {
				mapdump_format_plain(md, &b, mapdump_key(md, i),
						     mapdump_value(md, i), md->errs[i]);
			}
			res->count++;
			res->errors += md->errs[i] != 0;
			if (b.len >= FLUSH_AT) {
				err = flush(&b, out);
				if (err)
					goto out;
			}
		}
	}
out:
	werr = flush(&b, out);
	strbuf_free(&b);
	return err ? err : werr;
}
