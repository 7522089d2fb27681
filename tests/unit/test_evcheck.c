// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What run-sensor checks of the events it receives (guide 5.1, 5.2), fed made-up streams:
 * value ranges, per-CPU sequence numbers and timestamps, reconciliation with the kernel's
 * drop counters, the reorder window and the latency percentiles.
 */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "evcheck.h"

#define NCPU	     4
#define PID_MAX	     32768
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Table cases: name the case that failed, after the CHECK lines it produced, so a failure
 * in a table says which row it was.
 */
static int case_prior;

static void case_begin(void)
{
	case_prior = check_case_failed;
	check_case_failed = 0;
}

static void case_end(const char *name)
{
	if (check_case_failed)
		printf("#   ^ in case \"%s\"\n", name);
	check_case_failed |= case_prior;
}

/* A valid event: what the sensor reports for an ordinary exec. */
static struct sensor_event ev(unsigned int cpu, __u64 seq, __u64 ts)
{
	struct sensor_event e;

	memset(&e, 0, sizeof(e));
	e.cpu = cpu;
	e.seq = seq;
	e.ts_ns = ts;
	e.pid = e.tgid = e.old_pid = 4242;
	e.ppid = 1;
	strcpy(e.comm, "true");
	strcpy(e.filename, "/bin/true");
	e.filename_len = (__u16)strlen(e.filename);
	return e;
}

/* One event at a time, each on a fresh checker: which counter it moves, if any. */
static void event_ranges(void)
{
	enum { F_PID = 1, F_PPID, F_FILENAME, F_LEN, F_TEXT, F_FLAGS, F_CPU };
	/* clang-format off */
	static const struct {
		const char *name;
		int field;
		long long value;
		bool ok;
		__u64 bad_pid, bad_ppid, empty, truncated, bad_cpu;
	} cases[] = {
		{ "valid", 0, 0, true, 0, 0, 0, 0, 0 },
		{ "pid 1", F_PID, 1, true, 0, 0, 0, 0, 0 },
		{ "pid 0", F_PID, 0, false, 1, 0, 0, 0, 0 },
		{ "pid negative", F_PID, -7, false, 1, 0, 0, 0, 0 },
		{ "pid INT_MIN", F_PID, INT32_MIN, false, 1, 0, 0, 0, 0 },
		{ "pid == pid_max - 1: the largest the kernel hands out", F_PID, PID_MAX - 1, true, 0, 0, 0, 0, 0 },
		{ "pid == pid_max: pid_max is exclusive", F_PID, PID_MAX, false, 1, 0, 0, 0, 0 },
		{ "pid > pid_max", F_PID, PID_MAX + 1, false, 1, 0, 0, 0, 0 },
		{ "ppid 0 (a child of the idle task)", F_PPID, 0, true, 0, 0, 0, 0, 0 },
		{ "ppid -1 (parent unreadable)", F_PPID, -1, false, 0, 1, 0, 0, 0 },
		{ "empty filename", F_FILENAME, 0, false, 0, 0, 1, 0, 0 },
		{ "filename_len 0 with text", F_LEN, 0, false, 0, 0, 1, 0, 0 },
		{ "filename_len with no text", F_TEXT, 0, false, 0, 0, 1, 0, 0 },
		{ "truncated: counted, still valid", F_FLAGS, SENSOR_F_FILENAME_TRUNC, true, 0, 0,
		  0, 1, 0 },
		{ "cpu == ncpu", F_CPU, NCPU, false, 0, 0, 0, 0, 1 },
		{ "cpu far out", F_CPU, UINT32_MAX, false, 0, 0, 0, 0, 1 },
	};
	/* clang-format on */
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct sensor_event e = ev(1, 0, 1000);
		struct evcheck v;
		bool ok;

		case_begin();
		switch (cases[i].field) {
		case F_PID:
			e.pid = (__s32)cases[i].value;
			break;
		case F_PPID:
			e.ppid = (__s32)cases[i].value;
			break;
		case F_FILENAME:
			e.filename[0] = '\0';
			e.filename_len = 0;
			break;
		case F_LEN:
			e.filename_len = 0;
			break;
		case F_TEXT:
			e.filename[0] = '\0';
			break;
		case F_FLAGS:
			e.flags = (__u16)cases[i].value;
			break;
		case F_CPU:
			e.cpu = (__u32)cases[i].value;
			break;
		}
		CHECK_INT(evcheck_init(&v, NCPU, PID_MAX), 0);
		ok = evcheck_event(&v, &e);
		CHECK_INT(ok, cases[i].ok);
		CHECK_INT(v.received, 1);
		CHECK_INT(v.bad_pid, cases[i].bad_pid);
		CHECK_INT(v.bad_ppid, cases[i].bad_ppid);
		CHECK_INT(v.empty_filename, cases[i].empty);
		CHECK_INT(v.truncated, cases[i].truncated);
		CHECK_INT(v.bad_cpu, cases[i].bad_cpu);
		/* a truncated name is reported, but it is not a problem with the event */
		CHECK_INT(evcheck_problems(&v),
			  cases[i].bad_pid + cases[i].bad_ppid + cases[i].empty + cases[i].bad_cpu);
		CHECK_INT(v.gaps + v.seq_backwards + v.ts_backwards + v.out_of_order, 0);
		evcheck_free(&v);
		case_end(cases[i].name);
	}
}

