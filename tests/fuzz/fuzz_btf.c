/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Feeds btfread_header() and btfread_open() a raw BTF file (a bundle's
 * sys/kernel/btf/vmlinux), then the lookups the checks make and lookups of names the file
 * holds itself. A file that opens is opened again byte-swapped: both must give the same
 * answers, so the big-endian path is held to the native one.
 */
#include <errno.h>

#include "btfread.h"
#include "fuzz.h"

/* clang-format off */
static const char *const sensor_members[][2] = {
	{ "trace_event_raw_sched_process_exec", "__data_loc_filename" },
	{ "trace_event_raw_sched_process_exec", "filename" },
	{ "trace_event_raw_sched_process_exec", "pid" },
	{ "trace_event_raw_sched_process_exec", "old_pid" },
	{ "trace_event_raw_sched_process_exec", "ent" },
	{ "trace_entry", "pid" },
	{ "task_struct", "pid" },
	{ "task_struct", "tgid" },
	{ "task_struct", "real_parent" },
	{ "linux_binprm", "filename" },
};

static const char *const sensor_enums[][2] = {
	{ "bpf_map_type", "BPF_MAP_TYPE_RINGBUF" },
	{ "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT" },
};
/* clang-format on */

/* At most this many names of the file are tried as struct, member and enum names. */
#define MAX_NAMES 24

/* What one reader answered, to compare with the byte-swapped copy's answers. */
struct answers {
	int ret[2 * MAX_NAMES + 16];
	long long val[2 * MAX_NAMES + 16];
	int n;
};

static void record(struct answers *a, int ret, long long val)
{
	if (a->n < (int)(sizeof(a->ret) / sizeof(a->ret[0]))) {
		a->ret[a->n] = ret;
		a->val[a->n] = val;
		a->n++;
	}
}

static void check_err(const char *err)
{
	size_t i;

	FUZZ_ASSERT(err[0]);
	for (i = 0; err[i]; i++)
		FUZZ_ASSERT(err[i] >= 0x20 && err[i] < 0x7f);
}

/* A member found lies inside its struct; only a bitfield's small type may reach past. */
static void member(const struct btfread *b, const char *s, const char *m, struct answers *a)
{
	int off = -1, size = -1, ret, sret;
	unsigned int ssize = 0;

	ret = btfread_member(b, s, m, &off, &size);
	sret = btfread_struct_size(b, s, &ssize);
	FUZZ_ASSERT(ret == 0 || ret == -ENOENT || ret == -ESRCH || ret == -EINVAL);
	FUZZ_ASSERT(sret == 0 || sret == -ENOENT);
	FUZZ_ASSERT((ret == -ENOENT) == (sret == -ENOENT));
	if (ret) {
		FUZZ_ASSERT(off == -1 && size == -1);
	} else {
		FUZZ_ASSERT(off >= 0 && size >= 0 && (unsigned int)off <= ssize);
		FUZZ_ASSERT((unsigned long long)off + (unsigned int)size <= ssize ||
			    (size <= 16 && (unsigned int)off < ssize));
	}
	record(a, ret, ret ? 0 : (long long)off << 32 | (unsigned int)size);
}

static void enumerator(const struct btfread *b, const char *e, const char *n, struct answers *a)
{
	long long v = 12345;
	int ret;

	ret = btfread_enumerator(b, e, n, &v);
	FUZZ_ASSERT(ret == 0 || ret == -ENOENT || ret == -ESRCH);
	FUZZ_ASSERT(ret == 0 || v == 12345);
	record(a, ret, v);
}

/* The first names of the string section, which open() found framed by NULs. */
static size_t file_names(const uint8_t *data, const struct btfread_header *h, const char **names)
{
	const char *s = (const char *)data + h->hdr_len + h->str_off, *end = s + h->str_len;
	size_t n = 0;

	for (; s < end && n < MAX_NAMES; s += strlen(s) + 1)
		if (*s)
			names[n++] = s;
	return n;
}

static void lookups(const struct btfread *b, const char **names, size_t n, struct answers *a)
{
	size_t i;

	for (i = 0; i < sizeof(sensor_members) / sizeof(sensor_members[0]); i++)
		member(b, sensor_members[i][0], sensor_members[i][1], a);
	for (i = 0; i < sizeof(sensor_enums) / sizeof(sensor_enums[0]); i++)
		enumerator(b, sensor_enums[i][0], sensor_enums[i][1], a);
	/* a writer puts a type's name before its members': try each name with the next */
	for (i = 0; i + 1 < n; i++) {
		member(b, names[i], names[i + 1], a);
		enumerator(b, names[i], names[i + 1], a);
	}
}

/* The file in the other byte order: the header's words and the type section's. */
static uint8_t *swapped(const uint8_t *data, size_t size, const struct btfread_header *h)
{
	uint8_t *s = malloc(size), t;
	size_t i, start = (size_t)h->hdr_len + h->type_off;
	uint32_t v;

	if (!s)
		abort();
	memcpy(s, data, size);
	t = s[0];
	s[0] = s[1];
	s[1] = t;
	for (i = 4; i < 24; i += 4) {
		memcpy(&v, s + i, 4);
		v = __builtin_bswap32(v);
		memcpy(s + i, &v, 4);
	}
	for (i = start; i < start + h->type_len; i += 4) {
		memcpy(&v, s + i, 4);
		v = __builtin_bswap32(v);
		memcpy(s + i, &v, 4);
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btfread *b = NULL, *b2 = NULL;
	const char *names[MAX_NAMES];
	struct answers a1 = { 0 }, a2 = { 0 };
	struct btfread_header h;
	char err[256] = "";
	int hret, ret;
	uint8_t *copy, *other;
	size_t n;

	/* exactly size bytes, so that AddressSanitizer sees a read past them */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);

	hret = btfread_header(copy, size, &h, err, sizeof(err));
	FUZZ_ASSERT(hret == 0 || hret == -EINVAL);
	if (hret)
		check_err(err);
	else
		FUZZ_ASSERT(h.hdr_len >= 24 && h.version == 1);

	err[0] = '\0';
	b = (struct btfread *)copy; /* must come back NULL on error */
	ret = btfread_open(copy, size, &b, err, sizeof(err));
	FUZZ_ASSERT(ret == 0 || ret == -EINVAL);
	if (ret) {
		FUZZ_ASSERT(b == NULL);
		check_err(err);
		free(copy);
		return 0;
	}
	/* what opens has a valid header that claims no more than there is */
	FUZZ_ASSERT(!hret && h.total <= size);
	FUZZ_ASSERT(btfread_nr_types(b) <= h.type_len / 12);
	n = file_names(copy, &h, names);
	lookups(b, names, n, &a1);

	/* the same file in the other byte order reads the same */
	other = swapped(copy, size, &h);
	ret = btfread_open(other, size, &b2, err, sizeof(err));
	FUZZ_ASSERT(ret == 0);
	FUZZ_ASSERT(btfread_nr_types(b2) == btfread_nr_types(b));
	lookups(b2, names, n, &a2);
	FUZZ_ASSERT(a1.n == a2.n && !memcmp(a1.ret, a2.ret, sizeof(a1.ret)) &&
		    !memcmp(a1.val, a2.val, sizeof(a1.val)));

	btfread_free(b2);
	btfread_free(b);
	free(other);
	free(copy);
	return 0;
}
