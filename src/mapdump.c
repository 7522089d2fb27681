// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "bpfobj.h"
#include "btfjson.h"
#include "jsonw.h"
#include "mapdump.h"
#include "sig.h"
#include "util.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's own "not supported", which leaks out of bpf() */
#endif

/* Types the installed UAPI header may not name yet (it describes an older kernel). */
#define MAP_TYPE_CGRP_STORAGE 32
#define MAP_TYPE_ARENA	      33

/* A chunk's key and value buffers stay within this, whatever the map's size. */
#define CHUNK_BYTES (4u << 20)
#define CHUNK_MAX   32768u
/* The stream writes its buffer out past this. */
#define FLUSH_AT (256u << 10)

static const char hexdig[] = "0123456789abcdef";

static void ahead_stop(struct mapdump *md);

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
	return _("the kernel cannot list the keys of this map type");
}

const char *mapdump_undumpable(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_RINGBUF:
		return _("a ring buffer has no keys: its records are consumed by the agent as they "
			 "come (see `edrdiag stats` for how full it is)");
	case BPF_MAP_TYPE_USER_RINGBUF:
		return _("a user ring buffer has no keys: its records are consumed by the program");
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return _("its values are perf event fds, which the kernel does not give back; the "
			 "events are read by the agent");
	case BPF_MAP_TYPE_CGROUP_ARRAY:
		return _("its values are cgroup fds, which the kernel does not give back");
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		return _("a queue or stack has no keys, and reading an element would remove it");
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return _("a bloom filter answers membership queries only: it has no entries to "
			 "list");
	case BPF_MAP_TYPE_STRUCT_OPS:
		return _("its value is a kernel struct of function pointers (see `bpftool "
			 "struct_ops "
			 "dump`)");
	case BPF_MAP_TYPE_SK_STORAGE:
	case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE:
	case MAP_TYPE_CGRP_STORAGE:
		return _("local storage is keyed by its owner's fd (socket, inode, task or cgroup) "
			 "and cannot be listed");
	case BPF_MAP_TYPE_XSKMAP:
		return _("its values are AF_XDP sockets, which the kernel does not give back");
	case MAP_TYPE_ARENA:
		return _("an arena is memory shared with the program, not a table of entries");
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
			md->names = btfjson_names_new(md->btf);
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
	ahead_stop(md);
	if (md->fd >= 0)
		close(md->fd);
	md->fd = -1;
	btfjson_names_free(md->names);
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

/* --- reading ahead --- */

/* One chunk's buffers. */
struct chunkbuf {
	unsigned char *keys, *values;
	int *errs;
};

/*
 * Two sets of chunk buffers pass between the caller's thread, which renders one, and the
 * reader thread, which fills the other: the reader takes the spare set, fills it, waits until
 * the chunk before has been taken, and hands its chunk over as ready; the caller gives back
 * the set it has rendered as the spare and takes the ready one.
 */
struct mapdump_ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct chunkbuf own, extra; /* the sets: md's own, and the one allocated for this */
	struct chunkbuf spare, ready;
	bool have_spare, have_ready, quit;
	__u32 ready_n;
	int ready_err;
};

static struct chunkbuf md_buf(const struct mapdump *md)
{
	return (struct chunkbuf){ md->keys, md->values, md->errs };
}