static void init_rejects_no_cpu(void)
{
	struct evcheck v;

	CHECK_INT(evcheck_init(&v, 0, PID_MAX), -EINVAL);
	evcheck_free(&v);
	CHECK_INT(evcheck_init(&v, 1, PID_MAX), 0);
	CHECK(v.cpu != NULL && v.ncpu == 1);
	evcheck_free(&v);
	CHECK(v.cpu == NULL);
}

struct arrival {
	unsigned int cpu;
	__u64 seq, ts;
};

#define MAX_ARRIVALS 8

/* Streams of arrivals: sequence gaps, duplicates, and the two kinds of timestamp order. */
static void event_order(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		struct arrival a[MAX_ARRIVALS];
		size_t n;
		__u64 gaps, gaps_cpu0, gaps_cpu1, seq_backwards, ts_backwards, out_of_order;
	} cases[] = {
		{ "contiguous on one CPU", { { 0, 0, 10 }, { 0, 1, 20 }, { 0, 2, 30 } }, 3,
		  0, 0, 0, 0, 0, 0 },
		{ "each CPU numbers its own events",
		  { { 0, 0, 10 }, { 1, 0, 20 }, { 0, 1, 30 }, { 1, 1, 40 } }, 4, 0, 0, 0, 0, 0, 0 },
		{ "a gap of two", { { 0, 0, 10 }, { 0, 1, 20 }, { 0, 4, 30 }, { 0, 5, 40 } }, 4,
		  2, 2, 0, 0, 0, 0 },
		{ "the first events dropped", { { 1, 3, 10 }, { 1, 4, 20 } }, 2, 3, 0, 3, 0, 0, 0 },
		{ "gaps on two CPUs add up",
		  { { 0, 0, 10 }, { 1, 1, 20 }, { 0, 2, 30 }, { 1, 5, 40 } }, 4, 5, 1, 4, 0, 0, 0 },
		{ "a duplicate", { { 0, 0, 10 }, { 0, 1, 20 }, { 0, 1, 30 } }, 3, 0, 0, 0, 1, 0, 0 },
		{ "sequence going back", { { 0, 0, 10 }, { 0, 1, 20 }, { 0, 2, 30 }, { 0, 0, 40 } },
		  4, 0, 0, 0, 1, 0, 0 },
		{ "no gap counted after a duplicate",
		  { { 0, 0, 10 }, { 0, 2, 20 }, { 0, 1, 30 }, { 0, 3, 40 } }, 4, 1, 1, 0, 1, 0, 0 },
		{ "per-CPU timestamp going back", { { 2, 0, 100 }, { 2, 1, 90 } }, 2, 0, 0, 0, 0, 1,
		  1 },
		{ "equal timestamps are in order", { { 0, 0, 100 }, { 1, 0, 100 }, { 0, 1, 100 } },
		  3, 0, 0, 0, 0, 0, 0 },
		{ "older than another CPU's: out of order, not an error",
		  { { 0, 0, 100 }, { 1, 0, 50 } }, 2, 0, 0, 0, 0, 0, 1 },
		{ "out of order against the newest seen",
		  { { 0, 0, 100 }, { 1, 0, 50 }, { 2, 0, 60 }, { 3, 0, 150 } }, 4, 0, 0, 0, 0, 0,
		  2 },
	};
	/* clang-format on */
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct evcheck v;

		case_begin();
		CHECK_INT(evcheck_init(&v, NCPU, PID_MAX), 0);
		for (j = 0; j < cases[i].n; j++) {
			struct sensor_event e =
				ev(cases[i].a[j].cpu, cases[i].a[j].seq, cases[i].a[j].ts);

			evcheck_event(&v, &e);
		}
		CHECK_INT(v.received, cases[i].n);
		CHECK_INT(v.gaps, cases[i].gaps);
		CHECK_INT(v.cpu[0].gaps, cases[i].gaps_cpu0);
		CHECK_INT(v.cpu[1].gaps, cases[i].gaps_cpu1);
		CHECK_INT(v.seq_backwards, cases[i].seq_backwards);
		CHECK_INT(v.ts_backwards, cases[i].ts_backwards);
		CHECK_INT(v.out_of_order, cases[i].out_of_order);
		/* order within a CPU is a problem; order across CPUs is not */
		CHECK_INT(evcheck_problems(&v), cases[i].seq_backwards + cases[i].ts_backwards);
		evcheck_free(&v);
		case_end(cases[i].name);
	}
}

