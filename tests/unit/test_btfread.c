// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * btfread: raw BTF built here with libbpf's writer, the same BTF byte-swapped to big-endian,
 * a table of damaged files each refused with its reason, lookups that must stay bounded
 * (typedef loops, array overflows, members outside their struct), what tests/tools/mkbtf
 * writes (its path in $MKBTF, as ctest sets it), and, where the running kernel has BTF, its
 * answers next to libbpf's on /sys/kernel/btf/vmlinux.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btfread.h"
#include "check.h"
#include "util.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"

/* Each add returns a type id (> 0) or a negative error; keep the first error. */
static int chk(int id, int *err)
{
	if (id < 0 && !*err)
		*err = id;
	return id;
}

/* An owned copy of btf's raw bytes, in host order. */
static unsigned char *raw_copy(const struct btf *btf, size_t *len)
{
	const void *raw;
	unsigned char *d;
	__u32 size = 0;

	raw = btf__raw_data(btf, &size);
	if (!raw)
		return NULL;
	d = util_xmalloc(size);
	memcpy(d, raw, size);
	*len = size;
	return d;
}

static uint32_t get32(const unsigned char *d, size_t off)
{
	uint32_t v;

	memcpy(&v, d + off, 4);
	return v;
}

static void put32(unsigned char *d, size_t off, uint32_t v)
{
	memcpy(d + off, &v, 4);
}

/*
 * Big-endian from host-order raw BTF, done here independently of the reader: the magic's
 * two bytes, then every 32-bit word of the header and of the type section (every field of
 * every record is a 32-bit word); the strings are bytes and stay.
 */
static unsigned char *to_big_endian(const unsigned char *d, size_t len)
{
	unsigned char *s = util_xmalloc(len), t;
	uint32_t hdr_len = get32(d, 4), type_off = get32(d, 8), type_len = get32(d, 12);
	size_t i, j;

	memcpy(s, d, len);
	t = s[0];
	s[0] = s[1];
	s[1] = t;
	for (i = 4; i < 24; i += 4)
		put32(s, i, __builtin_bswap32(get32(s, i)));
	for (j = 0; j < type_len; j += 4) {
		i = hdr_len + type_off + j;
		put32(s, i, __builtin_bswap32(get32(s, i)));
	}
	return s;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/*
 * The sample: the sensor's structs as a 6.x kernel lays them out, and the shapes the reader
 * has to get right (bitfields, qualifier chains, arrays, enums of every signedness).
 */
static struct btf *sample(void)
{
	int t_ushort, t_uchar, t_int, t_uint, t_char, t_long, t_ull, t_u32, t_pid, t_entry, t_data;
	int t_fwd, t_ptr, t_comm, t_row, t_grid, t_cv, t_tag, t_i128, t_cvtd, err = 0;
	struct btf *btf = btf__new_empty();

	if (!btf)
		return NULL;
	t_ushort = chk(btf__add_int(btf, "short unsigned int", 2, 0), &err);
	t_uchar = chk(btf__add_int(btf, "unsigned char", 1, 0), &err);
	t_int = chk(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), &err);
	t_uint = chk(btf__add_int(btf, "unsigned int", 4, 0), &err);
	t_char = chk(btf__add_int(btf, "char", 1, BTF_INT_CHAR), &err);
	t_long = chk(btf__add_int(btf, "long int", 8, BTF_INT_SIGNED), &err);
	t_ull = chk(btf__add_int(btf, "long long unsigned int", 8, 0), &err);
	t_i128 = chk(btf__add_int(btf, "__int128", 16, BTF_INT_SIGNED), &err);
	t_u32 = chk(btf__add_typedef(btf, "u32", t_uint), &err);
	t_pid = chk(btf__add_typedef(btf, "pid_t", t_int), &err);

	t_entry = chk(btf__add_struct(btf, "trace_entry", 8), &err);
	chk(btf__add_field(btf, "type", t_ushort, 0, 0), &err);
	chk(btf__add_field(btf, "flags", t_uchar, 16, 0), &err);
	chk(btf__add_field(btf, "preempt_count", t_uchar, 24, 0), &err);
	chk(btf__add_field(btf, "pid", t_int, 32, 0), &err);
	t_data = chk(btf__add_array(btf, t_int, t_char, 0), &err);
	chk(btf__add_struct(btf, "trace_event_raw_sched_process_exec", 20), &err);
	chk(btf__add_field(btf, "ent", t_entry, 0, 0), &err);
	chk(btf__add_field(btf, "__data_loc_filename", t_u32, 64, 0), &err);
	chk(btf__add_field(btf, "pid", t_pid, 96, 0), &err);
	chk(btf__add_field(btf, "old_pid", t_pid, 128, 0), &err);
	chk(btf__add_field(btf, "__data", t_data, 160, 0), &err);

	/* task_struct: a pointer to itself (through a forward), arrays, qualifiers, a tag */
	t_fwd = chk(btf__add_fwd(btf, "task_struct", BTF_FWD_STRUCT), &err);
	t_ptr = chk(btf__add_ptr(btf, t_fwd), &err);
	t_comm = chk(btf__add_array(btf, t_int, t_char, 16), &err);
	t_row = chk(btf__add_array(btf, t_int, t_int, 3), &err);
	t_grid = chk(btf__add_array(btf, t_int, t_row, 2), &err);
	t_cv = chk(btf__add_volatile(btf, chk(btf__add_const(btf, t_long), &err)), &err);
	t_cvtd = chk(btf__add_typedef(btf, "cv_long_t", t_cv), &err);
	t_tag = chk(btf__add_type_tag(btf, "rcu", t_ptr), &err);
	chk(btf__add_struct(btf, "task_struct", 96), &err);
	chk(btf__add_field(btf, "__state", t_cvtd, 0, 0), &err);
	chk(btf__add_field(btf, "pid", t_pid, 64, 0), &err);
	chk(btf__add_field(btf, "tgid", t_pid, 96, 0), &err);
	chk(btf__add_field(btf, "real_parent", t_tag, 128, 0), &err);
	chk(btf__add_field(btf, "comm", t_comm, 192, 0), &err);
	chk(btf__add_field(btf, "grid", t_grid, 320, 0), &err);
	chk(btf__add_field(btf, "wide", t_i128, 512, 0), &err);
	chk(btf__add_field(btf, "tail", t_int, 640, 0), &err);

	/* bitfields: libbpf sets the struct's kind_flag */
	chk(btf__add_struct(btf, "bits", 16), &err);
	chk(btf__add_field(btf, "a", t_uint, 0, 3), &err);
	chk(btf__add_field(btf, "b", t_uint, 3, 5), &err);
	chk(btf__add_field(btf, "c", t_uchar, 8, 0), &err);
	chk(btf__add_field(btf, "d", t_ull, 64, 40), &err);
	chk(btf__add_field(btf, "e", t_ull, 104, 24), &err);

	/* a union is not a struct, even with the right name */
	chk(btf__add_union(btf, "not_a_struct", 4), &err);
	chk(btf__add_field(btf, "x", t_int, 0, 0), &err);

	/* enums as a 6.x kernel has them, and every signedness */
	chk(btf__add_enum(btf, "bpf_prog_type", 4), &err);
	chk(btf__add_enum_value(btf, "BPF_PROG_TYPE_UNSPEC", 0), &err);
	chk(btf__add_enum_value(btf, "BPF_PROG_TYPE_KPROBE", 2), &err);
	chk(btf__add_enum_value(btf, "BPF_PROG_TYPE_TRACEPOINT", 5), &err);
	chk(btf__add_enum(btf, "bpf_map_type", 4), &err);
	chk(btf__add_enum_value(btf, "BPF_MAP_TYPE_HASH", 1), &err);
	chk(btf__add_enum_value(btf, "BPF_MAP_TYPE_RINGBUF", 27), &err);
	chk(btf__add_enum(btf, "signed32", 4), &err);
	chk(btf__add_enum_value(btf, "S32_MINUS_ONE", -1), &err);
	chk(btf__add_enum_value(btf, "S32_MIN", INT_MIN), &err);
	chk(btf__add_enum(btf, "unsigned32", 4), &err);
	chk(btf__add_enum_value(btf, "U32_MAX", UINT32_MAX), &err);
	chk(btf__add_enum64(btf, "unsigned64", 8, false), &err);
	chk(btf__add_enum64_value(btf, "U64_BIG", 1ull << 40 | 7), &err);
	chk(btf__add_enum64_value(btf, "U64_MAX", UINT64_MAX), &err);
	chk(btf__add_enum64(btf, "signed64", 8, true), &err);
	chk(btf__add_enum64_value(btf, "S64_MINUS_FIVE", (__u64)-5ll), &err);
	if (err) {
		printf("# cannot build the sample BTF: %s\n", strerror(-err));
		btf__free(btf);
		return NULL;
	}
	return btf;
}

