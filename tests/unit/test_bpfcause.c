// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The catalogue of known BPF failure causes and the log classifier: every entry complete,
 * every fixture log (tests/fixtures/bpflogs/<cause-id>[.N].log, argv[1]) classified to the
 * id in its name, what is extracted from a verifier log, and hostile logs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "bpfcause.h"
#include "check.h"

static const char *fixtures;

/* the ids of the shared contract (/tmp/i16/contract.md), all of them */
static const char *const contract_ids[] = {
	"verifier.null-check-missing",
	"verifier.invalid-mem-access",
	"verifier.uninit-register",
	"verifier.uninit-stack",
	"verifier.map-value-bounds",
	"verifier.unbounded-access",
	"verifier.packet-bounds",
	"verifier.ctx-access",
	"verifier.helper-unavailable",
	"verifier.gpl-only-helper",
	"verifier.helper-arg-type",
	"verifier.unreleased-reference",
	"verifier.invalid-release",
	"verifier.back-edge",
	"verifier.too-complex",
	"verifier.stack-size",
	"verifier.return-value",
	"verifier.ptr-arithmetic",
	"verifier.readonly-write",
	"verifier.unreachable-insn",
	"verifier.jump-out-of-range",
	"verifier.invalid-insn",
	"verifier.sleepable-context",
	"verifier.ptr-leak",
	"libbpf.core-relo",
	"libbpf.kfunc-missing",
	"libbpf.ksym-missing",
	"libbpf.kconfig-extern",
	"libbpf.map-create",
	"libbpf.section-unknown",
	"libbpf.elf-invalid",
	"libbpf.btf-invalid",
	"attach.kprobes-unavailable",
	"attach.tracepoint-missing",
	"attach.btf-target-missing",
	"attach.fentry-refused",
	"perm.no-capability",
	"perm.memlock",
};
#define NR_IDS (sizeof(contract_ids) / sizeof(contract_ids[0]))

static const char *id_of(const struct bpfcause_match *m)
{
	return m->cause ? m->cause->id : "(unrecognised)";
}

static void catalogue_complete(void)
{
	char err[200] = "";
	size_t i;

	CHECK_INT(bpfcause_catalogue_check(err, sizeof(err)), 0);
	if (err[0])
		printf("#   %s\n", err);
	CHECK_INT(bpfcause_count(), NR_IDS);
	for (i = 0; i < NR_IDS; i++)
		if (!bpfcause_find(contract_ids[i])) {
			printf("#   no entry for %s\n", contract_ids[i]);
			CHECK(0);
		}
	for (i = 0; i < bpfcause_count(); i++) {
		const struct bpfcause *c = bpfcause_at(i);
		size_t cl = strlen(c->category), g;

		CHECK(!strncmp(c->id, c->category, cl) && c->id[cl] == '.');
		CHECK(!strcmp(c->category, "verifier") || !strcmp(c->category, "libbpf") ||
		      !strcmp(c->category, "attach") || !strcmp(c->category, "perm"));
		CHECK(strlen(c->title) > 10 && strlen(c->explanation) > 80 &&
		      strlen(c->remedy) > 40);
		g = strspn(c->guide, "0123456789.");
		CHECK(g == strlen(c->guide) && strchr(c->guide, '.') && c->guide[0] != '.');
		CHECK(bpfcause_patterns(i) > 0);
		CHECK(bpfcause_find(c->id) == c);
	}
	CHECK(bpfcause_at(bpfcause_count()) == NULL);
	CHECK(bpfcause_find("unrecognised") == NULL);
	CHECK(bpfcause_find(NULL) == NULL);
}

/*
 * The literal a line must hold before a pattern is tried: always one every match contains,
 * never one a branch, an optional character or a set could leave out.
 */
