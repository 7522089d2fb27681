// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mkmaps: create populated BPF maps and pin them under a bpffs directory, for the map-dump
 * tests (tests/cli/mapdump.bats) and benchmark (bench/map_dump.sh).
 *
 *   mkmaps DIR [--tag T] [--hold]       the test maps, each pinned as DIR/<kind>
 *   mkmaps DIR --big N [--btf] [--tag T] one hash map of N entries (u32 key, 64-byte value)
 *   mkmaps --churn PATH SECONDS          delete and re-add entries of a pinned u32-keyed hash
 *
 * DIR is created (it must be on a bpffs, e.g. /sys/fs/bpf/edrdiag-test-$$) and one line
 * "<kind> <id>" is printed for each object. Map names are "md<T>_<kind>" (T: up to 5
 * letters or digits, default none), so that concurrent test runs can tell theirs apart by
 * name. With --hold, mkmaps keeps its fds open and waits for SIGTERM, so that the maps have
 * a holder process. The contents are fixed: the tests compare map-dump with bpftool on them.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NAME_LEN 16 /* BPF_OBJ_NAME_LEN */

static const char *dir, *tag = "";
static int ncpus;

/* The value of the "hash" test map: every kind of BTF the formatter renders, in 64 bytes. */
struct md_value {
	unsigned long long seq;
	int pid;
	unsigned int flags;
	char comm[16];
	unsigned char raw[8];
	unsigned int kind; /* enum md_kind */
	unsigned int word; /* union md_word { __u32 word; __u16 halves[2]; } */
	short delta;	   /* const short */
	unsigned char ok;  /* _Bool */
	char grade;
	unsigned int bits;	/* prio:3, cls:5 */
	unsigned long long ptr; /* void * */
};

_Static_assert(sizeof(struct md_value) == 64, "md_value is 64 bytes");

/* Type ids of the BTF shared by the test maps. */
static struct {
	int u32, u64, s32, value, counter, tkey, slot, bss;
} t;

