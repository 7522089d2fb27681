/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_PROMTEXT_H
#define EDRDIAG_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/*
 * The Prometheus text exposition format (0.0.4), valid by construction: samples are added
 * to their family in any order and written grouped under it, so each family gets exactly one
 * "# HELP" and one "# TYPE" (falco#3309 repeated them per label set); family and label names
 * are checked against Prometheus' rules when the family is declared (a name with a dot,
 * falco#3241, aborts at once: it is a programming error, not an input); label values are
 * escaped, whatever their bytes. No timestamps: the scraper stamps samples. Nothing printed.
 */

enum prom_type {
	PROM_GAUGE,
	PROM_COUNTER,
};

#define PROM_MAX_LABELS 8

struct prom_family {
	const char *name; /* static: [a-zA-Z_][a-zA-Z0-9_]* (no colon: those are for rules) */
	const char *help;
	enum prom_type type;
	const char *labels[PROM_MAX_LABELS]; /* the label names, in the order values are given */
	size_t nr_labels;
	struct strbuf body; /* its sample lines */
	size_t nr_samples;
};

struct prom {
	struct prom_family **fam; /* in the order declared: the order written */
	size_t nr, cap;
};

/*
 * Declare a family; labels is a NULL-terminated list of label names (NULL: none). Aborts on
 * a name that breaks Prometheus' rules, a counter not named *_total or a gauge that is, or a
 * family declared twice. Returns it, owned by p.
 */
struct prom_family *prom_family(struct prom *p, const char *name, enum prom_type type,
				const char *help, const char *const *labels);

/*
 * One sample: the label values (f->nr_labels of them, in f->labels' order; NULL as "") and
 * the value. A value is written as an integer when it is one, "NaN" and "+Inf" as such.
 */
void prom_sample(struct prom_family *f, const char *const *values, double v);
/* The same for a 64-bit counter, exact beyond 2^53. */
void prom_sample_u64(struct prom_family *f, const char *const *values, unsigned long long v);

/* The families that have samples, each under its HELP and TYPE, into out. */
void prom_write(const struct prom *p, struct strbuf *out);
void prom_free(struct prom *p);

/* A metric or label name as Prometheus accepts it (without the colon of recording rules). */
bool prom_name_valid(const char *name);

#endif
