/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SYSROOT_H
#define EDRDIAG_SYSROOT_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/*
 * Every read of the host's /proc, /sys, /boot and /etc goes through here, so that
 * --root DIR (a fixture tree, an unpacked support bundle) sees exactly what the live
 * host would have shown. Paths given to these helpers are absolute host paths.
 *
 * A root other than "/" is hostile: a customer's bundle unpacked on an engineer's laptop.
 * So every path is resolved beneath the root (openat2 with RESOLVE_BENEATH, or the same
 * walk done by hand where the kernel has no openat2): a relative link inside the tree is
 * followed, but an absolute link, a ".." or a link that climbs out, and a magic link are
 * refused (-EXDEV, -ELOOP), never reinterpreted as the engineer's own files. Only regular
 * files are opened, without blocking, and a file larger than the reader's cap is refused
 * before it is read. What was refused is remembered (sysroot_refusals) so that the
 * commands can say so.
 */

/* Errors beyond errno that the readers return, negated; sysroot_error() says them. */
enum {
	SYSROOT_EIRREGULAR = 4096, /* not a regular file: a FIFO, a device, a socket */
	SYSROOT_ETOOBIG,	   /* larger than the reader's cap */
	SYSROOT_ECHANGED,	   /* replaced while it was being opened */
	SYSROOT_ENOTCOLLECTED,	   /* the bundle's manifest: not collected on the host */
	SYSROOT_EBADVALUE,	   /* a value read from the root is not fit to become a path */
};

/* Cap of sysroot_read_line(): sysctls, osrelease, lockdown are one short line. */
#define SYSROOT_LINE_CAP (64u << 10)

/*
 * Set the root ("/" when dir is NULL). Returns 0, -EINVAL (empty), -ENOENT, -ENOTDIR or
 * -errno from opening it. Forgets the refusals and not-collected paths of an earlier root.
 */
int sysroot_set(const char *dir);

/* The root as given ("/" by default). */
const char *sysroot_dir(void);

/* True when the root is the running host: live-only checks (bpf(), caps) may run. */
bool sysroot_is_live(void);

/*
 * Open a regular file for reading (O_RDONLY | O_NONBLOCK | O_NOCTTY), resolved inside the
 * root. Returns the descriptor, with its stat in *st when st is not NULL, or -errno,
 * -EISDIR, -SYSROOT_EIRREGULAR, -SYSROOT_ECHANGED; under a bundle a path its manifest lists
 * as not collected gives the error the host gave (-EACCES) or -SYSROOT_ENOTCOLLECTED.
 */
int sysroot_open(const char *host_path, struct stat *st);

/*
 * Read a whole regular file of at most cap bytes into a NUL-terminated heap buffer; the
 * size is checked before reading (a sparse 100 GB file costs nothing). Returns 0, or the
 * errors of sysroot_open(), or -SYSROOT_ETOOBIG. Works on /proc and /sys files, whose
 * st_size is 0 or a page: their cap is checked while reading.
 */
int sysroot_read(const char *host_path, size_t cap, char **data, size_t *len);
/* Read a one-line file (at most SYSROOT_LINE_CAP) and strip the trailing newline. */
int sysroot_read_line(const char *host_path, char *buf, size_t size);
/* stat(2), following links inside the root. */
int sysroot_stat(const char *host_path, struct stat *st);
/*
 * access(2) on the live host. Under a root the engineer's own permissions on the copy say
 * nothing of the host's: 0 when the path exists, else what sysroot_stat() says (a path the
 * manifest lists as denied gives -EACCES, as the host did).
 */
int sysroot_access(const char *host_path, int mode);
bool sysroot_isdir(const char *host_path);
/* opendir(3) of a directory resolved inside the root; NULL with errno set. */
DIR *sysroot_opendir(const char *host_path);
/* readlink(2) of the link itself, its directory resolved inside the root. */
int sysroot_readlink(const char *host_path, char *buf, size_t size);

/*
 * Open a regular file for writing (O_WRONLY | O_NONBLOCK | O_NOCTTY), resolved as
 * sysroot_open() resolves: for the one writer of live state, the stats sysctl, which the
 * tests point at a fixture tree. Returns the descriptor or the errors of sysroot_open().
 */
int sysroot_open_write(const char *host_path);

/*
 * What an error of these helpers means for host_path, for a finding's detail: why it was
 * refused ("a FIFO, not a regular file"; "107374182400 bytes, over the 65536-byte cap"),
 * what the bundle's manifest says of it, or strerror(). The text lives until the root
 * changes.
 */
const char *sysroot_error(const char *host_path, int err);
/* True for the errors that refuse a path as unsafe rather than find it absent or denied. */
bool sysroot_is_refusal(int err);

/* Record a refusal made by a caller: a value from the root unfit to be a path, say. */
int sysroot_refuse(const char *host_path, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct sysroot_refusal {
	char *path; /* host path */
	int err;    /* negative */
	char *why;  /* one line */
};

/* Everything refused since the root was set, in order, one entry per path. */
const struct sysroot_refusal *sysroot_refusals(size_t *n);

/*
 * The bundle's manifest says host_path (and everything under it) was not collected on the
 * host: err is what the host said (-EACCES, -ENOENT) or -SYSROOT_ENOTCOLLECTED (timed out,
 * the run's deadline), why the manifest's words. Reads of it then fail with err rather than
 * with the ENOENT of a file missing from the bundle.
 */
void sysroot_not_collected(const char *host_path, int err, const char *why);
/* The manifest's words for host_path or its nearest listed ancestor; NULL when none. */
const char *sysroot_not_collected_why(const char *host_path, int *err);

/*
 * The walk that resolves a path inside the root, where the kernel has no openat2: pure, so
 * that it can be fuzzed against an imaginary tree. lookup tells what the canonical path rel
 * (relative to the root, "" for the root itself) is: SYSROOT_NODE_DIR, SYSROOT_NODE_OTHER,
 * SYSROOT_NODE_LINK with the link's target in buf, or -errno. The result in out is
 * canonical: relative, no "", "." or ".." component, no link; "" is the root.
 * Returns 0, -EXDEV (an absolute link target, or ".." above the root: RESOLVE_BENEATH's
 * rule), -ELOOP (more than SYSROOT_MAX_LINKS links), -ENAMETOOLONG, -ENOTDIR, or lookup's
 * error.
 */
enum { SYSROOT_NODE_DIR = 1, SYSROOT_NODE_OTHER, SYSROOT_NODE_LINK };
#define SYSROOT_MAX_LINKS 40
typedef int (*sysroot_lookup_fn)(void *ctx, const char *rel, char *buf, size_t size);
int sysroot_walk(const char *path, sysroot_lookup_fn lookup, void *ctx, char *out, size_t size);

#endif