/* clang-format off */
static const struct member_case {
	const char *sname, *member;
	int ret, offset, size;
} member_cases[] = {
	{ "trace_event_raw_sched_process_exec", "ent", 0, 0, 8 },
	{ "trace_event_raw_sched_process_exec", "__data_loc_filename", 0, 8, 4 },
	{ "trace_event_raw_sched_process_exec", "pid", 0, 12, 4 },
	{ "trace_event_raw_sched_process_exec", "old_pid", 0, 16, 4 },
	{ "trace_event_raw_sched_process_exec", "__data", 0, 20, 0 },	/* char __data[0] */
	{ "trace_event_raw_sched_process_exec", "filename", -ESRCH, 0, 0 },
	{ "trace_entry", "pid", 0, 4, 4 },
	{ "trace_entry", "flags", 0, 2, 1 },
	{ "task_struct", "__state", 0, 0, 8 },		/* typedef -> volatile -> const -> long */
	{ "task_struct", "pid", 0, 8, 4 },
	{ "task_struct", "tgid", 0, 12, 4 },
	{ "task_struct", "real_parent", 0, 16, 8 },	/* type tag -> pointer */
	{ "task_struct", "comm", 0, 24, 16 },
	{ "task_struct", "grid", 0, 40, 24 },		/* int[2][3] */
	{ "task_struct", "wide", 0, 64, 16 },
	{ "task_struct", "tail", 0, 80, 4 },
	{ "task_struct", "tgi", -ESRCH, 0, 0 },
	{ "task_struct", "", -ESRCH, 0, 0 },
	{ "bits", "a", 0, 0, 4 },
	{ "bits", "b", 0, 0, 4 },
	{ "bits", "c", 0, 1, 1 },
	{ "bits", "d", 0, 8, 8 },	/* 40 bits from bit 64 */
	{ "bits", "e", 0, 13, 8 },	/* 24 bits from bit 104: the last 3 bytes, its type past them */
	{ "not_a_struct", "x", -ENOENT, 0, 0 },
	{ "task", "pid", -ENOENT, 0, 0 },
	{ "task_struct ", "pid", -ENOENT, 0, 0 },
	{ "", "pid", -ENOENT, 0, 0 },
};

static const struct enum_case {
	const char *ename, *name;
	int ret;
	long long value;
} enum_cases[] = {
	{ "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT", 0, 5 },
	{ "bpf_prog_type", "BPF_PROG_TYPE_UNSPEC", 0, 0 },
	{ "bpf_map_type", "BPF_MAP_TYPE_RINGBUF", 0, 27 },
	{ "bpf_map_type", "BPF_MAP_TYPE_HASH", 0, 1 },
	{ "bpf_map_type", "BPF_MAP_TYPE_TRACEPOINT", -ESRCH, 0 },
	{ "bpf_map_type", "BPF_PROG_TYPE_TRACEPOINT", -ESRCH, 0 },
	{ "signed32", "S32_MINUS_ONE", 0, -1 },
	{ "signed32", "S32_MIN", 0, INT_MIN },
	{ "unsigned32", "U32_MAX", 0, 4294967295ll },
	{ "unsigned64", "U64_BIG", 0, (1ll << 40) | 7 },
	{ "unsigned64", "U64_MAX", 0, -1 },		/* the bit pattern, as documented */
	{ "signed64", "S64_MINUS_FIVE", 0, -5 },
	{ "bpf_link_type", "BPF_LINK_TYPE_UNSPEC", -ENOENT, 0 },
	{ "task_struct", "pid", -ENOENT, 0 },		/* a struct is not an enum */
};
/* clang-format on */