/* A duplicate is reported as invalid; a clean successor is not. */
static void duplicate_is_invalid(void)
{
	struct sensor_event a = ev(0, 0, 10), b = ev(0, 1, 20);
	struct evcheck v;

	CHECK_INT(evcheck_init(&v, NCPU, PID_MAX), 0);
	CHECK(evcheck_event(&v, &a));
	CHECK(evcheck_event(&v, &b));
	CHECK(!evcheck_event(&v, &b));
	CHECK_INT(v.cpu[0].received, 3);
	CHECK_INT(v.cpu[0].next_seq, 2);
	evcheck_free(&v);
}

#define RCPU 2

/* Arrivals on RCPU CPUs against the kernel's per-CPU seen/dropped counters. */
static void reconcile(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		struct arrival a[MAX_ARRIVALS];
		size_t n;
		struct sensor_counters k[RCPU];
		bool holds;
		__u64 seen, delivered, dropped, missing, bad_cpus;
	} cases[] = {
		{ "nothing seen", { { 0 } }, 0, { { 0 }, { 0 } }, true, 0, 0, 0, 0, 0 },
		{ "all delivered",
		  { { 0, 0, 1 }, { 0, 1, 2 }, { 0, 2, 3 }, { 1, 0, 4 }, { 1, 1, 5 } }, 5,
		  { { .seen = 3 }, { .seen = 2 } }, true, 5, 5, 0, 0, 0 },
		{ "a gap that is the drop", { { 0, 0, 1 }, { 0, 2, 2 } }, 2,
		  { { .seen = 3, .dropped = 1 }, { 0 } }, true, 3, 2, 1, 1, 0 },
		{ "the tail dropped", { { 0, 0, 1 }, { 0, 1, 2 } }, 2,
		  { { .seen = 4, .dropped = 2 }, { 0 } }, true, 4, 2, 2, 2, 0 },
		{ "the head dropped", { { 1, 2, 1 }, { 1, 3, 2 } }, 2,
		  { { 0 }, { .seen = 4, .dropped = 2 } }, true, 4, 2, 2, 2, 0 },
		{ "everything dropped", { { 0 } }, 0, { { .seen = 5, .dropped = 5 }, { 0 } }, true, 5,
		  0, 5, 5, 0 },
		{ "gap and tail together", { { 0, 1, 1 }, { 0, 3, 2 } }, 2,
		  { { .seen = 6, .dropped = 4 }, { 0 } }, true, 6, 2, 4, 4, 0 },
		{ "missing without a drop", { { 0, 0, 1 }, { 0, 2, 2 } }, 2,
		  { { .seen = 3 }, { 0 } }, false, 3, 2, 0, 1, 1 },
		/* the totals add up, but each CPU's own identity does not */
		{ "drop counted on the wrong CPU", { { 0, 0, 1 }, { 0, 2, 2 }, { 1, 0, 3 }, { 1, 1, 4 } },
		  4, { { .seen = 3 }, { .seen = 2, .dropped = 1 } }, false, 5, 4, 1, 1, 2 },
		{ "tail missing, not counted", { { 0, 0, 1 }, { 0, 1, 2 }, { 0, 2, 3 } }, 3,
		  { { .seen = 4 }, { 0 } }, false, 4, 3, 0, 1, 1 },
		/* seen = delivered + dropped, but the gap is not where the kernel dropped */
		{ "sequence past the kernel's count", { { 0, 0, 1 }, { 0, 1, 2 }, { 0, 5, 3 } }, 3,
		  { { .seen = 3 }, { 0 } }, false, 3, 3, 0, 3, 1 },
		{ "a duplicate delivered", { { 0, 0, 1 }, { 0, 1, 2 }, { 0, 1, 3 } }, 3,
		  { { .seen = 2 }, { 0 } }, false, 2, 3, 0, 0, 1 },
		/* the count of arrivals matches only because a duplicate stands in for a lost one */
		{ "a duplicate hides a missing event", { { 0, 0, 1 }, { 0, 0, 2 }, { 0, 2, 3 } }, 3,
		  { { .seen = 3 }, { 0 } }, false, 3, 3, 0, 1, 1 },
		{ "more drops than missing", { { 0, 0, 1 }, { 0, 1, 2 } }, 2,
		  { { .seen = 2, .dropped = 1 }, { 0 } }, false, 2, 2, 1, 0, 1 },
		/* an event stamped with a CPU the counters do not cover is unexplained */
		{ "event from an uncounted CPU", { { 3, 0, 1 } }, 1, { { 0 }, { 0 } }, false, 0, 0,
		  0, 0, 1 },
	};
	/* clang-format on */
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct evcheck_recon rc;
		struct evcheck v;

		case_begin();
		CHECK_INT(evcheck_init(&v, NCPU, PID_MAX), 0);
		for (j = 0; j < cases[i].n; j++) {
			struct sensor_event e =
				ev(cases[i].a[j].cpu, cases[i].a[j].seq, cases[i].a[j].ts);

			evcheck_event(&v, &e);
		}
		memset(&rc, 0xa5, sizeof(rc));
		evcheck_reconcile(&v, cases[i].k, RCPU, &rc);
		CHECK_INT(rc.holds, cases[i].holds);
		CHECK_INT(rc.seen, cases[i].seen);
		CHECK_INT(rc.delivered, cases[i].delivered);
		CHECK_INT(rc.dropped, cases[i].dropped);
		CHECK_INT(rc.missing, cases[i].missing);
		CHECK_INT(rc.bad_cpus, cases[i].bad_cpus);
		evcheck_free(&v);
		case_end(cases[i].name);
	}
}

