/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFEXPLAIN_H
#define EDRDIAG_BPFEXPLAIN_H

#include "bpfcause.h"

/*
 * From a classified log (bpfcause_classify) and what the caller found itself (a cause id
 * such as "attach.kprobes-unavailable" from its own probes, or NULL), the one cause a
 * failure is reported with, and its remedy: the rule check-object and run-sensor share.
 */
struct bpfexplain {
	const struct bpfcause *cause; /* the catalogue entry, or NULL */
	const char *id;		      /* the cause id; "unrecognised" when none */
	const char *title;	      /* one line, or NULL when nothing is known */
	const char *remedy;	      /* never NULL */
};

/*
 * At the attach and permission stages, what the caller found itself (hint) outranks a
 * guess from the log: m->cause is cleared when it differs from the hint there.
 */
void bpfexplain_resolve(struct bpfcause_match *m, const char *hint, const char *stage,
			struct bpfexplain *out);

#endif
