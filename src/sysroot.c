// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The one way to read the host (DESIGN.md 3). On the live host these helpers are thin; under
 * --root they treat the tree as hostile: a link to /etc/shadow, a "proc -> /proc" link, a FIFO
 * at proc/mounts or a sparse 100 GB os-release must neither leak, hang nor exhaust memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "i18n.h"
#include "sysroot.h"
#include "util.h"

struct not_collected {
	char *path; /* host path, no trailing slash */
	int err;
	char *why;
};

static struct {
	char dir[PATH_MAX];
	int fd; /* the root, O_PATH | O_DIRECTORY; -1 on the live host until first used */
	bool live;
	int openat2; /* 1: use it, 0: walk by hand, -1: not asked yet */
	struct sysroot_refusal *refused;
	size_t nr_refused;
	struct not_collected *nc;
	size_t nr_nc;
	char msg[PATH_MAX + 256]; /* sysroot_error's text when it is made up */
} root = { .dir = "/", .fd = -1, .live = true, .openat2 = -1 };

static void forget(void)
{
	size_t i;

	for (i = 0; i < root.nr_refused; i++) {
		free(root.refused[i].path);
		free(root.refused[i].why);
	}
	free(root.refused);
	root.refused = NULL;
	root.nr_refused = 0;
	for (i = 0; i < root.nr_nc; i++) {
		free(root.nc[i].path);
		free(root.nc[i].why);
	}
	free(root.nc);
	root.nc = NULL;
	root.nr_nc = 0;
}

int sysroot_set(const char *dir)
{
	struct stat st;
	size_t n;
	int fd;

	if (!dir)
		dir = "/";
	/* "--root $UNSET" must not quietly become the live host */
	if (!*dir)
		return -EINVAL;
	n = strlen(dir);
	if (n >= sizeof(root.dir))
		return -ENAMETOOLONG;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR ? -ENOTDIR : -errno;
	if (fstat(fd, &st) || !S_ISDIR(st.st_mode)) {
		close(fd);
		return -ENOTDIR;
	}
	if (root.fd >= 0)
		close(root.fd);
	forget();
	root.fd = fd;
	memcpy(root.dir, dir, n + 1);
	/* "//" or "/." would still be the live host, but only "/" is treated as such */
	while (n > 1 && root.dir[n - 1] == '/')
		root.dir[--n] = '\0';
	root.live = strcmp(root.dir, "/") == 0;
	root.openat2 = -1;
	return 0;
}

const char *sysroot_dir(void)
{
	return root.dir;
}

bool sysroot_is_live(void)
{
	return root.live;
}

static int root_fd(void)
{
	if (root.fd < 0)
		root.fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return root.fd;
}

/* "/proc/mounts" -> "proc/mounts"; "/" -> "." */
static const char *rel_of(const char *host_path)
{
	while (*host_path == '/')
		host_path++;
	return *host_path ? host_path : ".";
}

/* ---- the walk by hand, for kernels without openat2 (before 5.6) ---- */

