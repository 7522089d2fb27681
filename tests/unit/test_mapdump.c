// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * map-dump's pure parts: bpftool's hex forms, the per-entry JSON and plain layouts, and the
 * BTF rendering (btfjson), on a BTF built here (never loaded into a kernel). The expected strings
 * are what `bpftool -j map dump` prints for the same bytes and types (bpftool 7.1).
 *
 * And the walker on real maps (with BPF privilege; skipped without): a hash map whose keys
 * are deleted while it is counted (stats and map-dump count through it), and an array read
 * ahead by mapdump_stream's reader thread.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpfstats.h"
#include "btfjson.h"
#include "check.h"
#include "jsonw.h"
#include "mapdump.h"

static char out[4096];

static const char *hex_plain(const unsigned char *d, size_t n)
{
	*mapdump_hex_plain(out, d, n) = '\0';
	return out;
}

static const char *hex_json(const unsigned char *d, size_t n)
{
	*mapdump_hex_json(out, d, n) = '\0';
	return out;
}

static void hex_forms(void)
{
	unsigned char d[20];
	size_t i;

	for (i = 0; i < sizeof(d); i++)
		d[i] = (unsigned char)(i * 17);
	CHECK_STR(hex_plain(d, 0), "");
	CHECK_STR(hex_plain(d, 1), "00");
	CHECK_STR(hex_plain(d, 4), "00 11 22 33");
	/* two spaces between the halves of a 16-byte line, a newline after it */
	CHECK_STR(hex_plain(d, 20), "00 11 22 33 44 55 66 77  88 99 aa bb cc dd ee ff\n"
				    "10 21 32 43");
	CHECK_STR(hex_json(d, 0), "[]");
	CHECK_STR(hex_json(d, 1), "[\"0x00\"]");
	CHECK_STR(hex_json(d + 14, 3), "[\"0xee\",\"0xff\",\"0x10\"]");
}

/* Type ids of the test BTF. */
static struct {
	int u8, s8, u16, s16, s32, u32, u64, s64, chr, boolean, u128, f32, f64, ptr, typedef_u32,
		const_s16, comm, raw, kind, kind64, word, value, fwd, var, sec, small, u24, tchar,
		tchar_arr;
} ty;

/* Each add returns a type id (> 0) or a negative error; keep the first error. */
static int chk(int id, int *err)
{
	if (id < 0 && !*err)
		*err = id;
	return id;
}

static struct btf *test_btf(void)
{
	struct btf *b = btf__new_empty();
	int err = 0, v2, halves;

	ty.u8 = chk(btf__add_int(b, "unsigned char", 1, 0), &err);
	ty.s8 = chk(btf__add_int(b, "signed char", 1, BTF_INT_SIGNED), &err);
	ty.u16 = chk(btf__add_int(b, "short unsigned int", 2, 0), &err);
	ty.s16 = chk(btf__add_int(b, "short int", 2, BTF_INT_SIGNED), &err);
	ty.s32 = chk(btf__add_int(b, "int", 4, BTF_INT_SIGNED), &err);
	ty.u32 = chk(btf__add_int(b, "unsigned int", 4, 0), &err);
	ty.u64 = chk(btf__add_int(b, "long long unsigned int", 8, 0), &err);
	ty.s64 = chk(btf__add_int(b, "long long int", 8, BTF_INT_SIGNED), &err);
	ty.chr = chk(btf__add_int(b, "char", 1, BTF_INT_CHAR), &err);
	ty.boolean = chk(btf__add_int(b, "_Bool", 1, BTF_INT_BOOL), &err);
	ty.u128 = chk(btf__add_int(b, "__int128 unsigned", 16, 0), &err);
	ty.f32 = chk(btf__add_float(b, "float", 4), &err);
	ty.f64 = chk(btf__add_float(b, "double", 8), &err);
	ty.ptr = chk(btf__add_ptr(b, 0), &err);
	ty.typedef_u32 = chk(btf__add_typedef(b, "__u32", ty.u32), &err);
	ty.const_s16 = chk(btf__add_const(b, ty.s16), &err);
	ty.comm = chk(btf__add_array(b, ty.u32, ty.chr, 8), &err);
	ty.raw = chk(btf__add_array(b, ty.u32, ty.u8, 3), &err);
	/* a typedef of char is not a string, for bpftool */
	ty.tchar = chk(btf__add_typedef(b, "mychar", ty.chr), &err);
	ty.tchar_arr = chk(btf__add_array(b, ty.u32, ty.tchar, 2), &err);