/* Every case of both tables against an opened reader. */
static void check_answers(const struct btfread *b)
{
	long long v;
	size_t i;
	int off, size;

	for (i = 0; i < ARRAY_SIZE(member_cases); i++) {
		const struct member_case *c = &member_cases[i];

		off = size = -7;
		if (btfread_member(b, c->sname, c->member, &off, &size) != c->ret)
			printf("#   member %s.%s\n", c->sname, c->member);
		CHECK_INT(btfread_member(b, c->sname, c->member, &off, &size), c->ret);
		if (!c->ret) {
			CHECK_INT(off, c->offset);
			CHECK_INT(size, c->size);
		} else {
			CHECK_INT(off, -7); /* untouched on error */
		}
	}
	for (i = 0; i < ARRAY_SIZE(enum_cases); i++) {
		const struct enum_case *c = &enum_cases[i];

		v = 12345;
		if (btfread_enumerator(b, c->ename, c->name, &v) != c->ret)
			printf("#   enumerator %s.%s\n", c->ename, c->name);
		CHECK_INT(btfread_enumerator(b, c->ename, c->name, &v), c->ret);
		CHECK_INT(v, c->ret ? 12345 : c->value);
	}
}

static void native_lookups(void)
{
	char err[256] = "";
	struct btf *btf = sample();
	struct btfread_header h;
	long long v = 0;
	struct btfread *b = NULL;
	unsigned int ssize = 0;
	int off = -7, size = -7;
	unsigned char *d;
	size_t len = 0;

	CHECK(btf != NULL);
	if (!btf)
		return;
	d = raw_copy(btf, &len);
	CHECK(d != NULL);
	CHECK_INT(btfread_header(d, len, &h, err, sizeof(err)), 0);
	CHECK(!h.swapped);
	CHECK_INT(h.version, 1);
	CHECK_INT(h.hdr_len, 24);
	CHECK_INT(h.total, len);
	CHECK_INT(btfread_open(d, len, &b, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(b != NULL);
	if (b) {
		CHECK_INT(btfread_nr_types(b), btf__type_cnt(btf) - 1);
		CHECK_INT(btfread_struct_size(b, "task_struct", &ssize), 0);
		CHECK_INT(ssize, 96);
		CHECK_INT(btfread_struct_size(b, "not_a_struct", &ssize), -ENOENT);
		CHECK_INT(btfread_member(b, NULL, "pid", &off, &size), -ENOENT);
		CHECK_INT(btfread_member(b, "task_struct", NULL, &off, &size), -ESRCH);
		CHECK_INT(btfread_enumerator(b, NULL, "BPF_MAP_TYPE_HASH", &v), -ENOENT);
		CHECK_INT(btfread_enumerator(b, "bpf_map_type", NULL, &v), -ESRCH);
		CHECK_INT(off, -7);
		check_answers(b);
	}
	btfread_free(b);
	free(d);
	btf__free(btf);
}

/* The same BTF, big-endian: swapped here, checked against libbpf's own big-endian output. */
static void big_endian_lookups(void)
{
	unsigned char *d, *be;
	struct btf *btf = sample();
	struct btfread_header h;
	struct btfread *b = NULL;
	char err[256] = "";
	const void *lib;
	__u32 lib_len = 0;
	size_t len = 0;

	CHECK(btf != NULL);
	if (!btf)
		return;
	d = raw_copy(btf, &len);
	be = to_big_endian(d, len);
	CHECK_INT(btf__set_endianness(btf, BTF_BIG_ENDIAN), 0);
	lib = btf__raw_data(btf, &lib_len);
	CHECK(lib && lib_len == len && !memcmp(lib, be, len));
	CHECK_INT(btfread_header(be, len, &h, err, sizeof(err)), 0);
	CHECK(h.swapped);
	CHECK_INT(h.hdr_len, 24);
	CHECK_INT(h.total, len);
	CHECK_INT(btfread_open(be, len, &b, err, sizeof(err)), 0);
	if (b) {
		/* the copy is owned: the caller's bytes may go */
		memset(be, 0xa5, len);
		free(be);
		be = NULL;
		check_answers(b);
	}
	btfread_free(b);
	free(be);
	free(d);
	btf__free(btf);
}

/*
 * The BTF the damage table starts from, whose layout the table relies on:
 *   [1] INT 'int' size 4           type section 0..16   (12 + 4)
 *   [2] STRUCT 's' size 8 vlen 2   16..52               (12 + 2 * 12): 'a' int @0, 'b' int @32
 *   [3] ENUM 'e' size 4 vlen 1     52..72               (12 + 8): 'E1' = 1
 * then the strings "\0int\0s\0a\0b\0e\0E1\0" (16 bytes) at 72.
 */
#define T1	  (24 + 0)
#define T2	  (24 + 16)
#define T3	  (24 + 52)
#define STR	  (24 + 72)
#define SMALL_LEN (24 + 72 + 16)

static unsigned char *small(size_t *len)
{
	struct btf *btf = btf__new_empty();
	unsigned char *d = NULL;
	int err = 0, t_int;

	if (!btf)
		return NULL;
	t_int = chk(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), &err);
	chk(btf__add_struct(btf, "s", 8), &err);
	chk(btf__add_field(btf, "a", t_int, 0, 0), &err);
	chk(btf__add_field(btf, "b", t_int, 32, 0), &err);
	chk(btf__add_enum(btf, "e", 4), &err);
	chk(btf__add_enum_value(btf, "E1", 1), &err);
	if (!err)
		d = raw_copy(btf, len);
	btf__free(btf);
	return d;
}

/* The damages, applied to a host-order copy of small(): d may be changed, len shortened. */
static void bad_magic(unsigned char *d, size_t *len)
{
	d[0] = 0x12;
	(void)len;
}

static void bad_version(unsigned char *d, size_t *len)
{
	d[2] = 2;
	(void)len;
}

static void bad_flags(unsigned char *d, size_t *len)
{
	d[3] = 1;
	(void)len;
}

static void short_hdr_len(unsigned char *d, size_t *len)
{
	put32(d, 4, 20);
	(void)len;
}

static void huge_hdr_len(unsigned char *d, size_t *len)
{
	put32(d, 4, UINT32_MAX);
	(void)len;
}

static void empty(unsigned char *d, size_t *len)
{
	*len = 0;
	(void)d;
}

static void header_cut(unsigned char *d, size_t *len)
{
	*len = 23;
	(void)d;
}

static void last_byte_cut(unsigned char *d, size_t *len)
{
	*len -= 1;
	(void)d;
}

static void types_past_end(unsigned char *d, size_t *len)
{
	put32(d, 12, 4096); /* type_len */
	(void)len;
}

static void strings_past_end(unsigned char *d, size_t *len)
{
	put32(d, 20, get32(d, 20) + 1); /* str_len */
	(void)len;
}

/* type_off + type_len is 4 in u32 arithmetic, 2^32 + 4 in fact */
static void types_wrap(unsigned char *d, size_t *len)
{
	put32(d, 8, 0xfffffffc);
	put32(d, 12, 8);
	(void)len;
}

static void strings_wrap(unsigned char *d, size_t *len)
{
	put32(d, 16, 0xffffff00);
	put32(d, 20, 0x100 + 72 + 16);
	(void)len;
}

static void overlap(unsigned char *d, size_t *len)
{
	put32(d, 16, 68); /* str_off inside the types */
	put32(d, 20, 16);
	(void)len;
}

static void unaligned_types(unsigned char *d, size_t *len)
{
	put32(d, 8, 2);
	put32(d, 12, 68);
	(void)len;
}

static void record_cut(unsigned char *d, size_t *len)
{
	put32(d, 12, 8); /* one 8-byte piece of a 16-byte INT record */
	(void)len;
}

static void no_final_nul(unsigned char *d, size_t *len)
{
	d[*len - 1] = 'x';
}

static void no_first_nul(unsigned char *d, size_t *len)
{
	d[STR] = 'x';
	(void)len;
}

static void no_strings(unsigned char *d, size_t *len)
{
	put32(d, 20, 0);
	(void)len;
}

static void type_name_past(unsigned char *d, size_t *len)
{
	put32(d, T2, 16); /* the string section is 16 bytes: 15 is its last */
	(void)len;
}

static void member_name_past(unsigned char *d, size_t *len)
{
	put32(d, T2 + 12 + 12, UINT32_MAX); /* member 1 ('b') */
	(void)len;
}

static void enumerator_name_past(unsigned char *d, size_t *len)
{
	put32(d, T3 + 12, 1000);
	(void)len;
}

static void vlen_past(unsigned char *d, size_t *len)
{
	put32(d, T3 + 4, get32(d, T3 + 4) + 1); /* 2 enumerators, room for 1 */
	(void)len;
}

static void vlen_huge(unsigned char *d, size_t *len)
{
	put32(d, T2 + 4, get32(d, T2 + 4) | 0xffff);
	(void)len;
}

static void kind_20(unsigned char *d, size_t *len)
{
	put32(d, T1 + 4, 20u << 24);
	(void)len;
}

static void kind_31(unsigned char *d, size_t *len)
{
	put32(d, T3 + 4, 31u << 24 | 1);
	(void)len;
}

static void member_type_past(unsigned char *d, size_t *len)
{
	put32(d, T2 + 12 + 4, 4); /* member 'a' of type 4; there are 3 */
	(void)len;
}

static void member_type_huge(unsigned char *d, size_t *len)
{
	put32(d, T2 + 12 + 12 + 4, UINT32_MAX);
	(void)len;
}

static void damage_table(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		void (*damage)(unsigned char *d, size_t *len);
		const char *err;	/* in the reason */
	} cases[] = {
		{ "bad magic", bad_magic, "bad magic 0x12eb" },
		{ "version 2", bad_version, "version 2" },
		{ "flags", bad_flags, "flags 0x1" },
		{ "hdr_len 20", short_hdr_len, "header length 20: shorter than 24" },
		{ "hdr_len 2^32-1", huge_hdr_len, "header length 4294967295: past the end" },
		{ "empty", empty, "0 bytes" },
		{ "cut in the header", header_cut, "23 bytes" },
		{ "last byte cut", last_byte_cut, "string section at 72 + 16: past the end" },
		{ "types past the end", types_past_end, "type section at 0 + 4096: past the end" },
		{ "strings past the end", strings_past_end, "string section at 72 + 17: past" },
		{ "type_off + type_len wraps u32", types_wrap, "type section at 4294967292 + 8" },
		{ "str_off + str_len wraps u32", strings_wrap, "string section at 4294967040 + 344" },
		{ "sections overlap", overlap, "overlaps" },
		{ "type_off unaligned", unaligned_types, "not aligned" },
		{ "record cut", record_cut, "type 1 at offset 0: record runs past the 8-byte" },
		{ "strings without final NUL", no_final_nul, "not end with a NUL" },
		{ "strings without first NUL", no_first_nul, "not start with a NUL" },
		{ "no strings", no_strings, "empty string section" },
		{ "type name past strings", type_name_past, "type 2: name offset 16 past the 16-byte" },
		{ "member name past strings", member_name_past, "type 2, member 1: name offset" },
		{ "enumerator name past strings", enumerator_name_past, "type 3, enumerator 0" },
		{ "vlen past the types", vlen_past, "type 3 at offset 52: record runs past" },
		{ "vlen 65535", vlen_huge, "type 2 at offset 16: record runs past" },
		{ "kind 20", kind_20, "type 1 at offset 0: unknown kind 20" },
		{ "kind 31", kind_31, "type 3 at offset 52: unknown kind 31" },
		{ "member type 4 of 3", member_type_past, "type 2: refers to type 4, past the last type 3" },
		{ "member type 2^32-1", member_type_huge, "refers to type 4294967295" },
	};
	/* clang-format on */
	struct btfread *b = NULL;
	unsigned char *good, *d;
	char err[256];
	size_t i, len = 0, dlen;
	int ret;

	good = small(&len);
	CHECK(good != NULL);
	if (!good)
		return;
	/* the layout the damages rely on */
	CHECK_INT(len, SMALL_LEN);
	CHECK_INT(get32(good, 12), 72);
	CHECK_INT(get32(good, 16), 72);
	CHECK_INT(get32(good, 20), 16);
	CHECK(!memcmp(good + STR, "\0int\0s\0a\0b\0e\0E1\0", 16));
	CHECK_INT(btfread_open(good, len, &b, err, sizeof(err)), 0);
	CHECK_INT(btfread_nr_types(b), 3);
	btfread_free(b);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* exactly dlen bytes, so that AddressSanitizer sees any read past them */
		d = util_xmalloc(len);
		memcpy(d, good, len);
		dlen = len;
		cases[i].damage(d, &dlen);
		if (dlen < len) {
			unsigned char *cut = util_xmalloc(dlen);

			memcpy(cut, d, dlen);
			free(d);
			d = cut;
		}
		strcpy(err, "");
		b = (struct btfread *)d; /* must come back NULL */
		ret = btfread_open(dlen ? d : NULL, dlen, &b, err, sizeof(err));
		if (ret != -EINVAL || !strstr(err, cases[i].err))
			printf("#   %s: %d \"%s\"\n", cases[i].name, ret, err);
		CHECK_INT(ret, -EINVAL);
		CHECK(b == NULL);
		CHECK(strstr(err, cases[i].err) != NULL);
		CHECK(printable(err));
		/*
		 * And the same in the other byte order, where the swap here can follow the
		 * type section: it has to be in the buffer.
		 */
		if (dlen >= 24 && d[0] == 0x9f && get32(d, 4) == 24 &&
		    (uint64_t)get32(d, 8) + get32(d, 12) <= dlen - 24) {
			unsigned char *be = to_big_endian(d, dlen);

			strcpy(err, "");
			CHECK_INT(btfread_open(be, dlen, &b, err, sizeof(err)), -EINVAL);
			CHECK(strstr(err, cases[i].err) != NULL);
			free(be);
		}
		free(d);
	}
	free(good);
}