/* The kernel may count more CPUs than the checker tracks: nothing arrived from those. */
static void reconcile_more_kernel_cpus(void)
{
	struct sensor_counters k[3] = { { .seen = 1 }, { 0 }, { .seen = 2, .dropped = 2 } };
	struct sensor_event e = ev(0, 0, 1);
	struct evcheck_recon rc;
	struct evcheck v;

	CHECK_INT(evcheck_init(&v, 1, PID_MAX), 0);
	evcheck_event(&v, &e);
	evcheck_reconcile(&v, k, 3, &rc);
	CHECK(rc.holds);
	CHECK_INT(rc.seen, 3);
	CHECK_INT(rc.missing, 2);
	k[1].seen = 1; /* seen there, never delivered, not dropped */
	evcheck_reconcile(&v, k, 3, &rc);
	CHECK(!rc.holds);
	CHECK_INT(rc.bad_cpus, 1);
	evcheck_free(&v);
}

#define WINDOW 1000

/* Push a set of events; pop with flush; the order must be (ts, cpu, seq). */
static void reorder_sorts(void)
{
	static const struct arrival in[] = {
		{ 1, 0, 300 }, { 0, 5, 100 }, { 2, 9, 100 }, { 0, 4, 100 },
		{ 1, 1, 200 }, { 3, 0, 50 },  { 0, 6, 300 }, { 1, 2, 300 },
	};
	static const struct arrival want[] = {
		{ 3, 0, 50 },  { 0, 4, 100 }, { 0, 5, 100 }, { 2, 9, 100 },
		{ 1, 1, 200 }, { 0, 6, 300 }, { 1, 0, 300 }, { 1, 2, 300 },
	};
	struct sensor_event e;
	struct reorder r;
	size_t i;

	reorder_init(&r, WINDOW);
	for (i = 0; i < ARRAY_LEN(in); i++) {
		e = ev(in[i].cpu, in[i].seq, in[i].ts);
		reorder_push(&r, &e);
	}
	for (i = 0; i < ARRAY_LEN(want); i++) {
		memset(&e, 0, sizeof(e));
		CHECK(reorder_pop(&r, 0, true, &e));
		CHECK_INT(e.ts_ns, want[i].ts);
		CHECK_INT(e.cpu, want[i].cpu);
		CHECK_INT(e.seq, want[i].seq);
		CHECK_STR(e.filename, "/bin/true"); /* the whole event travels */
	}
	CHECK(!reorder_pop(&r, 0, true, &e));
	CHECK_INT(r.late, 0);
	reorder_free(&r);
}

