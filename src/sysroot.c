// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysroot.h"
#include "util.h"

static char root[PATH_MAX] = "/";
static bool live = true;

int sysroot_set(const char *dir)
{
	struct stat st;
	size_t n;

	if (!dir)
		dir = "/";
	/* "--root $UNSET" must not quietly become the live host */
	if (!*dir)
		return -EINVAL;
	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	n = strlen(dir);
	if (n >= sizeof(root))
		return -ENAMETOOLONG;
	memcpy(root, dir, n + 1);
	/* "//" or "/." would still be the live host, but only "/" is treated as such */
	while (n > 1 && root[n - 1] == '/')
		root[--n] = '\0';
	live = strcmp(root, "/") == 0;
	return 0;
}

const char *sysroot_dir(void)
{
	return root;
}

bool sysroot_is_live(void)
{
	return live;
}

const char *sysroot_path(char *out, size_t size, const char *host_path)
{
	size_t r = live ? 0 : strlen(root), h = strlen(host_path);
	bool slash = !live && host_path[0] != '/';

	/* too long: an empty path, which every open fails with ENOENT rather than a wrong file */
	if (r + slash + h + 1 > size) {
		if (size)
			out[0] = '\0';
		return out;
	}
	memcpy(out, root, r);
	if (slash)
		out[r++] = '/';
	memcpy(out + r, host_path, h + 1);
	return out;
}

int sysroot_read(const char *host_path, char **data, size_t *len)
{
	char p[PATH_MAX];

	return util_read_file(sysroot_path(p, sizeof(p), host_path), data, len);
}

int sysroot_read_line(const char *host_path, char *buf, size_t size)
{
	char *data;
	int err;

	err = sysroot_read(host_path, &data, NULL);
	if (err)
		return err;
	snprintf(buf, size, "%s", data);
	free(data);
	util_rstrip(buf);
	return 0;
}

int sysroot_stat(const char *host_path, struct stat *st)
{
	char p[PATH_MAX];

	return stat(sysroot_path(p, sizeof(p), host_path), st) ? -errno : 0;
}

int sysroot_access(const char *host_path, int mode)
{
	char p[PATH_MAX];

	return access(sysroot_path(p, sizeof(p), host_path), mode) ? -errno : 0;
}

bool sysroot_isdir(const char *host_path)
{
	struct stat st;

	return sysroot_stat(host_path, &st) == 0 && S_ISDIR(st.st_mode);
}
