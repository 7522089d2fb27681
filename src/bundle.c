// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The collection engine of collect-report. Every item is bounded in time and size so that
 * one hung or huge source costs its own bound and nothing more; every item that could not
 * be collected is recorded with the reason, so nothing is dropped silently.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "dynlib.h"
#include "i18n.h"
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
	X(archive_write_open)                      \
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

/* every libarchive call goes through this table, loaded by archive_load() */
static struct {
#define X(f) __typeof__(&f) f;
	LA_FUNCS(X)
#undef X
} la;

int bundle_libarchive_load(const struct dynlib_sym *syms, size_t n, char *err, size_t errlen)
{
	static const char *const sonames[] = { "libarchive.so.13", "libarchive.so", NULL };
	static struct dynlib lib = { sonames, "libarchive13", NULL }; /* shared by every table */

	return dynlib_load(&lib, syms, n, err, errlen);
}

static int archive_load(char *err, size_t errlen)
{
#define X(f) { #f, (void **)&la.f },
	static const struct dynlib_sym syms[] = { LA_FUNCS(X) };
#undef X

	/* once a bundle: the library stays open, looking the symbols up again is cheap */
	return bundle_libarchive_load(syms, ARRAY_SIZE(syms), err, errlen);
}

/* For the signal handler: what an interrupted run must not leave behind. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t have_tmp;

void bundle_abort_cleanup(void)
{
	/* the keepers see edrdiag's end as their control pipe closing, and kill their trees */
	if (have_tmp)
		unlink(tmp_path);
}

double bundle_now(void)
{
	return (double)util_now_ns() / 1e9;
}

static const char *const status_names[] = {
	[BUNDLE_COLLECTED] = "collected", [BUNDLE_FAILED] = "failed",
	[BUNDLE_DENIED] = "denied",	  [BUNDLE_MISSING_TOOL] = "missing_tool",
	[BUNDLE_TIMED_OUT] = "timed_out", [BUNDLE_SKIPPED] = "skipped",
	[BUNDLE_ABSENT] = "absent",
};

const char *bundle_status_name(enum bundle_status s)
{
	return s < BUNDLE_STATUS_NR ? status_names[s] : "failed";
}

/*
 * A command item as it runs. Its item is filled here and moved into the bundle when it is
 * waited for, so that background jobs land in the order they were started.
 */
struct bundle_job {
	struct bundle_item it;
	struct bundle_job *next;
	char *ebuf; /* its stderr, when not merged */
	size_t elen, ecap, ocap;
	int out, err, rep; /* read ends; -1 once at EOF */
	int ctl;	   /* write end: closing it tells the keeper to kill the tree */
	pid_t keeper;
	double start, end;  /* end: its timeout or the run's deadline, the sooner */
	int st, exec_errno; /* from the keeper: wait status; from the command: exec's errno */
	bool have_st, own, merge, finished;
};

static void item_free(struct bundle_item *it)
{
	free(it->source);
	free(it->path);
	free(it->data);
	free(it->why);
	free(it->note);
	free(it->stderr_line);
}

static void job_stop(struct bundle *b, struct bundle_job *j);
static void job_free(struct bundle_job *j);

void bundle_init(struct bundle *b, double timeout, size_t max_item, double run_seconds)
{
	memset(b, 0, sizeof(*b));
	b->timeout = timeout;
	b->max_item = max_item;
	b->deadline = bundle_now() + run_seconds;
}

void bundle_free(struct bundle *b)
{
	struct bundle_job *j, *n;
	size_t i;

	/* an error path that never waited: the jobs' trees end here, not later */
	for (j = b->jobs; j; j = n) {
		n = j->next;
		if (!j->finished)
			job_stop(b, j);
		job_free(j);
	}
	for (i = 0; i < b->nr; i++)
		item_free(&b->items[i]);
	free(b->items);
	memset(b, 0, sizeof(*b));
}

static void item_init(struct bundle_item *it, enum bundle_kind kind, const char *source,
		      const char *path)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->source = util_xstrdup(source);
	it->path = util_xstrdup(path);
	it->exit_status = -1;
}

static struct bundle_item *append_item(struct bundle *b)
{
	if (b->nr == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->items = util_xrealloc(b->items, b->cap * sizeof(*b->items));
	}
	return &b->items[b->nr++];
}

