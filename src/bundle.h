/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BUNDLE_H
#define EDRDIAG_BUNDLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynlib.h"
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

/*
 * What became of an item; the manifest's "status" member, by these names. Only
 * BUNDLE_COLLECTED is an answer a report may draw a conclusion from: a failed or timed-out
 * command's output is stored all the same (it may hold the tool's own error), but it is not
 * the answer the item was for.
 */
enum bundle_status {
	BUNDLE_COLLECTED,    /* stored, the source said yes (a command exited with success) */
	BUNDLE_FAILED,	     /* ran or was read, and failed: exit_status, stderr say how */
	BUNDLE_DENIED,	     /* the failure is a permission problem (EACCES, EPERM, privilege) */
	BUNDLE_MISSING_TOOL, /* the command is not installed (not in PATH) */
	BUNDLE_TIMED_OUT,    /* killed at its timeout or the run's deadline; stored in part */
	BUNDLE_SKIPPED,	     /* not tried: the deadline had passed, or the caller skipped it */
	BUNDLE_ABSENT,	     /* a host path this host does not have (err is -ENOENT) */
	BUNDLE_STATUS_NR,
};

/* "collected", "failed", "denied", "missing_tool", "timed_out", "skipped", "absent" */
const char *bundle_status_name(enum bundle_status s);

struct bundle_item {
	enum bundle_kind kind;
	char *source; /* host path, or the command line as run */
	char *path;   /* path in the bundle */
	char *data;   /* NULL when nothing is stored */
	size_t len;
	/*
	 * Stored in the bundle (data is set): true for a failed or timed-out command too, whose
	 * output may explain the failure. Whether it is the answer: status.
	 */
	bool collected;
	enum bundle_status status;
	char *why;	   /* when not BUNDLE_COLLECTED: missing binary, permission denied, ... */
	char *stderr_line; /* a failed command: the first line of its stderr, printable */
	int err;	   /* a host file not collected: what the host said (-EACCES); else 0 */
	char *note;	   /* anything else worth saying (a file stored in part on purpose) */
	int exit_status;   /* commands: exit code, 128 + signal, or -1 when not run */
	double duration;   /* seconds */
	bool truncated;	   /* stopped at the size cap */
	bool timed_out;	   /* killed at its timeout */
	char sha256[65];
};

struct bundle_job;

/* Flags of a command item. */
enum {
	BUNDLE_MERGE = 1 << 0, /* stderr stored with stdout (text), no ".stderr" item */
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
	struct bundle_job *jobs; /* started, not yet waited for: in the order started */
};

void bundle_init(struct bundle *b, double timeout, size_t max_item, double run_seconds);
void bundle_free(struct bundle *b);

/*
 * libarchive, loaded at run time (only a bundle needs it), and the n functions of syms looked
 * up in it: 0, or -ENOENT with why (and the package to install) in err.
 */
int bundle_libarchive_load(const struct dynlib_sym *syms, size_t n, char *err, size_t errlen);
double bundle_now(void);
/*
 * From a signal handler: remove the temporary archive. The item commands need nothing: each
 * runs under a keeper process that kills it and all its descendants when edrdiag dies.
 */
void bundle_abort_cleanup(void);

/*
 * Read a host file (at most max_item bytes; stop at the item's timeout for files that
 * block, such as trace_pipe, where wait > 0 samples for that long). Stored at path. With
 * limit > 0 only its first limit bytes are stored, on purpose: not marked truncated.
 */
struct bundle_item *bundle_add_file(struct bundle *b, const char *host_path, const char *path,
				    double wait, size_t limit);
/*
 * Run argv[0] (looked up in PATH unless it holds a '/') with stdin from /dev/null, reading
 * its output through pipes with poll() until it exits, the size cap, its timeout or the
 * run's deadline. It runs under a keeper: a child of edrdiag that is the subreaper of the
 * command's whole tree and kills all of it when the command exits, times out, or edrdiag
 * dies (even by SIGKILL: the keeper sees its control pipe close), so that no process an
 * item starts outlives it, a grandchild that called setsid() included.
 * With merge, stderr is stored with stdout (text); otherwise a non-empty stderr becomes a
 * second item at path + ".stderr", keeping JSON outputs valid.
 * Success is exit 0; for edrdiag's own subcommands (argv[0] "/proc/self/exe") exit 1 too
 * (a check failed: the document is valid). Anything else is BUNDLE_FAILED, or
 * BUNDLE_DENIED when its first stderr line (or edrdiag's JSON error code) says permission.
 * Background jobs (bundle_start_command) are served while it runs.
 */