/* BTF of n pointers to void, written by hand: the smallest records there are. */
static unsigned char *pointers(uint32_t n, size_t *len)
{
	unsigned char *d;
	uint32_t i;

	*len = 24 + (size_t)n * 12 + 1;
	d = calloc(1, *len);
	if (!d)
		return NULL;
	d[0] = 0x9f;
	d[1] = 0xeb;
	d[2] = 1;
	put32(d, 4, 24);
	put32(d, 8, 0);
	put32(d, 12, n * 12);
	put32(d, 16, n * 12);
	put32(d, 20, 1);
	for (i = 0; i < n; i++)
		put32(d, 24 + (size_t)i * 12 + 4, 2u << 24); /* BTF_KIND_PTR, to type 0 */
	return d;
}

/* The kernel's limit on the number of types holds; one more is refused, not indexed. */
static void type_count_limit(void)
{
	struct btfread *b = NULL;
	char err[256] = "";
	unsigned char *d;
	size_t len;

	d = pointers(BTFREAD_MAX_TYPES, &len);
	CHECK(d != NULL);
	CHECK_INT(btfread_open(d, len, &b, err, sizeof(err)), 0);
	if (b)
		CHECK_INT(btfread_nr_types(b), BTFREAD_MAX_TYPES);
	btfread_free(b);
	free(d);
	d = pointers(BTFREAD_MAX_TYPES + 1, &len);
	CHECK(d != NULL);
	CHECK_INT(btfread_open(d, len, &b, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "more than 1048575 types");
	CHECK(b == NULL);
	free(d);
}

/* A support bundle may keep the header alone: btfread_header judges it, open refuses it. */
static void header_only(void)
{
	struct btfread_header h;
	struct btfread *b = NULL;
	unsigned char *good, *hdr, *be;
	char err[256] = "";
	size_t len = 0;

	good = small(&len);
	CHECK(good != NULL);
	if (!good)
		return;
	hdr = util_xmalloc(24);
	memcpy(hdr, good, 24);
	CHECK_INT(btfread_header(hdr, 24, &h, err, sizeof(err)), 0);
	CHECK_INT(h.total, SMALL_LEN);
	CHECK_INT(h.type_off, 0);
	CHECK_INT(h.type_len, 72);
	CHECK_INT(h.str_off, 72);
	CHECK_INT(h.str_len, 16);
	CHECK_INT(btfread_open(hdr, 24, &b, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "past the end of the 0 bytes after the header") != NULL);
	be = to_big_endian(good, len);
	CHECK_INT(btfread_header(be, 24, &h, err, sizeof(err)), 0);
	CHECK(h.swapped);
	CHECK_INT(h.total, SMALL_LEN);
	CHECK_INT(h.str_len, 16);
	/* the largest claim a header can make does not wrap */
	memset(hdr + 4, 0xff, 20);
	CHECK_INT(btfread_header(hdr, 24, &h, err, sizeof(err)), 0);
	CHECK(h.total == 0xffffffffull + 0xffffffffull + 0xffffffffull);
	free(be);
	free(hdr);
	free(good);
}

/*
 * libbpf's writer refuses what old BTF (before kind_flag) could hold: a member at a bit
 * offset without a bitfield size, an int narrower than its bytes. Such words are written
 * as a marker here, then changed in the raw bytes: the one 4-aligned word equal to from in
 * the type section becomes to.
 */
static bool patch_word(unsigned char *d, size_t len, uint32_t from, uint32_t to)
{
	size_t i, at = 0, found = 0;

	for (i = 24 + get32(d, 8); i + 4 <= 24 + (size_t)get32(d, 8) + get32(d, 12) && i + 4 <= len;
	     i += 4)
		if (get32(d, i) == from) {
			at = i;
			found++;
		}
	if (found == 1)
		put32(d, at, to);
	return found == 1;
}

/*
 * Lookups open() cannot vouch for: typedef loops (every id in them exists), arrays whose
 * size overflows, members outside their struct, members of types without a size.
 */
static void bounded_lookups(void)
{
	int t_int, t_a, t_self, t_big, t_huge, t_zero, t_wrap, t_chain, t_proto, t_long, t_old, i;
	int err = 0;
	struct btf *btf = btf__new_empty();
	struct btfread *b = NULL;
	unsigned char *d = NULL;
	char e[256] = "";
	size_t len = 0;
	int off = -7, size = -7;

	CHECK(btf != NULL);
	if (!btf)
		return;
	t_int = chk(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), &err);
	t_long = chk(btf__add_int(btf, "long int", 8, BTF_INT_SIGNED), &err);
	/* loop_a -> loop_b -> loop_a; self -> self */
	t_a = chk(btf__add_typedef(btf, "loop_a", t_long + 2), &err);
	chk(btf__add_typedef(btf, "loop_b", t_a), &err);
	t_self = chk(btf__add_typedef(btf, "self", t_long + 3), &err);
	/* int[65536][65536]: 2^34 bytes; int[2^31 - 1]: past INT_MAX; int[1000][0]: 0 */
	t_big = chk(btf__add_array(btf, t_int, t_int, 65536), &err);
	t_big = chk(btf__add_array(btf, t_int, t_big, 65536), &err);
	t_huge = chk(btf__add_array(btf, t_int, t_int, INT_MAX), &err);
	t_zero = chk(btf__add_array(btf, t_int, t_int, 0), &err);
	t_zero = chk(btf__add_array(btf, t_int, t_zero, 1000), &err);
	/* int[65536][65536][65536][65536]: 2^64 elements, 0 in 64-bit arithmetic */
	t_wrap = t_int;
	for (i = 0; i < 4; i++)
		t_wrap = chk(btf__add_array(btf, t_int, t_wrap, 65536), &err);
	/* 20 typedefs deep resolves; 40 exceeds the limit */
	t_chain = t_int;
	for (i = 0; i < 40; i++) {
		t_chain = chk(btf__add_typedef(btf, "deep", t_chain), &err);
		if (i == 19)
			chk(btf__add_typedef(btf, "deep20", t_chain), &err);
	}
	t_proto = chk(btf__add_func_proto(btf, t_int), &err);
	/* int:3, old style: its encoding (all flags: a marker) patched to 3 bits below */
	t_old = chk(btf__add_int(btf, "int3", 4, BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL),
		    &err);
	chk(btf__add_struct(btf, "odd", 16), &err);
	chk(btf__add_field(btf, "loop", t_a, 0, 0), &err);
	chk(btf__add_field(btf, "self", t_self, 0, 0), &err);
	chk(btf__add_field(btf, "big", t_big, 0, 0), &err);
	chk(btf__add_field(btf, "huge", t_huge, 0, 0), &err);
	chk(btf__add_field(btf, "wrap", t_wrap, 0, 0), &err);
	chk(btf__add_field(btf, "zero", t_zero, 128, 0), &err);
	chk(btf__add_field(btf, "deep40", t_chain, 0, 0), &err);
	chk(btf__add_field(btf, "deep20", t_chain - 20, 0, 0), &err);
	chk(btf__add_field(btf, "void", 0, 0, 0), &err);
	chk(btf__add_field(btf, "proto", t_proto, 0, 0), &err);
	chk(btf__add_field(btf, "past_end", t_long, 64, 0), &err); /* 8..16: fits */
	chk(btf__add_field(btf, "over_end", t_long, 72, 0), &err); /* 9..17: does not */
	/* offsets 0x77700.. are markers, patched below */
	chk(btf__add_field(btf, "unaligned_int", t_int, 0x77700, 0), &err); /* bits 4..36 */
	chk(btf__add_field(btf, "unaligned_end", t_int, 0x77708, 0), &err); /* bits 100..132 */
	chk(btf__add_field(btf, "old_bf", t_old, 0x77710, 0), &err);	    /* bits 125..128 */
	chk(btf__add_field(btf, "old_bf_over", t_old, 0x77718, 0), &err);   /* bits 126..129 */
	chk(btf__add_field(btf, "far", t_int, UINT32_MAX - 31, 0), &err);
	chk(btf__add_struct(btf, "bf", 8), &err);
	chk(btf__add_field(btf, "top", t_int, 28, 4), &err);	   /* bits 28..32: fits */
	chk(btf__add_field(btf, "wide", t_int, 0, 33), &err);	   /* 33 bits of a 32-bit int */
	chk(btf__add_field(btf, "end", t_int, 60, 4), &err);	   /* bits 60..64: fits */
	chk(btf__add_field(btf, "end_over", t_int, 61, 4), &err);  /* bits 61..65 */
	chk(btf__add_field(btf, "arr", t_zero, 0x77720, 0), &err); /* an array at bit 3 */
	CHECK_INT(err, 0);
	if (!err)
		d = raw_copy(btf, &len);
	if (!d)
		goto out;
	CHECK(patch_word(d, len, 0x77700, 4));
	CHECK(patch_word(d, len, 0x77708, 100));
	CHECK(patch_word(d, len, 0x77710, 125));
	CHECK(patch_word(d, len, 0x77718, 126));
	CHECK(patch_word(d, len, 0x77720, 3));
	CHECK(patch_word(d, len, 0x07000020, 0x07000003));
	CHECK_INT(btfread_open(d, len, &b, e, sizeof(e)), 0);
	if (!b)
		goto out;
	/* clang-format off */
	static const struct {
		const char *sname, *member;
		int ret, off, size;
	} cases[] = {
		{ "odd", "loop", -EINVAL, 0, 0 },
		{ "odd", "self", -EINVAL, 0, 0 },
		{ "odd", "big", -EINVAL, 0, 0 },
		{ "odd", "huge", -EINVAL, 0, 0 },
		{ "odd", "wrap", -EINVAL, 0, 0 },
		{ "odd", "zero", 0, 16, 0 },
		{ "odd", "deep40", -EINVAL, 0, 0 },
		{ "odd", "deep20", 0, 0, 4 },
		{ "odd", "void", -EINVAL, 0, 0 },
		{ "odd", "proto", -EINVAL, 0, 0 },
		{ "odd", "past_end", 0, 8, 8 },
		{ "odd", "over_end", -EINVAL, 0, 0 },
		{ "odd", "unaligned_int", 0, 0, 4 },
		{ "odd", "unaligned_end", -EINVAL, 0, 0 },
		{ "odd", "old_bf", 0, 15, 4 },
		{ "odd", "old_bf_over", -EINVAL, 0, 0 },
		{ "odd", "far", -EINVAL, 0, 0 },
		{ "bf", "top", 0, 3, 4 },
		{ "bf", "wide", -EINVAL, 0, 0 },
		{ "bf", "end", 0, 7, 4 },
		{ "bf", "end_over", -EINVAL, 0, 0 },
		{ "bf", "arr", -EINVAL, 0, 0 },
	};
	/* clang-format on */
	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		off = size = -7;
		if (btfread_member(b, cases[i].sname, cases[i].member, &off, &size) != cases[i].ret)
			printf("#   %s.%s\n", cases[i].sname, cases[i].member);
		CHECK_INT(btfread_member(b, cases[i].sname, cases[i].member, &off, &size),
			  cases[i].ret);
		CHECK_INT(off, cases[i].ret ? -7 : cases[i].off);
		CHECK_INT(size, cases[i].ret ? -7 : cases[i].size);
	}
