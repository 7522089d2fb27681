// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * STAND-IN for the catalogue helper's classifier (src/bpfcause.c on branch i16-cat): it
 * recognises nothing. Deleted when the real one is merged.
 */
#include <stdlib.h>
#include <string.h>

#include "bpfcause.h"

void bpfcause_classify(const char *log, size_t len, int errno_hint, const char *stage_hint,
		       struct bpfcause_match *out)
{
	(void)log;
	(void)len;
	(void)errno_hint;
	(void)stage_hint;
	memset(out, 0, sizeof(*out));
	out->insn = -1;
	out->insns_processed = out->insn_limit = out->max_states_per_insn = -1;
	out->total_states = out->peak_states = out->verification_us = -1;
}

void bpfcause_match_free(struct bpfcause_match *m)
{
	size_t i;

	free(m->evidence);
	free(m->source);
	for (i = 0; i < m->nr_closest; i++)
		free(m->closest[i]);
	free(m->closest);
	memset(m, 0, sizeof(*m));
}

const struct bpfcause *bpfcause_find(const char *id)
{
	(void)id;
	return NULL;
}

size_t bpfcause_count(void)
{
	return 0;
}

const struct bpfcause *bpfcause_at(size_t i)
{
	(void)i;
	return NULL;
}