struct bundle_item *bundle_add_command(struct bundle *b, char *const argv[], const char *path,
				       bool merge);
/* The same with flags (BUNDLE_MERGE) and its own timeout in seconds (0: the bundle's). */
struct bundle_item *bundle_run_command(struct bundle *b, char *const argv[], const char *path,
				       unsigned int flags, double timeout);
/*
 * Start a command item now, to be collected by bundle_wait_jobs(): a several-second
 * window runs alongside the files and short commands collected meanwhile. Bounded by its
 * timeout (0: the bundle's) and the run's deadline like any item; the progress callback is
 * called as it completes. Returns NULL when it could not start: the item is then already
 * recorded (missing tool, skipped, failed), as bundle_add_command would.
 */
struct bundle_job *bundle_start_command(struct bundle *b, char *const argv[], const char *path,
					unsigned int flags, double timeout);
/*
 * Wait for every started job and add their items, in the order they were started (each
 * followed by its ".stderr" item, if any): the manifest's order does not depend on which
 * finished first. Call it before anything reads the items (report.md, bundle_redact,
 * bundle_manifest); bundle_write refuses a bundle with jobs not waited for.
 */
void bundle_wait_jobs(struct bundle *b);
/* Text made here; the bundle takes a copy. */
struct bundle_item *bundle_add_data(struct bundle *b, const char *source, const char *path,
				    const char *data, size_t len);
/* Record an item that is not collected, and why: BUNDLE_SKIPPED. */
struct bundle_item *bundle_add_missing(struct bundle *b, enum bundle_kind kind, const char *source,
				       const char *path, const char *why);
/* Record an item with nothing stored, with the status given (BUNDLE_SKIPPED, ...) and why. */
struct bundle_item *bundle_add_status(struct bundle *b, enum bundle_kind kind, const char *source,
				      const char *path, enum bundle_status status, const char *why);
/* Items of each status, the manifest's own entry aside; n has BUNDLE_STATUS_NR entries. */
void bundle_count(const struct bundle *b, size_t n[BUNDLE_STATUS_NR]);
/* Record a host path the host refused or does not have: err is what it said (-EACCES). */
struct bundle_item *bundle_add_absent(struct bundle *b, const char *host_path, const char *path,
				      int err);

const struct bundle_item *bundle_find(const struct bundle *b, const char *path);

/*
 * Scrub every collected text item in place (redact.h): credentials always, identity when r
 * says so, by the item's path, so that what replay parses stays as the host wrote it. Call
 * it on every run, with or without --redact; counts per rule end up in r. Binary items are
 * left whole and noted. The items' first stderr lines, quoted by the summary, are scrubbed too.
 */
void bundle_redact(struct bundle *b, struct redact *r);

/* Fill in every item's sha256 (after redaction: the digest is of what is stored). */
void bundle_hash(struct bundle *b);

/*
 * The manifest: {"items": [...], "containment": "keeper"} plus redaction counts when r is not
 * NULL. Each item has "status" (bundle_status_name), "collected" (status is collected, for
 * readers that know no status) and "stored" (its bytes are in the bundle).
 */
json_t *bundle_manifest(const struct bundle *b, const struct redact *r);

/*
 * Write the bundle as a gzip'd pax tar at dir/name, mode 0600: into an unnamed O_TMPFILE
 * file in dir (a SIGKILL during the write leaves nothing), then linked to name, which fails
 * rather than replace an existing file. On a file system without O_TMPFILE: a hidden
 * temporary ".NAME.PID.XXXXXX", removed on any failure or stop signal, and by a later run
 * (bundle_clean_stale) if a SIGKILL left it. Returns 0 or -errno, with a message in err.
 */
int bundle_write(const struct bundle *b, const char *dir, const char *name, const char *top,
		 char *err, size_t errlen);
/*
 * Remove from dir the hidden temporaries of edrdiag runs that died during bundle_write:
 * ".edrdiag-report-*.tar.gz.PID.XXXXXX", regular, ours (our uid), PID no longer alive.
 * Returns how many were removed.
 */
int bundle_clean_stale(const char *dir);

#endif