	ty.kind = chk(btf__add_enum(b, "kind", 4), &err);
	chk(btf__add_enum_value(b, "K_A", 0), &err);
	chk(btf__add_enum_value(b, "K_B", -2), &err);
	ty.kind64 = chk(btf__add_enum64(b, "kind64", 8, false), &err);
	chk(btf__add_enum64_value(b, "BIG", 0x100000000ull), &err);

	halves = chk(btf__add_array(b, ty.u32, ty.u16, 2), &err);
	ty.word = chk(btf__add_union(b, "word", 4), &err);
	chk(btf__add_field(b, "w", ty.u32, 0, 0), &err);
	chk(btf__add_field(b, "h", halves, 0, 0), &err);

	/* 24 bytes: every kind a value struct usually has */
	ty.value = chk(btf__add_struct(b, "value", 24), &err);
	chk(btf__add_field(b, "pid", ty.s32, 0, 0), &err);
	chk(btf__add_field(b, "comm", ty.comm, 32, 0), &err);
	chk(btf__add_field(b, "un", ty.word, 96, 0), &err);
	chk(btf__add_field(b, "d", ty.const_s16, 128, 0), &err);
	chk(btf__add_field(b, "ok", ty.boolean, 144, 0), &err);
	chk(btf__add_field(b, "", ty.u8, 152, 0), &err); /* anonymous */
	chk(btf__add_field(b, "lo", ty.u32, 160, 3), &err);
	chk(btf__add_field(b, "hi", ty.u32, 163, 13), &err);
	/* over the bit-fields, as in a union: the same bytes read as an enum */
	chk(btf__add_field(b, "k", ty.kind, 160, 0), &err);

	ty.fwd = chk(btf__add_fwd(b, "opaque", BTF_FWD_STRUCT), &err);
	ty.var = chk(btf__add_var(b, "level", BTF_VAR_GLOBAL_ALLOCATED, ty.s32), &err);
	v2 = chk(btf__add_var(b, "name", BTF_VAR_GLOBAL_ALLOCATED, ty.comm), &err);
	ty.sec = chk(btf__add_datasec(b, ".rodata", 12), &err);
	chk(btf__add_datasec_var_info(b, ty.var, 0, 4), &err);
	chk(btf__add_datasec_var_info(b, v2, 4, 8), &err);
	/* a 24-bit integer in 4 bytes: not a width bpftool prints as a number */
	ty.u24 = chk(btf__add_int(b, "u24", 4, 0), &err);
	if (ty.u24 > 0) {
		/* libbpf only adds whole-size integers: narrow it by hand */
		struct btf_type *t = (struct btf_type *)btf__type_by_id(b, (__u32)ty.u24);

		*(__u32 *)(t + 1) = 24; /* encoding 0, offset 0, 24 bits */
	}
	if (err) {
		printf("#   building the test BTF failed: %d\n", err);
		btf__free(b);
		return NULL;
	}
	return b;
}

static struct btf *btf;

/* Render size bytes of data as type id; returns the text, and the return value in *ret. */
static const char *fmt(int id, const void *data, size_t size, int *ret)
{
	struct btfjson_names *names = btfjson_names_new(btf);
	struct strbuf b = {}, c = {};
	struct jsonw w;
	int r, r2;

	jsonw_init(&w, &b, false);
	r = btfjson_write(&w, btf, NULL, (__u32)id, data, size);
	CHECK(jsonw_done(&w));
	/* the same with the cache of escaped member names, filled, then used */
	jsonw_init(&w, &c, false);
	r2 = btfjson_write(&w, btf, names, (__u32)id, data, size);
	c.len = 0;
	jsonw_init(&w, &c, false);
	r2 = btfjson_write(&w, btf, names, (__u32)id, data, size);
	CHECK_INT(r2, r);
	CHECK(b.len == c.len && !memcmp(b.p, c.p, b.len));
	btfjson_names_free(names);
	if (ret)
		*ret = r;
	snprintf(out, sizeof(out), "%.*s", (int)b.len, b.p);
	strbuf_free(&b);
	strbuf_free(&c);
	return out;
}