out:
	btfread_free(b);
	free(d);
	btf__free(btf);
}

/* The types the oracle compares; every member of each, and of every 25th struct besides. */
static const char *const oracle_structs[] = { "trace_event_raw_sched_process_exec", "task_struct",
					      "linux_binprm", "trace_entry" };

/* Offset and size of sname.member as libbpf sees them; the same return codes. */
static int lib_member(const struct btf *btf, int id, const char *member, int *off, int *size)
{
	const struct btf_type *t = btf__type_by_id(btf, (__u32)id);
	const struct btf_member *m = btf_members(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		*off = (int)(btf_member_bit_offset(t, (__u32)i) / 8);
		*size = (int)btf__resolve_size(btf, m->type);
		return 0;
	}
	return -ESRCH;
}

/* Every named member of struct id compared; returns the number compared. */
static int compare_struct(const struct btf *btf, const struct btfread *b, int id)
{
	const struct btf_type *t = btf__type_by_id(btf, (__u32)id);
	const char *sname = btf__name_by_offset(btf, t->name_off), *name;
	const struct btf_member *m = btf_members(t);
	int i, n = 0, off, size, loff, lsize, ret;
	unsigned int ssize = 0;

	CHECK_INT(btfread_struct_size(b, sname, &ssize), 0);
	CHECK_INT(ssize, t->size);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		name = btf__name_by_offset(btf, m->name_off);
		if (!*name)
			continue;
		/* the first member of that name, as both look it up */
		if (lib_member(btf, id, name, &loff, &lsize))
			continue;
		off = size = -1;
		ret = btfread_member(b, sname, name, &off, &size);
		if (ret || off != loff || size != lsize)
			printf("#   %s.%s: %d %d+%d, libbpf %d+%d\n", sname, name, ret, off, size,
			       loff, lsize);
		CHECK_INT(ret, 0);
		CHECK_INT(off, loff);
		CHECK_INT(size, lsize);
		n++;
	}
	return n;
}

