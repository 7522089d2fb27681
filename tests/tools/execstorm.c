// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execstorm: exec a program N times from W workers, for the drop test and the exec-storm
 * benchmark: as fast as possible, or with --rate R at R execs a second in all. Prints the
 * execs that succeeded and the wall time.
 * Usage: execstorm [--rate R] N [WORKERS [PROGRAM]]   (defaults: flat out, 2 workers, /bin/true)
 *
 * With a rate, exec number k (0 .. N-1, worker k % W) is due at start + k / R: each exec
 * sleeps until its own absolute deadline (clock_nanosleep, TIMER_ABSTIME), so the time an
 * exec takes or a late wake-up does not add up into drift; a worker that falls behind
 * execs at once until it is back on schedule.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NSEC_PER_SEC 1000000000ULL

static unsigned long long ts_ns(const struct timespec *t)
{
	return (unsigned long long)t->tv_sec * NSEC_PER_SEC + (unsigned long long)t->tv_nsec;
}

/* Sleep until start_ns + k / rate s of CLOCK_MONOTONIC. */
static void wait_turn(unsigned long long start_ns, long k, long rate)
{
	unsigned long long due =
		start_ns + (unsigned long long)k * NSEC_PER_SEC / (unsigned long long)rate;
	struct timespec t = { .tv_sec = (time_t)(due / NSEC_PER_SEC),
			      .tv_nsec = (long)(due % NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

/* Worker w of workers: execs w, w + workers, ... below n; rate 0 = flat out. */
static long run_worker(const char *prog, long n, long w, long workers, long rate,
		       unsigned long long start_ns)
{
	char *const argv[] = { (char *)prog, NULL };
	long ok = 0, k;

	for (k = w; k < n; k += workers) {
		pid_t pid;
		int st;

		if (rate)
			wait_turn(start_ns, k, rate);
		/* posix_spawn uses CLONE_VFORK: no page-table copy, as a busy host would exec */
		if (posix_spawn(&pid, prog, NULL, NULL, argv, environ))
			continue;
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	return ok;
}

static int usage(void)
{
	fprintf(stderr, "usage: execstorm [--rate R] N [WORKERS [PROGRAM]]\n");
	return 2;
}

int main(int argc, char **argv)
{
	long n, workers = 2, w, total = 0, rate = 0;
	const char *prog = "/bin/true";
	struct timespec t0, t1;
	char *end;
	int fds[2];

	if (argc > 1 && !strncmp(argv[1], "--rate", 6)) {
		const char *v = NULL;

		if (argv[1][6] == '=')
			v = argv[1] + 7;
		else if (!argv[1][6] && argc > 2)
			v = argv[2];
		if (!v)
			return usage();
		errno = 0;
		rate = strtol(v, &end, 10);
		if (errno || end == v || *end || rate < 0) {
			fprintf(stderr, "execstorm: bad rate '%s' (execs a second, 0 = flat out)\n",
				v);
			return 2;
		}
		argc -= argv[1][6] ? 1 : 2;
		argv += argv[1][6] ? 1 : 2;
	}
	if (argc < 2 || (n = atol(argv[1])) <= 0)
		return usage();
	if (argc > 2 && (workers = atol(argv[2])) <= 0) {
		fprintf(stderr, "execstorm: bad worker count '%s'\n", argv[2]);
		return 2;
	}
	if (argc > 3)
		prog = argv[3];
	if (pipe(fds))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (w = 0; w < workers; w++) {
		if (fork() == 0) {
			long ok = run_worker(prog, n, w, workers, rate, ts_ns(&t0));

			if (write(fds[1], &ok, sizeof(ok)) != sizeof(ok))
				_exit(1);
			_exit(0);
		}
	}
	close(fds[1]);
	for (w = 0; w < workers; w++) {
		long ok;

		if (read(fds[0], &ok, sizeof(ok)) == sizeof(ok))
			total += ok;
		wait(NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld execs in %.3f s\n", total,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return total == n ? 0 : 1;
}
