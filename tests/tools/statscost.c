// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * statscost: what BPF run-time statistics (kernel.bpf_stats_enabled, BPF_ENABLE_STATS) cost
 * per program run, for bench/export.sh: `export --listen` holds them on for its whole life.
 *
 *   statscost [--repeat R] [--rounds N] [--wait S] [--syscalls M | --no-tracepoint]
 *
 * 1. A trivial socket filter (r0 = 0; exit) run R times (default 1000000) with
 *    BPF_PROG_TEST_RUN, N rounds (default 5), each round once with the stats off and once
 *    with a BPF_ENABLE_STATS fd held (the order alternates from round to round). Per run: the
 *    kernel's own figure (bpf_test_run_opts.duration, whole ns) and the wall time of the
 *    call over R (fractions of a ns).
 * 2. Unless --no-tracepoint: the same two instructions as a tracepoint program attached to
 *    syscalls:sys_enter_getppid (perf event, PERF_EVENT_IOC_SET_BPF), and M getppid() calls
 *    (default 1000000) per measurement timed with no program, with the program and the
 *    stats off, with the program and the stats on: what a sensor's tracepoint program pays
 *    in real use. The program runs for every process's getppid() while attached; it is
 *    detached for the measurement without it, in every round.
 *
 * Every measurement is checked against the program's run_cnt: it must not move with the
 * stats off (else someone else has them on: the sysctl, or another BPF_ENABLE_STATS holder
 * such as a running `edrdiag export --listen`) and must move by the runs made with them on.
 * A round that fails the check is left out and counted; with no round left the figure is
 * "-". On a shared host, --wait S (default 0) waits up to S seconds before each round until
 * the stats are off (a one-run BPF_PROG_TEST_RUN of the socket filter leaves its run_cnt
 * alone). Prints a table of medians; exit 0, 1 when a figure is missing, 2 on a usage error.
 * The sysctl is never written.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

#define MAX_ROUNDS 101

static unsigned long number(const char *what, const char *arg, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v < min || v > max) {
		fprintf(stderr, "statscost: %s '%s': expected a number from %lu to %lu\n", what,
			arg, min, max);
		exit(2);
	}
	return v;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int load(enum bpf_prog_type type, const char *name)
{
	/* r0 = 0; exit */
	const struct bpf_insn ret0[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	int fd = bpf_prog_load(type, name, "GPL", ret0, 2, NULL);

	if (fd < 0) {
		fprintf(stderr, "statscost: loading %s: %s\n", name, strerror(errno));
		exit(1);
	}
	return fd;
}

static __u64 run_cnt(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		perror("statscost: prog info");
		exit(1);
	}
	return info.run_cnt;
}

static int stats_on(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0) {
		fprintf(stderr, "statscost: BPF_ENABLE_STATS: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

/* Wait up to wait_s seconds until the stats are off: one test run must leave run_cnt alone.
 * Returns 1 when they are off. */
static int wait_off(int fd, unsigned long wait_s)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt), .repeat = 1);
	double deadline = now_ns() + (double)wait_s * 1e9;
	struct timespec nap = { 0, 50 * 1000 * 1000 };

	for (;;) {
		__u64 c0 = run_cnt(fd);

		if (bpf_prog_test_run_opts(fd, &o)) {
			perror("statscost: BPF_PROG_TEST_RUN");
			exit(1);
		}
		if (run_cnt(fd) == c0)
			return 1;
		if (now_ns() >= deadline)
			return 0;
		nanosleep(&nap, NULL);
	}
}

/* The median of the n values of v (sorted in place); NaN when n is 0. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (!n)
		return __builtin_nan("");
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void cell(double v, int width, int prec)
{
	if (v != v)
		printf(" %*s", width, "-");
	else
		printf(" %*.*f", width, prec, v);
}

/* One BPF_PROG_TEST_RUN of R runs: kernel ns per run into *kern, wall ns per run returned. */
static double test_run(int fd, unsigned long repeat, double *kern)
{
	char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = (int)repeat);
	double t0 = now_ns(), t1;

	if (bpf_prog_test_run_opts(fd, &o)) {
		perror("statscost: BPF_PROG_TEST_RUN");
		exit(1);
	}
	t1 = now_ns();
	*kern = o.duration;
	return (t1 - t0) / (double)repeat;
}