static void *ahead_main(void *arg)
{
	struct mapdump *md = arg;
	struct mapdump_ahead *a = md->ahead;
	bool last = false;

	sig_block_stop_thread();
	pthread_mutex_lock(&a->lock);
	while (!last) {
		__u32 n;
		int err;

		while (!a->have_spare && !a->quit)
			pthread_cond_wait(&a->cond, &a->lock);
		if (a->quit)
			break;
		md->keys = a->spare.keys;
		md->values = a->spare.values;
		md->errs = a->spare.errs;
		a->have_spare = false;
		pthread_mutex_unlock(&a->lock);

		err = mapdump_next(md, &n);
		last = err || !n;

		pthread_mutex_lock(&a->lock);
		while (a->have_ready && !a->quit)
			pthread_cond_wait(&a->cond, &a->lock);
		a->ready = md_buf(md);
		a->ready_n = n;
		a->ready_err = err;
		a->have_ready = true;
		pthread_cond_broadcast(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Give md its own buffers back and free the rest: once the reader has stopped, or never ran. */
static void ahead_free(struct mapdump *md)
{
	struct mapdump_ahead *a = md->ahead;

	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	md->keys = a->own.keys;
	md->values = a->own.values;
	md->errs = a->own.errs;
	free(a->extra.keys);
	free(a->extra.values);
	free(a->extra.errs);
	free(a);
	md->ahead = NULL;
}

/* After a first chunk, cur, that filled md's buffers: read the rest ahead, if a thread starts. */
static void ahead_start(struct mapdump *md, const struct chunkbuf *cur)
{
	struct mapdump_ahead *a = util_xmalloc(sizeof(*a));

	*a = (struct mapdump_ahead){ .own = *cur };
	a->extra.keys = util_xmalloc(md->chunk * md->info->key_size + 1);
	a->extra.values = util_xmalloc(md->chunk * md->value_bytes + 1);
	a->extra.errs = util_xmalloc(md->chunk * sizeof(*a->extra.errs));
	a->spare = a->extra;
	a->have_spare = true;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	md->ahead = a;
	/* no thread: the caller reads on by itself */
	if (pthread_create(&a->thread, NULL, ahead_main, md))
		ahead_free(md);
}

/* The next chunk the reader has read into *cur, after giving back the one rendered. */
static int ahead_next(struct mapdump *md, struct chunkbuf *cur, __u32 *n)
{
	struct mapdump_ahead *a = md->ahead;
	int err;

	pthread_mutex_lock(&a->lock);
	a->spare = *cur;
	a->have_spare = true;
	pthread_cond_broadcast(&a->cond);
	while (!a->have_ready)
		pthread_cond_wait(&a->cond, &a->lock);
	*cur = a->ready;
	*n = a->ready_n;
	err = a->ready_err;
	a->have_ready = false;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	return err;
}

/* Stop the reader (it finishes the chunk it is reading) and give md its own buffers back. */
static void ahead_stop(struct mapdump *md)
{
	struct mapdump_ahead *a = md->ahead;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->quit = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	ahead_free(md);
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

/* --- entries --- */

/* One value: hex, or rendered from the BTF by a compact writer of its own on the same buffer */
static void put_value(const struct mapdump *md, struct strbuf *b, bool formatted,
		      const unsigned char *v)
{
	struct jsonw w;

	if (!formatted) {
		put_hex_json(b, v, md->info->value_size);
		return;
	}
	jsonw_init(&w, b, false);
	btfjson_write(&w, md->btf, md->names, md->info->btf_value_type_id, v, md->info->value_size);
}

/* "value":..., or one per CPU as "values":[{"cpu":N,"value":...}] */
static void put_values(const struct mapdump *md, struct strbuf *b, bool formatted,
		       const unsigned char *value)
{
	unsigned int c;

	if (!md->percpu) {
		STRBUF_LIT(b, "\"value\":");
		put_value(md, b, formatted, value);
		return;
	}
	STRBUF_LIT(b, "\"values\":[");
	for (c = 0; c < md->ncpus; c++) {
		if (c)
			STRBUF_LIT(b, ",");
		STRBUF_LIT(b, "{\"cpu\":");
		strbuf_u64(b, c);
		STRBUF_LIT(b, ",\"value\":");
		put_value(md, b, formatted, value + c * md->value_stride);
		STRBUF_LIT(b, "}");
	}
	STRBUF_LIT(b, "]");
}

void mapdump_format_json(const struct mapdump *md, struct jsonw *w, const void *key,
			 const void *value, int err)
{
	/* the hot path: one entry of a million, written by hand, on one line */
	struct strbuf *b = jsonw_value_raw(w);
	const struct bpf_map_info *info = md->info;

	STRBUF_LIT(b, "{\"key\":");
	put_hex_json(b, key, info->key_size);
	if (err) {
		const char *msg = strerror(err);

		STRBUF_LIT(b, ",\"value\":{\"error\":");
		strbuf_json_str(b, msg, strlen(msg));
		STRBUF_LIT(b, "}}");
		return;
	}
	STRBUF_LIT(b, ",");
	put_values(md, b, false, value);
	if (md->btf) {
		STRBUF_LIT(b, ",\"formatted\":{");
		if (info->btf_key_type_id) {
			struct jsonw kw;

			STRBUF_LIT(b, "\"key\":");
			jsonw_init(&kw, b, false);
			btfjson_write(&kw, md->btf, md->names, info->btf_key_type_id, key,
				      info->key_size);
			STRBUF_LIT(b, ",");
		}
		put_values(md, b, true, value);
		STRBUF_LIT(b, "}");
	}
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

int mapdump_stream(struct mapdump *md, enum mapdump_format fmt, const struct mapdump_sink *out,
		   unsigned long long limit, struct mapdump_result *res)
{
	struct strbuf *b = fmt == MAPDUMP_JSON ? out->w->sb : fmt == MAPDUMP_PLAIN ? out->sb : NULL;
	struct chunkbuf cur;
	int err = 0, werr = 0;
	__u32 n, i;

	memset(res, 0, sizeof(*res));
	for (;;) {
		if (md->ahead) {
			err = ahead_next(md, &cur, &n);
		} else {
			err = mapdump_next(md, &n);
			cur = md_buf(md);
			/* a map of more than one chunk: read the next while this one is written */
			if (!err && n == md->chunk && !md->done && fmt != MAPDUMP_COUNT)
				ahead_start(md, &cur);
		}
		if (err || !n)
			break;
		if (fmt == MAPDUMP_COUNT && !limit) {
			mapdump_count_chunk(md, n, res);
			continue;
		}
		for (i = 0; i < n; i++) {
			const unsigned char *key = cur.keys + (size_t)i * md->info->key_size;
			const unsigned char *value = cur.values + (size_t)i * md->value_bytes;

			if (limit && res->count == limit) {
				res->truncated = true;
				goto out;
			}
			if (fmt == MAPDUMP_JSON)
				mapdump_format_json(md, out->w, key, value, cur.errs[i]);
			else if (fmt == MAPDUMP_PLAIN)
				mapdump_format_plain(md, b, key, value, cur.errs[i]);
			res->count++;
			res->errors += cur.errs[i] != 0;
			/* memory stays flat: out past FLUSH_AT, and after every chunk */
			if (b && b->len >= FLUSH_AT) {
				werr = out->flush(out->arg);
				if (werr)
					goto out;
			}
		}
		if (b && b->len) {
			werr = out->flush(out->arg);
			if (werr)
				goto out;
		}
	}
out:
	/* what the reader counted (vanished, restarts) is the caller's to read from here on */
	ahead_stop(md);
	if (b && b->len && !werr)
		werr = out->flush(out->arg);
	return err ? err : werr;
}