static void required_literals(void)
{
	static const struct {
		const char *re, *lit;
	} cases[] = {
		{ "relo #[0-9]+: no matching targets found", ": no matching targets found" },
		{ "extern \\(func ksym\\) '[^']*': not found", "extern (func ksym) '" },
		{ "extern '([^C]|C[^O]|CO[^N])[^']*' \\(strong\\): not resolved",
		  "' (strong): not resolved" },
		{ "invalid func unknown#2002[0-9]{6}", "invalid func unknown#2002" },
		/* a top-level alternation: no literal is sure; a | in a set is no alternation */
		{ "R[0-9]+ invalid mem access|invalid access to", "" },
		{ "ab[|(]cdef", "cdef" },
		/* the character before ?, * or {n} may be absent; before + it is there */
		{ "abcdefg?hij", "abcdef" },
		{ "abcx*yz", "abc" },
		{ "abc+defg", "defg" },
		{ "xy+z", "xy" },
		/* a group is not required as such, nor is a class escape */
		{ "back-edge (from insn [0-9]+ to [0-9]+)", "back-edge " },
		{ "^unreachable insn [0-9]+$", "unreachable insn " },
		{ "a\\.b\\w+cd", "a.b" },
		{ "[[:digit:]]+ insns", " insns" },
		{ "", "" },
	};
	char lit[BPFCAUSE_LIT_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bpfcause_required_literal(cases[i].re, lit);
		if (strcmp(lit, cases[i].lit))
			printf("#   /%s/: literal '%s', expected '%s'\n", cases[i].re, lit,
			       cases[i].lit);
		CHECK_STR(lit, cases[i].lit);
	}
	/* capped: a long run is cut, still a part of every match */
	bpfcause_required_literal("0123456789012345678901234567890123456789012345678901234567",
				  lit);
	CHECK_INT((int)strlen(lit), BPFCAUSE_LIT_MAX - 1);
}

/* A fixture's bytes without its "# " comment lines (where it came from, how it was made). */
static char *read_fixture(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, line[1 << 16];
	size_t n = 0;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(1);
	if (!buf)
		abort();
	while (fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);

		if (!strncmp(line, "# ", 2))
			continue;
		char *grown = realloc(buf, n + l + 1);

		if (!grown)
			abort();
		buf = grown;
		memcpy(buf + n, line, l);
		n += l;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void fixtures_classify(void)
{
	DIR *d = opendir(fixtures);
	struct dirent *e;
	bool seen[NR_IDS] = { false };
	size_t nr = 0, i, have = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		char id[256], path[1024], *dot;
		size_t len, l = strlen(e->d_name);
		struct bpfcause_match m;
		char *log;

		if (l < 5 || strcmp(e->d_name + l - 4, ".log"))
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(l - 4), e->d_name);
		dot = strrchr(id, '.');
		if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1))
			*dot = '\0'; /* <id>.N */
		snprintf(path, sizeof(path), "%s/%s", fixtures, e->d_name);
		log = read_fixture(path, &len);
		CHECK(log != NULL);
		if (!log)
			continue;
		bpfcause_classify(log, len, 0, NULL, &m);
		nr++;
		if (!strcmp(id, "unrecognised")) {
			/* the refusal itself is the closest line */
			if (!strcmp(e->d_name, "unrecognised.log"))
				CHECK(m.nr_closest &&
				      strstr(m.closest[0], "BPF_ATOMIC stores into R1 ctx"));
			if (m.cause || !m.nr_closest) {
				printf("#   %s: %s, %zu closest lines\n", e->d_name, id_of(&m),
				       m.nr_closest);
				CHECK(0);
			}
		} else if (!m.cause || strcmp(m.cause->id, id)) {
			printf("#   %s: classified %s (evidence: %s)\n", e->d_name, id_of(&m),
			       m.evidence ? m.evidence : "none");
			CHECK(0);
		} else {
			CHECK(m.evidence && m.evidence[0]);
			/* a real log always has the line that told */
			CHECK(m.evidence && strncmp(m.evidence, "(no log line", 12));
		}
		for (i = 0; i < NR_IDS; i++)
			if (!strcmp(contract_ids[i], id))
				seen[i] = true;
		bpfcause_match_free(&m);
		free(log);
	}
	if (d)
		closedir(d);
	for (i = 0; i < NR_IDS; i++) {
		if (seen[i])
			have++;
		else
			printf("#   no fixture for %s\n", contract_ids[i]);
	}
	printf("#   %zu fixtures, %zu of %zu ids covered\n", nr, have, NR_IDS);
	CHECK(nr >= 30);
	CHECK_INT(have, NR_IDS);
}

static void classify_str(const char *log, int err, const char *stage, struct bpfcause_match *m)
{
	bpfcause_classify(log, strlen(log), err, stage, m);
}