static int tracepoint_id(const char *event)
{
	const char *roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256], buf[32];
	size_t i;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		FILE *f;
		int id;

		snprintf(path, sizeof(path), "%s/events/%s/id", roots[i], event);
		f = fopen(path, "r");
		if (!f)
			continue;
		id = fgets(buf, sizeof(buf), f) ? atoi(buf) : -1;
		fclose(f);
		if (id > 0)
			return id;
	}
	return -1;
}

/* Attach fd to tracepoint id; returns the perf event fd, closed to detach. */
static int attach(int prog_fd, int id)
{
	struct perf_event_attr a;
	int pfd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (__u64)id;
	a.sample_period = 1;
	a.wakeup_events = 1;
	pfd = (int)syscall(__NR_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		perror("statscost: perf_event_open");
		exit(1);
	}
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) || ioctl(pfd, PERF_EVENT_IOC_ENABLE, 0)) {
		perror("statscost: attaching to the tracepoint");
		exit(1);
	}
	return pfd;
}

/* m getppid() calls: wall ns per call */
static double syscalls(unsigned long m)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < m; i++)
		syscall(SYS_getppid);
	return (now_ns() - t0) / (double)m;
}

struct series {
	double v[MAX_ROUNDS];
	int n;
};

static void add(struct series *s, double v)
{
	s->v[s->n++] = v;
}

