/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_TARGET_H
#define EDRDIAG_TARGET_H

#include <jansson.h>
#include <stdbool.h>

/*
 * What a run judges (DESIGN.md 3): the live host, a bundle or fixture tree (--root), or a
 * kernel config alone (--kernel-config without --root). One per run, named in every
 * document, so that no verdict about the target is mistaken for one about the machine
 * edrdiag happens to run on.
 */
enum target_kind {
	TARGET_LIVE,
	TARGET_BUNDLE,
	TARGET_KCONFIG,
};

#define TARGET_RELEASE_MAX 128
/* Where a kernel says its release; what a bundle collects of it. */
#define TARGET_OSRELEASE_PATH "/proc/sys/kernel/osrelease"

struct target {
	enum target_kind kind;
	char *source; /* "this host"; the root directory; the config file */
	/* the target kernel's release, "" when unknown; and where it was read */
	char release[TARGET_RELEASE_MAX];
	char release_from[64];
	bool release_is_name; /* fit to be a path component (util_release_is_name) */
	/* a bundle, from its manifest: NULL when it has none or does not say */
	char *bundle_name;
	char *collected_at; /* "2026-11-30T10:29:00Z" */
	char *collected_uid;
};

/*
 * From the sysroot: live when it is "/", a bundle otherwise, and its release read. The
 * dispatcher calls it once the root is set.
 */
void target_init(void);
/* --kernel-config FILE without --root: the config is the target. */
void target_use_kconfig(const char *path);
const struct target *target_get(void);
const char *target_kind_str(enum target_kind kind);

/*
 * Read the release of a live or bundle target: /proc/sys/kernel/osrelease (uname(2) on the
 * live host when that is unreadable). Returns 0 or the read's error (the release is then "").
 * A release that is not a plain name is kept for display, and refused as a path component.
 */
int target_read_release(void);
void target_set_release(const char *release, const char *from);

/* The bundle's own facts, from its manifest (manifest_check_root). */
void target_set_bundle(const char *name, const char *collected_at, const char *uid);

/* {"kind", "release", "release_from", "source", ...}: a new reference. */
json_t *target_json(void);
/* One line for plain output, without a newline: "target: live host, kernel 6.1.0 (...)". */
char *target_line(void);

/*
 * A finding of a live run collected in the bundle (commands/edrdiag-<command>.json), as
 * the host's own edrdiag wrote it: {"id", "status", "title", "detail", "remedy", "guide"}
 * with every member checked to be a string (or null); NULL when the bundle holds no such
 * finding, the file is missing, too big, not what edrdiag writes, or not matched by the
 * manifest (target_set_verified). Borrowed reference.
 */
json_t *target_collected(const char *command, const char *id);
/* The live run's own document, checked as above; NULL if none. Borrowed reference. */
json_t *target_collected_doc(const char *command);
/*
 * The check-object document collect-report --object stored for the object whose sha256 (64
 * hex digits) is given, among the bundle's commands/check-object-*.json the manifest
 * matched, checked as above and holding a "programs" array; NULL if none. Borrowed.
 */
json_t *target_collected_object(const char *sha256);
/*
 * The manifest matched the bundle's file at path (size and sha256): a collected run there
 * may be used. Without it, target_collected*() find nothing.
 */
void target_set_verified(const char *path);

struct report;
/*
 * root.refused: what the readers refused as unsafe (sysroot_refusals), one finding naming
 * every path and why; nothing when nothing was refused. A bundle that needed refusing fails;
 * on the live host a refusal is a file larger than edrdiag reads, a warning.
 */
void target_report_refusals(struct report *r);

/* Forget everything (tests). */
void target_reset(void);

#endif
