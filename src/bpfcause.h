/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFCAUSE_H
#define EDRDIAG_BPFCAUSE_H
/*
 * STAND-IN copy of the catalogue helper's header (/tmp/i16/contract.md): the real one, from
 * branch i16-cat, replaces this file when it is merged.
 */
#include <stddef.h>

struct bpfcause {
	const char *id;
	const char *category;
	const char *title;
	const char *explanation;
	const char *remedy;
	const char *guide;
};

struct bpfcause_match {
	const struct bpfcause *cause;
	char *evidence;
	long insn;
	char *source;
	char **closest;
	size_t nr_closest;
	long insns_processed, insn_limit, max_states_per_insn, total_states, peak_states,
		verification_us;
};

void bpfcause_classify(const char *log, size_t len, int errno_hint, const char *stage_hint,
		       struct bpfcause_match *out);
void bpfcause_match_free(struct bpfcause_match *m);
const struct bpfcause *bpfcause_find(const char *id);
size_t bpfcause_count(void);
const struct bpfcause *bpfcause_at(size_t i);

#endif
