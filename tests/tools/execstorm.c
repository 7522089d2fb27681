// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execstorm: exec a program N times from W workers as fast as possible, for the drop test
 * and the exec-storm benchmark. Prints the execs that succeeded and the wall time.
 * Usage: execstorm N [WORKERS [PROGRAM]]   (defaults: 2 workers, /bin/true)
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

static long run_worker(const char *prog, long n)
{
	char *const argv[] = { (char *)prog, NULL };
	long ok = 0, i;

	for (i = 0; i < n; i++) {
		pid_t pid;
		int st;

		/* posix_spawn uses CLONE_VFORK: no page-table copy, as a busy host would exec */
		if (posix_spawn(&pid, prog, NULL, NULL, argv, environ))
			continue;
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ok++;
	}
	return ok;
}

int main(int argc, char **argv)
{
	long n, workers = 2, w, total = 0;
	const char *prog = "/bin/true";
	struct timespec t0, t1;
	int fds[2];

	if (argc < 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: execstorm N [WORKERS [PROGRAM]]\n");
		return 2;
	}
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
		long share = n / workers + (w < n % workers);

		if (fork() == 0) {
			long ok = run_worker(prog, share);

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
