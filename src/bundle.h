/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BUNDLE_H
#define EDRDIAG_BUNDLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "redact.h"

/*
 * The collection engine behind collect-report: items (files, command outputs, generated
 * text) gathered under per-item and whole-run bounds, then written as one tar.gz through
 * libarchive, atomically. Nothing here prints: progress goes through a callback.
 */
enum bundle_kind {
	BUNDLE_FILE,	/* a host file, stored under its own path (the sysroot layout) */
	BUNDLE_COMMAND, /* a command's output, under commands/ */
	BUNDLE_DATA,	/* text made here: report.md */
};

struct bundle_item {
	enum bundle_kind kind;
	char *source; /* host path, or the command line as run */
	char *path;   /* path in the bundle */
	char *data;   /* NULL when not collected */
	size_t len;
	bool collected;
	char *why;	 /* when not collected: missing binary, permission denied, absent, ... */
	int err;	 /* a host file not collected: what the host said (-EACCES); else 0 */
	char *note;	 /* anything else worth saying (a file stored in part on purpose) */
	int exit_status; /* commands: exit code, 128 + signal, or -1 when not run */
	double duration; /* seconds */
	bool truncated;	 /* stopped at the size cap */
	bool timed_out;	 /* killed at its timeout */
	char sha256[65];
};

struct bundle {
	struct bundle_item *items;
	size_t nr, cap;
	double timeout;	 /* per item, seconds */
	size_t max_item; /* bytes per item */
	double deadline; /* absolute CLOCK_MONOTONIC seconds for the whole run */
	/* called once per item as it completes (progress), may be NULL */
	void (*progress)(const struct bundle_item *it, void *arg);
	void *progress_arg;
};

void bundle_init(struct bundle *b, double timeout, size_t max_item, double run_seconds);
void bundle_free(struct bundle *b);
double bundle_now(void);
/* From a signal handler: kill the running command's group and remove the temporary file. */
void bundle_abort_cleanup(void);

/*
 * Read a host file (at most max_item bytes; stop at the item's timeout for files that
 * block, such as trace_pipe, where wait > 0 samples for that long). Stored at path. With
 * limit > 0 only its first limit bytes are stored, on purpose: not marked truncated.
 */
struct bundle_item *bundle_add_file(struct bundle *b, const char *host_path, const char *path,
				    double wait, size_t limit);
/*
 * Run argv[0] (looked up in PATH unless it holds a '/') in its own process group with
 * stdin from /dev/null, reading its output through pipes with poll() until it exits, the
 * size cap, its timeout or the run's deadline. At the timeout the whole group is killed.
 * With merge, stderr is stored with stdout (text); otherwise a non-empty stderr becomes a
 * second item at path + ".stderr", keeping JSON outputs valid.
 */
struct bundle_item *bundle_add_command(struct bundle *b, char *const argv[], const char *path,
				       bool merge);
/* Text made here; the bundle takes a copy. */
struct bundle_item *bundle_add_data(struct bundle *b, const char *source, const char *path,
				    const char *data, size_t len);
/* Record an item that is not collected, and why. */
struct bundle_item *bundle_add_missing(struct bundle *b, enum bundle_kind kind, const char *source,
				       const char *path, const char *why);
/* Record a host path the host refused or does not have: err is what it said (-EACCES). */
struct bundle_item *bundle_add_absent(struct bundle *b, const char *host_path, const char *path,
				      int err);

const struct bundle_item *bundle_find(const struct bundle *b, const char *path);

/*
 * Scrub every collected text item in place (redact.h): credentials always, identity when r
 * says so, by the item's path, so that what replay parses stays as the host wrote it. Call
 * it on every run, with or without --redact; counts per rule end up in r. Binary items are
 * left whole and noted.
 */
void bundle_redact(struct bundle *b, struct redact *r);

/* Fill in every item's sha256 (after redaction: the digest is of what is stored). */
void bundle_hash(struct bundle *b);

/* The manifest: {"items": [...]} plus redaction counts when r is not NULL. */
json_t *bundle_manifest(const struct bundle *b, const struct redact *r);

/*
 * Write the bundle as a gzip'd pax tar at dir/name, mode 0600: first under a temporary
 * name created with O_EXCL in dir, then linked to name, which fails rather than replace
 * an existing file. On any failure nothing is left behind. Returns 0 or -errno, with a
 * message in err.
 */
int bundle_write(const struct bundle *b, const char *dir, const char *name, const char *top,
		 char *err, size_t errlen);

#endif