/* what is read from a real verifier log: instruction, source line, statistics */
static void extraction(void)
{
	char path[1024];
	size_t len;
	struct bpfcause_match m;
	char *log;

	snprintf(path, sizeof(path), "%s/verifier.ptr-arithmetic.log", fixtures);
	log = read_fixture(path, &len);
	CHECK(log != NULL);
	if (!log)
		return;
	bpfcause_classify(log, len, EACCES, "load", &m);
	CHECK_STR(id_of(&m), "verifier.ptr-arithmetic");
	CHECK_STR(m.evidence, "R1 pointer arithmetic on map_ptr prohibited");
	CHECK_INT(m.insn, 2);
	CHECK(m.source && strstr(m.source, "@ verifier.ptr-arithmetic.bpf.c:5"));
	CHECK_INT(m.insns_processed, 2);
	CHECK_INT(m.insn_limit, 1000000);
	CHECK_INT(m.max_states_per_insn, 0);
	CHECK_INT(m.total_states, 0);
	CHECK_INT(m.peak_states, 0);
	CHECK(m.verification_us > 0);
	CHECK_INT(m.nr_closest, 0);
	bpfcause_match_free(&m);
	free(log);

	/* the state counts of a program over the instruction limit */
	snprintf(path, sizeof(path), "%s/verifier.too-complex.log", fixtures);
	log = read_fixture(path, &len);
	CHECK(log != NULL);
	if (log) {
		bpfcause_classify(log, len, E2BIG, "load", &m);
		CHECK_STR(id_of(&m), "verifier.too-complex");
		CHECK_INT(m.insns_processed, 1000001);
		CHECK_INT(m.insn_limit, 1000000);
		CHECK_INT(m.max_states_per_insn, 4);
		CHECK_INT(m.total_states, 11112);
		CHECK_INT(m.peak_states, 11112);
		CHECK_INT(m.verification_us, 3683425);
		bpfcause_match_free(&m);
		free(log);
	}

	/* the instruction libbpf poisoned and rewrote, and its source line */
	snprintf(path, sizeof(path), "%s/libbpf.core-relo.log", fixtures);
	log = read_fixture(path, &len);
	CHECK(log != NULL);
	if (log) {
		bpfcause_classify(log, len, 0, NULL, &m);
		CHECK_STR(id_of(&m), "libbpf.core-relo");
		CHECK(m.evidence && strstr(m.evidence, "struct task_struct.edrdiag_no_such_field"));
		CHECK_INT(m.insn, 1);
		CHECK(m.source && strstr(m.source, "@ libbpf.core-relo.bpf.c:10"));
		bpfcause_match_free(&m);
		free(log);
	}

	/* no statistics, no instruction */
	classify_str("libbpf: failed to guess program type from ELF section 'x'\n", 0, NULL, &m);
	CHECK_STR(id_of(&m), "libbpf.section-unknown");
	CHECK_INT(m.insn, -1);
	CHECK(m.source == NULL);
	CHECK_INT(m.insns_processed, -1);
	CHECK_INT(m.verification_us, -1);
	bpfcause_match_free(&m);

	/* kernels before 5.2: "processed N insns" alone, and the wording of those days */
	classify_str("0: (b7) r0 = 0\n1: (61) r1 = *(u32 *)(r0 +0)\nR0 invalid mem access 'inv'\n"
		     "processed 2 insns, stack depth 0\n",
		     0, NULL, &m);
	CHECK_STR(id_of(&m), "verifier.invalid-mem-access");
	CHECK_INT(m.insn, 1);
	CHECK_INT(m.insns_processed, 2);
	CHECK_INT(m.insn_limit, -1);
	bpfcause_match_free(&m);
}