/* Same timestamp, same CPU: the sequence number decides. */
static void reorder_sorts_by_seq(void)
{
	static const __u64 seqs[] = { 7, 3, 5, 0, 6, 1, 4, 2 };
	struct sensor_event e;
	struct reorder r;
	size_t i;

	reorder_init(&r, WINDOW);
	for (i = 0; i < ARRAY_LEN(seqs); i++) {
		e = ev(1, seqs[i], 100);
		reorder_push(&r, &e);
	}
	for (i = 0; i < ARRAY_LEN(seqs); i++) {
		CHECK(reorder_pop(&r, 0, true, &e));
		CHECK_INT(e.seq, i);
	}
	reorder_free(&r);
}

/* Many events in a scrambled order: past the first allocation, still sorted. */
static void reorder_sorts_many(void)
{
	const size_t n = 3000;
	struct sensor_event e;
	struct reorder r;
	__u64 prev = 0;
	size_t i, out = 0;

	reorder_init(&r, WINDOW);
	for (i = 0; i < n; i++) {
		/* 7919 is prime to n: a permutation of 0..n-1, by 1000s */
		e = ev((unsigned int)(i % NCPU), i, (__u64)((i * 7919) % n) * 1000);
		reorder_push(&r, &e);
	}
	CHECK_INT(r.nr, n);
	while (reorder_pop(&r, 0, true, &e)) {
		CHECK(out == 0 || e.ts_ns > prev);
		if (out && e.ts_ns <= prev)
			break;
		prev = e.ts_ns;
		out++;
	}
	CHECK_INT(out, n);
	CHECK_INT(prev, (n - 1) * 1000);
	reorder_free(&r);
	CHECK(r.heap == NULL && r.nr == 0);
}

/*
 * Each event comes out whole and once, with its own payload, however pushes and pops
 * interleave and however often the buffer grows in between.
 */