static int fail(const char *what, int err)
{
	fprintf(stderr, "mkmaps: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

/* Each add returns a type id (> 0) or a negative error; keep the first error. */
static int chk(int id, int *err)
{
	if (id < 0 && !*err)
		*err = id;
	return id;
}

static struct btf *build_btf(void)
{
	int u8, u16, s16, s32, u32, u64, chr, boolean, comm, raw, kind, word, halves, cs16, ptr;
	int name12, level, drops, err = 0;
	struct btf *btf = btf__new_empty();

	if (!btf)
		return NULL;
	u8 = chk(btf__add_int(btf, "unsigned char", 1, 0), &err);
	u16 = chk(btf__add_int(btf, "short unsigned int", 2, 0), &err);
	s16 = chk(btf__add_int(btf, "short int", 2, BTF_INT_SIGNED), &err);
	s32 = chk(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), &err);
	u32 = chk(btf__add_int(btf, "unsigned int", 4, 0), &err);
	u64 = chk(btf__add_int(btf, "long long unsigned int", 8, 0), &err);
	chr = chk(btf__add_int(btf, "char", 1, BTF_INT_CHAR), &err);
	boolean = chk(btf__add_int(btf, "_Bool", 1, BTF_INT_BOOL), &err);
	t.u32 = chk(btf__add_typedef(btf, "__u32", u32), &err);
	t.u64 = chk(btf__add_typedef(btf, "__u64", u64), &err);
	t.s32 = s32;
	comm = chk(btf__add_array(btf, u32, chr, 16), &err);
	raw = chk(btf__add_array(btf, u32, u8, 8), &err);
	halves = chk(btf__add_array(btf, u32, u16, 2), &err);
	cs16 = chk(btf__add_const(btf, s16), &err);
	ptr = chk(btf__add_ptr(btf, 0), &err);

	kind = chk(btf__add_enum(btf, "md_kind", 4), &err);
	chk(btf__add_enum_value(btf, "MD_NONE", 0), &err);
	chk(btf__add_enum_value(btf, "MD_EXEC", 1), &err);
	chk(btf__add_enum_value(btf, "MD_EXIT", 2), &err);

	word = chk(btf__add_union(btf, "md_word", 4), &err);
	chk(btf__add_field(btf, "word", u32, 0, 0), &err);
	chk(btf__add_field(btf, "halves", halves, 0, 0), &err);

	t.value = chk(btf__add_struct(btf, "md_value", 64), &err);
	chk(btf__add_field(btf, "seq", t.u64, 0, 0), &err);
	chk(btf__add_field(btf, "pid", s32, 64, 0), &err);
	chk(btf__add_field(btf, "flags", t.u32, 96, 0), &err);
	chk(btf__add_field(btf, "comm", comm, 128, 0), &err);
	chk(btf__add_field(btf, "raw", raw, 256, 0), &err);
	chk(btf__add_field(btf, "kind", kind, 320, 0), &err);
	chk(btf__add_field(btf, "un", word, 352, 0), &err);
	chk(btf__add_field(btf, "delta", cs16, 384, 0), &err);
	chk(btf__add_field(btf, "ok", boolean, 400, 0), &err);
	chk(btf__add_field(btf, "grade", chr, 408, 0), &err);
	chk(btf__add_field(btf, "prio", u32, 416, 3), &err);
	chk(btf__add_field(btf, "cls", u32, 419, 5), &err);
	chk(btf__add_field(btf, "ptr", ptr, 448, 0), &err);

	t.counter = chk(btf__add_struct(btf, "md_counter", 16), &err);
	chk(btf__add_field(btf, "packets", t.u64, 0, 0), &err);
	chk(btf__add_field(btf, "bytes", t.u64, 64, 0), &err);

	t.tkey = chk(btf__add_struct(btf, "md_tkey", 8), &err);
	chk(btf__add_field(btf, "pid", t.u32, 0, 0), &err);
	chk(btf__add_field(btf, "tid", t.u32, 32, 0), &err);

	name12 = chk(btf__add_array(btf, u32, chr, 12), &err);
	t.slot = chk(btf__add_struct(btf, "md_slot", 16), &err);
	chk(btf__add_field(btf, "name", name12, 0, 0), &err);
	chk(btf__add_field(btf, "level", t.u32, 96, 0), &err);

	/* a .bss-like section of two variables, as libbpf gives a program's globals */
	level = chk(btf__add_var(btf, "verbosity", BTF_VAR_GLOBAL_ALLOCATED, s32), &err);
	drops = chk(btf__add_var(btf, "drops", BTF_VAR_GLOBAL_ALLOCATED, t.u32), &err);
	/* the section's var infos must directly follow it */
	t.bss = chk(btf__add_datasec(btf, ".bss", 8), &err);
	chk(btf__add_datasec_var_info(btf, level, 0, 4), &err);
	chk(btf__add_datasec_var_info(btf, drops, 4, 4), &err);
	if (err) {
		btf__free(btf);
		errno = -err;
		return NULL;
	}
	return btf;
}

static int pin(int fd, const char *kind, bool is_prog)
{
	char path[PATH_MAX];
	struct bpf_prog_info pi = {};
	struct bpf_map_info mi = {};
	__u32 len;

	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	if (bpf_obj_pin(fd, path))
		return fail(path, errno);
	if (is_prog) {
		len = sizeof(pi);
		if (bpf_obj_get_info_by_fd(fd, &pi, &len))
			return fail("prog info", errno);
		printf("%s %u\n", kind, pi.id);
	} else {
		len = sizeof(mi);
		if (bpf_obj_get_info_by_fd(fd, &mi, &len))
			return fail("map info", errno);
		printf("%s %u\n", kind, mi.id);
	}
	return 0;
}

/* Create map "md<tag>_<kind>"; btf_fd < 0 for none. Returns the fd or -1 after a message. */
static int create(enum bpf_map_type type, const char *kind, __u32 ksz, __u32 vsz, __u32 max,
		  int btf_fd, __u32 ktype, __u32 vtype)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	char name[NAME_LEN];
	int fd;

	/* cut at 15 characters, as the kernel would */
	snprintf(name, sizeof(name), "md%s_%s", tag, kind);
	if (btf_fd >= 0) {
		o.btf_fd = btf_fd;
		o.btf_key_type_id = ktype;
		o.btf_value_type_id = vtype;
	}
	fd = bpf_map_create(type, name, ksz, vsz, max, &o);
	if (fd < 0)
		fail(name, errno);
	return fd;
}

