/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_MAPDUMP_H
#define EDRDIAG_MAPDUMP_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Reading the entries of a BPF map (DESIGN.md 7): batch lookups in fixed-size chunks where
 * the map type has them, key-by-key iteration where not, so that memory does not grow with
 * the map. Entries are rendered in bpftool's plain and JSON forms (the tests compare with
 * `bpftool -j map dump`), plus the "formatted" member rendered from the map's BTF
 * (btfjson.h). Nothing here writes anywhere but into a caller's buffer.
 */

#include "strbuf.h"

struct btf;
struct btfjson_names;
struct jsonw;
struct mapdump_ahead;

/* What one map is, as `bpftool map show` gives it. */
struct mapdump_meta {
	struct bpf_map_info info;
	unsigned long long memlock; /* bytes, from fdinfo; 0 when unknown */
	bool frozen;
	bool dumpable; /* its entries can be listed (see mapdump_why_not) */
};

/*
 * bpf_obj_get_info_by_fd and fdinfo of a map fd; whether it can be dumped, asking the
 * kernel for a first key where the type alone does not tell. 0 or -errno.
 */
int mapdump_meta_read(int fd, struct mapdump_meta *m);

/* Why entries of this map type cannot be listed from user space, or NULL when they can. */
const char *mapdump_undumpable(__u32 type);
/* Why this map cannot be dumped, or NULL when it can. */
const char *mapdump_why_not(const struct mapdump_meta *m);
/* One value per possible CPU, each padded to 8 bytes. */
bool mapdump_type_percpu(__u32 type);
/* BPF_MAP_LOOKUP_BATCH is implemented for the type (since 5.6). */
bool mapdump_type_batch(__u32 type);

enum mapdump_method {
	MAPDUMP_BATCH,	 /* bpf_map_lookup_batch, a chunk at a time */
	MAPDUMP_ITERATE, /* bpf_map_get_next_key + bpf_map_lookup_elem, as bpftool does */
};

enum {
	MAPDUMP_NO_BATCH = 1 << 0, /* iterate even where batch lookups exist */
	MAPDUMP_NO_BTF = 1 << 1,   /* no BTF loaded: the entries are counted, not rendered */
};

struct mapdump {
	int fd;
	struct mapdump_meta meta;
	struct bpf_map_info *info;   /* &meta.info */
	struct btf *btf;	     /* the map's BTF, when it has key/value types; else NULL */
	int btf_err;		     /* why the BTF could not be read (-errno), or 0 */
	struct btfjson_names *names; /* struct members' names, escaped once for every entry */
	bool percpu;
	unsigned int ncpus;  /* CPUs a per-CPU value has (1 for the others) */
	size_t value_stride; /* bytes between two CPUs' values */
	size_t value_bytes;  /* bytes of one entry's value as the kernel returns it */
	enum mapdump_method method;
	int fallback_err; /* batch lookup failed with this (-errno): iterating since */
	__u32 chunk;	  /* entries per chunk */
	/* the current chunk; errs: 0, or the errno an entry's lookup failed with */
	unsigned char *keys, *values;
	int *errs;
	/* iteration state */
	unsigned char *prev, *first, *token_in, *token_out;
	bool have_prev, have_first, started, done;
	unsigned long long visited;  /* keys handed out by get_next_key */
	unsigned long long vanished; /* deleted between get_next_key and lookup: skipped */
	/*
	 * A hash walk given a deleted key to go on from starts again from the first key:
	 * restarts counts the times it came back to it, and in the chunk last read, restarted
	 * says it did and walk_from is where the new walk begins (entries before it were
	 * handed out already). A count starts again there (mapdump_count_chunk); a dump cannot.
	 */
	unsigned long long restarts;
	bool restarted;
	__u32 walk_from;
	bool repeated; /* a hash walk restarted, or saw more keys than the map holds */
	bool changed;  /* stopped early: the map changed faster than it was read */
	/*
	 * mapdump_stream's reader thread, while one runs: it owns the iteration state above
	 * and keys/values/errs (its next chunk) until the stream ends and joins it.
	 */
	struct mapdump_ahead *ahead;
};

