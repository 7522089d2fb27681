// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void *util_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("edrdiag: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *util_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("edrdiag: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *util_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(util_xmalloc(n), s, n);
}

char *util_vfmt(const char *fmt, va_list ap)
{
	va_list cp;
	char *s;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	s = util_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *util_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = util_vfmt(fmt, ap);
	va_end(ap);
	return s;
}

int util_read_fd(int fd, size_t size_hint, size_t cap, char **data, size_t *len)
{
	/* procfs and sysfs report 0 or 4096; regular files give the real size */
	size_t alloc = size_hint ? size_hint + 1 : (cap < 4096 ? cap + 1 : 4096), n = 0;
	char *buf = util_xmalloc(alloc);
	int err = 0;

	for (;;) {
		ssize_t r;

		if (n + 1 >= alloc) {
			/* room for cap + 1 bytes is enough to tell a file past the cap */
			if (alloc >= cap + 2) {
				err = -EFBIG;
				break;
			}
			alloc = alloc * 2 > cap + 2 ? cap + 2 : alloc * 2;
			buf = util_xrealloc(buf, alloc);
		}
		r = read(fd, buf + n, alloc - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (!err && n > cap)
		err = -EFBIG;
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*data = buf;
	if (len)
		*len = n;
	return 0;
}

int util_read_file(const char *path, size_t cap, char **data, size_t *len)
{
	struct stat st;
	int fd, err;

	/* O_NONBLOCK: a FIFO without a writer must not hang the open */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > cap) {
		close(fd);
		return -EFBIG;
	}
	/* a pipe (a shell's <(...)) is read to its end, blocking, up to the cap */
	if (!S_ISREG(st.st_mode))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	err = util_read_fd(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, cap, data, len);
	close(fd);
	return err;
}

char *util_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Digits only (no sign, no blanks) up to INT_MAX at *p; moves *p past them. */
static int parse_int(const char **p, int *v)
{
	const char *s = *p;
	long n = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > INT_MAX)
			return -EINVAL;
	}
	*v = (int)n;
	*p = s;
	return 0;
}

int util_parse_release(const char *release, int *major, int *minor, int *patch)
{
	const char *p = release;
	int ma, mi, pa = 0;

	/*
	 * "6.1", "6.1.0-18-amd64", "5.15.0-91-generic"; the patch level is optional. Not
	 * sscanf("%d"): it takes a sign and blanks, and a number past INT_MAX is undefined
	 * (glibc wraps "4294967302.1" into 6.1).
	 */
	if (parse_int(&p, &ma) || *p++ != '.' || parse_int(&p, &mi))
		return -EINVAL;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		p++;
		if (parse_int(&p, &pa))
			return -EINVAL;
	}
	*major = ma;
	*minor = mi;
	*patch = pa;
	return 0;
}

bool util_release_is_name(const char *release)
{
	size_t i;

	if (!*release || !strcmp(release, ".") || !strcmp(release, ".."))
		return false;
	for (i = 0; release[i]; i++) {
		char c = release[i];

		if (i >= 64)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-' || c == '+' || c == '~'))
			return false;
	}
	return true;
}

const char *util_errname(int err)
{
	const char *n = strerrorname_np(err < 0 ? -err : err);

	return n ? n : "E?";
}

__u64 util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

void util_u32_push(__u32 **v, size_t *n, size_t *cap, __u32 x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = util_xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

size_t util_u32_uniq(__u32 *v, size_t n)
{
	size_t i, o = 0;

	if (n < 2)
		return n; /* and qsort() must not see v == NULL, even for no element */
	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 0; i < n; i++)
		if (!o || v[o - 1] != v[i])
			v[o++] = v[i];
	return o;
}

bool util_u32_has(const __u32 *v, size_t n, __u32 x)
{
	return n && bsearch(&x, v, n, sizeof(*v), cmp_u32);
}

const char *util_human_size(char *buf, size_t len, unsigned long long v)
{
	static const char units[] = "BKMGT";
	double d = (double)v;
	int u = 0;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%lluB", v);
	else
		snprintf(buf, len, d < 10 ? "%.1f%c" : "%.0f%c", d, units[u]);
	return buf;
}

int util_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void util_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *util_join_argv(char *const argv[])
{
	char *s = util_xstrdup(argv[0]), *n;
	size_t i;

	for (i = 1; argv[i]; i++) {
		n = util_fmt("%s %s", s, argv[i]);
		free(s);
		s = n;
	}
	return s;
}