static void btf_integers(void)
{
	unsigned char d[16] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	int ret;

	CHECK(btf);
	if (!btf)
		return;
	CHECK_STR(fmt(ty.u8, d, 1, &ret), "254");
	CHECK_INT(ret, 0);
	CHECK_STR(fmt(ty.s8, d, 1, NULL), "-2");
	CHECK_STR(fmt(ty.u16, d, 2, NULL), "65534");
	CHECK_STR(fmt(ty.s16, d, 2, NULL), "-2");
	CHECK_STR(fmt(ty.u32, d, 4, NULL), "4294967294");
	CHECK_STR(fmt(ty.s32, d, 4, NULL), "-2");
	CHECK_STR(fmt(ty.u64, d, 8, NULL), "18446744073709551614");
	CHECK_STR(fmt(ty.s64, d, 8, NULL), "-2");
	CHECK_STR(fmt(ty.typedef_u32, d, 4, NULL), "4294967294");
	CHECK_STR(fmt(ty.const_s16, d, 2, NULL), "-2");
	/* 128-bit and odd widths: hex strings, as bpftool shows them */
	CHECK_STR(fmt(ty.u128, d, 16, NULL), "\"0xfffffffffffffffe\"");
	d[8] = 1;
	CHECK_STR(fmt(ty.u128, d, 16, NULL), "\"0x1fffffffffffffffe\"");
	CHECK_STR(fmt(ty.u24, d, 4, NULL), "\"0xfffffe\"");
	CHECK_STR(fmt(ty.ptr, d, 8, NULL), "18446744073709551614");
	d[0] = 0;
	CHECK_STR(fmt(ty.boolean, d, 1, NULL), "false");
	d[0] = 1;
	CHECK_STR(fmt(ty.boolean, d, 1, NULL), "true");
}

static void btf_chars_and_strings(void)
{
	int ret;

	CHECK(btf);
	if (!btf)
		return;
	CHECK_STR(fmt(ty.chr, "A", 1, NULL), "\"A\"");
	/* quotes and backslashes escaped (bpftool leaves them bare: invalid JSON) */
	CHECK_STR(fmt(ty.chr, "\"", 1, NULL), "\"\\\"\"");
	CHECK_STR(fmt(ty.chr, "\x01", 1, NULL), "\"\\u0001\"");
	CHECK_STR(fmt(ty.chr, "\xe9", 1, NULL), "\"\\u00e9\"");
	/* a NUL within the array: a string */
	CHECK_STR(fmt(ty.comm, "bash\0xyz", 8, NULL), "\"bash\"");
	CHECK_STR(fmt(ty.comm, "\0\0\0\0\0\0\0\0", 8, NULL), "\"\"");
	/* no NUL, or a control character: one string per char */
	CHECK_STR(fmt(ty.comm, "abcdefgh", 8, NULL),
		  "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]");
	CHECK_STR(fmt(ty.comm, "a\tb\0\0\0\0\0", 8, NULL),
		  "[\"a\",\"\\u0009\",\"b\",\"\\u0000\",\"\\u0000\",\"\\u0000\",\"\\u0000\","
		  "\"\\u0000\"]");
	CHECK_STR(fmt(ty.tchar_arr, "a\0", 2, NULL), "[\"a\",\"\\u0000\"]");
	CHECK_STR(fmt(ty.raw, "\x01\x02\x03", 3, &ret), "[1,2,3]");
	CHECK_INT(ret, 0);
}

