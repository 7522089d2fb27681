/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_FLEET_H
#define EDRDIAG_FLEET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * fleet-summary's pure logic: per-host results (the JSON documents edrdiag wrote on each
 * host, as an engine fetched them) folded into one verdict per host, then into a fleet
 * summary: the host x check matrix, counts per check, failing hosts grouped by cause,
 * the hosts without a usable result, and the change since an earlier summary. No file is
 * read here: cmd/fleet_summary.c walks the tree and hands over parsed documents, so that
 * every rule can be unit-tested on documents built in memory.
 *
 * Every string that came from a host (its directory name, a finding's title, a release)
 * is kept made printable (text_printable): whatever the output format, nothing a host
 * wrote reaches a terminal or a CSV cell raw.
 */

/*
 * The checks of the matrix, its columns, in this order: the "command" of each document
 * ("check-kernel", "check-tracepoints", "run-sensor", "stats").
 */
enum fleet_check {
	FLEET_CHECK_KERNEL,
	FLEET_CHECK_TRACEPOINTS,
	FLEET_CHECK_SELFTEST,
	FLEET_CHECK_STATS,
	FLEET_CHECK_NR,
};

/*
 * A cell of the matrix: a document's overall status, or none ("-", "pass", "warn", "fail",
 * "skip", "error").
 */
enum fleet_cell {
	FLEET_CELL_NONE, /* no document for this check */
	FLEET_CELL_PASS,
	FLEET_CELL_WARN,
	FLEET_CELL_FAIL,
	FLEET_CELL_SKIP,
	FLEET_CELL_ERROR,
	FLEET_CELL_NR,
};

/* One host's verdict, most severe last; the JSON "verdict" member, by these names. */
enum fleet_verdict {
	FLEET_PASS,	   /* "pass": every document passes */
	FLEET_WARN,	   /* "warn": warnings only */
	FLEET_FAIL,	   /* "fail": a check failed (or broke: status error) */
	FLEET_NO_RESULT,   /* "no_result": no document (unreachable, nothing fetched) */
	FLEET_ERROR_DOC,   /* "error": an error document, no report */
	FLEET_ENVIRONMENT, /* "environment": the run exited 3 (exit-status file, or the error) */
	FLEET_VERDICT_NR,
};

/* A failing finding: the cause a host is grouped under. */
struct fleet_cause {
	char *check; /* the document's command */
	char *status, *id, *title;
};

struct fleet_host {
	char *name;    /* printable */
	bool expected; /* in the inventory (always true without one) */
	bool dir;      /* a directory was found for it */
	enum fleet_cell cells[FLEET_CHECK_NR];
	char *cell_source[FLEET_CHECK_NR]; /* where the document came from (printable) */
	char *release, *distro;		   /* from check-kernel; NULL when unknown */
	int exit_status;		   /* the exit-status file, -1 when none */
	char *error;			   /* an error document's message (printable) */
	char *error_code;
	struct fleet_cause *causes;
	size_t ncauses, capcauses;
	char **problems; /* files refused or unreadable, said why (printable) */
	size_t nproblems, capproblems;
	enum fleet_verdict verdict; /* set by fleet_finish */
};

/* A cause and the hosts that fail by it. */
struct fleet_group {
	const struct fleet_cause *cause;
	const struct fleet_host **hosts; /* sorted by name */
	size_t nhosts;
};

/* The change since an earlier summary (--since), host names sorted. */
struct fleet_since {
	char *previous; /* the file named, printable */
	char **newly_failing, **recovered, **appeared, **disappeared;
	size_t nnew, nrec, napp, ndis;
};

struct fleet {
	char *source;	 /* the results directory, printable */
	char *inventory; /* the inventory file, printable; NULL without one */
	struct fleet_host *hosts;
	size_t nhosts, caphosts;
	size_t *index, capindex; /* hash of names while hosts are added */
	/* fleet_finish: */
	size_t expected, with_result;
	size_t counts[FLEET_CHECK_NR][FLEET_CELL_NR];
	size_t verdicts[FLEET_VERDICT_NR];
	struct fleet_group *groups;
	size_t ngroups;
	struct fleet_since *since;
};

void fleet_init(struct fleet *f, const char *source, const char *inventory);
void fleet_free(struct fleet *f);

/*
 * The host named name (raw bytes, made printable here), added when new. expected: named
 * by the inventory; dir: has a directory in the tree.
 */
struct fleet_host *fleet_host(struct fleet *f, const char *name);

/*
 * One document of a host, parsed: a check's report (recognised by its "command" member,
 * whatever the file was called), or an error document. source names where it came from
 * (a file, a bundle's member). A document of a check the host already has is ignored
 * (the first one wins: the caller hands loose files before bundles, in sorted order).
 * Returns 0, or -EINVAL when the document is not one of edrdiag's (problem recorded).
 */
int fleet_add_doc(struct fleet_host *h, const json_t *doc, const char *source);

/* Record a refused or unreadable file of a host (the reason, printable). */
void fleet_problem(struct fleet_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The exit-status file's content (a decimal 0..255, blanks around): 0, or -EINVAL. */
int fleet_parse_exit_status(const char *data, size_t len, int *status);

/*
 * Verdicts, counts, causes, in a deterministic order (hosts by name, causes by number of
 * hosts then status, id, title). Call once, after every host was added.
 */
void fleet_finish(struct fleet *f);

/*
 * --since: compare with an earlier fleet-summary JSON document. 0, or -EINVAL with why
 * (a static string) when prev is not such a document.
 */
int fleet_since(struct fleet *f, const json_t *prev, const char *prev_name, const char **why);

/* 0 when every expected host passes (warnings allowed), else 1. */
int fleet_exit_code(const struct fleet *f);

/* The JSON members of the fleet-summary document (after the head). */
json_t *fleet_json(const struct fleet *f);
/* The plain, CSV and Markdown renderings. */
void fleet_print_plain(const struct fleet *f, FILE *out);
void fleet_print_csv(const struct fleet *f, FILE *out);
void fleet_print_markdown(const struct fleet *f, FILE *out);

#endif