static struct bundle_item *new_item(struct bundle *b, enum bundle_kind kind, const char *source,
				    const char *path)
{
	struct bundle_item *it = append_item(b);

	item_init(it, kind, source, path);
	return it;
}

static void pump(struct bundle *b, struct bundle_job *fg, double until);

static struct bundle_item *done(struct bundle *b, struct bundle_item *it)
{
	if (b->progress)
		b->progress(it, b->progress_arg);
	/* between items: the background jobs' pipes are drained, their timeouts enforced */
	if (b->jobs)
		pump(b, NULL, 0);
	return it;
}

struct bundle_item *bundle_add_status(struct bundle *b, enum bundle_kind kind, const char *source,
				      const char *path, enum bundle_status status, const char *why)
{
	struct bundle_item *it = new_item(b, kind, source, path);

	it->status = status;
	it->why = util_xstrdup(why);
	return done(b, it);
}

struct bundle_item *bundle_add_missing(struct bundle *b, enum bundle_kind kind, const char *source,
				       const char *path, const char *why)
{
	return bundle_add_status(b, kind, source, path, BUNDLE_SKIPPED, why);
}

/* What a host's errno e makes of a file item: nothing stored, its status and why. */
static void file_failed(struct bundle_item *it, int e)
{
	free(it->data);
	it->data = NULL;
	it->len = 0;
	it->err = -e;
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		it->status = BUNDLE_ABSENT;
		it->why = util_xstrdup("absent on this host");
		break;
	case EACCES:
	case EPERM:
		it->status = BUNDLE_DENIED;
		it->why = util_xstrdup("permission denied");
		break;
	default:
		it->status = BUNDLE_FAILED;
		it->why = util_xstrdup(strerror(e));
	}
}

struct bundle_item *bundle_add_absent(struct bundle *b, const char *host_path, const char *path,
				      int err)
{
	struct bundle_item *it = new_item(b, BUNDLE_FILE, host_path, path);

	file_failed(it, -err);
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

void bundle_count(const struct bundle *b, size_t n[BUNDLE_STATUS_NR])
{
	size_t i;

	memset(n, 0, BUNDLE_STATUS_NR * sizeof(n[0]));
	for (i = 0; i < b->nr; i++)
		if (strcmp(b->items[i].path, "manifest.json"))
			n[b->items[i].status < BUNDLE_STATUS_NR ? b->items[i].status
								: BUNDLE_FAILED]++;
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
		it->status = BUNDLE_SKIPPED;
		it->why = util_xstrdup("not collected: the run's deadline was reached");
		return done(b, it);
	}
	end = item_deadline(b, start, wait > 0 ? wait : b->timeout);
	/* O_NONBLOCK: a FIFO or trace_pipe must not block the run at open or read */
	fd = open(host_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		file_failed(it, errno);
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
			file_failed(it, errno);
			close(fd);
			return done(b, it);
		}
		if (left <= 0) {
			/* a sampled file (wait > 0) ends at its window: that is not a timeout */
			it->timed_out = wait <= 0;
			break;
		}
		/* a sampled file may take seconds: the background jobs are served meanwhile */
		if (b->jobs && left > 0.05) {
			left = 0.05;
			pump(b, NULL, 0);
		}
		poll(&pfd, 1, (int)(left * 1000) + 1);
	}
	close(fd);
	it->collected = true;
	it->status = it->timed_out ? BUNDLE_TIMED_OUT : BUNDLE_COLLECTED;
	if (it->timed_out)
		it->why = util_xstrdup("timed out: stored in part");
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

/*
 * The keeper's file descriptors, at fixed numbers: the command's stdout and stderr (write
 * ends), the control pipe (read end: EOF or a byte means "end it now") and the report pipe.
 */
enum { K_OUT = 3, K_ERR, K_CTL, K_REP, K_FIRST_FREE };

/* On the report pipe: the command's exec errno, then the keeper's wait status. */
struct keeper_msg {
	int kind; /* 0: wait status, 1: exec failed */
	int val;
};