static void reorder_keeps_payloads(void)
{
	const size_t n = 700;
	static bool out_seen[700];
	struct sensor_event e;
	struct reorder r;
	size_t i, out = 0;
	__u64 prev = 0, now;

	memset(out_seen, 0, sizeof(out_seen));
	reorder_init(&r, WINDOW);
	for (i = 0; i < n; i++) {
		/* timestamps scrambled by 1000s: 301 is prime to 700 */
		e = ev((unsigned int)(i % NCPU), i, (__u64)((i * 301) % n) * 1000 + 1);
		e.pid = (__s32)(i + 1);
		snprintf(e.filename, sizeof(e.filename), "/usr/bin/prog-%zu", i);
		e.filename_len = (__u16)strlen(e.filename);
		reorder_push(&r, &e);
		/* every third push, release what is due at this event's time */
		now = e.ts_ns;
		while (i % 3 == 0 && reorder_pop(&r, now, false, &e)) {
			char want[64];

			snprintf(want, sizeof(want), "/usr/bin/prog-%llu",
				 (unsigned long long)e.seq);
			CHECK_INT(e.pid, e.seq + 1);
			CHECK_STR(e.filename, want);
			CHECK(e.seq < n && !out_seen[e.seq]);
			if (e.seq < n)
				out_seen[e.seq] = true;
			out++;
		}
	}
	while (reorder_pop(&r, 0, true, &e)) {
		char want[64];

		snprintf(want, sizeof(want), "/usr/bin/prog-%llu", (unsigned long long)e.seq);
		CHECK_INT(e.pid, e.seq + 1);
		CHECK_STR(e.filename, want);
		CHECK(e.seq < n && !out_seen[e.seq]);
		if (e.seq < n)
			out_seen[e.seq] = true;
		/* the flush is in order, and after the last released, nothing is late */
		CHECK(e.ts_ns >= prev);
		prev = e.ts_ns;
		out++;
	}
	CHECK_INT(out, n);
	CHECK_INT(r.nr, 0);
	reorder_free(&r);
}

/* Without flush, only events at least a window old are released. */
static void reorder_window(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		__u64 now;
		size_t released; /* of events stamped 100, 200, 300 */
	} cases[] = {
		{ "all younger than the window", 100 + WINDOW - 1, 0 },
		{ "exactly a window old", 100 + WINDOW, 1 },
		{ "two due", 200 + WINDOW, 2 },
		{ "all due", 300 + WINDOW + 5000, 3 },
		{ "a clock before the events", 0, 0 },
	};
	/* clang-format on */
	size_t i, n;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct sensor_event e;
		struct reorder r;

		case_begin();
		reorder_init(&r, WINDOW);
		for (n = 3; n > 0; n--) {
			e = ev(0, n, n * 100);
			reorder_push(&r, &e);
		}
		for (n = 0; reorder_pop(&r, cases[i].now, false, &e); n++)
			CHECK_INT(e.ts_ns, (n + 1) * 100);
		CHECK_INT(n, cases[i].released);
		CHECK_INT(r.nr, 3 - cases[i].released);
		/* flush releases the rest whatever the clock says */
		for (; reorder_pop(&r, 0, true, &e); n++)
			CHECK_INT(e.ts_ns, (n + 1) * 100);
		CHECK_INT(n, 3);
		CHECK_INT(r.late, 0);
		reorder_free(&r);
		case_end(cases[i].name);
	}
}

/* Window 0: every event is released at once, whatever the clock says. */
static void reorder_pass_through(void)
{
	struct sensor_event e = ev(0, 0, 5000000000ull), out;
	struct reorder r;

	reorder_init(&r, 0);
	CHECK(!reorder_pop(&r, 0, false, &out));
	reorder_push(&r, &e);
	CHECK(reorder_pop(&r, 0, false, &out));
	CHECK_INT(out.ts_ns, 5000000000ull);
	CHECK(!reorder_pop(&r, 0, false, &out));
	reorder_free(&r);
}