static void btf_aggregates(void)
{
	unsigned char d[24] = { 0 };
	unsigned int bits = 5 | 1000u << 3;
	int ret;

	CHECK(btf);
	if (!btf)
		return;
	d[0] = 0xff, d[1] = 0xff, d[2] = 0xff, d[3] = 0xff; /* pid -1 */
	memcpy(d + 4, "init", 5);
	d[12] = 1, d[14] = 2;	    /* un: w = 0x20001, h = [1, 2] */
	d[16] = 0xfe, d[17] = 0xff; /* d = -2 */
	d[18] = 1;		    /* ok */
	d[19] = 7;		    /* the anonymous byte */
	memcpy(d + 20, &bits, 4);
	CHECK_STR(fmt(ty.value, d, sizeof(d), &ret),
		  "{\"pid\":-1,\"comm\":\"init\",\"un\":{\"w\":131073,\"h\":[1,2]},\"d\":-2,"
		  "\"ok\":true,\"\":7,\"lo\":\"0x5\",\"hi\":\"0x3e8\",\"k\":8005}");
	CHECK_INT(ret, 0);
	CHECK_STR(fmt(ty.kind, "\0\0\0\0", 4, NULL), "\"K_A\"");
	CHECK_STR(fmt(ty.kind, "\xfe\xff\xff\xff", 4, NULL), "\"K_B\"");
	CHECK_STR(fmt(ty.kind, "\x05\0\0\0", 4, NULL), "5");
	CHECK_STR(fmt(ty.kind64, "\0\0\0\0\x01\0\0\0", 8, NULL), "\"BIG\"");
	CHECK_STR(fmt(ty.kind64, "\x02\0\0\0\0\0\0\0", 8, NULL), "2");
	/* a program's globals: {"section": [{"var": value}, ...]} */
	CHECK_STR(fmt(ty.sec, "\x03\0\0\0agent\0\0\0", 12, &ret),
		  "{\".rodata\":[{\"level\":3},{\"name\":\"agent\"}]}");
	CHECK_INT(ret, 0);
}

static void btf_floats_and_failures(void)
{
	float f = 1.5f;
	double g = -0.25, inf = 1e308 * 10;
	int ret;

	CHECK(btf);
	if (!btf)
		return;
	/* bpftool cannot print floats at all; numbers are the obvious rendering */
	CHECK_STR(fmt(ty.f32, &f, 4, NULL), "1.5");
	CHECK_STR(fmt(ty.f64, &g, 8, NULL), "-0.25");
	CHECK_STR(fmt(ty.f64, &inf, 8, NULL), "null");
	/* never valid JSON broken: what cannot be rendered is null, and said */
	CHECK_STR(fmt(ty.fwd, "abcd", 4, &ret), "null");
	CHECK_INT(ret, -EINVAL);
	CHECK_STR(fmt(ty.value, "short", 5, &ret), "null");
	CHECK_INT(ret, -EINVAL);
	CHECK_STR(fmt(9999, "abcd", 4, &ret), "null");
	CHECK_INT(ret, -EINVAL);
}

/* A map described by hand, as mapdump_open would from the kernel. */
static void fake_map(struct mapdump *md, __u32 type, __u32 ks, __u32 vs, unsigned int ncpus)
{
	memset(md, 0, sizeof(*md));
	md->fd = -1;
	md->info = &md->meta.info;
	md->info->type = type;
	md->info->key_size = ks;
	md->info->value_size = vs;
	md->percpu = mapdump_type_percpu(type);
	md->ncpus = md->percpu ? ncpus : 1;
	md->value_stride = md->percpu ? (vs + 7) / 8 * 8 : vs;
	md->value_bytes = md->value_stride * md->ncpus;
}

static const char *entry(const struct mapdump *md, bool json, const void *k, const void *v, int err)
{
	struct strbuf b = {};
	struct jsonw w;

	jsonw_init(&w, &b, false);
	if (json)
		mapdump_format_json(md, &w, k, v, err);
	else
		mapdump_format_plain(md, &b, k, v, err);
	snprintf(out, sizeof(out), "%.*s", (int)b.len, b.p);
	strbuf_free(&b);
	return out;
}

