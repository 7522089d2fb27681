/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_FINDING_H
#define EDRDIAG_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The result model (DESIGN.md 4): checks produce findings, only output.c prints them. */
enum status {
	ST_PASS,
	ST_WARN,
	ST_FAIL,
	ST_SKIP,  /* could not be checked here (no config, --root, no privilege): said why */
	ST_ERROR, /* the check itself broke (I/O error): counts as a failure */
};

struct finding {
	char *id; /* stable: "kconfig.CONFIG_BPF", "tracepoint.sched/sched_process_exec" */
	enum status status;
	char *title;	   /* one line */
	char *detail;	   /* what was observed */
	char *remedy;	   /* what to do; NULL when nothing to do */
	const char *guide; /* guide section, "1.2" */
};

struct report {
	const char *command;
	struct finding *f;
	size_t nr, cap;
	json_t *extra; /* command-specific top-level members */
	bool strict;   /* --strict: warnings count as failures */
};

void report_init(struct report *r, const char *command);
void report_free(struct report *r);

/*
 * Add a finding: title is plain text, detail a printf format (NULL: no detail yet, to be
 * built with finding_append); remedy may be NULL. A title that needs formatting, or that
 * depends on what is appended, is set afterwards with finding_set_title.
 */
struct finding *report_add(struct report *r, const char *id, enum status st, const char *guide,
			   const char *title, const char *remedy, const char *detail_fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Append text to a finding's detail ("; " separated). */
void finding_append(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_set_remedy(struct finding *f, const char *remedy);
void finding_set_title(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_set_status(struct finding *f, enum status st);

const struct finding *report_find(const struct report *r, const char *id);

/* Overall status: fail if any fail/error (or warn with strict), else warn if any warn. */
enum status report_status(const struct report *r);
size_t report_count(const struct report *r, enum status st);
/* 0 when the overall status is pass or warn (and not strict), else 1. */
int report_exit_code(const struct report *r);

const char *status_str(enum status st);

#endif