static void compare_enum(const struct btf *btf, const struct btfread *b, const char *ename,
			 const char *must)
{
	int id = btf__find_by_name_kind(btf, ename, BTF_KIND_ENUM);
	const struct btf_type *t;
	const struct btf_enum *e;
	bool found = false;
	long long v;
	int i;

	CHECK(id > 0);
	if (id <= 0)
		return;
	t = btf__type_by_id(btf, (__u32)id);
	e = btf_enum(t);
	for (i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);
		long long lv = btf_kflag(t) ? (long long)e->val : (long long)(__u32)e->val;

		v = 12345;
		CHECK_INT(btfread_enumerator(b, ename, name, &v), 0);
		CHECK_INT(v, lv);
		found |= !strcmp(name, must);
	}
	CHECK(found);
	CHECK_INT(btfread_enumerator(b, ename, must, &v), 0);
}

static void vmlinux_compare(const unsigned char *data, size_t len, struct btf *btf)
{
	struct btfread *b = NULL;
	int off, size, loff, lsize, id, n = 0, nstructs = 0, compared = 0;
	char err[256] = "";
	size_t i;

	CHECK_INT(btfread_open(data, len, &b, err, sizeof(err)), 0);
	if (!b) {
		printf("#   %s\n", err);
		return;
	}
	CHECK_INT(btfread_nr_types(b), btf__type_cnt(btf) - 1);
	for (i = 0; i < ARRAY_SIZE(oracle_structs); i++) {
		id = btf__find_by_name_kind(btf, oracle_structs[i], BTF_KIND_STRUCT);
		CHECK(id > 0);
		if (id > 0) {
			n += compare_struct(btf, b, id);
			compared++;
		}
	}
	/* the sensor's members by name; filename is __data_loc_filename since 4.x */
	id = btf__find_by_name_kind(btf, "trace_event_raw_sched_process_exec", BTF_KIND_STRUCT);
	if (id > 0) {
		static const char *const members[] = { "filename", "__data_loc_filename", "pid",
						       "old_pid" };

		for (i = 0; i < ARRAY_SIZE(members); i++) {
			int lret = lib_member(btf, id, members[i], &loff, &lsize);

			CHECK_INT(btfread_member(b, "trace_event_raw_sched_process_exec",
						 members[i], &off, &size),
				  lret);
			if (!lret) {
				CHECK_INT(off, loff);
				CHECK_INT(size, lsize);
			}
		}
	}
	/* a sample of the whole file: the first struct of each name, every 25th */
	for (id = 1; id < (int)btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, (__u32)id);
		const char *name = btf__name_by_offset(btf, t->name_off);

		if (!btf_is_struct(t) || !*name || nstructs++ % 25 ||
		    btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT) != id)
			continue;
		n += compare_struct(btf, b, id);
		compared++;
	}
	printf("#   %d members of %d structs compared with libbpf's\n", n, compared);
	CHECK(n > 100);
	compare_enum(btf, b, "bpf_map_type", "BPF_MAP_TYPE_RINGBUF");
	compare_enum(btf, b, "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT");
	btfread_free(b);
}