static void entry_layouts(void)
{
	static const unsigned char k[4] = { 1, 0, 0, 0 };
	unsigned char v[24];
	struct mapdump md;
	size_t i;

	for (i = 0; i < sizeof(v); i++)
		v[i] = (unsigned char)(0xa0 + i);
	fake_map(&md, BPF_MAP_TYPE_HASH, 4, 4, 1);
	CHECK_STR(entry(&md, true, k, v, 0), "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],"
					     "\"value\":[\"0xa0\",\"0xa1\",\"0xa2\",\"0xa3\"]}");
	/* short enough for one line */
	CHECK_STR(entry(&md, false, k, v, 0), "key: 01 00 00 00  value: a0 a1 a2 a3\n");
	/* longer than 16: names on lines of their own */
	fake_map(&md, BPF_MAP_TYPE_ARRAY, 4, 17, 1);
	CHECK_STR(entry(&md, false, k, v, 0),
		  "key:\n01 00 00 00\n"
		  "value:\na0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af\nb0\n");
	/* up to 24 bytes in all, one line; beyond, two */
	fake_map(&md, BPF_MAP_TYPE_HASH, 4, 16, 1);
	CHECK_STR(entry(&md, false, k, v, 0),
		  "key: 01 00 00 00  value: a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af\n");
	/* a lookup that failed: bpftool's error object */
	CHECK_STR(entry(&md, true, k, v, ENOSPC),
		  "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],"
		  "\"value\":{\"error\":\"No space left on device\"}}");
	CHECK_STR(entry(&md, false, k, v, ENOSPC),
		  "key:\n01 00 00 00\nvalue:\nNo space left on device\n");
	fake_map(&md, BPF_MAP_TYPE_HASH, 12, 16, 1);
	CHECK_STR(entry(&md, false, v, v, 0),
		  "key: a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab\n"
		  "value: a0 a1 a2 a3 a4 a5 a6 a7  a8 a9 aa ab ac ad ae af\n");

	/* per-CPU: each CPU's value starts on an 8-byte boundary */
	fake_map(&md, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 2, 2);
	CHECK_INT(md.value_stride, 8);
	CHECK_STR(entry(&md, true, k, v, 0),
		  "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"values\":["
		  "{\"cpu\":0,\"value\":[\"0xa0\",\"0xa1\"]},"
		  "{\"cpu\":1,\"value\":[\"0xa8\",\"0xa9\"]}]}");
	CHECK_STR(entry(&md, false, k, v, 0),
		  "key:\n01 00 00 00\nvalue (CPU 00): a0 a1\nvalue (CPU 01): a8 a9\n");
}

static void entry_formatted(void)
{
	unsigned char v[16] = { 0 };
	__u32 key = 7;
	struct mapdump md;

	CHECK(btf);
	if (!btf)
		return;
	fake_map(&md, BPF_MAP_TYPE_HASH, 4, 4, 1);
	md.btf = btf;
	md.info->btf_key_type_id = (__u32)ty.typedef_u32;
	md.info->btf_value_type_id = (__u32)ty.kind;
	CHECK_STR(entry(&md, true, &key, v, 0), "{\"key\":[\"0x07\",\"0x00\",\"0x00\",\"0x00\"],"
						"\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],"
						"\"formatted\":{\"key\":7,\"value\":\"K_A\"}}");
	/* no key type (a .bss map): no "key" in formatted */
	md.info->btf_key_type_id = 0;
	CHECK_STR(entry(&md, true, &key, v, 0), "{\"key\":[\"0x07\",\"0x00\",\"0x00\",\"0x00\"],"
						"\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],"
						"\"formatted\":{\"value\":\"K_A\"}}");
	/* per-CPU: "values" there too */
	fake_map(&md, BPF_MAP_TYPE_PERCPU_HASH, 4, 4, 2);
	md.btf = btf;
	md.info->btf_key_type_id = (__u32)ty.u32;
	md.info->btf_value_type_id = (__u32)ty.u32;
	v[8] = 9;
	CHECK_STR(entry(&md, true, &key, v, 0),
		  "{\"key\":[\"0x07\",\"0x00\",\"0x00\",\"0x00\"],\"values\":["
		  "{\"cpu\":0,\"value\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"]},"
		  "{\"cpu\":1,\"value\":[\"0x09\",\"0x00\",\"0x00\",\"0x00\"]}],"
		  "\"formatted\":{\"key\":7,\"values\":[{\"cpu\":0,\"value\":0},"
		  "{\"cpu\":1,\"value\":9}]}}");
}

