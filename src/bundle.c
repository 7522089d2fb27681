// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The collection engine of collect-report. Every item is bounded in time and size so that
 * one hung or huge source costs its own bound and nothing more; every item that could not
 * be collected is recorded with the reason, so nothing is dropped silently.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "sha256.h"
#include "text.h"
#include "util.h"

/*
 * libarchive is opened when a bundle is written, not linked into the binary: its own
 * dependencies (libxml2, ICU, libstdc++, nettle, ...) added 3 MB to the resident size of
 * every command, run-sensor's 16 MB budget included, for the one command that writes a tar.
 */
/* clang-format off */
#define LA_FUNCS(X)                                \
	X(archive_write_new)                       \
	X(archive_write_add_filter_gzip)           \
	X(archive_write_set_format_pax_restricted) \
	X(archive_write_open_fd)                   \
	X(archive_write_header)                    \
	X(archive_write_data)                      \
	X(archive_write_close)                     \
	X(archive_write_free)                      \
	X(archive_errno)                           \
	X(archive_error_string)                    \
	X(archive_entry_new)                       \
	X(archive_entry_free)                      \
	X(archive_entry_set_pathname)              \
	X(archive_entry_set_filetype)              \
	X(archive_entry_set_perm)                  \
	X(archive_entry_set_size)                  \
	X(archive_entry_set_mtime)
/* clang-format on */

static struct {
#define X(f) __typeof__(&f) f;
	LA_FUNCS(X)
#undef X
} la;

static int archive_load(char *err, size_t errlen)
{
	static const char *const sonames[] = { "libarchive.so.13", "libarchive.so" };
	static void *handle;
	size_t i;

	if (handle)
		return 0;
	for (i = 0; i < ARRAY_SIZE(sonames) && !handle; i++)
		handle = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		snprintf(err, errlen, "cannot load libarchive (apt-get install libarchive13): %s",
			 dlerror());
		return -ENOENT;
	}