/* Between fork and exec: no allocation, only system calls. */
static void child(const char *exe, char *const argv[], char *path_env, pid_t keeper_pid)
{
	/*
	 * A small fixed environment: stable output, no pager, and none of ours passed on but the
	 * language edrdiag chose, which its own subcommands follow (EDRDIAG_LANG beats LC_ALL).
	 */
	char *const envp[] = { path_env,	   "LC_ALL=C",
			       "TERM=dumb",	   "SYSTEMD_PAGER=",
			       "SYSTEMD_COLORS=0", "NO_COLOR=1",
			       (char *)i18n_env(), NULL };
	struct keeper_msg m = { .kind = 1 };
	sigset_t none;

	/* what edrdiag and the keeper ignore or block, an exec'd tool must not inherit */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	/* should the keeper itself be killed, the command goes with it (even before this line) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != keeper_pid)
		_exit(127);
	if (dup2(K_OUT, 1) < 0 || dup2(K_ERR, 2) < 0)
		goto fail;
	close(K_OUT);
	close(K_ERR);
	close(K_CTL);
	fcntl(K_REP, F_SETFD, FD_CLOEXEC);
	execve(exe, argv, envp);
fail:
	m.val = errno;
	if (write(K_REP, &m, sizeof(m)) < 0)
		_exit(127);
	_exit(127);
}

/* SIGKILL every child of the keeper: orphans of the command's tree become its children. */
static int kill_children(pid_t self)
{
	char path[64], buf[512], *p;
	struct dirent *d;
	int n = 0, fd;
	ssize_t r;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (r <= 0)
			continue;
		buf[r] = '\0';
		/* "pid (comm) S ppid": comm may hold anything, ")" included: the last one */
		p = strrchr(buf, ')');
		if (p && strlen(p) > 4 && atoi(p + 4) == self) {
			kill(atoi(d->d_name), SIGKILL);
			n++;
		}
	}
	closedir(dir);
	return n;
}

