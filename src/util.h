/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_UTIL_H
#define EDRDIAG_UTIL_H

#include <linux/types.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Read a whole file the user named into a NUL-terminated heap buffer, at most cap bytes.
 * Returns 0, or a negative errno (-EISDIR for a directory, -EFBIG past cap, checked before
 * reading for a regular file). A pipe (a shell's <(...)) is read to its end; a FIFO without
 * a writer reads as empty rather than hanging. Host files go through sysroot.h instead.
 */
int util_read_file(const char *path, size_t cap, char **data, size_t *len);

/*
 * Read fd to its end into a NUL-terminated heap buffer: at most cap bytes (-EFBIG past it),
 * size_hint (st_size, or 0 when unknown: procfs) the first allocation. 0 or -errno.
 */
int util_read_fd(int fd, size_t size_hint, size_t cap, char **data, size_t *len);

/* Trim trailing whitespace (incl. \r and \n) in place; returns s. */
char *util_rstrip(char *s);

/* Parse a kernel release ("6.1.0-18-amd64", "3.10.0-1160.el7.x86_64") into numbers. */
int util_parse_release(const char *release, int *major, int *minor, int *patch);

/*
 * May this release string become a path component (/boot/config-RELEASE)? A kernel's
 * release is at most 64 characters of [A-Za-z0-9._+~-], and not "." or ".."; anything else
 * came from somewhere else (a hostile bundle's "6.1/../../../tmp/x").
 */
bool util_release_is_name(const char *release);

/* KERNEL_VERSION()-style comparable number. */
static inline long util_kver(int major, int minor, int patch)
{
	return ((long)major << 16) + ((long)minor << 8) + (patch > 255 ? 255 : patch);
}

/* The errno's name, "EPERM" for EPERM or -EPERM; "E?" when the C library does not know it. */
const char *util_errname(int err);

/* printf into a fresh heap string; aborts on out-of-memory (like git's xstrfmt). */
char *util_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *util_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void *util_xmalloc(size_t n);
void *util_xrealloc(void *p, size_t n);
char *util_xstrdup(const char *s);

/* CLOCK_MONOTONIC in nanoseconds: the clock of every measured window. */
__u64 util_now_ns(void);

/* A command line for a message: argv[0] and its arguments joined by spaces, a fresh string. */
char *util_join_argv(char *const argv[]);

/* Arrays of heap strings: a qsort()/bsearch() comparator of char *, and one free of all. */
int util_str_cmp(const void *a, const void *b);
void util_strv_free(char **v, size_t n);

/*
 * Sets of ids: an array grown by util_u32_push (cap starts at 0), then sorted and made unique
 * by util_u32_uniq (returns the new length), then searched by util_u32_has.
 */
void util_u32_push(__u32 **v, size_t *n, size_t *cap, __u32 x);
size_t util_u32_uniq(__u32 *v, size_t n);
bool util_u32_has(const __u32 *v, size_t n, __u32 x);

/*
 * A size for a table read by people, in units of 1024: "512B", "1.5K", "137K", "2.0G" (one
 * decimal below 10 of a unit). JSON carries the bytes. Returns buf.
 */
const char *util_human_size(char *buf, size_t len, unsigned long long v);

/* Returns true when s starts with prefix. */
static inline bool util_startswith(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

#endif
