// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sig.h"
#include "util.h"

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static volatile sig_atomic_t stopped;
static sigset_t waitmask; /* the mask before sig_block_stop(): what ppoll waits with */
static void (*cleanup_fn)(void);

static void on_stop(int sig)
{
	stopped = sig;
}

static void on_stop_cleanup(int sig)
{
	if (cleanup_fn)
		cleanup_fn();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &sa, NULL);
}

void sig_catch_stop(void)
{
	install(on_stop);
}

int sig_stopped(void)
{
	return stopped;
}

const char *sig_name(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);

	snprintf(buf, len, "SIG%s", abbrev ? abbrev : "?");
	return buf;
}

static void stop_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaddset(set, stop_signals[i]);
}

void sig_block_stop(void)
{
	sigset_t block;
	size_t i;

	stop_set(&block);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigdelset(&waitmask, stop_signals[i]);
}

void sig_wait_until(__u64 deadline_ns)
{
	while (!stopped) {
		__u64 now = util_now_ns();
		struct timespec ts;

		if (now >= deadline_ns)
			return;
		ts.tv_sec = (time_t)((deadline_ns - now) / 1000000000ull);
		ts.tv_nsec = (long)((deadline_ns - now) % 1000000000ull);
		ppoll(NULL, 0, &ts, &waitmask);
	}
}

int sig_wait_fd(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts, *tsp = NULL;
	int n;

	if (stopped)
		return -EINTR;
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	n = ppoll(&pfd, 1, tsp, &waitmask);
	if (n < 0)
		return -errno;
	return n;
}

void sig_block_stop_thread(void)
{
	sigset_t block;

	stop_set(&block);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
}

void sig_on_stop_cleanup(void (*cleanup)(void))
{
	cleanup_fn = cleanup;
	install(on_stop_cleanup);
}

void sig_ignore_pipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}