/* The running kernel's BTF, read by both; and once more, byte-swapped. */
static void vmlinux_oracle(char *data, size_t len)
{
	struct btf *btf = btf__parse(VMLINUX, NULL);
	unsigned char *be;

	CHECK(btf != NULL);
	if (!btf)
		return;
	vmlinux_compare((unsigned char *)data, len, btf);
	be = to_big_endian((unsigned char *)data, len);
	vmlinux_compare(be, len, btf);
	free(be);
	btf__free(btf);
}

/*
 * Run mkbtf ARGS...; returns its exit status, or -1 when it could not be run. Its usage
 * message goes to /dev/null where a usage error is the expected answer (quiet).
 */
static int run_mkbtf(bool quiet, const char *mkbtf, const char *a1, const char *a2, const char *a3,
		     const char *a4, const char *a5)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (quiet && !freopen("/dev/null", "w", stderr))
			_exit(126);
		execl(mkbtf, mkbtf, a1, a2, a3, a4, a5, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The file mkbtf wrote, opened; NULL (and a failed check) when it cannot be. */
static struct btfread *open_file(const char *path, char **data)
{
	struct btfread *b = NULL;
	char err[256] = "";
	size_t len = 0;

	*data = NULL;
	CHECK_INT(util_read_file(path, 64u << 20, data, &len), 0);
	if (!*data)
		return NULL;
	CHECK_INT(btfread_open(*data, len, &b, err, sizeof(err)), 0);
	if (*err)
		printf("#   %s: %s\n", path, err);
	return b;
}

/* mkbtf's three layouts: a 6.x kernel's, one with other offsets, one without RINGBUF. */
static void mkbtf_output(const char *mkbtf)
{
	char dir[] = "/tmp/test_btfread.XXXXXX", path[64];
	struct btfread *b;
	long long v = -1;
	int off = -1, size = -1;
	char *data = NULL;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/vmlinux", dir);

	CHECK_INT(run_mkbtf(false, mkbtf, path, NULL, NULL, NULL, NULL), 0);
	b = open_file(path, &data);
	if (!b)
		goto out;
	CHECK_INT(btfread_member(b, "trace_event_raw_sched_process_exec", "__data_loc_filename",
				 &off, &size),
		  0);
	CHECK_INT(off, 8);
	CHECK_INT(size, 4);
	CHECK_INT(btfread_member(b, "trace_event_raw_sched_process_exec", "old_pid", &off, &size),
		  0);
	CHECK_INT(off, 16);
	CHECK_INT(btfread_enumerator(b, "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT", &v), 0);
	CHECK_INT(v, 5);
	CHECK_INT(btfread_enumerator(b, "bpf_map_type", "BPF_MAP_TYPE_RINGBUF", &v), 0);
	CHECK_INT(v, 27);
	CHECK_INT(btfread_enumerator(b, "bpf_map_type", "BPF_MAP_TYPE_USER_RINGBUF", &v), 0);
	CHECK_INT(v, 31);
	btfread_free(b);
	free(data);
	data = NULL;

	CHECK_INT(run_mkbtf(false, mkbtf, path, "16", "8", "12", NULL), 0);
	b = open_file(path, &data);
	if (!b)
		goto out;
	CHECK_INT(btfread_member(b, "trace_event_raw_sched_process_exec", "pid", &off, &size), 0);
	CHECK_INT(off, 8);
	CHECK_INT(btfread_enumerator(b, "bpf_map_type", "BPF_MAP_TYPE_RINGBUF", &v), 0);
	btfread_free(b);
	free(data);
	data = NULL;

	CHECK_INT(run_mkbtf(false, mkbtf, "--no-ringbuf", path, "8", "20", "16"), 0);
	b = open_file(path, &data);
	if (!b)
		goto out;
	CHECK_INT(btfread_member(b, "trace_event_raw_sched_process_exec", "pid", &off, &size), 0);
	CHECK_INT(off, 20);
	CHECK_INT(btfread_enumerator(b, "bpf_map_type", "BPF_MAP_TYPE_RINGBUF", &v), -ESRCH);
	CHECK_INT(btfread_enumerator(b, "bpf_map_type", "BPF_MAP_TYPE_STRUCT_OPS", &v), 0);
	CHECK_INT(v, 26);
	CHECK_INT(btfread_enumerator(b, "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT", &v), 0);
	CHECK_INT(v, 5);
	btfread_free(b);

	/* the option goes before OUT; anything else is a usage error, not a file */
	CHECK_INT(run_mkbtf(true, mkbtf, path, "--no-ringbuf", NULL, NULL, NULL), 2);
	CHECK_INT(run_mkbtf(true, mkbtf, "--no-ringbuf", NULL, NULL, NULL, NULL), 2);
	CHECK_INT(run_mkbtf(true, mkbtf, "--ringbuf", path, NULL, NULL, NULL), 2);
	CHECK_INT(run_mkbtf(true, mkbtf, path, "8", "4", "16", NULL), 2);
out:
	free(data);
	unlink(path);
	CHECK_INT(rmdir(dir), 0);
}

int main(void)
{
	const char *mkbtf = getenv("MKBTF");
	char *data = NULL, why[128];
	size_t len = 0;
	int ret;

	RUN(native_lookups);
	RUN(big_endian_lookups);
	RUN(damage_table);
	RUN(header_only);
	RUN(type_count_limit);
	RUN(bounded_lookups);
	if (mkbtf && *mkbtf) {
		mkbtf_output(mkbtf);
		check_done("mkbtf_output");
	} else {
		check_skip("mkbtf_output", "MKBTF not set (ctest sets it)");
	}
	ret = util_read_file(VMLINUX, 64u << 20, &data, &len);
	if (ret) {
		snprintf(why, sizeof(why), "%s: %s", VMLINUX, strerror(-ret));
		check_skip("vmlinux_oracle", why);
	} else {
		vmlinux_oracle(data, len);
		check_done("vmlinux_oracle");
	}
	free(data);
	return check_finish();
}
