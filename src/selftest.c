// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "evcheck.h"
#include "selftest.h"
#include "sig.h"
#include "util.h"

#define CANARY "edrdiag-canary"

const char *const selftest_variant_names[SELFTEST_VARIANTS] = { "execve", "execveat", "fexecve" };

int selftest_init(struct selftest *st, size_t n, char *err, size_t errlen)
{
	static const char *const trues[] = { "/bin/true", "/usr/bin/true" };
	const char *target = NULL;
	size_t i;

	memset(st, 0, sizeof(*st));
	st->dirfd = st->fd = -1;
	st->n = n;
	st->self = getpid();
	for (i = 0; i < ARRAY_SIZE(trues) && !target; i++)
		if (access(trues[i], X_OK) == 0)
			target = trues[i];
	if (!target) {
		snprintf(err, errlen, _("no executable /bin/true or /usr/bin/true to exec"));
		return -ENOENT;
	}
	/* a fresh directory: a file name that no other process on the host execs */
	snprintf(st->dir, sizeof(st->dir), "/tmp/edrdiag-selftest.XXXXXX");
	if (!mkdtemp(st->dir)) {
		snprintf(err, errlen, _("cannot create a directory under /tmp: %s"),
			 strerror(errno));
		st->dir[0] = '\0';
		return -errno;
	}
	snprintf(st->path, sizeof(st->path), "%s/" CANARY, st->dir);
	if (symlink(target, st->path)) {
		snprintf(err, errlen, _("cannot create %s: %s"), st->path, strerror(errno));
		st->path[0] = '\0';
		return -errno;
	}
	st->dirfd = open(st->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	st->fd = open(st->path, O_RDONLY | O_CLOEXEC);
	if (st->dirfd < 0 || st->fd < 0) {
		snprintf(err, errlen, _("cannot open %s: %s"), st->path, strerror(errno));
		return -errno;
	}
	/* what the kernel records as bprm->filename for each way of exec'ing */
	snprintf(st->expect[0], sizeof(st->expect[0]), "%s", st->path);
	snprintf(st->expect[1], sizeof(st->expect[1]), "/dev/fd/%d/" CANARY, st->dirfd);
	snprintf(st->expect[2], sizeof(st->expect[2]), "/dev/fd/%d", st->fd);

	st->pids = util_xmalloc(n * sizeof(*st->pids));
	st->status = util_xmalloc(n * sizeof(*st->status));
	memset(st->pids, 0, n * sizeof(*st->pids));
	for (st->tabcap = 64; st->tabcap < 2 * n; st->tabcap *= 2)
		;
	st->tab = util_xmalloc(st->tabcap * sizeof(*st->tab));
	memset(st->tab, 0, st->tabcap * sizeof(*st->tab));
	return 0;
}

/* vfork: no copy of the parent's page tables, whatever its size; the child only execs */
static pid_t spawn(struct selftest *st, int variant)
{
	char *const argv[] = { (char *)CANARY, NULL };
	char *const envp[] = { NULL };
	pid_t pid = vfork();

	if (pid)
		return pid;
	if (variant == 0)
		execve(st->path, argv, envp);
	else if (variant == 1)
		syscall(SYS_execveat, st->dirfd, CANARY, argv, envp, 0);
	else
		syscall(SYS_execveat, st->fd, "", argv, envp, AT_EMPTY_PATH);
	_exit(127);
}

static void *spawner(void *arg)
{
	struct selftest *st = arg;
	size_t i;

	/* signals are the main thread's business: it stops the run and then this thread */
	sig_block_stop_thread();
	for (i = 0; i < st->n && !st->cancel; i++) {
		pid_t pid = spawn(st, (int)(i % SELFTEST_VARIANTS)), w;

		if (pid < 0) {
			st->spawn_err = -errno;
			break;
		}
		do
			w = waitpid(pid, &st->status[i], 0);
		while (w < 0 && errno == EINTR);
		if (w < 0)
			st->status[i] = -1;
		st->pids[i] = pid;
	}
	__atomic_store_n(&st->done, true, __ATOMIC_RELEASE);
	return NULL;
}

int selftest_start(struct selftest *st)
{
	int err = pthread_create(&st->thread, NULL, spawner, st);

	if (err)
		return -err;
	st->thread_started = true;
	return 0;
}

static struct selftest_seen *slot_of(const struct selftest *st, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (st->tabcap - 1);

	while (st->tab[i].pid && st->tab[i].pid != pid)
		i = (i + 1) & (st->tabcap - 1);
	return &st->tab[i];
}

void selftest_on_event(struct selftest *st, const struct sensor_event *e, __u64 now_ns)
{
	struct selftest_seen *s;

	/* the canaries are the only children of edrdiag; each is seen once */
	if (e->ppid != st->self || st->nseen >= st->n)
		return;
	s = slot_of(st, e->pid);
	if (s->pid)
		return;
	s->pid = e->pid;
	s->lat_ns = now_ns > e->ts_ns ? now_ns - e->ts_ns : 0;
	s->filename = util_fmt("%.*s", (int)e->filename_len, e->filename);
	st->nseen++;
}

bool selftest_complete(const struct selftest *st)
{
	return __atomic_load_n(&st->done, __ATOMIC_ACQUIRE) && st->nseen >= st->n;
}

void selftest_join(struct selftest *st)
{
	if (!st->thread_started)
		return;
	st->cancel = true;
	pthread_join(st->thread, NULL);
	st->thread_started = false;
}

const struct selftest_seen *selftest_lookup(const struct selftest *st, size_t i, bool *right)
{
	const struct selftest_seen *s;

	*right = false;
	if (!st->pids[i])
		return NULL;
	s = slot_of(st, st->pids[i]);
	if (!s->pid)
		return NULL;
	*right = !strcmp(s->filename, st->expect[i % SELFTEST_VARIANTS]);
	return s;
}

void selftest_result(struct selftest *st, struct selftest_result *res)
{
	__u64 *lat = util_xmalloc((st->n ? st->n : 1) * sizeof(*lat));
	size_t i, nlat = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < st->n; i++) {
		const struct selftest_seen *s;
		bool right;

		if (!st->pids[i])
			continue; /* never spawned: interrupted */
		res->execs++;
		if (!WIFEXITED(st->status[i]) || WEXITSTATUS(st->status[i]))
			res->failed_execs++;
		s = selftest_lookup(st, i, &right);
		if (!s) {
			res->missed++;
			continue;
		}
		lat[nlat++] = s->lat_ns;
		if (right)
			res->seen++;
		else
			res->wrong++;
	}
	res->p50_ns = percentile_u64(lat, nlat, 50);
	res->p99_ns = percentile_u64(lat, nlat, 99);
	free(lat);
}

void selftest_cleanup(struct selftest *st)
{
	size_t i;

	selftest_join(st);
	for (i = 0; st->tab && i < st->tabcap; i++)
		free(st->tab[i].filename);
	free(st->tab);
	free(st->pids);
	free(st->status);
	if (st->fd >= 0)
		close(st->fd);
	if (st->dirfd >= 0)
		close(st->dirfd);
	if (*st->path)
		unlink(st->path);
	if (*st->dir)
		rmdir(st->dir);
	memset(st, 0, sizeof(*st));
	st->dirfd = st->fd = -1;
}
