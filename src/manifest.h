/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_MANIFEST_H
#define EDRDIAG_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

struct report;

/*
 * The reading side of collect-report's manifest.json (bundle_manifest() writes it), so that
 * a replay under --root can tell a file the customer's host did not have from one that was
 * not collected, and a bundle as collected from one changed since.
 */
struct manifest_item {
	char *path;	/* in the bundle: relative, no "." or ".." component */
	bool collected; /* stored in the bundle ("stored", or "collected" in older manifests) */
	/*
	 * What became of it: "collected", "failed", "denied", "missing_tool", "timed_out",
	 * "skipped", "absent" (bundle.h). From an older manifest, without "status": derived
	 * from collected, timed_out and errno. Never NULL after a successful parse.
	 */
	const char *status;
	int exit_status; /* a command's exit status; -1 when not given */
	long long bytes; /* stored size; -1 when not collected */
	char sha256[65]; /* of the stored bytes, lowercase hex; "" when not collected */
	char *why;	 /* why not collected; NULL when the manifest gives none */
	char *source;	 /* host path or command line; NULL when not given */
	char *kind;	 /* "file", "command", "generated"; NULL when not given */
	bool truncated;	 /* stopped at the size cap: stored in part */
	bool timed_out;	 /* stopped at its timeout: stored in part */
	int err;	 /* when not collected: what the host said, -EACCES...; 0 unknown */
};

struct manifest {
	char *edrdiag;	    /* version of the edrdiag that collected it; NULL when not given */
	char *name;	    /* the bundle's top directory; NULL when not given */
	char *collected_at; /* "2026-11-30T10:29:00Z"; NULL when not given */
	char *uid;	    /* the collector's uid, as text; NULL when not given */
	struct manifest_item *items;
	size_t nr;
};

/* edrdiag writes ~40 items in ~15 KiB: past these a manifest is not one of its own. */
#define MANIFEST_MAX_BYTES (1u << 20)
#define MANIFEST_MAX_ITEMS 10000

/*
 * Parse manifest.json text (len bytes, need not be NUL-terminated, may hold anything).
 * Returns 0, or -EINVAL with err naming what is wrong ("items[3].sha256: not 64 hex
 * digits"). On error m is left empty. Never prints or exits, but aborts on out-of-memory
 * as util_xmalloc() does. Unknown members are accepted: a newer edrdiag may add some.
 */
int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen);
void manifest_free(struct manifest *m);

/*
 * The finding root.bundle: under --root, when the tree has a manifest.json, whether every
 * collected file is there unchanged, nothing was added, and what the host did not give.
 * Adds nothing on the live host or for a tree without a manifest (a plain sysroot). Also
 * sets the report's "bundle" member, tells the target its name and time of collection, and
 * tells the sysroot which host paths were not collected and why (so that a replay reads
 * "permission denied" where the host said so, not "absent").
 */
void manifest_check_root(struct report *r);

#endif