static void map_types(void)
{
	static const __u32 undumpable[] = {
		BPF_MAP_TYPE_RINGBUF,	   BPF_MAP_TYPE_USER_RINGBUF, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
		BPF_MAP_TYPE_QUEUE,	   BPF_MAP_TYPE_STACK,	      BPF_MAP_TYPE_BLOOM_FILTER,
		BPF_MAP_TYPE_STRUCT_OPS,   BPF_MAP_TYPE_SK_STORAGE,   BPF_MAP_TYPE_TASK_STORAGE,
		BPF_MAP_TYPE_CGROUP_ARRAY,
	};
	static const __u32 dumpable[] = {
		BPF_MAP_TYPE_HASH,	   BPF_MAP_TYPE_ARRAY,	     BPF_MAP_TYPE_PERCPU_HASH,
		BPF_MAP_TYPE_LRU_HASH,	   BPF_MAP_TYPE_LPM_TRIE,    BPF_MAP_TYPE_PROG_ARRAY,
		BPF_MAP_TYPE_HASH_OF_MAPS, BPF_MAP_TYPE_STACK_TRACE,
	};
	struct mapdump_meta m = {};
	size_t i;

	for (i = 0; i < sizeof(undumpable) / sizeof(undumpable[0]); i++)
		CHECK(mapdump_undumpable(undumpable[i]) != NULL);
	for (i = 0; i < sizeof(dumpable) / sizeof(dumpable[0]); i++)
		CHECK(mapdump_undumpable(dumpable[i]) == NULL);
	CHECK(mapdump_type_batch(BPF_MAP_TYPE_LRU_PERCPU_HASH));
	CHECK(mapdump_type_batch(BPF_MAP_TYPE_PERCPU_ARRAY));
	CHECK(!mapdump_type_batch(BPF_MAP_TYPE_LPM_TRIE));
	CHECK(!mapdump_type_batch(BPF_MAP_TYPE_PROG_ARRAY));
	CHECK(mapdump_type_percpu(BPF_MAP_TYPE_LRU_PERCPU_HASH));
	CHECK(mapdump_type_percpu(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE));
	CHECK(!mapdump_type_percpu(BPF_MAP_TYPE_HASH));

	/* what the kernel said when asked for a first key decides for the other types */
	m.info.type = BPF_MAP_TYPE_HASH;
	m.dumpable = true;
	CHECK(mapdump_why_not(&m) == NULL);
	m.dumpable = false;
	CHECK_STR(mapdump_why_not(&m), "the kernel cannot list the keys of this map type");
	m.info.type = BPF_MAP_TYPE_RINGBUF;
	CHECK(mapdump_why_not(&m) &&
	      !strncmp(mapdump_why_not(&m), "a ring buffer has no keys", 25));
}

#define CHURN_KEYS 1000

/* A hash map of CHURN_KEYS u32 keys, or -errno (no BPF privilege here). */
static int churn_map(void)
{
	__u64 v = 7;
	__u32 k;
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "md_unit_churn", 4, 8, 1024, NULL);

	if (fd < 0)
		return -errno;
	for (k = 0; k < CHURN_KEYS; k++)
		if (bpf_map_update_elem(fd, &k, &v, BPF_NOEXIST)) {
			close(fd);
			return -errno;
		}
	return fd;
}

/*
 * B7: a key the walk goes on from is deleted while the map is counted key by key. The
 * kernel then hands out the first key again, and a count that went on from there counted
 * the first 100 keys twice (1099 of a map of 999: stats' old count_keys did). The walker
 * sees the restart, and a count is of one walk: 999, as stats and map-dump both say.
 */
static void count_while_keys_are_deleted(void)
{
	struct mapdump_result res = {};
	struct bpfstats_map sm;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), n, handed = 0;
	struct mapdump md;
	int fd = churn_map();

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(mapdump_open(&md, dup(fd), MAPDUMP_NO_BATCH | MAPDUMP_NO_BTF), 0);
	md.chunk = 100;
	CHECK_INT(mapdump_next(&md, &n), 0);
	CHECK_INT(n, 100);
	mapdump_count_chunk(&md, n, &res);
	handed += n;
	/* the key the walk goes on from */
	CHECK_INT(bpf_map_delete_elem(fd, md.prev), 0);
	while (!mapdump_next(&md, &n) && n) {
		mapdump_count_chunk(&md, n, &res);
		handed += n;
	}
	CHECK_INT(res.count, CHURN_KEYS - 1);
	CHECK_INT(md.restarts, 1);
	/* a dump cannot take back what it wrote: it says entries were repeated */
	CHECK_INT(handed, 100 + CHURN_KEYS - 1);
	CHECK(md.repeated && !md.changed);
	mapdump_close(&md);

	/* batched, and as stats reads it: the same count */
	CHECK_INT(mapdump_open(&md, dup(fd), MAPDUMP_NO_BTF), 0);
	CHECK_INT(mapdump_stream(&md, MAPDUMP_COUNT, NULL, 0, &res), 0);
	CHECK_INT(res.count, CHURN_KEYS - 1);
	CHECK(md.method == MAPDUMP_BATCH);
	mapdump_close(&md);
	CHECK_INT(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	CHECK_INT(bpfstats_map_read(info.id, &sm), 0);
	CHECK_INT(sm.entries, CHURN_KEYS - 1);
	CHECK_INT(sm.memlock > 0, 1);
	close(fd);
}