static int update(int fd, const void *k, const void *v)
{
	if (bpf_map_update_elem(fd, k, v, BPF_ANY))
		return fail("update", errno);
	return 0;
}

static void fill_value(struct md_value *v, unsigned int i)
{
	memset(v, 0, sizeof(*v));
	v->seq = 1000000007ull * i;
	v->pid = i % 5 ? (int)(1000 + i) : -(int)i; /* negative pids: signed rendering */
	v->flags = 0x80000000u | i;
	if (i % 10 == 3)
		memcpy(v->comm, "full-length-comm", 16); /* no NUL: rendered as chars */
	else
		snprintf(v->comm, sizeof(v->comm), "proc-%u", i);
	memcpy(v->raw, "\x00\x01\x7f\x80\xfe\xff", 6);
	v->raw[7] = (unsigned char)i;
	v->kind = i % 4; /* 3 has no enumerator: printed as a number */
	v->word = 0x00020001u * (i + 1);
	v->delta = (short)(i % 3 ? (int)i : -(int)i);
	v->ok = i & 1;
	v->grade = i % 7 == 6 ? '\x01' : (char)('A' + i % 26); /* one control character */
	v->bits = (i % 8) | ((i % 32) << 3) | (0x5a5u << 8);
	v->ptr = i % 2 ? 0xffff888000000000ull + i : 0;
}