/*
 * Take over the map fd (closed by mapdump_close) and prepare to read it: its metadata
 * (mapdump_meta_read), and buffers for a chunk on the first mapdump_next. The map's BTF is
 * loaded for rendering when it has one; failing to load it only clears btf (btf_err says
 * why). 0 or -errno.
 */
int mapdump_open(struct mapdump *md, int fd, unsigned int flags);
void mapdump_close(struct mapdump *md);

/*
 * The next chunk of entries into md->keys, md->values and md->errs: *n of them, 0 at the
 * end. -EOPNOTSUPP when the kernel cannot list this map's keys; another -errno on failure.
 * Entries deleted while being read are skipped (md->vanished); a hash map changing so fast
 * that the iteration keeps restarting is cut short (md->changed) rather than read forever.
 */
int mapdump_next(struct mapdump *md, __u32 *n);

/*
 * bpftool's hex forms. plain: "00 01 ..." with two spaces every 8 bytes and a newline every
 * 16 (dst needs 3 * n bytes); JSON: ["0x00","0x01"] (dst needs 7 * n + 2). Return the end.
 */
char *mapdump_hex_plain(char *dst, const unsigned char *data, size_t n);
char *mapdump_hex_json(char *dst, const unsigned char *data, size_t n);

/*
 * One entry in bpftool's forms. JSON, one value on w: {"key":[...],"value":[...],
 * "formatted":{...}} (per-CPU: "values":[{"cpu":N,"value":[...]}]); with err,
 * {"key":[...],"value":{"error":"..."}}. Plain: bpftool's "key: ..  value: .." lines, without
 * the BTF rendering.
 */
void mapdump_format_json(const struct mapdump *md, struct jsonw *w, const void *key,
			 const void *value, int err);
void mapdump_format_plain(const struct mapdump *md, struct strbuf *b, const void *key,
			  const void *value, int err);

enum mapdump_format {
	MAPDUMP_COUNT, /* count only, write nothing */
	MAPDUMP_PLAIN,
	MAPDUMP_JSON, /* each entry an element of the array the writer has open */
};

/* Where a stream writes its entries. */
struct mapdump_sink {
	struct jsonw *w;   /* MAPDUMP_JSON */
	struct strbuf *sb; /* MAPDUMP_PLAIN */
	/* write out what the buffer (w's or sb) holds and empty it: 0, or -errno to stop */
	int (*flush)(void *arg);
	void *arg;
};

struct mapdump_result {
	unsigned long long count;  /* entries written (or counted) */
	unsigned long long errors; /* of which the lookup failed */
	bool truncated;		   /* the limit stopped the dump before the end */
};

/*
 * Add the n entries of the chunk just read to a count. When the walk restarted in it, the
 * count starts again from the new walk's first entry: a count is of one walk, never of a
 * walk and part of another (a map whose keys are deleted while it is counted).
 */
void mapdump_count_chunk(const struct mapdump *md, __u32 n, struct mapdump_result *res);

/*
 * Read the whole map (up to limit entries; 0: no limit) and write its entries to out (NULL
 * for a count), which is flushed after every chunk and past a few hundred KiB, so that memory
 * stays flat however large the map. A map of more than one chunk is read one chunk ahead by
 * a thread of its own while the caller's thread renders and writes the chunk before (a second
 * chunk of memory; the kernel's walk and the write overlap on two CPUs). 0, or -errno from
 * reading the map, or the flush's error; res holds what was done either way.
 */
int mapdump_stream(struct mapdump *md, enum mapdump_format fmt, const struct mapdump_sink *out,
		   unsigned long long limit, struct mapdump_result *res);

#endif