#define X(f)                                                      \
	la.f = (__typeof__(la.f))dlsym(handle, #f);               \
	if (!la.f) {                                              \
		snprintf(err, errlen, "libarchive lacks %s", #f); \
		dlclose(handle);                                  \
		handle = NULL;                                    \
		return -ENOENT;                                   \
	}
	LA_FUNCS(X)
#undef X
	return 0;
}

/* from here on, every libarchive call goes through the loaded table */
#define archive_write_new			la.archive_write_new
#define archive_write_add_filter_gzip		la.archive_write_add_filter_gzip
#define archive_write_set_format_pax_restricted la.archive_write_set_format_pax_restricted
#define archive_write_open_fd			la.archive_write_open_fd
#define archive_write_header			la.archive_write_header
#define archive_write_data			la.archive_write_data
#define archive_write_close			la.archive_write_close
#define archive_write_free			la.archive_write_free
#define archive_errno				la.archive_errno
#define archive_error_string			la.archive_error_string
#define archive_entry_new			la.archive_entry_new
#define archive_entry_free			la.archive_entry_free
#define archive_entry_set_pathname		la.archive_entry_set_pathname
#define archive_entry_set_filetype		la.archive_entry_set_filetype
#define archive_entry_set_perm			la.archive_entry_set_perm
#define archive_entry_set_size			la.archive_entry_set_size
#define archive_entry_set_mtime			la.archive_entry_set_mtime

/* For the signal handler: what an interrupted run must not leave behind. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t have_tmp;
static volatile pid_t child_pgid;

void bundle_abort_cleanup(void)
{
	if (child_pgid > 0)
		kill(-child_pgid, SIGKILL);
	if (have_tmp)
		unlink(tmp_path);
}

double bundle_now(void)
{
	return (double)util_now_ns() / 1e9;
}

void bundle_init(struct bundle *b, double timeout, size_t max_item, double run_seconds)
{
	memset(b, 0, sizeof(*b));
	b->timeout = timeout;
	b->max_item = max_item;
	b->deadline = bundle_now() + run_seconds;
}

void bundle_free(struct bundle *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		free(b->items[i].source);
		free(b->items[i].path);
		free(b->items[i].data);
		free(b->items[i].why);
		free(b->items[i].note);
	}
	free(b->items);
	memset(b, 0, sizeof(*b));
}

static struct bundle_item *new_item(struct bundle *b, enum bundle_kind kind, const char *source,
				    const char *path)
{
	struct bundle_item *it;

	if (b->nr == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->items = util_xrealloc(b->items, b->cap * sizeof(*b->items));
	}
	it = &b->items[b->nr++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->source = util_xstrdup(source);
	it->path = util_xstrdup(path);
	it->exit_status = -1;
	return it;
}

static struct bundle_item *done(struct bundle *b, struct bundle_item *it)
{
	if (b->progress)
		b->progress(it, b->progress_arg);
	return it;
}

struct bundle_item *bundle_add_missing(struct bundle *b, enum bundle_kind kind, const char *source,
				       const char *path, const char *why)
{
	struct bundle_item *it = new_item(b, kind, source, path);

	it->why = util_xstrdup(why);
	return done(b, it);
}

static const char *why_errno(int err);

struct bundle_item *bundle_add_absent(struct bundle *b, const char *host_path, const char *path,
				      int err)
{
	struct bundle_item *it = new_item(b, BUNDLE_FILE, host_path, path);

	it->why = util_xstrdup(why_errno(-err));
	it->err = err;
	return done(b, it);
}

struct bundle_item *bundle_add_data(struct bundle *b, const char *source, const char *path,
				    const char *data, size_t len)
{
	struct bundle_item *it = new_item(b, BUNDLE_DATA, source, path);

	it->data = util_xmalloc(len + 1);
	memcpy(it->data, data, len);
	it->data[len] = '\0';
	it->len = len;
	it->collected = true;
	return done(b, it);
}

static const char *why_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return "absent on this host";
	case EACCES:
	case EPERM:
		return "permission denied";
	default:
		return strerror(err);
	}
}

/* The item's own bound, cut short by the run's deadline. */
static double item_deadline(const struct bundle *b, double start, double timeout)
{
	return start + timeout < b->deadline ? start + timeout : b->deadline;
}

/* Append up to the cap; returns false once the cap is reached. */
static bool append(char **buf, size_t *len, size_t *cap, const char *p, size_t n, size_t max)
{
	bool fits = *len + n <= max;

	if (!fits)
		n = max - *len;
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = util_xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, p, n);
	*len += n;
	(*buf)[*len] = '\0';
	return fits;
}

struct bundle_item *bundle_add_file(struct bundle *b, const char *host_path, const char *path,
				    double wait, size_t limit)
{
	struct bundle_item *it = new_item(b, BUNDLE_FILE, host_path, path);
	double start = bundle_now(), end;
	size_t cap = 0;
	char chunk[65536];
	int fd;

	if (start >= b->deadline) {
		it->why = util_xstrdup("not collected: the run's deadline was reached");
		return done(b, it);
	}
	end = item_deadline(b, start, wait > 0 ? wait : b->timeout);
	/* O_NONBLOCK: a FIFO or trace_pipe must not block the run at open or read */
	fd = open(host_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		it->err = -errno;
		it->why = util_xstrdup(why_errno(errno));
		return done(b, it);
	}
	it->data = util_xstrdup("");
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = end - bundle_now();
		ssize_t n;

		n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			if (!append(&it->data, &it->len, &cap, chunk, (size_t)n,
				    limit ? limit : b->max_item)) {
				/* a part asked for is not a truncation */
				it->truncated = !limit;
				break;
			}
			continue;
		}
		if (n == 0 && wait <= 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			/* a sysfs file that says EACCES or EIO at read time */
			free(it->data);
			it->data = NULL;
			it->len = 0;
			it->err = -errno;
			it->why = util_xstrdup(why_errno(errno));
			close(fd);
			return done(b, it);
		}
		if (left <= 0) {
			/* a sampled file (wait > 0) ends at its window: that is not a timeout */
			it->timed_out = wait <= 0;
			break;
		}
		poll(&pfd, 1, (int)(left * 1000) + 1);
	}
	close(fd);
	it->collected = true;
	it->duration = bundle_now() - start;
	return done(b, it);
}