int main(int argc, char **argv)
{
	unsigned long repeat = 1000000, rounds = 5, m = 1000000, wait_s = 0, r;
	int tracepoint = 1, a, fd, sfd, missing = 0, bad_off = 0, bad_on = 0;
	struct series k_off = { 0 }, k_on = { 0 }, w_off = { 0 }, w_on = { 0 }, k_d = { 0 },
		      w_d = { 0 };
	double kern;
	__u64 c0, c1;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--repeat") && a + 1 < argc)
			repeat = number("--repeat", argv[++a], 1, 1u << 30);
		else if (!strcmp(argv[a], "--rounds") && a + 1 < argc)
			rounds = number("--rounds", argv[++a], 1, MAX_ROUNDS);
		else if (!strcmp(argv[a], "--wait") && a + 1 < argc)
			wait_s = number("--wait", argv[++a], 0, 3600);
		else if (!strcmp(argv[a], "--syscalls") && a + 1 < argc)
			m = number("--syscalls", argv[++a], 1, 1u << 30);
		else if (!strcmp(argv[a], "--no-tracepoint"))
			tracepoint = 0;
		else {
			fprintf(stderr, "usage: statscost [--repeat R] [--rounds N] "
					"[--wait S] [--syscalls M | --no-tracepoint]\n");
			return 2;
		}
	}

	fd = load(BPF_PROG_TYPE_SOCKET_FILTER, "statscost");
	test_run(fd, 1000, &kern); /* warm up: first-touch costs out of round 1 */
	for (r = 0; r < rounds; r++) {
		double ko = 0, wo = 0, kn = 0, wn = 0;
		int ok_off = 0, ok_on = 0, pass;

		wait_off(fd, wait_s);

		for (pass = 0; pass < 2; pass++) {
			int on = (pass == 0) == (r % 2 == 1); /* odd rounds measure "on" first */

			sfd = on ? stats_on() : -1;
			c0 = run_cnt(fd);
			if (on)
				wn = test_run(fd, repeat, &kn);
			else
				wo = test_run(fd, repeat, &ko);
			c1 = run_cnt(fd);
			if (on) {
				close(sfd);
				ok_on = c1 - c0 == repeat;
			} else {
				ok_off = c1 == c0;
			}
		}
		bad_off += !ok_off;
		bad_on += !ok_on;
		if (ok_off) {
			add(&k_off, ko);
			add(&w_off, wo);
		}
		if (ok_on) {
			add(&k_on, kn);
			add(&w_on, wn);
		}
		if (ok_off && ok_on) {
			add(&k_d, kn - ko);
			add(&w_d, wn - wo);
		}
	}
	printf("BPF_PROG_TEST_RUN of a trivial socket filter (r0 = 0; exit), repeat %lu, "
	       "median of %lu rounds\n",
	       repeat, rounds);
	printf("%-40s %14s %14s\n", "", "kernel ns/run", "wall ns/run");
	printf("%-40s", "stats off");
	cell(median(k_off.v, k_off.n), 14, 1);
	cell(median(w_off.v, w_off.n), 14, 2);
	printf("\n%-40s", "stats on (BPF_ENABLE_STATS fd held)");
	cell(median(k_on.v, k_on.n), 14, 1);
	cell(median(w_on.v, w_on.n), 14, 2);
	printf("\n%-40s", "cost of the stats (paired differences)");
	cell(median(k_d.v, k_d.n), 14, 1);
	cell(median(w_d.v, w_d.n), 14, 2);
	printf("\n");
	missing |= !k_d.n;

	if (tracepoint) {
		const char *event = "syscalls/sys_enter_getppid";
		int id = tracepoint_id(event), pfd, tfd;
		struct series none = { 0 }, off = { 0 }, on = { 0 }, d = { 0 }, kper = { 0 };
		struct bpf_prog_info info;
		__u32 len;
		__u64 t0;

		if (id < 0) {
			printf("\ntracepoint %s: not found (no tracefs, or no syscall "
			       "tracepoints): not measured\n",
			       event);
			close(fd);
			return 1;
		}
		tfd = load(BPF_PROG_TYPE_TRACEPOINT, "statscost_tp");
		syscalls(m / 10); /* warm up */
		for (r = 0; r < rounds; r++) {
			double x_none, x_off = 0, x_on = 0;
			int pass, ok_off = 0, ok_on = 0;

			wait_off(fd, wait_s);
			x_none = syscalls(m);
			pfd = attach(tfd, id);
			for (pass = 0; pass < 2; pass++) {
				int is_on = (pass == 0) == (r % 2 == 1);

				sfd = is_on ? stats_on() : -1;
				memset(&info, 0, sizeof(info));
				len = sizeof(info);
				bpf_obj_get_info_by_fd(tfd, &info, &len);
				c0 = info.run_cnt;
				t0 = info.run_time_ns;
				if (is_on)
					x_on = syscalls(m);
				else
					x_off = syscalls(m);
				memset(&info, 0, sizeof(info));
				len = sizeof(info);
				bpf_obj_get_info_by_fd(tfd, &info, &len);
				c1 = info.run_cnt;
				if (is_on) {
					close(sfd);
					/* other processes' getppid() count too: at least m */
					ok_on = c1 - c0 >= m;
					if (ok_on)
						add(&kper, (double)(info.run_time_ns - t0) /
								   (double)(c1 - c0));
				} else {
					ok_off = c1 == c0;
				}
			}
			close(pfd);
			add(&none, x_none);
			bad_off += !ok_off;
			bad_on += !ok_on;
			if (ok_off)
				add(&off, x_off);
			if (ok_on)
				add(&on, x_on);
			if (ok_off && ok_on)
				add(&d, x_on - x_off);
		}
		close(tfd);
		printf("\n%s, a trivial tracepoint program, %lu getppid() per measurement, "
		       "median of %lu rounds\n",
		       event, m, rounds);
		printf("%-40s %14s\n", "", "wall ns/call");
		printf("%-40s", "no program attached");
		cell(median(none.v, none.n), 14, 2);
		printf("\n%-40s", "program attached, stats off");
		cell(median(off.v, off.n), 14, 2);
		printf("\n%-40s", "program attached, stats on");
		cell(median(on.v, on.n), 14, 2);
		printf("\n%-40s", "cost of the stats (paired differences)");
		cell(median(d.v, d.n), 14, 2);
		printf("\n%-40s", "run_time_ns / run_cnt with stats on");
		cell(median(kper.v, kper.n), 14, 2);
		printf("\n");
		missing |= !d.n;
	}
	close(fd);
	if (bad_off || bad_on)
		printf("\nleft out: %d measurement(s) with the stats off during which run_cnt "
		       "moved (someone else had them on), %d with them on during which it did not "
		       "move as expected\n",
		       bad_off, bad_on);
	return missing;
}