/* Kill and reap the whole tree left under the keeper; bounded, in case of a fork storm. */
static void kill_tree(pid_t self)
{
	double end = bundle_now() + 5;

	for (;;) {
		pid_t w;

		while ((w = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if ((w < 0 && errno == ECHILD) || bundle_now() > end)
			return;
		if (!kill_children(self))
			usleep(1000);
	}
}

/*
 * The keeper: subreaper of the command's tree, so that whatever the command leaves behind
 * (a daemon that called setsid()) becomes its child when its parent ends. It ends the whole
 * tree when the command exits, when edrdiag asks (timeout), or when edrdiag dies: then the
 * control pipe's write end closes, whatever killed edrdiag, SIGKILL included.
 */
static void keeper(const char *exe, char *const argv[], char *path_env)
{
	struct keeper_msg m = { .kind = 0 };
	struct pollfd p[2];
	pid_t self = getpid(), pid;
	int sfd, st = 0;
	sigset_t chld;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* the stop signals are edrdiag's to act on; the keeper ends on its pipe */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC);
	pid = fork();
	if (pid == 0)
		child(exe, argv, path_env, self);
	close(K_OUT);
	close(K_ERR);
	if (pid < 0) {
		m.kind = 1;
		m.val = errno;
		if (write(K_REP, &m, sizeof(m)) < 0)
			_exit(1);
		_exit(1);
	}
	p[0] = (struct pollfd){ .fd = K_CTL, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		/* without a signalfd, look again every 10 ms */
		if (poll(p, sfd >= 0 ? 2 : 1, sfd >= 0 ? -1 : 10) > 0 && p[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) < 0)
				continue;
		}
		if (p[0].revents) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
	}
	kill_tree(self);
	m.val = st;
	if (write(K_REP, &m, sizeof(m)) < 0)
		_exit(1);
	_exit(0);
}

/* In the keeper, just forked: its four descriptors at K_*, all others closed. */
static void keeper_fds(int out, int err, int ctl, int rep)
{
	int fds[4] = { out, err, ctl, rep }, hi[4], i, null;

	setpgid(0, 0);
	for (i = 0; i < 4; i++)
		hi[i] = fcntl(fds[i], F_DUPFD, 100);
	for (i = 0; i < 4; i++)
		if (hi[i] < 0 || dup2(hi[i], K_OUT + i) < 0)
			_exit(127);
	/* not edrdiag's stdout: a reader of it must see EOF when edrdiag ends */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	/* nor another job's pipes: each keeper must see its own control pipe close */
	if (close_range(K_FIRST_FREE, ~0U, 0))
		for (i = K_FIRST_FREE; i < 1024; i++)
			close(i);
}

static void job_free(struct bundle_job *j)
{
	item_free(&j->it);
	free(j->ebuf);
	free(j);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static struct bundle_job *job_new(struct bundle *b, char *const argv[], const char *path,
				  unsigned int flags, double timeout)
{
	struct bundle_job *j = util_xmalloc(sizeof(*j));
	char *line = util_join_argv(argv);

	memset(j, 0, sizeof(*j));
	item_init(&j->it, BUNDLE_COMMAND, line, path);
	free(line);
	j->out = j->err = j->rep = j->ctl = -1;
	j->merge = flags & BUNDLE_MERGE;
	j->own = !strcmp(argv[0], "/proc/self/exe");
	j->start = bundle_now();
	j->end = item_deadline(b, j->start, timeout > 0 ? timeout : b->timeout);
	return j;
}

/* Fork the keeper; false with the item's status and why set when it could not start. */
static bool job_spawn(struct bundle *b, struct bundle_job *j, char *const argv[])
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, ctl[2] = { -1, -1 }, rep[2] = { -1, -1 };
	char *exe, *path_env;
	bool ok = false;

	if (j->start >= b->deadline) {
		j->it.status = BUNDLE_SKIPPED;
		j->it.why = util_xstrdup("not collected: the run's deadline was reached");
		return false;
	}
	exe = which(argv[0]);
	if (!exe) {
		j->it.status = BUNDLE_MISSING_TOOL;
		j->it.why = util_fmt("missing binary: %s not found in PATH", argv[0]);
		return false;
	}
	path_env = util_fmt("PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	if (pipe2(out, O_CLOEXEC) || (!j->merge && pipe2(err, O_CLOEXEC)) ||
	    pipe2(ctl, O_CLOEXEC) || pipe2(rep, O_CLOEXEC)) {
		j->it.why = util_fmt("pipe: %s", strerror(errno));
		goto out;
	}
	j->keeper = fork();
	if (j->keeper < 0) {
		j->it.why = util_fmt("fork: %s", strerror(errno));
		goto out;
	}
	if (j->keeper == 0) {
		keeper_fds(out[1], j->merge ? out[1] : err[1], ctl[0], rep[1]);
		keeper(exe, argv, path_env);
	}
	/* its own group: a ^C at the terminal is edrdiag's to handle, not the tool's */
	setpgid(j->keeper, j->keeper);
	j->out = out[0];
	j->err = err[0];
	j->ctl = ctl[1];
	j->rep = rep[0];
	out[0] = err[0] = ctl[1] = rep[0] = -1;
	j->it.data = util_xstrdup("");
	ok = true;
out:
	if (!ok)
		j->it.status = BUNDLE_FAILED;
	for (int i = 0; i < 2; i++) {
		close_fd(&out[i]);
		close_fd(&err[i]);
		close_fd(&ctl[i]);
		close_fd(&rep[i]);
	}
	free(exe);
	free(path_env);
	return ok;
}

/* The first non-empty line of s, printable, or NULL. */
static char *first_line(const char *s)
{
	char *line, *safe;
	size_t n;

	if (!s)
		return NULL;
	s += strspn(s, "\r\n");
	n = strcspn(s, "\r\n");
	if (!n)
		return NULL;
	line = util_fmt("%.*s", (int)(n > 512 ? 512 : n), s);
	safe = text_printable(line);
	free(line);
	return safe;
}

static bool says_denied(const char *line)
{
	return line &&
	       (strstr(line, "Operation not permitted") || strstr(line, "Permission denied") ||
		strstr(line, "EPERM") || strstr(line, "EACCES") || strstr(line, "missing CAP_"));
}

/*
 * A tool that reports its error in its JSON output, not on stderr: edrdiag's
 * {"error": {"code", "message"}}, bpftool -j's {"error": "..."} (in an array when listing).
 * The message becomes the stderr line when there is none; true when edrdiag's code says
 * "privilege".
 */
static bool json_error(struct bundle_job *j)
{
	json_t *doc = json_loadb(j->it.data, j->it.len, 0, NULL), *e;
	const char *code, *msg;
	bool priv;

	e = json_object_get(json_is_array(doc) ? json_array_get(doc, 0) : doc, "error");
	code = json_string_value(json_object_get(e, "code"));
	msg = json_is_string(e) ? json_string_value(e)
				: json_string_value(json_object_get(e, "message"));
	priv = j->own && code && !strcmp(code, "privilege");
	if (!j->it.stderr_line && msg && *msg)
		j->it.stderr_line = first_line(msg);
	json_decref(doc);
	return priv;
}

/* The exit told apart: success, denied or failed, timed out. */
static void job_judge(struct bundle_job *j)
{
	struct bundle_item *it = &j->it;
	int x = it->exit_status;

	if (it->timed_out) {
		it->status = BUNDLE_TIMED_OUT;
		it->why = util_fmt("timed out after %.1f s: killed, stored in part", it->duration);
		return;
	}
	if (x == 0 || (j->own && x == 1)) {
		it->status = BUNDLE_COLLECTED;
		return;
	}
	it->stderr_line = first_line(j->merge ? it->data : j->ebuf);
	if (!j->merge && json_error(j))
		it->status = BUNDLE_DENIED;
	else
		it->status = says_denied(it->stderr_line) ? BUNDLE_DENIED : BUNDLE_FAILED;
	if (it->stderr_line)
		it->why = util_fmt("exit status %d: %s", x, it->stderr_line);
	else
		it->why = util_fmt("exit status %d", x);
}

static void job_finish(struct bundle *b, struct bundle_job *j)
{
	int st = 0;

	close_fd(&j->out);
	close_fd(&j->err);
	close_fd(&j->rep);
	close_fd(&j->ctl);
	if (j->keeper > 0)
		waitpid(j->keeper, &st, 0);
	j->it.duration = bundle_now() - j->start;
	if (j->exec_errno) {
		free(j->it.data);
		j->it.data = NULL;
		j->it.len = 0;
		j->it.status = j->exec_errno == EACCES || j->exec_errno == EPERM ? BUNDLE_DENIED
										 : BUNDLE_FAILED;
		j->it.why =
			util_fmt("cannot execute %s: %s", j->it.source, strerror(j->exec_errno));
	} else {
		if (j->have_st)
			j->it.exit_status =
				WIFEXITED(j->st) ? WEXITSTATUS(j->st) : 128 + WTERMSIG(j->st);
		j->it.collected = true;
		job_judge(j);
	}
	j->finished = true;
	if (b->progress)
		b->progress(&j->it, b->progress_arg);
}

/* Read one report message: false at EOF. */
static bool read_report(struct bundle_job *j)
{
	struct keeper_msg m;
	ssize_t n = read(j->rep, &m, sizeof(m));

	if (n < 0 && errno == EINTR)
		return true;
	if (n != sizeof(m))
		return false;
	if (m.kind == 1) {
		j->exec_errno = m.val;
	} else {
		j->st = m.val;
		j->have_st = true;
	}
	return true;
}

/* Timeout, cap or abort: the keeper kills the tree and reports; then the job is finished. */
static void job_stop(struct bundle *b, struct bundle_job *j)
{
	struct pollfd p = { .fd = j->rep, .events = POLLIN };
	double end = bundle_now() + 2;

	close_fd(&j->ctl);
	close_fd(&j->out);
	close_fd(&j->err);
	while (j->rep >= 0 && bundle_now() < end) {
		if (poll(&p, 1, 100) > 0 && !read_report(j))
			close_fd(&j->rep);
	}
	/* a keeper that does not answer: the tree may escape, but edrdiag does not hang */
	if (j->rep >= 0)
		kill(j->keeper, SIGKILL);
	job_finish(b, j);
}

/* Read what is there on one of a job's pipes; false when the job must stop (the cap). */
static bool job_read(struct bundle *b, struct bundle_job *j, int *fd)
{
	char chunk[65536];
	ssize_t n = read(*fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0) {
		close_fd(fd);
		return true;
	}
	if (fd == &j->out) {
		if (!append(&j->it.data, &j->it.len, &j->ocap, chunk, (size_t)n, b->max_item)) {
			j->it.truncated = true;
			return false;
		}
		return true;
	}
	if (!j->ebuf)
		j->ebuf = util_xstrdup("");
	append(&j->ebuf, &j->elen, &j->ecap, chunk, (size_t)n, b->max_item);
	return true;
}

#define PUMP_MAX 64

/*
 * Serve the running jobs (the background list, and fg if not NULL) until fg is finished,
 * or, without fg, until the time until (0: once, without waiting).
 */
static void pump(struct bundle *b, struct bundle_job *fg, double until)
{
	for (;;) {
		struct bundle_job *js[PUMP_MAX], *j;
		struct pollfd p[3 * PUMP_MAX];
		size_t nj = 0, np = 0, i, k;
		double now = bundle_now(), wait = fg ? 3600 : until - now;

		if (fg)
			js[nj++] = fg;
		for (j = b->jobs; j && nj < PUMP_MAX; j = j->next)
			if (j != fg && !j->finished)
				js[nj++] = j;
		for (i = 0; i < nj; i++) {
			j = js[i];
			if (now >= j->end) {
				j->it.timed_out = true;
				job_stop(b, j);
				continue;
			}
			if (j->end - now < wait)
				wait = j->end - now;
			p[np++] = (struct pollfd){ .fd = j->out, .events = POLLIN };
			p[np++] = (struct pollfd){ .fd = j->err, .events = POLLIN };
			p[np++] = (struct pollfd){ .fd = j->rep, .events = POLLIN };
		}
		if (fg && fg->finished)
			return;
		if (poll(p, np, wait > 0 ? (int)(wait * 1000) + 1 : 0) < 0 && errno != EINTR)
			return;
		for (i = 0, k = 0; i < nj; i++) {
			j = js[i];
			if (j->finished)
				continue;
			if (p[k].revents && !job_read(b, j, &j->out)) {
				job_stop(b, j);
				k += 3;
				continue;
			}
			if (p[k + 1].revents)
				job_read(b, j, &j->err);
			if (p[k + 2].revents && !read_report(j))
				close_fd(&j->rep);
			k += 3;
			if (j->out < 0 && j->err < 0 && j->rep < 0)
				job_finish(b, j);
		}
		if (fg ? fg->finished : bundle_now() >= until)
			return;
	}
}

/* The job's item, and its stderr item, into the bundle; the first of the two returned. */
static struct bundle_item *job_store(struct bundle *b, struct bundle_job *j)
{
	struct bundle_item *it = append_item(b), *eit;
	size_t idx = b->nr - 1;

	*it = j->it;
	memset(&j->it, 0, sizeof(j->it));
	if (j->ebuf && j->elen) {
		/* made before new_item, which may move the items (and it) */
		char *epath = util_fmt("%s.stderr", it->path);
		char *source = util_fmt("stderr of %s", it->source);

		eit = new_item(b, BUNDLE_COMMAND, source, epath);
		free(source);
		eit->data = j->ebuf;
		eit->len = j->elen;
		eit->collected = true;
		j->ebuf = NULL;
		free(epath);
	}
	return &b->items[idx];
}

struct bundle_job *bundle_start_command(struct bundle *b, char *const argv[], const char *path,
					unsigned int flags, double timeout)
{
	struct bundle_job *j = job_new(b, argv, path, flags, timeout), **tail;

	if (!job_spawn(b, j, argv)) {
		done(b, job_store(b, j));
		job_free(j);
		return NULL;
	}
	for (tail = &b->jobs; *tail; tail = &(*tail)->next)
		;
	*tail = j;
	return j;
}

void bundle_wait_jobs(struct bundle *b)
{
	struct bundle_job *j, *n;

	for (j = b->jobs; j; j = j->next)
		while (!j->finished)
			pump(b, j, 0);
	j = b->jobs;
	b->jobs = NULL;
	for (; j; j = n) {
		n = j->next;
		job_store(b, j);
		job_free(j);
	}
}

struct bundle_item *bundle_run_command(struct bundle *b, char *const argv[], const char *path,
				       unsigned int flags, double timeout)
{
	struct bundle_job *j = job_new(b, argv, path, flags, timeout);
	struct bundle_item *it;

	if (job_spawn(b, j, argv)) {
		/* the background jobs are served meanwhile */
		while (!j->finished)
			pump(b, j, 0);
		it = job_store(b, j);
	} else {
		it = done(b, job_store(b, j));
	}
	job_free(j);
	return it;
}

struct bundle_item *bundle_add_command(struct bundle *b, char *const argv[], const char *path,
				       bool merge)
{
	return bundle_run_command(b, argv, path, merge ? BUNDLE_MERGE : 0, 0);
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
	/* a tool's first stderr line is quoted by the summary on stdout, not only the manifest */
	for (i = 0; i < b->nr; i++) {
		it = &b->items[i];
		if (!it->stderr_line)
			continue;
		red = redact_text(r, it->stderr_line, strlen(it->stderr_line), &n);
		free(it->stderr_line);
		it->stderr_line = red;
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

/* One item of the manifest. */
static json_t *item_manifest(const struct bundle_item *it)
{
	/* a source or path from the host (a tracefs mount point) may be any bytes */
	json_t *o = json_pack(
		"{s:o, s:o, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:f, s:b, s:b, s:o, s:o}", "source",
		text_json(it->source), "path", text_json(it->path), "kind", kind_names[it->kind],
		"status", bundle_status_name(it->status), "collected",
		it->status == BUNDLE_COLLECTED, "stored", it->collected, "bytes",
		it->collected ? json_integer((json_int_t)it->len) : json_null(), "sha256",
		it->collected ? json_string(it->sha256) : json_null(), "exit_status",
		it->exit_status >= 0 ? json_integer(it->exit_status) : json_null(), "duration_s",
		(double)(long)(it->duration * 1e3) / 1e3, "truncated", it->truncated, "timed_out",
		it->timed_out, "why", text_json(it->why), "note", text_json(it->note));

	/* made printable when read: the first line of a failed command's stderr */
	if (it->stderr_line)
		json_object_set_new(o, "stderr", text_json(it->stderr_line));
	/* the host's own error, which a replay gives for this path */
	if (it->err && strerrorname_np(-it->err))
		json_object_set_new(o, "errno", json_string(strerrorname_np(-it->err)));
	return o;
}

json_t *bundle_manifest(const struct bundle *b, const struct redact *r)
{
	json_t *m = json_object(), *items = json_array();
	size_t i;

	for (i = 0; i < b->nr; i++)
		json_array_append_new(items, item_manifest(&b->items[i]));
	json_object_set_new(m, "items", items);
	/* how the item commands' process trees were held: see bundle_add_command */
	json_object_set_new(m, "containment", json_string("keeper"));
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
	struct archive_entry *e = la.archive_entry_new();
	char *full = util_fmt("%s/%s", top, path);
	int ret = -EIO;

	if (!e)
		goto out;
	la.archive_entry_set_pathname(e, full);
	la.archive_entry_set_filetype(e, AE_IFREG);
	la.archive_entry_set_perm(e, 0644);
	la.archive_entry_set_size(e, (la_int64_t)len);
	la.archive_entry_set_mtime(e, mtime, 0);
	if (la.archive_write_header(a, e) != ARCHIVE_OK)
		goto out;
	if (len && la.archive_write_data(a, data, len) != (la_ssize_t)len)
		goto out;
	ret = 0;
out:
	la.archive_entry_free(e);
	free(full);
	return ret;
}

static int archive_fail(struct archive *a, char *err, size_t errlen, const char *what)
{
	int e = la.archive_errno(a) > 0 ? la.archive_errno(a) : EIO;

	/* libarchive says "Write error"; the errno behind it (ENOSPC) is what helps */
	if (la.archive_errno(a) > 0 || !la.archive_error_string(a))
		snprintf(err, errlen, "%s: %s", what, strerror(e));
	else
		snprintf(err, errlen, "%s: %s", what, la.archive_error_string(a));
	return -e;
}

/*
 * Where libarchive's bytes go: the archive's file. A failed write (ENOSPC) is kept here and
 * not returned: libarchive would go to its fatal state, in which its gzip filter never ends
 * its zlib stream (278 KB leaked, what the sanitizer build reported); bundle_write stops
 * adding members at the first error, closes, and reports this one.
 */
struct sink {
	int fd;
	int err; /* the first write's errno, 0 */
};

static la_ssize_t sink_write(struct archive *a, void *p, const void *buf, size_t n)
{
	struct sink *s = p;
	const char *c = buf;
	size_t left = n;

	(void)a;
	while (!s->err && left) {
		ssize_t w = write(s->fd, c, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->err = w < 0 ? errno : EIO;
			break;
		}
		c += w;
		left -= (size_t)w;
	}
	return (la_ssize_t)n;
}

/* Tests only (edrdiag-collect-report(8), ENVIRONMENT): a pause between members. */
static void test_write_delay(void)
{
	const char *ms = getenv("EDRDIAG_TEST_WRITE_DELAY_MS");

	if (ms && atoi(ms) > 0)
		usleep((useconds_t)(atoi(ms) > 10000 ? 10000 : atoi(ms)) * 1000);
}

/*
 * The file the archive is written to before it has its name: unnamed (O_TMPFILE) where the
 * file system allows, else hidden, with our pid in its name for bundle_clean_stale.
 */
static int open_temp(const char *dir, const char *name, bool *unnamed)
{
	const char *no = getenv("EDRDIAG_TEST_NO_TMPFILE");
	int fd = -1;

	*unnamed = false;
	/* tests only: the fallback, on a file system that has O_TMPFILE */
	if (!(no && *no)) {
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*unnamed = true;
			return fd;
		}
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return -errno;
	}
	snprintf(tmp_path, sizeof(tmp_path), "%s/.%s.%d.XXXXXX", dir, name, (int)getpid());
	/* mkostemp: O_EXCL and mode 0600, so no other user ever sees the bundle's contents */
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	have_tmp = 1;
	return fd;
}

/* Give the written file its name; link(2) and linkat(2) fail with EEXIST, never replace. */
static int link_final(int fd, bool unnamed, const char *final)
{
	char proc[64];

	if (!unnamed)
		return link(tmp_path, final) ? -errno : 0;
	/* by /proc/self/fd: AT_EMPTY_PATH would need CAP_DAC_READ_SEARCH */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, final, AT_SYMLINK_FOLLOW) ? -errno : 0;
}

int bundle_write(const struct bundle *b, const char *dir, const char *name, const char *top,
		 char *err, size_t errlen)
{
	char final[PATH_MAX];
	struct archive *a = NULL;
	struct sink sink = { -1, 0 };
	time_t now = time(NULL);
	bool unnamed = false;
	int fd = -1, ret = 0;
	size_t i;

	if (b->jobs) {
		/* the caller's bug: what they would add is not in the archive */
		snprintf(err, errlen, "bug: bundle_write before bundle_wait_jobs");
		return -EINVAL;
	}
	ret = archive_load(err, errlen);
	if (ret)
		return ret;
	snprintf(final, sizeof(final), "%s/%s", dir, name);
	fd = open_temp(dir, name, &unnamed);
	if (fd < 0) {
		ret = fd;
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(-fd));
		goto out;
	}
	sink.fd = fd;
	a = la.archive_write_new();
	if (!a || la.archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    la.archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    la.archive_write_open(a, &sink, NULL, sink_write, NULL) != ARCHIVE_OK) {
		ret = a ? archive_fail(a, err, errlen, "libarchive") : -ENOMEM;
		goto out;
	}
	for (i = 0; i < b->nr && !sink.err; i++) {
		const struct bundle_item *it = &b->items[i];

		if (!it->collected)
			continue;
		test_write_delay();
		if (add_entry(a, top, it->path, it->data, it->len, now)) {
			ret = archive_fail(a, err, errlen, "writing the archive");
			goto out;
		}
	}
	if (la.archive_write_close(a) != ARCHIVE_OK) {
		ret = archive_fail(a, err, errlen, "writing the archive");
		goto out;
	}
	/* written to the disk before it gets its name: a crash leaves no half archive named */
	if (sink.err)
		ret = -sink.err;
	else if (fsync(fd))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "writing the archive: %s", strerror(-ret));
		goto out;
	}
	ret = link_final(fd, unnamed, final);
	if (ret) {
		snprintf(err, errlen, "%s: %s", final,
			 ret == -EEXIST ? "exists; not overwritten" : strerror(-ret));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		ret = -errno;
		snprintf(err, errlen, "writing the archive: %s", strerror(errno));
		unlink(final);
		goto out;
	}
	fd = -1;
