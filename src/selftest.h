/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_SELFTEST_H
#define EDRDIAG_SELFTEST_H

#include <linux/types.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../bpf/sensor.h"

/*
 * run-sensor --self-test: a thread execs a canary N times (execve, execveat, fexecve in
 * turn) while the main thread keeps reading the sensor as it always does, so the
 * latency measured is the one an agent would see. Events whose parent is edrdiag are
 * kept by pid and matched against the canaries once they are all spawned.
 */

#define SELFTEST_VARIANTS 3

/* what arrived for one child of edrdiag: an open-addressing table keyed by pid */
struct selftest_seen {
	pid_t pid;	/* 0: empty slot */
	__u64 lat_ns;	/* kernel timestamp to user space */
	char *filename; /* as reported */
};

struct selftest {
	size_t n;
	pid_t self;
	char dir[PATH_MAX];
	char path[PATH_MAX];			  /* the canary: a symlink to true(1) */
	char expect[SELFTEST_VARIANTS][PATH_MAX]; /* bprm->filename for each way to exec */
	int dirfd, fd;
	pid_t *pids; /* by canary index; 0 until spawned */
	int *status; /* wait status by canary index */
	pthread_t thread;
	bool thread_started;
	volatile bool done;   /* every canary spawned and reaped */
	volatile bool cancel; /* stop spawning */
	int spawn_err;	      /* -errno of a failed fork */
	struct selftest_seen *tab;
	size_t tabcap, nseen;
};

struct selftest_result {
	size_t execs, seen, missed, wrong, failed_execs;
	__u64 p50_ns, p99_ns;
};

extern const char *const selftest_variant_names[SELFTEST_VARIANTS];

/* Create the canary and its fds; 0, or -errno with the reason in err. */
int selftest_init(struct selftest *st, size_t n, char *err, size_t errlen);
/* Start spawning in a thread. 0 or -errno. */
int selftest_start(struct selftest *st);
/* Feed every event (main thread); keeps those whose parent is this process. */
void selftest_on_event(struct selftest *st, const struct sensor_event *e, __u64 now_ns);
/* True once every canary is spawned and every one of them has been seen. */
bool selftest_complete(const struct selftest *st);
/* Stop spawning (a signal) and wait for the thread. */
void selftest_join(struct selftest *st);
/* Match canaries with what arrived. Call after selftest_join. */
void selftest_result(struct selftest *st, struct selftest_result *res);
/* For canary i after selftest_result: the arrival (NULL if missed) and whether its filename
 * is the expected one. */
const struct selftest_seen *selftest_lookup(const struct selftest *st, size_t i, bool *right);
void selftest_cleanup(struct selftest *st);

#endif
