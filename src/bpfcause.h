/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFCAUSE_H
#define EDRDIAG_BPFCAUSE_H

#include <stddef.h>

/*
 * The catalogue of known causes why a BPF object fails to load or attach, and the log
 * classifier that finds one in a verifier or libbpf log (issue 16). The catalogue is
 * data/bpf-causes.txt, embedded into the binary at build time; it is parsed on first use.
 */

struct bpfcause {		 /* one catalogue entry (read-only, from the data file) */
	const char *id;		 /* "verifier.null-check-missing" */
	const char *category;	 /* "verifier", "libbpf", "attach", "perm" */
	const char *title;	 /* one line */
	const char *explanation; /* one paragraph */
	const char *remedy;	 /* what the agent's developer or the admin can do */
	const char *guide;	 /* guide section, e.g. "1.1" */
};

struct bpfcause_match {
	const struct bpfcause *cause; /* NULL: unrecognised */
	char *evidence;		      /* the log line that matched, printable-escaped (malloc) */
	long insn;		      /* failing instruction index from the log, -1 if none */
	char *source;	/* the BTF line-info source line before it ("; x = y @ f.c:12"), or NULL */
	char **closest; /* unrecognised: up to 3 lines that look most like a cause (escaped) */
	size_t nr_closest;
	/* verifier statistics when the log has them, else -1 */
	long insns_processed, insn_limit, max_states_per_insn, total_states, peak_states,
		verification_us;
};

/*
 * Classify a verifier and/or libbpf log (any bytes, any length; NUL bytes allowed).
 * errno_hint: the errno the load/attach returned (0 if unknown), stage_hint: "open",
 * "relocation", "load", "attach", "permission" or NULL. Never fails: unrecognised is a
 * result. Only the end of a huge log is read (BPFCAUSE_MAX_BYTES, BPFCAUSE_MAX_LINES), and
 * each line up to BPFCAUSE_MAX_LINE bytes.
 */
#define BPFCAUSE_MAX_BYTES (2u << 20)
#define BPFCAUSE_MAX_LINES 20000u
#define BPFCAUSE_MAX_LINE  4096u
void bpfcause_classify(const char *log, size_t len, int errno_hint, const char *stage_hint,
		       struct bpfcause_match *out);
void bpfcause_match_free(struct bpfcause_match *m);
const struct bpfcause *bpfcause_find(const char *id); /* NULL if no such id */
size_t bpfcause_count(void);
const struct bpfcause *bpfcause_at(size_t i);

/*
 * For the tests: 0 when the embedded catalogue parsed whole (every entry has every field
 * and at least one pattern, every pattern compiles, no id twice); otherwise -1 with a one-line
 * reason in err. bpfcause_patterns(i) is the number of patterns of entry i.
 */
int bpfcause_catalogue_check(char *err, size_t errlen);
size_t bpfcause_patterns(size_t i);

/*
 * The longest literal every match of the extended regular expression re must contain ("" if
 * none is sure), at most BPFCAUSE_LIT_MAX - 1 bytes: a line without it is not tried against
 * the expression, which is compiled only once a line has it. Exposed for its unit test.
 */
#define BPFCAUSE_LIT_MAX 48
void bpfcause_required_literal(const char *re, char lit[BPFCAUSE_LIT_MAX]);

#endif
