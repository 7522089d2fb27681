/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SYSROOT_H
#define EDRDIAG_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/*
 * Every read of the host's /proc, /sys, /boot and /etc goes through here, so that
 * --root DIR (a fixture tree, an unpacked support bundle) sees exactly what the live
 * host would have shown. Paths given to these helpers are absolute host paths.
 */

/* Set the root ("/" when dir is NULL). Returns 0, -EINVAL (empty), -ENOENT or -ENOTDIR. */
int sysroot_set(const char *dir);

/* The root as given ("/" by default). */
const char *sysroot_dir(void);

/* True when the root is the running host: live-only checks (bpf(), caps) may run. */
bool sysroot_is_live(void);

/* Host path -> path on disk under the root. Returns a static-per-call buffer in out. */
const char *sysroot_path(char *out, size_t size, const char *host_path);

int sysroot_read(const char *host_path, char **data, size_t *len);
/* Read a small file and strip the trailing newline; returns 0 or -errno. */
int sysroot_read_line(const char *host_path, char *buf, size_t size);
int sysroot_stat(const char *host_path, struct stat *st);
int sysroot_access(const char *host_path, int mode);
bool sysroot_isdir(const char *host_path);

#endif