/* the more specific entry wins; the failing line before "processed" wins over others */
static void specificity(void)
{
	/* clang-format off */
	static const struct { const char *log, *id; } cases[] = {
		{ "5: (85) call unknown#195896080\ninvalid func unknown#195896080\n", "libbpf.core-relo" },
		{ "5: (85) call bpf_xyz#212\nunknown func bpf_xyz#212\n", "verifier.helper-unavailable" },
		{ "R0 invalid mem access 'map_value_or_null'\n", "verifier.null-check-missing" },
		{ "R1 invalid mem access 'ringbuf_mem_or_null'\n", "verifier.null-check-missing" },
		{ "R1 invalid mem access 'scalar'\n", "verifier.invalid-mem-access" },
		{ "R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value\n", "verifier.helper-arg-type" },
		{ "R2 type=inv expected=fp\n", "verifier.helper-arg-type" },
		{ "invalid write to stack R10 off=-520 size=8\n", "verifier.stack-size" },
		{ "invalid read from stack R10 off=-16 size=8\n", "verifier.uninit-stack" },
		{ "back-edge from insn 4 to 2\n", "verifier.back-edge" },
		{ "libbpf: map 'events': failed to create: Operation not permitted(-1)\n"
		  "libbpf: permission error while running as root; try raising 'ulimit -l'? current value: 64.0 KiB\n",
		  "perm.memlock" },
		{ "libbpf: map 'events': failed to create: Invalid argument(-22)\n", "libbpf.map-create" },
		/* a libbpf line that matches, then the verifier's own failing line */
		{ "libbpf: Error loading .BTF into kernel: -22. BTF is mandatory, can't proceed.\n"
		  "0: (b7) r0 = 5\n1: (95) exit\nAt program exit the register R0 has smin=5 smax=5 should have been in [0, 1]\n"
		  "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
		  "libbpf: failed to load object 'x.o'\n", "verifier.return-value" },
		/* libbpf 0.x framed the verifier log in DUMP LOG lines */
		{ "libbpf: load bpf program failed: Permission denied\n"
		  "libbpf: -- BEGIN DUMP LOG ---\nlibbpf: \n0: (79) r1 = *(u64 *)(r1 +104)\n"
		  "1: (79) r0 = *(u64 *)(r1 +0)\nR1 invalid mem access 'inv'\n"
		  "processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n"
		  "\nlibbpf: -- END LOG --\nlibbpf: failed to load program 'kprobe/do_exit'\n",
		  "verifier.invalid-mem-access" },
		/* libbpf's CO-RE debug lines without the verifier's */
		{ "libbpf: prog 'p': relo #0: no matching targets found\n"
		  "libbpf: prog 'p': relo #0: substituting insn #1 w/ invalid insn\n", "libbpf.core-relo" },
		/* an object's name is no message */
		{ "libbpf: loading back-edge.o\nlibbpf: failed to load object 'back-edge.o'\n", NULL },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bpfcause_match m;

		classify_str(cases[i].log, 0, NULL, &m);
		CHECK_STR(id_of(&m), cases[i].id ? cases[i].id : "(unrecognised)");
		bpfcause_match_free(&m);
	}
}

/* errno and stage break ties; alone they are not forced into an entry */
static void hints(void)
{
	struct bpfcause_match m;

	classify_str("", EPERM, "load", &m);
	CHECK_STR(id_of(&m), "perm.no-capability");
	CHECK(m.evidence != NULL);
	bpfcause_match_free(&m);
	classify_str("", 0, "permission", &m);
	CHECK_STR(id_of(&m), "perm.no-capability");
	bpfcause_match_free(&m);
	classify_str("libbpf: sec 'kprobe/do_nanosleep': found program 'p'\n", ENOENT, "attach",
		     &m);
	CHECK_STR(id_of(&m), "attach.kprobes-unavailable");
	bpfcause_match_free(&m);
	classify_str("libbpf: sec 'fentry/do_nanosleep': found program 'p'\n", EPERM, "load", &m);
	CHECK_STR(id_of(&m), "attach.fentry-refused");
	bpfcause_match_free(&m);
	/* EPERM with a verifier log is the verifier's, not a missing capability */
	classify_str("0: (95) exit\nsomething new went wrong\nprocessed 1 insns (limit 1000000)\n",
		     EPERM, "load", &m);
	CHECK(m.cause == NULL);
	bpfcause_match_free(&m);
	classify_str("", ENOENT, "attach", &m);
	CHECK(m.cause == NULL);
	CHECK_INT(m.nr_closest, 0);
	bpfcause_match_free(&m);
	classify_str("", 0, NULL, &m);
	CHECK(m.cause == NULL && m.evidence == NULL && m.nr_closest == 0 && m.insn == -1);
	bpfcause_match_free(&m);
}

static void unrecognised(void)
{
	struct bpfcause_match m;

	classify_str("func#0 @0\n0: (b7) r0 = 0\nthe frobnicator was not allowed here\n"
		     "an ordinary line\nR3 quux failed: invalid widget, expected gadget\n"
		     "processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
		     "peak_states 0 mark_read 0\nlibbpf: failed to load object 'x.o'\n",
		     EACCES, "load", &m);
	CHECK(m.cause == NULL);
	CHECK(m.evidence == NULL);
	CHECK_INT(m.nr_closest, 3);
	if (m.nr_closest == 3) {
		CHECK_STR(m.closest[0], "R3 quux failed: invalid widget, expected gadget");
		CHECK(!strcmp(m.closest[1], "libbpf: failed to load object 'x.o'"));
		CHECK(!strcmp(m.closest[2], "the frobnicator was not allowed here"));
	}
	CHECK_INT(m.insns_processed, 1);
	bpfcause_match_free(&m);
}