/* argv[0] as execve needs it: a PATH lookup unless it names a path. */
static char *which(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(name, '/'))
		return access(name, X_OK) ? NULL : util_xstrdup(name);
	for (p = path ? path : "/usr/bin:/bin"; p; p = *e ? e + 1 : NULL) {
		char *cand;

		e = strchrnul(p, ':');
		/* an empty PATH entry is the current directory, as for execvp(3) */
		cand = e == p ? util_fmt("./%s", name) : util_fmt("%.*s/%s", (int)(e - p), p, name);
		if (!access(cand, X_OK))
			return cand;
		free(cand);
	}
	return NULL;
}

static char *join_argv(char *const argv[])
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

/* Between fork and exec: no allocation, only system calls. */
static void child(const char *exe, char *const argv[], char *path_env, int out, int err, int report)
{
	/* a small fixed environment: stable output, no pager, and none of ours passed on */
	char *const envp[] = { path_env,	   "LC_ALL=C",	 "TERM=dumb", "SYSTEMD_PAGER=",
			       "SYSTEMD_COLORS=0", "NO_COLOR=1", NULL };
	int devnull, e;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	execve(exe, argv, envp);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

struct bundle_item *bundle_add_command(struct bundle *b, char *const argv[], const char *path,
				       bool merge)
{
	char *line = join_argv(argv), *exe = which(argv[0]), *ebuf = NULL, *path_env = NULL;
	char chunk[65536];
	struct bundle_item *it = new_item(b, BUNDLE_COMMAND, line, path), *eit;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	size_t ocap = 0, ecap = 0, elen = 0;
	double start = bundle_now(), end;
	bool open_out, open_err, reaped = false;
	int st = 0, e, n_exec;
	pid_t pid;

	free(line);
	end = item_deadline(b, start, b->timeout);
	if (start >= b->deadline) {
		it->why = util_xstrdup("not collected: the run's deadline was reached");
		goto out;
	}
	if (!exe) {
		it->why = util_fmt("missing binary: %s not found in PATH", argv[0]);
		goto out;
	}
	if (pipe2(out, O_CLOEXEC) || (!merge && pipe2(err, O_CLOEXEC)) || pipe2(rep, O_CLOEXEC)) {
		it->why = util_fmt("pipe: %s", strerror(errno));
		goto out;
	}
	path_env = util_fmt("PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	pid = fork();
	if (pid < 0) {
		it->why = util_fmt("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(exe, argv, path_env, out[1], merge ? out[1] : err[1], rep[1]);
	/* both sides set the group: whichever runs first, the kill below reaches it */
	setpgid(pid, pid);
	child_pgid = pid;
	close(out[1]);
	close(rep[1]);
	out[1] = rep[1] = -1;
	if (!merge) {
		close(err[1]);
		err[1] = -1;
	}
	n_exec = (int)read(rep[0], &e, sizeof(e));
	if (n_exec == sizeof(e)) {
		waitpid(pid, &st, 0);
		child_pgid = 0;
		it->why = util_fmt("cannot execute %s: %s", exe, strerror(e));
		goto out;
	}
	it->data = util_xstrdup("");
	open_out = true;
	open_err = !merge;
	while (open_out || open_err || !reaped) {
		struct pollfd pfd[2] = { { .fd = open_out ? out[0] : -1, .events = POLLIN },
					 { .fd = open_err ? err[0] : -1, .events = POLLIN } };
		double left = end - bundle_now();
		ssize_t n;

		if (!reaped && waitpid(pid, &st, WNOHANG) == pid)
			reaped = true;
		if (left <= 0) {
			it->timed_out = true;
			break;
		}
		if (!open_out && !open_err) {
			if (!reaped)
				usleep(5000);
			continue;
		}
		if (poll(pfd, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (open_out && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(out[0], chunk, sizeof(chunk));
			if (n <= 0 && !(n < 0 && errno == EINTR))
				open_out = false;
			else if (n > 0 && !append(&it->data, &it->len, &ocap, chunk, (size_t)n,
						  b->max_item)) {
				it->truncated = true;
				break;
			}
		}
		if (open_err && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(err[0], chunk, sizeof(chunk));
			if (n <= 0 && !(n < 0 && errno == EINTR))
				open_err = false;
			else if (n > 0 && !ebuf)
				ebuf = util_xstrdup("");
			if (n > 0)
				append(&ebuf, &elen, &ecap, chunk, (size_t)n, b->max_item);
		}
	}
	if (!reaped) {
		/* timed out or over the cap: the whole group goes, grandchildren included */
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	child_pgid = 0;
	it->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	it->collected = true;
	it->duration = bundle_now() - start;
out:
	if (out[0] >= 0)
		close(out[0]);
	if (out[1] >= 0)
		close(out[1]);
	if (err[0] >= 0)
		close(err[0]);
	if (err[1] >= 0)
		close(err[1]);
	if (rep[0] >= 0)
		close(rep[0]);
	if (rep[1] >= 0)
		close(rep[1]);
	free(exe);
	free(path_env);
	done(b, it);
	if (ebuf && elen) {
		char *epath = util_fmt("%s.stderr", it->path);
		char *src = util_fmt("stderr of %s", it->source);

		eit = bundle_add_data(b, src, epath, ebuf, elen);
		eit->kind = BUNDLE_COMMAND;
		free(epath);
		free(src);
		/* the caller's pointer must stay valid: new_item may have moved the array */
		it = &b->items[b->nr - 2];
	}
	free(ebuf);
	return it;
}

const struct bundle_item *bundle_find(const struct bundle *b, const char *path)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		if (!strcmp(b->items[i].path, path))
			return &b->items[i];
	return NULL;
}

void bundle_redact(struct bundle *b, struct redact *r)
{
	struct bundle_item *it;
	size_t i, n;
	char *red;

	/* every address first, so that a hex form in an early file is known for what it is */
	for (i = 0; i < b->nr; i++)
		if (b->items[i].collected && !redact_is_binary(b->items[i].data, b->items[i].len))
			redact_learn(r, b->items[i].data, b->items[i].len);
	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (!it->collected)
			continue;
		/* a replacement inside config.gz or the BTF would corrupt what replay reads */
		if (redact_is_binary(it->data, it->len)) {
			if (!it->note)
				it->note = util_xstrdup("binary: not redacted");
			continue;
		}
		/* the path decides what replay needs kept; a cut item loses its cut last word */
		red = redact_item(r, it->path, it->data, it->len, it->truncated, &n);
		free(it->data);
		it->data = red;
		it->len = n;
	}
}

void bundle_hash(struct bundle *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		if (b->items[i].collected)
			sha256_hex(b->items[i].data, b->items[i].len, b->items[i].sha256);
}

static const char *const kind_names[] = { "file", "command", "generated" };

json_t *bundle_manifest(const struct bundle *b, const struct redact *r)
{
	json_t *m = json_object(), *items = json_array();
	size_t i;

	for (i = 0; i < b->nr; i++) {
		const struct bundle_item *it = &b->items[i];

		/* a source or path from the host (a tracefs mount point) may be any bytes */
		json_array_append_new(
			items,
			json_pack("{s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:f, s:b, s:b, s:o, s:o}",
				  "source", text_json(it->source), "path", text_json(it->path),
				  "kind", kind_names[it->kind], "collected", it->collected, "bytes",
				  it->collected ? json_integer((json_int_t)it->len) : json_null(),
				  "sha256", it->collected ? json_string(it->sha256) : json_null(),
				  "exit_status",
				  it->exit_status >= 0 ? json_integer(it->exit_status)
						       : json_null(),
				  "duration_s", (double)(long)(it->duration * 1e3) / 1e3,
				  "truncated", it->truncated, "timed_out", it->timed_out, "why",
				  text_json(it->why), "note", text_json(it->note)));
		/* the host's own error, which a replay gives for this path */
		if (it->err && strerrorname_np(-it->err))
			json_object_set_new(json_array_get(items, json_array_size(items) - 1),
					    "errno", json_string(strerrorname_np(-it->err)));
	}
	json_object_set_new(m, "items", items);
	if (r) {
		json_t *red = json_object();
		int k;

		/* how many of each, never what was replaced */
		for (k = 0; k < REDACT_NR; k++)
			json_object_set_new(red, redact_rule_name(k),
					    json_integer((json_int_t)r->count[k]));
		json_object_set_new(m, "redactions", red);
	}
	return m;
}

static int add_entry(struct archive *a, const char *top, const char *path, const char *data,
		     size_t len, time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	char *full = util_fmt("%s/%s", top, path);
	int ret = -EIO;

	if (!e)
		goto out;
	archive_entry_set_pathname(e, full);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		goto out;
	if (len && archive_write_data(a, data, len) != (la_ssize_t)len)
		goto out;
	ret = 0;
out:
	archive_entry_free(e);
	free(full);
	return ret;
}

static int archive_fail(struct archive *a, char *err, size_t errlen, const char *what)
{
	int e = archive_errno(a) > 0 ? archive_errno(a) : EIO;

	/* libarchive says "Write error"; the errno behind it (ENOSPC) is what helps */
	if (archive_errno(a) > 0 || !archive_error_string(a))
		snprintf(err, errlen, "%s: %s", what, strerror(e));
	else
		snprintf(err, errlen, "%s: %s", what, archive_error_string(a));
	return -e;
}

int bundle_write(const struct bundle *b, const char *dir, const char *name, const char *top,
		 char *err, size_t errlen)
{
	char final[PATH_MAX];
	struct archive *a = NULL;
	time_t now = time(NULL);
	int fd = -1, ret = 0;
	size_t i;

	ret = archive_load(err, errlen);
	if (ret)
		return ret;
	snprintf(final, sizeof(final), "%s/%s", dir, name);
	snprintf(tmp_path, sizeof(tmp_path), "%s/.%s.XXXXXX", dir, name);
	/* mkostemp: O_EXCL and mode 0600, so no other user ever sees the bundle's contents */
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		goto out;
	}
	have_tmp = 1;
	a = archive_write_new();
	if (!a || archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		ret = a ? archive_fail(a, err, errlen, "libarchive") : -ENOMEM;
		goto out;
	}
	for (i = 0; i < b->nr; i++) {
		const struct bundle_item *it = &b->items[i];

		if (!it->collected)
			continue;
		if (add_entry(a, top, it->path, it->data, it->len, now)) {
			ret = archive_fail(a, err, errlen, "writing the archive");
			goto out;
		}
	}
	if (archive_write_close(a) != ARCHIVE_OK) {
		ret = archive_fail(a, err, errlen, "writing the archive");
		goto out;
	}
	/* written to the disk before it gets its name: a crash leaves no half archive named */
	if (fsync(fd)) {
		ret = -errno;
		snprintf(err, errlen, "writing the archive: %s", strerror(errno));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		ret = -errno;
		snprintf(err, errlen, "writing the archive: %s", strerror(errno));
		goto out;
	}
	fd = -1;
	/* link(2), not rename(2): it fails with EEXIST instead of replacing a file */
	if (link(tmp_path, final)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", final,
			 errno == EEXIST ? "exists; not overwritten" : strerror(errno));
		goto out;
	}
out:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (have_tmp) {
		unlink(tmp_path);
		have_tmp = 0;
	}
	return ret;
}