/* An event older than one already released is late: the window was too short. */
static void reorder_late(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		__u64 ts[4];
		size_t n;
		__u64 late;
	} cases[] = {
		{ "rising", { 100, 200, 300 }, 3, 0 },
		{ "equal is not late", { 100, 100, 100 }, 3, 0 },
		{ "one late", { 200, 100 }, 2, 1 },
		{ "late against the last released, not the last popped", { 300, 100, 200, 400 }, 4,
		  2 },
	};
	/* clang-format on */
	size_t i, j;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		struct sensor_event e, out;
		struct reorder r;

		case_begin();
		reorder_init(&r, 0);
		for (j = 0; j < cases[i].n; j++) {
			e = ev(0, j, cases[i].ts[j]);
			reorder_push(&r, &e);
			CHECK(reorder_pop(&r, 0, false, &out));
			CHECK_INT(out.ts_ns, cases[i].ts[j]); /* released as it came */
		}
		CHECK_INT(r.late, cases[i].late);
		reorder_free(&r);
		case_end(cases[i].name);
	}
}

static void percentiles(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		__u64 v[4];
		size_t n;
		double p;
		__u64 want;
	} cases[] = {
		{ "n=0", { 0 }, 0, 50, 0 },
		{ "n=1 p0", { 7 }, 1, 0, 7 },
		{ "n=1 p50", { 7 }, 1, 50, 7 },
		{ "n=1 p100", { 7 }, 1, 100, 7 },
		{ "n=2 p0", { 20, 10 }, 2, 0, 10 },
		{ "n=2 p50: rank 1", { 20, 10 }, 2, 50, 10 },
		{ "n=2 p51: rank 2", { 20, 10 }, 2, 51, 20 },
		{ "n=2 p99", { 20, 10 }, 2, 99, 20 },
		{ "n=2 p100", { 20, 10 }, 2, 100, 20 },
		{ "n=3 p50", { 3, 1, 2 }, 3, 50, 2 },
	};
	/* clang-format on */
	static const struct {
		double p;
		__u64 want;
	} hundred[] = {
		{ 0, 1 },     { 1, 1 },	  { 7, 7 },   { 49.5, 50 },  { 50, 50 },
		{ 50.1, 51 }, { 90, 90 }, { 99, 99 }, { 99.9, 100 }, { 100, 100 },
	};
	__u64 v[100];
	size_t i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		__u64 a[4];

		case_begin();
		memcpy(a, cases[i].v, sizeof(a));
		CHECK_INT(percentile_u64(a, cases[i].n, cases[i].p), cases[i].want);
		case_end(cases[i].name);
	}
	for (i = 0; i < ARRAY_LEN(hundred); i++) {
		size_t j;

		/* 1..100 scrambled: 37 is prime to 100 */
		for (j = 0; j < 100; j++)
			v[j] = (j * 37) % 100 + 1;
		case_begin();
		CHECK_INT(percentile_u64(v, 100, hundred[i].p), hundred[i].want);
		/* sorted in place, as documented */
		for (j = 0; j < 100; j++)
			CHECK_INT(v[j], j + 1);
		if (check_case_failed)
			printf("#   ^ in case n=100 p%g\n", hundred[i].p);
		check_case_failed |= case_prior;
	}
	/* n=0 reads nothing: neighbours of the (empty) array stay out of it */
	v[0] = 99;
	v[1] = 99;
	CHECK_INT(percentile_u64(&v[1], 0, 50), 0);
	CHECK_INT(percentile_u64(&v[1], 0, 100), 0);
	/* values above 2^63 compare as unsigned */
	v[0] = UINT64_MAX;
	v[1] = 1;
	CHECK(percentile_u64(v, 2, 100) == UINT64_MAX);
	CHECK_INT(percentile_u64(v, 2, 50), 1);
}

int main(void)
{
	RUN(event_ranges);
	RUN(init_rejects_no_cpu);
	RUN(event_order);
	RUN(duplicate_is_invalid);
	RUN(reconcile);
	RUN(reconcile_more_kernel_cpus);
	RUN(reorder_sorts);
	RUN(reorder_sorts_by_seq);
	RUN(reorder_sorts_many);
	RUN(reorder_keeps_payloads);
	RUN(reorder_window);
	RUN(reorder_pass_through);
	RUN(reorder_late);
	RUN(percentiles);
	return check_finish();
}