out:
	if (a)
		la.archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (have_tmp) {
		unlink(tmp_path);
		have_tmp = 0;
	}
	return ret;
}

/* ".edrdiag-report-....tar.gz.PID.XXXXXX": the pid, or 0 when the name is not one of ours. */
static pid_t stale_pid(const char *n)
{
	const char *p = strstr(n, ".tar.gz."), *q;
	char *end;
	long pid;

	if (strncmp(n, ".edrdiag-report-", 16) || !p)
		return 0;
	p += 8;
	q = strchr(p, '.');
	if (!q || strlen(q + 1) != 6 || strchr(q + 1, '/'))
		return 0;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (end != q || errno || pid <= 0 || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

int bundle_clean_stale(const char *dir)
{
	struct dirent *d;
	struct stat st;
	int n = 0, dfd;
	pid_t pid;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return 0;
	dfd = dirfd(dp);
	while ((d = readdir(dp))) {
		pid = stale_pid(d->d_name);
		if (!pid || pid == getpid())
			continue;
		/* ours: a regular file of our uid with mkostemp's mode, its writer gone */
		if (fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 0777) != 0600)
			continue;
		if (!kill(pid, 0) || errno != ESRCH)
			continue;
		if (!unlinkat(dfd, d->d_name, 0))
			n++;
	}
	closedir(dp);
	return n;
}