static int make_test_maps(int btf_fd, int *fds, int *nfds)
{
	unsigned long long *pcpu;
	struct md_value v;
	unsigned int i, c;
	int fd, n = 0;

	pcpu = calloc((size_t)ncpus, 16);
	if (!pcpu)
		return fail("calloc", ENOMEM);

#define NEW(fdvar, ...)                      \
	do {                                 \
		fdvar = create(__VA_ARGS__); \
		if (fdvar < 0)               \
			goto out;            \
		fds[n++] = fdvar;            \
	} while (0)

	/* hash: u32 key, 64-byte value of every BTF kind */
	NEW(fd, BPF_MAP_TYPE_HASH, "hash", 4, 64, 1024, btf_fd, t.u32, t.value);
	for (i = 0; i < 100; i++) {
		__u32 k = i * 7 + 1;

		fill_value(&v, i);
		if (update(fd, &k, &v))
			goto out;
	}
	if (pin(fd, "hash", false))
		goto out;

	/* array: 16 slots of a char name and a level; slots never written stay zero */
	NEW(fd, BPF_MAP_TYPE_ARRAY, "array", 4, 16, 16, btf_fd, t.u32, t.slot);
	for (i = 0; i < 16; i += 3) {
		struct {
			char name[12];
			__u32 level;
		} s = { .level = i * 11 };

		snprintf(s.name, sizeof(s.name), "slot%u", i);
		if (update(fd, &i, &s))
			goto out;
	}
	if (pin(fd, "array", false))
		goto out;

	/* percpu hash: a different counter on each CPU */
	NEW(fd, BPF_MAP_TYPE_PERCPU_HASH, "pcpu", 4, 16, 64, btf_fd, t.u32, t.counter);
	for (i = 0; i < 20; i++) {
		__u32 k = 100 + i;

		for (c = 0; c < (unsigned int)ncpus; c++) {
			pcpu[2 * c] = i * 10 + c;
			pcpu[2 * c + 1] = (i + 1) * 1500ull * (c + 1);
		}
		if (update(fd, &k, pcpu))
			goto out;
	}
	if (pin(fd, "pcpu", false))
		goto out;

	/* percpu array of u32: each CPU's value padded to 8 bytes by the kernel */
	NEW(fd, BPF_MAP_TYPE_PERCPU_ARRAY, "parr", 4, 4, 8, btf_fd, t.u32, t.u32);
	for (i = 0; i < 8; i++) {
		/* the kernel takes round_up(4, 8) bytes per CPU */
		for (c = 0; c < (unsigned int)ncpus; c++)
			pcpu[c] = 0xabc00000ull + i * 16 + c;
		if (update(fd, &i, pcpu))
			goto out;
	}
	if (pin(fd, "parr", false))
		goto out;

	/* LRU hash with a struct key, well below capacity so nothing is evicted */
	NEW(fd, BPF_MAP_TYPE_LRU_HASH, "lru", 8, 8, 256, btf_fd, t.tkey, t.u64);
	for (i = 0; i < 50; i++) {
		__u32 k[2] = { 4000 + i, 4000 + i * 2 };
		__u64 val = 0xdeadbeef00000000ull | i;

		if (update(fd, k, &val))
			goto out;
	}
	if (pin(fd, "lru", false))
		goto out;

	/* a hash without BTF: 8-byte key, 12-byte value */
	NEW(fd, BPF_MAP_TYPE_HASH, "nobtf", 8, 12, 64, -1, 0, 0);
	for (i = 0; i < 30; i++) {
		__u64 k = 0x0102030405060700ull + i;
		unsigned char val[12];

		for (c = 0; c < sizeof(val); c++)
			val[c] = (unsigned char)(i * 13 + c);
		if (update(fd, &k, val))
			goto out;
	}
	if (pin(fd, "nobtf", false))
		goto out;

	/* an array whose value is a .bss-like section: what a program's globals look like */
	NEW(fd, BPF_MAP_TYPE_ARRAY, "bss", 4, 8, 1, btf_fd, 0, t.bss);
	{
		__u32 k = 0;
		__s32 val[2] = { 3, 17 };

		if (update(fd, &k, val))
			goto out;
	}
	if (pin(fd, "bss", false))
		goto out;

	/* a ring buffer: nothing to dump */
	NEW(fd, BPF_MAP_TYPE_RINGBUF, "ring", 0, 0, 16384, -1, 0, 0);
	if (pin(fd, "ring", false))
		goto out;

	/*
	 * two maps of the same name, for the ambiguous --name case; a name longer than the
	 * kernel keeps (15 characters), for --name given in full
	 */
	NEW(fd, BPF_MAP_TYPE_ARRAY, "twin_long_name", 4, 4, 1, -1, 0, 0);
	if (pin(fd, "twin1", false))
		goto out;
	NEW(fd, BPF_MAP_TYPE_ARRAY, "twin_long_name", 4, 4, 1, -1, 0, 0);
	if (pin(fd, "twin2", false))
		goto out;
	free(pcpu);
	*nfds = n;
	return 0;
out:
	free(pcpu);
	*nfds = n;
	return 1;
#undef NEW
}

/* A trivial program (return 0) pinned as DIR/prog, and a prog array holding it in slot 1. */
static int make_prog(int *fds, int *nfds)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char name[NAME_LEN];
	__u32 k = 1;
	int fd, pa;

	snprintf(name, sizeof(name), "md%s_prog", tag);
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, name, "GPL", insns, 2, NULL);
	if (fd < 0)
		return fail("prog load", errno);
	fds[(*nfds)++] = fd;
	if (pin(fd, "prog", true))
		return 1;
	pa = create(BPF_MAP_TYPE_PROG_ARRAY, "tail", 4, 4, 4, -1, 0, 0);
	if (pa < 0)
		return 1;
	fds[(*nfds)++] = pa;
	if (bpf_map_update_elem(pa, &k, &fd, BPF_ANY))
		return fail("prog array update", errno);
	return pin(pa, "tail", false);
}