/* Append component c (n bytes) to the canonical path out. */
static int push(char *out, size_t size, size_t *len, const char *c, size_t n)
{
	if (*len + (*len > 0) + n + 1 > size)
		return -ENAMETOOLONG;
	if (*len)
		out[(*len)++] = '/';
	memcpy(out + *len, c, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

static void pop(char *out, size_t *len)
{
	char *slash = memrchr(out, '/', *len);

	*len = slash ? (size_t)(slash - out) : 0;
	out[*len] = '\0';
}

int sysroot_walk(const char *path, sysroot_lookup_fn lookup, void *ctx, char *out, size_t size)
{
	/* what is left to walk: the path, and link targets put in front of its rest */
	char *todo, link[PATH_MAX];
	size_t len = 0, cap = 2 * PATH_MAX, t;
	int links = 0, kind, err = 0;
	const char *p;

	if (size < 1)
		return -ENAMETOOLONG;
	out[0] = '\0';
	t = strlen(path);
	if (t >= cap)
		return -ENAMETOOLONG;
	todo = util_xmalloc(cap);
	memcpy(todo, path, t + 1);
	p = todo;
	for (;;) {
		const char *c, *e;
		size_t n, mark = len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		c = p;
		e = strchrnul(c, '/');
		n = (size_t)(e - c);
		p = e;
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			/* ".." of the root would lead out: refused, as RESOLVE_BENEATH does */
			if (!len) {
				err = -EXDEV;
				break;
			}
			pop(out, &len);
			continue;
		}
		err = push(out, size, &len, c, n);
		if (err)
			break;
		kind = lookup(ctx, out, link, sizeof(link));
		if (kind < 0) {
			err = kind;
			break;
		}
		if (kind == SYSROOT_NODE_DIR)
			continue;
		if (kind == SYSROOT_NODE_LINK) {
			size_t ln = strnlen(link, sizeof(link)), rest = strlen(p);

			if (++links > SYSROOT_MAX_LINKS) {
				err = -ELOOP;
				break;
			}
			if (ln == sizeof(link) || ln + rest + 1 > cap) {
				err = -ENAMETOOLONG;
				break;
			}
			/* an absolute target names the engineer's machine, not the root's */
			if (link[0] == '/') {
				err = -EXDEV;
				break;
			}
			/* the link is replaced by its target, relative to its directory */
			len = mark;
			out[len] = '\0';
			/* the rest is "" or starts with '/' */
			memmove(todo + ln, p, rest + 1);
			memcpy(todo, link, ln);
			p = todo;
			continue;
		}
		/* a file: the end of the path, or "file/..." which is not a directory */
		if (*p) {
			err = -ENOTDIR;
			break;
		}
	}
	free(todo);
	if (err) {
		out[0] = '\0';
		return err;
	}
	return 0;
}

static int walk_lookup(void *ctx, const char *rel, char *buf, size_t size)
{
	struct stat st;
	ssize_t n;

	(void)ctx;
	if (fstatat(root_fd(), rel, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISDIR(st.st_mode))
		return SYSROOT_NODE_DIR;
	if (!S_ISLNK(st.st_mode))
		return SYSROOT_NODE_OTHER;
	n = readlinkat(root_fd(), rel, buf, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return SYSROOT_NODE_LINK;
}

/*
 * Open a canonical path one component at a time, never following a link: were the tree
 * changed between the walk and the open, the open fails instead of leaving the root.
 */
static int open_canonical(const char *rel, int flags)
{
	char buf[PATH_MAX], *c = buf, *slash;
	int dfd = root_fd(), fd;

	if (!*rel || !strcmp(rel, "."))
		return openat(dfd, ".", flags | O_CLOEXEC);
	if (strlen(rel) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, rel);
	while ((slash = strchr(c, '/'))) {
		*slash = '\0';
		fd = openat(dfd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd != root_fd())
			close(dfd);
		if (fd < 0)
			return -errno;
		dfd = fd;
		c = slash + 1;
	}
	fd = openat(dfd, c, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	if (dfd != root_fd())
		close(dfd);
	return fd;
}

static bool want_openat2(void)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH };
	const char *no = getenv("EDRDIAG_NO_OPENAT2");
	long fd;

	if (root.openat2 >= 0)
		return root.openat2;
	/* tests only: take the walk by hand on a kernel that has openat2 */
	if (no && *no && strcmp(no, "0")) {
		root.openat2 = 0;
		return false;
	}
	/* ENOSYS before 5.6; EPERM or ENOSYS from a seccomp filter that does not know it */
	fd = syscall(SYS_openat2, root_fd(), ".", &how, sizeof(how));
	root.openat2 = fd >= 0;
	if (fd >= 0)
		close((int)fd);
	return root.openat2;
}

/* Open host_path inside the root with flags (O_PATH, or O_RDONLY for reading). */
static int open_in_root(const char *host_path, int flags)
{
	const char *rel = rel_of(host_path);
	char canon[PATH_MAX];
	int err;

	if (root_fd() < 0)
		return -errno;
	/* the live host's own links (/etc/os-release -> /etc/static/...) are its own */
	if (root.live) {
		int fd = openat(AT_FDCWD, host_path, flags | O_CLOEXEC);

		return fd < 0 ? -errno : fd;
	}
	if (want_openat2()) {
		struct open_how how = {
			.flags = (unsigned long long)(flags | O_CLOEXEC),
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
		};
		long fd;

		do
			fd = syscall(SYS_openat2, root_fd(), rel, &how, sizeof(how));
		while (fd < 0 && errno == EAGAIN);
		return fd < 0 ? -errno : (int)fd;
	}
	err = sysroot_walk(rel, walk_lookup, NULL, canon, sizeof(canon));
	if (err)
		return err;
	return open_canonical(canon, flags);
}

/* ---- what the bundle's manifest says was not collected ---- */

static size_t trimmed_len(const char *p)
{
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		n--;
	return n;
}

void sysroot_not_collected(const char *host_path, int err, const char *why)
{
	struct not_collected *e;

	root.nc = util_xrealloc(root.nc, (root.nr_nc + 1) * sizeof(*root.nc));
	e = &root.nc[root.nr_nc++];
	e->path = util_fmt("%.*s", (int)trimmed_len(host_path), host_path);
	e->err = err;
	e->why = util_xstrdup(why ? why : _("no reason given"));
}

const char *sysroot_not_collected_why(const char *host_path, int *err)
{
	const struct not_collected *best = NULL;
	size_t i, n, bestn = 0;

	for (i = 0; i < root.nr_nc; i++) {
		n = strlen(root.nc[i].path);
		/* the path itself, or a directory above it */
		if (strncmp(host_path, root.nc[i].path, n) ||
		    (host_path[n] && host_path[n] != '/' && strcmp(root.nc[i].path, "/")))
			continue;
		if (!best || n > bestn) {
			best = &root.nc[i];
			bestn = n;
		}
	}
	if (best && err)
		*err = best->err;
	return best ? best->why : NULL;
}

/* A path missing from the tree that the host did have, or refused: the host's answer. */
static int missing(const char *host_path, int err)
{
	int nc;

	if (root.live || (err != -ENOENT && err != -ENOTDIR))
		return err;
	if (sysroot_not_collected_why(host_path, &nc))
		return nc;
	return err;
}

/* ---- refusals ---- */

static int vrefuse(const char *host_path, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int vrefuse(const char *host_path, int err, const char *fmt, va_list ap)
{
	struct sysroot_refusal *r;
	size_t i;

	for (i = 0; i < root.nr_refused; i++)
		if (!strcmp(root.refused[i].path, host_path))
			return err;
	root.refused = util_xrealloc(root.refused, (root.nr_refused + 1) * sizeof(*root.refused));
	r = &root.refused[root.nr_refused++];
	r->path = util_xstrdup(host_path);
	r->err = err;
	/* shown in findings: in the run's language (i18n.h) */
	r->why = util_vfmt(gettext(fmt), ap);
	return err;
}

int sysroot_refuse(const char *host_path, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = vrefuse(host_path, err, fmt, ap);
	va_end(ap);
	return err;
}

const struct sysroot_refusal *sysroot_refusals(size_t *n)
{
	*n = root.nr_refused;
	return root.refused;
}

bool sysroot_is_refusal(int err)
{
	return err == -SYSROOT_EIRREGULAR || err == -SYSROOT_ETOOBIG || err == -SYSROOT_ECHANGED ||
	       err == -SYSROOT_EBADVALUE || err == -ELOOP || err == -EXDEV;
}

static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return _("a FIFO");
	if (S_ISCHR(m))
		return _("a character device");
	if (S_ISBLK(m))
		return _("a block device");
	if (S_ISSOCK(m))
		return _("a socket");
	if (S_ISLNK(m))
		return _("a symbolic link");
	return _("not a plain file");
}

const char *sysroot_error(const char *host_path, int err)
{
	const char *why;
	size_t i;
	int nc;

	for (i = 0; i < root.nr_refused; i++)
		if (!strcmp(root.refused[i].path, host_path) && root.refused[i].err == err)
			return root.refused[i].why;
	why = root.live ? NULL : sysroot_not_collected_why(host_path, &nc);
	if (why && nc == err) {
		snprintf(root.msg, sizeof(root.msg), "%s (the bundle's manifest: %s)",
			 err == -SYSROOT_ENOTCOLLECTED ? _("not collected on the host")
						       : strerror(-err),
			 why);
		return root.msg;
	}
	switch (-err) {
	case SYSROOT_EIRREGULAR:
		return _("refused: not a regular file");
	case SYSROOT_ETOOBIG:
		return _("refused: larger than edrdiag reads");
	case SYSROOT_ECHANGED:
		return _("refused: replaced while it was being opened");
	case SYSROOT_ENOTCOLLECTED:
		return _("not collected on the host");
	case SYSROOT_EBADVALUE:
		return _("refused: not a safe path");
	case ELOOP:
		return _("refused: a symbolic link loop, or a magic link");
	case EXDEV:
		return _("refused: a symbolic link or \"..\" that leads out of the root");
	}
	return strerror(-err);
}

/* ---- the readers ---- */

/* A resolution error: a refusal to name when it is one, else the host's answer. */
static int refuse_or_missing(const char *host_path, int err)
{
	if (root.live)
		return err;
	if (err == -EXDEV)
		return sysroot_refuse(host_path, err,
				      "refused: a symbolic link or \"..\" that leads out of the "
				      "root");
	if (err == -ELOOP)
		return sysroot_refuse(host_path, err,
				      "refused: a symbolic link loop, or a magic link");
	return missing(host_path, err);
}

int sysroot_open(const char *host_path, struct stat *st)
{
	struct stat a, b;
	int fd, err;

	err = sysroot_stat(host_path, &a);
	if (err)
		return err;
	if (S_ISDIR(a.st_mode))
		return -EISDIR;
	/* a FIFO blocks the reader, a device node may act on open: never opened */
	if (!S_ISREG(a.st_mode))
		return sysroot_refuse(host_path, -SYSROOT_EIRREGULAR,
				      "refused: %s, not a regular file", file_kind(a.st_mode));
	fd = open_in_root(host_path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return refuse_or_missing(host_path, fd);
	if (fstat(fd, &b) || b.st_dev != a.st_dev || b.st_ino != a.st_ino || !S_ISREG(b.st_mode)) {
		close(fd);
		return sysroot_refuse(host_path, -SYSROOT_ECHANGED,
				      "refused: replaced while it was being opened");
	}
	if (st)
		*st = b;
	return fd;
}

int sysroot_read(const char *host_path, size_t cap, char **data, size_t *len)
{
	struct stat st;
	int fd, err;

	fd = sysroot_open(host_path, &st);
	if (fd < 0)
		return fd;
	if (st.st_size > 0 && (unsigned long long)st.st_size > cap) {
		close(fd);
		return sysroot_refuse(host_path, -SYSROOT_ETOOBIG,
				      "refused: %lld bytes, over the %zu-byte cap",
				      (long long)st.st_size, cap);
	}
	err = util_read_fd(fd, (size_t)st.st_size, cap, data, len);
	close(fd);
	if (err == -EFBIG)
		return sysroot_refuse(host_path, -SYSROOT_ETOOBIG,
				      "refused: more than %zu bytes (the cap)", cap);
	return err;
}

int sysroot_read_line(const char *host_path, char *buf, size_t size)
{
	char *data;
	int err;

	err = sysroot_read(host_path, SYSROOT_LINE_CAP, &data, NULL);
	if (err)
		return err;
	snprintf(buf, size, "%s", data);
	free(data);
	util_rstrip(buf);
	return 0;
}

int sysroot_stat(const char *host_path, struct stat *st)
{
	int fd, err;

	fd = open_in_root(host_path, O_PATH);
	if (fd < 0)
		return refuse_or_missing(host_path, fd);
	err = fstat(fd, st) ? -errno : 0;
	close(fd);
	return err;
}

int sysroot_access(const char *host_path, int mode)
{
	struct stat st;

	if (root.live)
		return access(host_path, mode) ? -errno : 0;
	return sysroot_stat(host_path, &st);
}

bool sysroot_isdir(const char *host_path)
{
	struct stat st;

	return sysroot_stat(host_path, &st) == 0 && S_ISDIR(st.st_mode);
}

DIR *sysroot_opendir(const char *host_path)
{
	DIR *d;
	int fd;

	fd = open_in_root(host_path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		errno = -refuse_or_missing(host_path, fd);
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

int sysroot_readlink(const char *host_path, char *buf, size_t size)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(host_path, '/');
	ssize_t n;
	int fd;

	if (!slash || !slash[1] || size < 1 || (size_t)(slash - host_path) >= sizeof(dir))
		return -EINVAL;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - host_path), host_path);
	fd = open_in_root(*dir ? dir : "/", O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	n = readlinkat(fd, slash + 1, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

int sysroot_open_write(const char *host_path)
{
	struct stat st;
	int fd;

	fd = open_in_root(host_path, O_WRONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return refuse_or_missing(host_path, fd);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return sysroot_refuse(host_path, -SYSROOT_EIRREGULAR,
				      "refused: not a regular file");
	}
	return fd;
}