static unsigned long long rnd = 88172645463325252ull;
static unsigned char next_byte(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (unsigned char)rnd;
}

static void hostile(void)
{
	struct bpfcause_match m;
	size_t big = 10u << 20, i, n;
	char *buf = malloc(big + 64), *p;

	CHECK(buf != NULL);
	if (!buf)
		return;
	bpfcause_classify(NULL, 5, 0, NULL, &m);
	CHECK(m.cause == NULL);
	bpfcause_match_free(&m);
	/* 10 MB of garbage: no entry forced, and the result is printable */
	for (i = 0; i < big; i++)
		buf[i] = (char)next_byte();
	bpfcause_classify(buf, big, 0, NULL, &m);
	CHECK(m.cause == NULL);
	for (i = 0; i < m.nr_closest; i++)
		CHECK(strlen(m.closest[i]) <= 4 * BPFCAUSE_MAX_LINE);
	bpfcause_match_free(&m);
	/* NUL bytes and invalid UTF-8 in the line, CRLF endings */
	{
		static const char crlf[] = "0: (bf) r0 = r5\r\n\0\xff\xfe R5 !read_ok\r\nprocessed "
					   "1 insns (limit 7) x\r\n";

		n = sizeof(crlf) - 1;
		memcpy(buf, crlf, n);
	}
	bpfcause_classify(buf, n, 0, NULL, &m);
	CHECK_STR(id_of(&m), "verifier.uninit-register");
	CHECK_STR(m.evidence, "\\x00\\xff\\xfe R5 !read_ok");
	CHECK_INT(m.insn, 0);
	CHECK_INT(m.insn_limit, 7);
	bpfcause_match_free(&m);
	/* a 1 MB line before the failing one: it is cut, the next line still found */
	memset(buf, 'A', 1u << 20);
	p = buf + (1u << 20);
	p += sprintf(p, "\nR1 !read_ok\n");
	bpfcause_classify(buf, (size_t)(p - buf), 0, NULL, &m);
	CHECK_STR(id_of(&m), "verifier.uninit-register");
	bpfcause_match_free(&m);
	/* a pattern past the first 4 KiB of a line is not read */
	memset(buf, 'A', 1u << 20);
	p = buf + (1u << 20);
	p += sprintf(p, " R1 !read_ok\n");
	bpfcause_classify(buf, (size_t)(p - buf), 0, NULL, &m);
	CHECK(m.cause == NULL);
	bpfcause_match_free(&m);
	/* only the tail is read: bytes ... */
	p = buf + sprintf(buf, "R1 !read_ok\n");
	memset(p, 'x', 3u << 20);
	bpfcause_classify(buf, (size_t)(p - buf) + (3u << 20), 0, NULL, &m);
	CHECK(m.cause == NULL);
	bpfcause_match_free(&m);
	memset(buf, 'x', 3u << 20);
	p = buf + (3u << 20);
	p += sprintf(p, "\nR1 !read_ok\n");
	bpfcause_classify(buf, (size_t)(p - buf), 0, NULL, &m);
	CHECK_STR(id_of(&m), "verifier.uninit-register");
	bpfcause_match_free(&m);
	/* ... and lines */
	p = buf + sprintf(buf, "R1 !read_ok\n");
	for (i = 0; i < BPFCAUSE_MAX_LINES; i++)
		*p++ = '\n';
	bpfcause_classify(buf, (size_t)(p - buf), 0, NULL, &m);
	CHECK(m.cause == NULL);
	bpfcause_match_free(&m);
	p = buf + sprintf(buf, "R1 !read_ok\n");
	for (i = 0; i < BPFCAUSE_MAX_LINES - 1; i++)
		*p++ = '\n';
	bpfcause_classify(buf, (size_t)(p - buf), 0, NULL, &m);
	CHECK_STR(id_of(&m), "verifier.uninit-register");
	bpfcause_match_free(&m);
	free(buf);
}

int main(int argc, char **argv)
{
	fixtures = argc > 1 ? argv[1] : "tests/fixtures/bpflogs";
	RUN(catalogue_complete);
	RUN(required_literals);
	RUN(fixtures_classify);
	RUN(extraction);
	RUN(specificity);
	RUN(hints);
	RUN(unrecognised);
	RUN(hostile);
	return check_finish();
}