#define AHEAD_KEYS  1000
#define AHEAD_CHUNK 64

/* A sink that keeps what it is given, and notes whether a reader thread was running. */
struct keep {
	struct strbuf sb, all;
	struct mapdump md;
	int flushes, fail_at;
	bool saw_ahead;
};

static int keep_flush(void *arg)
{
	struct keep *k = arg;

	k->saw_ahead |= k->md.ahead != NULL;
	if (++k->flushes == k->fail_at)
		return -EPIPE;
	strbuf_put(&k->all, k->sb.p, k->sb.len);
	k->sb.len = 0;
	return 0;
}

/* Stream the array in chunks of AHEAD_CHUNK, up to limit entries (0: all). */
static int stream_ahead(int fd, unsigned long long limit, int fail_at, struct keep *k,
			struct mapdump_result *res)
{
	struct mapdump_sink sink = { .sb = &k->sb, .flush = keep_flush, .arg = k };
	int err;

	memset(k, 0, sizeof(*k));
	k->fail_at = fail_at;
	CHECK_INT(mapdump_open(&k->md, dup(fd), MAPDUMP_NO_BTF), 0);
	k->md.chunk = AHEAD_CHUNK;
	err = mapdump_stream(&k->md, MAPDUMP_PLAIN, &sink, limit, res);
	/* the reader is stopped by the time the stream returns */
	CHECK(k->md.ahead == NULL);
	CHECK(k->md.method == MAPDUMP_BATCH);
	mapdump_close(&k->md);
	strbuf_free(&k->sb);
	return err;
}

/*
 * A map of many chunks is read one chunk ahead by a thread while the chunk before is
 * written: every entry once, in the kernel's order, whether the dump runs to the end, stops
 * at a limit in the middle of a chunk, or stops because the sink failed.
 */
static void read_ahead(void)
{
	struct strbuf want = {};
	struct mapdump_result res;
	struct mapdump shape;
	struct keep k;
	__u32 i, v;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "md_unit_ahead", 4, 4, AHEAD_KEYS, NULL);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	fake_map(&shape, BPF_MAP_TYPE_ARRAY, 4, 4, 1);
	for (i = 0; i < AHEAD_KEYS; i++) {
		v = i * 7;
		CHECK_INT(bpf_map_update_elem(fd, &i, &v, BPF_ANY), 0);
		mapdump_format_plain(&shape, &want, &i, &v, 0);
	}

	CHECK_INT(stream_ahead(fd, 0, 0, &k, &res), 0);
	CHECK(k.saw_ahead);
	CHECK_INT(res.count, AHEAD_KEYS);
	CHECK(!res.truncated);
	CHECK_INT(k.all.len, want.len);
	CHECK(k.all.len == want.len && !memcmp(k.all.p, want.p, want.len));
	strbuf_free(&k.all);

	/* a limit inside the fourth chunk: the first 200 entries, the reader stopped */
	CHECK_INT(stream_ahead(fd, 200, 0, &k, &res), 0);
	CHECK_INT(res.count, 200);
	CHECK(res.truncated);
	CHECK(k.all.len < want.len && !memcmp(k.all.p, want.p, k.all.len));
	strbuf_free(&k.all);

	/* the sink fails on its third flush: the stream stops with its error */
	CHECK_INT(stream_ahead(fd, 0, 3, &k, &res), -EPIPE);
	CHECK(k.saw_ahead);
	CHECK(res.count < AHEAD_KEYS);
	strbuf_free(&k.all);

	strbuf_free(&want);
	close(fd);
}

int main(void)
{
	int fd;

	btf = test_btf();
	RUN(hex_forms);
	RUN(btf_integers);
	RUN(btf_chars_and_strings);
	RUN(btf_aggregates);
	RUN(btf_floats_and_failures);
	RUN(entry_layouts);
	RUN(entry_formatted);
	RUN(map_types);
	fd = churn_map();
	if (fd >= 0) {
		close(fd);
		RUN(count_while_keys_are_deleted);
		RUN(read_ahead);
	} else {
		check_skip("count_while_keys_are_deleted", "cannot create a BPF map here");
		check_skip("read_ahead", "cannot create a BPF map here");
	}
	btf__free(btf);
	return check_finish();
}