/* N entries (keys 0..N-1) in one hash, written in batches: a million in well under a second. */
static int make_big(unsigned long n, int btf_fd)
{
	enum { CHUNK = 8192 };
	struct md_value *vals;
	__u32 *keys, done = 0;
	int fd, ret = 1;

	keys = calloc(CHUNK, sizeof(*keys));
	vals = calloc(CHUNK, sizeof(*vals));
	if (!keys || !vals)
		return fail("calloc", ENOMEM);
	fd = create(BPF_MAP_TYPE_HASH, "big", 4, 64, (__u32)n, btf_fd, t.u32, t.value);
	if (fd < 0)
		goto out;
	while (done < n) {
		__u32 cnt = n - done < CHUNK ? (__u32)(n - done) : CHUNK, i;

		for (i = 0; i < cnt; i++) {
			keys[i] = done + i;
			fill_value(&vals[i], done + i);
		}
		if (bpf_map_update_batch(fd, keys, vals, &cnt, NULL)) {
			fail("update batch", errno);
			goto out;
		}
		done += cnt;
	}
	ret = pin(fd, "big", false);
out:
	if (fd >= 0)
		close(fd);
	free(keys);
	free(vals);
	return ret;
}

/* Delete and re-add entries for SECONDS, with fresh keys too, so an iteration restarts. */
static int churn(const char *path, const char *secs)
{
	struct md_value v;
	time_t end = time(NULL) + atoi(secs);
	__u32 k, round = 0;
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return fail(path, errno);
	memset(&v, 0, sizeof(v));
	while (time(NULL) < end) {
		for (k = 0; k < 1024; k++) {
			__u32 fresh = 100000 + (round * 1024 + k) % 50000;

			bpf_map_delete_elem(fd, &k);
			bpf_map_update_elem(fd, &k, &v, BPF_ANY);
			bpf_map_update_elem(fd, &fresh, &v, BPF_ANY);
			bpf_map_delete_elem(fd, &fresh);
		}
		round++;
	}
	close(fd);
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
}

static int usage(void)
{
	fprintf(stderr, "usage: mkmaps DIR [--tag T] [--hold]\n"
			"       mkmaps DIR --big N [--btf] [--tag T]\n"
			"       mkmaps --churn PATH SECONDS\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool hold = false, with_btf = false;
	unsigned long big = 0;
	struct btf *btf = NULL;
	int fds[32], nfds = 0, i, ret = 1, btf_fd = -1;
	char *end;

	if (argc == 4 && !strcmp(argv[1], "--churn"))
		return churn(argv[2], argv[3]);
	if (argc < 2 || argv[1][0] == '-')
		return usage();
	dir = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--hold")) {
			hold = true;
		} else if (!strcmp(argv[i], "--btf")) {
			with_btf = true;
		} else if (!strcmp(argv[i], "--tag") && i + 1 < argc) {
			tag = argv[++i];
			if (strlen(tag) > 5)
				return usage();
		} else if (!strcmp(argv[i], "--big") && i + 1 < argc) {
			errno = 0;
			big = strtoul(argv[++i], &end, 10);
			if (*end || errno || !big || big > 100000000)
				return usage();
		} else {
			return usage();
		}
	}
	/* a closed stdin would make the BTF fd 0, which bpf(BPF_MAP_CREATE) reads as "no BTF" */
	while ((i = open("/dev/null", O_RDWR)) >= 0 && i < 3)
		;
	if (i > 2)
		close(i);
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1)
		return fail("possible CPUs", ncpus);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return fail(dir, errno);
	/* pin()'s output is read line by line by the tests, even while mkmaps --hold waits */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!big || with_btf) {
		btf = build_btf();
		if (!btf)
			return fail("build BTF", errno);
		if (btf__load_into_kernel(btf)) {
			ret = fail("load BTF", errno);
			goto out;
		}
		btf_fd = btf__fd(btf);
	}
	if (big) {
		ret = make_big(big, btf_fd);
		goto out;
	}
	if (make_test_maps(btf_fd, fds, &nfds) || make_prog(fds, &nfds))
		goto out;
	ret = 0;
	if (hold) {
		signal(SIGTERM, on_term);
		printf("holding\n");
		pause();
	}
out:
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	btf__free(btf);
	return ret;
}
