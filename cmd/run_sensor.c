// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * run-sensor: load the reference exec sensor, show what it sees, validate it (guide 5.1,
 * 5.2) and account for every event it could not deliver (guide 2.2). --self-test execs a
 * canary and proves end to end that each exec arrives with the right pid, ppid and file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/evcheck.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/output.h"
#include "../src/selftest.h"
#include "../src/sig.h"
#include "../src/sensor.h"
#include "../src/strbuf.h"
#include "../src/sysroot.h"
#include "../src/text.h"
#include "../src/util.h"
#include "cmd.h"

#define POLL_MS		 20 /* the self-test's wait between looks at its canaries */
#define DEFAULT_SELFTEST 100
#define MAX_SELFTEST	 100000
#define SELFTEST_WAIT_MS 5000 /* after the last canary exec */

enum {
	OPT_ATTACH = 0x200,
	OPT_TRANSPORT,
	OPT_BUFFER,
	OPT_DURATION,
	OPT_COUNT,
	OPT_PID,
	OPT_UID,
	OPT_COMM,
	OPT_SELFTEST,
	OPT_REORDER,
};

static const struct cliopt options[] = {
	{ "attach", 0, OPT_ATTACH, CLIOPT_REQUIRED, "METHOD",
	  N_("auto (default: tracepoint, then raw-tracepoint, then kprobe), tracepoint, "
	     "raw-tracepoint or kprobe"),
	  CLIOPT_COMPLETE_WORDS, "auto tracepoint raw-tracepoint kprobe" },
	{ "transport", 0, OPT_TRANSPORT, CLIOPT_REQUIRED, "T",
	  N_("auto (ring buffer if the kernel has it), ringbuf or perfbuf"), CLIOPT_COMPLETE_WORDS,
	  "auto ringbuf perfbuf" },
	{ "buffer-size", 0, OPT_BUFFER, CLIOPT_REQUIRED, "BYTES",
	  N_("ring buffer size, or each CPU's perf buffer (power of two, suffix K, M or G; default "
	     "1M ringbuf, 256K perfbuf)") },
	{ "duration", 0, OPT_DURATION, CLIOPT_REQUIRED, "SEC",
	  N_("stop after SEC seconds (default: at Ctrl-C)") },
	{ "count", 0, OPT_COUNT, CLIOPT_REQUIRED, "N", N_("stop after N events") },
	{ "pid", 0, OPT_PID, CLIOPT_REQUIRED, "PID",
	  N_("only execs by process PID (its threads, not its children)") },
	{ "uid", 0, OPT_UID, CLIOPT_REQUIRED, "UID", N_("only execs by user UID") },
	{ "comm", 0, OPT_COMM, CLIOPT_REQUIRED, "NAME", N_("only execs whose new comm is NAME") },
	{ "reorder-ms", 0, OPT_REORDER, CLIOPT_REQUIRED, "MS",
	  N_("hold events MS ms to print them in time order (default 10; 0 prints in arrival "
	     "order)") },
	{ "self-test", 0, OPT_SELFTEST, CLIOPT_OPTIONAL, "N",
	  N_("exec a canary N times (default 100) via execve, execveat and fexecve; pass only if "
	     "each is seen with the right pid, ppid and filename") },
	{ 0 },
};

static struct {
	int attach;
	enum sensor_transport transport;
	size_t buffer;
	unsigned long duration_s, count, selftest;
	long pid, uid;
	const char *comm;
	unsigned long reorder_ms;
	bool reorder_set;
} opts = { .attach = SENSOR_ATTACH_AUTO, .pid = 0, .uid = -1 };

/* "4096", "64K", "1M": a power of two of at least a page */
static int parse_size(const char *arg, size_t *out)
{
	unsigned long long v;
	unsigned int shift;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (end == arg || errno || arg[0] == '-')
		goto bad;
	shift = *end == 'K' || *end == 'k'   ? 10
		: *end == 'M' || *end == 'm' ? 20
		: *end == 'G' || *end == 'g' ? 30
					     : 0;
	if (shift)
		end++;
	/* compare before shifting: a huge count must not wrap into a valid size */
	if (*end || v > (1ull << 30) >> shift)
		goto bad;
	v <<= shift;
	if (v < 4096 || (v & (v - 1)))
		goto bad;
	*out = (size_t)v;
	return 0;
bad:
	p_err("--buffer-size '%s': expected a power of two from 4096 to 1G (suffix K, M or G)",
	      arg);
	return EXIT_USAGE;
}

static int parse_opt(int key, const char *arg)
{
	unsigned long v;
	int ret = 0;

	switch (key) {
	case OPT_ATTACH:
		opts.attach = sensor_method_parse(arg);
		if (opts.attach == -2) {
			p_err("--attach '%s': expected auto, tracepoint, raw-tracepoint or kprobe",
			      arg);
			return EXIT_USAGE;
		}
		return 0;
	case OPT_TRANSPORT:
		if (!strcmp(arg, "auto"))
			opts.transport = SENSOR_TRANSPORT_AUTO;
		else if (!strcmp(arg, "ringbuf"))
			opts.transport = SENSOR_TRANSPORT_RINGBUF;
		else if (!strcmp(arg, "perfbuf"))
			opts.transport = SENSOR_TRANSPORT_PERFBUF;
		else {
			p_err("--transport '%s': expected auto, ringbuf or perfbuf", arg);
			return EXIT_USAGE;
		}
		return 0;
	case OPT_BUFFER:
		return parse_size(arg, &opts.buffer);
	case OPT_DURATION:
		return opt_parse_range("--duration", arg, 1, 86400 * 365, &opts.duration_s);
	case OPT_COUNT:
		return opt_parse_range("--count", arg, 1, 1ul << 40, &opts.count);
	case OPT_PID:
		ret = opt_parse_range("--pid", arg, 1, 4194304, &v);
		opts.pid = (long)v;
		return ret;
	case OPT_UID:
		/* (uid_t)-1 means "no uid" to the kernel: not a user to filter on */
		ret = opt_parse_range("--uid", arg, 0, 4294967294ul, &v);
		opts.uid = (long)v;
		return ret;
	case OPT_COMM:
		if (!*arg || strlen(arg) >= SENSOR_COMM_LEN) {
			p_err("--comm '%s': expected 1 to %d characters (the kernel's comm length)",
			      arg, SENSOR_COMM_LEN - 1);
			return EXIT_USAGE;
		}
		opts.comm = arg;
		return 0;
	case OPT_SELFTEST:
		opts.selftest = DEFAULT_SELFTEST;
		return arg ? opt_parse_range("--self-test", arg, 1, MAX_SELFTEST, &opts.selftest)
			   : 0;
	case OPT_REORDER:
		opts.reorder_set = true;
		return opt_parse_range("--reorder-ms", arg, 0, 10000, &opts.reorder_ms);
	}
	return EXIT_USAGE;
}

/* the canary must be seen whatever its pid, user or name: filters would hide it */
static int check_opts(void)
{
	if (opts.selftest && (opts.pid || opts.uid >= 0 || opts.comm)) {
		p_err("--self-test cannot be combined with --pid, --uid or --comm");
		return EXIT_USAGE;
	}
	/* the self-test prints no events, so there is nothing for --count to count */
	if (opts.selftest && opts.count) {
		p_err("--self-test cannot be combined with --count");
		return EXIT_USAGE;
	}
	return 0;
}

/* The wall clock, to show an event's monotonic time of day; util_now_ns() for the rest. */
static __u64 realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

struct run {
	struct sensor s;
	struct evcheck v;
	struct reorder ro;
	__u64 printed;
	__u64 mono_to_real; /* add to a monotonic ns to get wall-clock ns */
	__u64 tsec;	    /* the second tbuf shows */
	char tbuf[16];
	struct strbuf out; /* the lines of the events being released */
	bool print_events;
	struct selftest *st; /* with --self-test */
	int write_err;	     /* writing the events failed: EPIPE when the reader went away */
};

/* Pad the column that started at start to width characters, then a space. */
static void pad_col(struct strbuf *b, size_t start, size_t width)
{
	while (b->len - start < width)
		STRBUF_LIT(b, " ");
	STRBUF_LIT(b, " ");
}

/*
 * One line per event, appended to run->out, which release() writes whole: printf's format
 * parsing was the largest cost per event in an exec storm, and then stdio's per call.
 */
static void print_event(struct run *run, const struct sensor_event *e)
{
	static const char *const flag_names[] = { "filename_error", "filename_truncated", "bad_pid",
						  "bad_ppid" };
	size_t comm_len = strnlen(e->comm, sizeof(e->comm)), i, col;
	size_t name_len = strnlen(e->filename, sizeof(e->filename));
	struct strbuf *b = &run->out;
	char *p;

	if (output.json) {
		bool first = true;

		STRBUF_LIT(b, "{\"event\":\"exec\",\"seq\":");
		strbuf_u64(b, e->seq);
		STRBUF_LIT(b, ",\"ts_ns\":");
		strbuf_u64(b, e->ts_ns);
		STRBUF_LIT(b, ",\"cpu\":");
		strbuf_u64(b, e->cpu);
		STRBUF_LIT(b, ",\"pid\":");
		strbuf_s64(b, e->pid);
		STRBUF_LIT(b, ",\"tgid\":");
		strbuf_s64(b, e->tgid);
		STRBUF_LIT(b, ",\"ppid\":");
		strbuf_s64(b, e->ppid);
		STRBUF_LIT(b, ",\"old_pid\":");
		if (e->old_pid < 0)
			STRBUF_LIT(b, "null");
		else
			strbuf_s64(b, e->old_pid);
		STRBUF_LIT(b, ",\"uid\":");
		strbuf_u64(b, e->uid);
		STRBUF_LIT(b, ",\"gid\":");
		strbuf_u64(b, e->gid);
		STRBUF_LIT(b, ",\"comm\":");
		strbuf_json_str(b, e->comm, comm_len);
		STRBUF_LIT(b, ",\"filename\":");
		strbuf_json_str(b, e->filename, name_len);
		STRBUF_LIT(b, ",\"flags\":[");
		for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
			if (!(e->flags & (1u << i)))
				continue;
			if (!first)
				STRBUF_LIT(b, ",");
			strbuf_json_str(b, flag_names[i], strlen(flag_names[i]));
			first = false;
		}
		STRBUF_LIT(b, "]}\n");
	} else {
		__u64 real = e->ts_ns + run->mono_to_real;
		__u64 secs = real / 1000000000ull, ms = real / 1000000ull % 1000;

		/* the clock only needs formatting when the second changes */
		if (secs != run->tsec) {
			time_t t = (time_t)secs;
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(run->tbuf, sizeof(run->tbuf), "%H:%M:%S", &tm);
			run->tsec = secs;
		}
		strbuf_put(b, run->tbuf, strlen(run->tbuf));
		p = strbuf_room(b, 5);
		p[0] = '.';
		p[1] = (char)('0' + ms / 100);
		p[2] = (char)('0' + ms / 10 % 10);
		p[3] = (char)('0' + ms % 10);
		p[4] = ' ';
		b->len += 5;
		col = b->len;
		strbuf_s64(b, e->pid);
		pad_col(b, col, 7);
		col = b->len;
		strbuf_s64(b, e->ppid);
		pad_col(b, col, 7);
		col = b->len;
		strbuf_u64(b, e->uid);
		pad_col(b, col, 6);
		/*
		 * Any local user chooses a comm and a file name: no control byte (C0, DEL, C1
		 * such as U+009B CSI) nor invalid UTF-8 reaches a terminal raw (text.h).
		 */
		col = b->len;
		strbuf_printable(b, e->comm, comm_len);
		pad_col(b, col, 16);
		strbuf_printable(b, e->filename, name_len);
		STRBUF_LIT(b, "\n");
	}
	run->printed++;
}

static void on_event(void *ctx, const struct sensor_event *e)
{
	struct run *run = ctx;

	evcheck_event(&run->v, e);
	if (run->st)
		selftest_on_event(run->st, e, util_now_ns());
	if (run->print_events)
		reorder_push(&run->ro, e);
}

/*
 * Print what the reorder window has released, in one write; returns true once --count is
 * reached. The write is flushed at once: a pipe's reader (jq, a SIEM shipper) gets each
 * event when the sensor does, not when 4 KiB of them have piled up in stdio's buffer.
 */
static bool release(struct run *run, bool flush)
{
	struct sensor_event e;
	__u64 now = util_now_ns();

	run->out.len = 0;
	while ((!opts.count || run->printed < opts.count) && reorder_pop(&run->ro, now, flush, &e))
		print_event(run, &e);
	if (run->out.len &&
	    (fwrite(run->out.p, 1, run->out.len, stdout) != run->out.len ||
	     fflush(stdout) == EOF) &&
	    !run->write_err)
		run->write_err = errno ? errno : EIO;
	return opts.count && run->printed >= opts.count;
}

/* ms from now until t, rounded up; 0 once it is past */
static int ms_until(__u64 now, __u64 t)
{
	__u64 ms = t > now ? (t - now + 999999) / 1000000 : 0;

	return ms > 86400000 ? 86400000 : (int)ms;
}

/*
 * How long the reader may sleep when no event comes: until the duration ends or (quiet host)
 * the next event held for reordering is due; with neither, until an event or a stop signal
 * (-1: no timer at all on a quiet host). The self-test looks at its canaries between waits.
 */
static int next_wait_ms(const struct run *run, __u64 deadline)
{
	__u64 now = util_now_ns(), due;
	int w = -1, d;

	if (run->st)
		return POLL_MS;
	if (deadline)
		w = ms_until(now, deadline);
	/* in a storm the batch timer releases them: a wake-up per held event would cost more */
	if (!run->s.batching && reorder_next(&run->ro, &due)) {
		d = ms_until(now, due);
		w = w < 0 || d < w ? d : w;
	}
	return w;
}

static void add_attach_finding(struct report *r, struct sensor *s, int err)
{
	struct finding *f;
	int i;

	if (!err)
		f = report_add(r, "sensor.attach", ST_PASS, "1.2", "", NULL, NULL);
	else
		f = report_add(
			r, "sensor.attach", ST_FAIL, "1.2", "no attach method worked",
			s->nr_attempts > 1
				? _("run edrdiag check-kernel and check-tracepoints for the cause")
				: _("--attach auto tries every method in order; edrdiag "
				    "check-kernel and check-tracepoints explain the cause"),
			NULL);
	for (i = 0; i < s->nr_attempts; i++) {
		const struct sensor_attempt *t = &s->attempts[i];
		const char *m = sensor_method_name(t->method);

		finding_append(f, "%s: %s", m, t->reason);
		if (!t->cause)
			continue;
		finding_append(f, "%s: cause %s, stage %s, errno %s", m, t->cause, t->stage,
			       util_errname(t->err));
		if (t->evidence[0])
			finding_append(f, "%s: log: %s", m, t->evidence);
		finding_append(f, "%s: remedy: %s", m, t->remedy);
	}
	if (!err) {
		finding_set_title(f, "attached with %s%s", sensor_method_name(s->method),
				  s->nr_attempts > 1 ? _(" (fallback)") : "");
		if (s->nr_attempts > 1)
			finding_set_status(f, ST_WARN);
	}
}

static json_t *attempts_json(const struct sensor *s)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < s->nr_attempts; i++) {
		const struct sensor_attempt *t = &s->attempts[i];

		/* the reason quotes libbpf, which may quote names: never dropped for its bytes */
		json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:o}", "method",
				      sensor_method_name(t->method), "stage", t->stage, "errno",
				      -t->err, "error", t->err ? util_errname(t->err) : "",
				      "reason", text_json(t->reason));

		/* the catalogue's cause, as check-object names it (null for the one that worked) */
		json_object_set_new(j, "cause", t->cause ? json_string(t->cause) : json_null());
		json_object_set_new(j, "remedy", t->cause ? json_string(t->remedy) : json_null());
		json_object_set_new(j, "evidence",
				    t->evidence[0] ? text_json(t->evidence) : json_null());
		json_array_append_new(a, j);
	}
	return a;
}

/* The verifier's last lines (guide 1.1); all of it with -v. */
static void print_verifier_log(const char *log)
{
	const char *p = log + strlen(log);
	int lines = 0;

	if (!*log)
		return;
	if (!global.verbose) {
		while (p > log && lines <= 20)
			if (*--p == '\n')
				lines++;
		if (p > log)
			p++;
	} else {
		p = log;
	}
	fprintf(stderr, _("edrdiag: verifier log%s:\n"),
		p > log ? _(" (last lines; -v for all)") : "");
	/* line by line: its newlines are the log's, any other control byte is escaped */
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = util_xmalloc(TEXT_PRINTABLE_MAX(n) + 1);

		*text_printable_escape(line, p, n) = '\0';
		fprintf(stderr, "%s\n", line);
		free(line);
		p += n + (p[n] == '\n');
	}
}

static void summarise(struct report *r, struct run *run, double secs, json_t *stats)
{
	struct sensor_counters *pc = util_xmalloc(run->s.ncpu * sizeof(*pc)), sum;
	char sig[16];
	struct evcheck_recon rc;
	struct evcheck *v = &run->v;
	double rate = secs > 0 ? (double)v->received / secs : 0.0;
	struct finding *f;

	memset(&sum, 0, sizeof(sum));
	memset(pc, 0, run->s.ncpu * sizeof(*pc));
	if (sensor_counters(&run->s, pc, &sum))
		report_add(r, "sensor.counters", ST_ERROR, "2.2", "kernel counters not readable",
			   NULL, "%s", strerror(errno));
	evcheck_reconcile(v, pc, run->s.ncpu, &rc);

	report_add(r, "sensor.transport", ST_PASS, "2.2",
		   run->s.transport == SENSOR_TRANSPORT_RINGBUF ? _("BPF ring buffer")
		   : opts.transport == SENSOR_TRANSPORT_AUTO ? _("perf buffer (fallback: no ring "
								 "buffer)")
							     : _("perf buffer"),
		   NULL, "%s, %zu bytes%s", sensor_transport_name(run->s.transport),
		   run->s.buffer_bytes,
		   run->s.transport == SENSOR_TRANSPORT_PERFBUF ? _(" per CPU") : "");

	f = report_add(
		r, "sensor.events", ST_PASS, "2.2", "", NULL,
		"received %llu, kernel saw %llu (%llu filtered out) in %.2f s: %.0f events/s",
		(unsigned long long)v->received, (unsigned long long)sum.seen,
		(unsigned long long)sum.filtered, secs, rate);
	finding_set_title(f, "%llu exec events received", (unsigned long long)v->received);
	if (sig_stopped())
		finding_append(f, "stopped by %s", sig_name(sig_stopped(), sig, sizeof(sig)));
	else if (run->write_err == EPIPE)
		finding_append(f, "stopped when the reader of the events went away");

	if (!sum.dropped && !run->s.perf_lost)
		report_add(r, "sensor.drops", ST_PASS, "2.2", "no event dropped", NULL,
			   "the kernel counted 0 failed reservations");
	else
		report_add(
			r, "sensor.drops", ST_WARN, "2.2", "events dropped: buffer full",
			"raise --buffer-size, or make the reader faster",
			"%llu dropped in the kernel (reservation/output failed)%s%llu perf records "
			"lost",
			(unsigned long long)sum.dropped, "; ",
			(unsigned long long)run->s.perf_lost);

	if (rc.holds)
		report_add(r, "sensor.reconcile", ST_PASS, "2.2",
			   "seen = delivered + dropped holds on every CPU", NULL,
			   "seen %llu = delivered %llu + dropped %llu; the %llu missing sequence "
			   "numbers are the dropped ones",
			   (unsigned long long)rc.seen, (unsigned long long)rc.delivered,
			   (unsigned long long)rc.dropped, (unsigned long long)rc.missing);
	else
		report_add(
			r, "sensor.reconcile", ST_FAIL, "2.2",
			"events unaccounted for: seen != delivered + dropped",
			"report this run (with -v and --json) to the sensor's maintainers",
			"seen %llu, delivered %llu, dropped %llu, missing sequence numbers %llu, "
			"CPUs that do not add up: %llu",
			(unsigned long long)rc.seen, (unsigned long long)rc.delivered,
			(unsigned long long)rc.dropped, (unsigned long long)rc.missing,
			(unsigned long long)rc.bad_cpus);

	if (!evcheck_problems(v))
		f = report_add(r, "sensor.validation", ST_PASS, "5.1", "every event valid", NULL,
			       "pids in (0, %u), ppids >= 0, filenames present, per-CPU sequence "
			       "and timestamps monotonic",
			       v->pid_max);
	else
		f = report_add(
			r, "sensor.validation", ST_FAIL, "5.1", "invalid events",
			"report the kernel and this output to the sensor's maintainers",
			"bad pid %llu, bad ppid %llu, empty filename %llu, per-CPU timestamp "
			"backwards %llu, duplicate sequence %llu, bad cpu %llu",
			(unsigned long long)v->bad_pid, (unsigned long long)v->bad_ppid,
			(unsigned long long)v->empty_filename, (unsigned long long)v->ts_backwards,
			(unsigned long long)v->seq_backwards, (unsigned long long)v->bad_cpu);
	if (sum.read_errors || v->truncated)
		finding_append(f, "kernel read errors %llu, truncated filenames %llu",
			       (unsigned long long)sum.read_errors,
			       (unsigned long long)v->truncated);

	report_add(r, "sensor.order", run->ro.late ? ST_WARN : ST_PASS, "5.2",
		   run->ro.late ? _("events released out of order: reorder window too short")
				: _("events released in timestamp order"),
		   run->ro.late ? _("raise --reorder-ms") : NULL,
		   "%llu arrived out of order and were reordered in a %llu ms window; %llu "
		   "released late",
		   (unsigned long long)v->out_of_order,
		   (unsigned long long)(run->ro.window_ns / 1000000),
		   (unsigned long long)run->ro.late);

	json_object_set_new(stats, "duration_s", json_real(secs));
	json_object_set_new(stats, "received", json_integer((json_int_t)v->received));
	json_object_set_new(stats, "kernel_seen", json_integer((json_int_t)sum.seen));
	json_object_set_new(stats, "dropped", json_integer((json_int_t)sum.dropped));
	json_object_set_new(stats, "perf_lost", json_integer((json_int_t)run->s.perf_lost));
	json_object_set_new(stats, "filtered", json_integer((json_int_t)sum.filtered));
	json_object_set_new(stats, "read_errors", json_integer((json_int_t)sum.read_errors));
	json_object_set_new(stats, "invalid", json_integer((json_int_t)sum.invalid));
	json_object_set_new(stats, "validation_problems",
			    json_integer((json_int_t)evcheck_problems(v)));
	json_object_set_new(stats, "sequence_gaps", json_integer((json_int_t)v->gaps));
	json_object_set_new(stats, "out_of_order", json_integer((json_int_t)v->out_of_order));
	json_object_set_new(stats, "reconciled", json_boolean(rc.holds));
	json_object_set_new(stats, "events_per_s", json_real(rate));
	free(pc);
}

static void summarise_selftest(struct report *r, struct selftest *st, json_t *jst)
{
	struct selftest_result res;
	json_t *jm = json_array();
	struct finding *f;
	size_t i;

	selftest_result(st, &res);
	json_object_set_new(jst, "execs", json_integer((json_int_t)res.execs));
	json_object_set_new(jst, "seen", json_integer((json_int_t)res.seen));
	json_object_set_new(jst, "missed", json_integer((json_int_t)res.missed));
	json_object_set_new(jst, "wrong_filename", json_integer((json_int_t)res.wrong));
	json_object_set_new(jst, "failed_execs", json_integer((json_int_t)res.failed_execs));
	json_object_set_new(jst, "latency_p50_us", json_real((double)res.p50_ns / 1000.0));
	json_object_set_new(jst, "latency_p99_us", json_real((double)res.p99_ns / 1000.0));
	json_object_set_new(jst, "problems", jm);

	if (res.failed_execs)
		report_add(r, "selftest.exec", ST_ERROR, "5.1", "canary execs failed", NULL,
			   "%zu of %zu canary execs did not exit 0", res.failed_execs, res.execs);
	if (st->spawn_err)
		report_add(r, "selftest.exec", ST_ERROR, "5.1", "cannot fork the canaries", NULL,
			   "vfork: %s", strerror(-st->spawn_err));
	if (res.execs == st->n && !res.missed && !res.wrong)
		f = report_add(r, "selftest.seen", ST_PASS, "5.1", "", NULL,
			       "execve, execveat and fexecve each checked for pid, ppid %d and "
			       "filename",
			       (int)st->self);
	else
		f = report_add(
			r, "selftest.seen", ST_FAIL, "5.1", "",
			"see check-kernel and check-tracepoints; rerun with --json for the list",
			"%zu missed, %zu with a wrong filename, %zu of %zu spawned", res.missed,
			res.wrong, res.execs, st->n);
	finding_set_title(f, "%zu of %zu canary execs seen correctly", res.seen, st->n);
	for (i = 0; i < st->n; i++) {
		const char *via = selftest_variant_names[i % SELFTEST_VARIANTS];
		const char *want = st->expect[i % SELFTEST_VARIANTS];
		const struct selftest_seen *seen;
		bool right;

		if (!st->pids[i])
			continue;
		seen = selftest_lookup(st, i, &right);
		if (seen && right)
			continue;
		json_array_append_new(jm, json_pack("{s:i, s:s, s:o, s:o, s:b}", "pid", st->pids[i],
						    "via", via, "expected", text_json(want), "got",
						    seen ? text_json(seen->filename) : json_null(),
						    "seen", seen != NULL));
		/* the list in the plain summary stays readable: the first ten */
		if (json_array_size(jm) > 10)
			continue;
		if (!seen)
			finding_append(f, "missed pid %d (%s %s)", st->pids[i], via, want);
		else
			finding_append(f, "pid %d (%s): filename '%s', expected '%s'", st->pids[i],
				       via, seen->filename, want);
	}
	report_add(r, "selftest.latency", ST_PASS, "5.2", "exec-to-delivery latency", NULL,
		   "p50 %.1f us, p99 %.1f us over %zu events (kernel timestamp to user space, "
		   "read as the main loop reads every event)",
		   (double)res.p50_ns / 1000.0, (double)res.p99_ns / 1000.0, res.seen + res.wrong);
}

static __u32 read_pid_max(void)
{
	char v[32];

	if (sysroot_read_line("/proc/sys/kernel/pid_max", v, sizeof(v)))
		return 4194304;
	return (__u32)strtoul(v, NULL, 10);
}

static int run(int argc, char **argv)
{
	static char outbuf[64 << 10];
	struct sensor_opts so = { 0 };
	json_t *stats = json_object(), *jst = json_object();
	struct selftest st = { .dirfd = -1, .fd = -1 };
	int err, ret = EXIT_PASS;
	__u64 t0, deadline = 0, selftest_deadline = 0;
	struct report r;
	struct run run;
	bool started = false;

	memset(&run, 0, sizeof(run));
	/*
	 * Before any output. Every release is flushed (release()), so the buffer only decides
	 * how many writes a batch takes: one, in a storm, rather than one per 4 KiB.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	report_init(&r, "run-sensor");
	r.strict = global.strict;
	(void)argc;
	(void)argv;
	/*
	 * The stop signals are taken only while the reader waits (sig_wait_fd), before any
	 * thread starts: the reader may sleep with no timeout, and a signal that came just
	 * before its wait must still end it.
	 */
	sig_block_stop();
	sig_catch_stop();

	so.attach = opts.attach;
	so.transport = opts.transport;
	so.buffer_bytes = opts.buffer;
	so.filter_tgid = (__s32)opts.pid;
	so.filter_uid = opts.uid;
	so.filter_comm = opts.comm;
	so.pid_max = read_pid_max();
	so.on_event = on_event;
	so.ctx = &run;
	run.print_events = !opts.selftest;
	reorder_init(&run.ro, (opts.reorder_set ? opts.reorder_ms : 10) * 1000000ull);
	run.mono_to_real = realtime_ns() - util_now_ns();

	if (opts.selftest) {
		char why[PATH_MAX + 64];

		if (selftest_init(&st, opts.selftest, why, sizeof(why))) {
			p_err("self-test: %s", why);
			ret = EXIT_ENV;
			goto out;
		}
		run.st = &st;
	}

	err = sensor_start(&run.s, &so);
	evcheck_init(&run.v, run.s.ncpu ? run.s.ncpu : 1, so.pid_max);
	add_attach_finding(&r, &run.s, err);
	if (err) {
		print_verifier_log(run.s.load_log ? run.s.load_log : "");
		/* one line naming every method tried and why it failed */
		char *why = util_xstrdup("");

		for (int i = 0; i < run.s.nr_attempts; i++) {
			char *n = util_fmt("%s%s%s: %s [cause %s]", why, i ? "; " : "",
					   sensor_method_name(run.s.attempts[i].method),
					   run.s.attempts[i].reason,
					   run.s.attempts[i].cause ? run.s.attempts[i].cause
								   : "unrecognised");
			free(why);
			why = n;
		}
		p_err("cannot run the sensor: %s", *why ? why : strerror(-err));
		free(why);
		ret = EXIT_ENV;
		goto out;
	}
	started = true;
	if (!output.json && run.print_events)
		printf("%-12s %-7s %-7s %-6s %-16s %s\n", "TIME", "PID", "PPID", "UID", "COMM",
		       "FILENAME");
	if (global.verbose || !output.json)
		fprintf(stderr,
			_("edrdiag: sensor attached with %s, %s transport (prog id %u); %s\n"),
			sensor_method_name(run.s.method), sensor_transport_name(run.s.transport),
			sensor_prog_id(&run.s),
			opts.selftest ? _("self-test running") : _("Ctrl-C to stop"));

	t0 = util_now_ns();
	if (opts.duration_s)
		deadline = t0 + opts.duration_s * 1000000000ull;
	if (run.st) {
		err = selftest_start(run.st);
		if (err) {
			p_err("self-test: cannot start the canary thread: %s", strerror(-err));
			ret = EXIT_ENV;
			goto out;
		}
	}
	while (!sig_stopped() && !run.write_err) {
		__u64 now;

		err = sensor_poll(&run.s, next_wait_ms(&run, deadline));
		if (err == -EINTR)
			continue; /* a stop signal: the loop's test ends it */
		if (err < 0) {
			p_err("reading the sensor's buffer: %s", strerror(-err));
			ret = EXIT_ENV;
			goto out;
		}
		/*
		 * Held events wait out the reorder window only while a later-reserved event may
		 * still arrive with an earlier stamp; once the ring is read to its end, none can.
		 */
		if (release(&run, sensor_caught_up(&run.s)))
			break;
		now = util_now_ns();
		if (deadline && now >= deadline)
			break;
		if (run.st) {
			/* once every canary is spawned, give the last events time to arrive */
			if (!selftest_deadline && __atomic_load_n(&st.done, __ATOMIC_ACQUIRE))
				selftest_deadline = now + SELFTEST_WAIT_MS * 1000000ull;
			if (selftest_complete(run.st) ||
			    (selftest_deadline && now >= selftest_deadline))
				break;
		}
	}
	/* a signal stops the spawner too, before the counters are read */
	if (run.st)
		selftest_join(run.st);
	sensor_stop(&run.s);
	release(&run, true);

	summarise(&r, &run, (double)(util_now_ns() - t0) / 1e9, stats);
	if (run.st)
		summarise_selftest(&r, run.st, jst);
	ret = report_exit_code(&r);

out:
	if (started || r.nr) {
		json_object_set_new(stats, "attach",
				    run.s.method >= 0
					    ? json_string(sensor_method_name(run.s.method))
					    : json_null());
		json_object_set_new(stats, "transport",
				    json_string(sensor_transport_name(run.s.transport)));
		json_object_set_new(stats, "buffer_bytes",
				    json_integer((json_int_t)run.s.buffer_bytes));
		json_object_set_new(r.extra, "stats", stats);
		stats = NULL;
		json_object_set_new(r.extra, "attempts", attempts_json(&run.s));
		if (opts.selftest) {
			json_object_set_new(r.extra, "selftest", jst);
			jst = NULL;
		}
		if (sig_stopped()) {
			char sig[16];

			json_object_set_new(r.extra, "stopped_by",
					    json_string(sig_name(sig_stopped(), sig, sizeof(sig))));
		}
		/*
		 * Also after an error (no attach method worked): the attempts say why, and in
		 * JSON mode the error becomes this document's "error" member (output_finish).
		 */
		output_report_to(output.json ? stdout : stderr, &r);
	}
	sensor_destroy(&run.s);
	evcheck_free(&run.v);
	reorder_free(&run.ro);
	strbuf_free(&run.out);
	selftest_cleanup(&st);
	json_decref(stats);
	json_decref(jst);
	report_free(&r);
	return ret;
}

const struct cmd cmd_run_sensor = {
	.name = "run-sensor",
	.summary = N_("load the reference exec sensor, validate what it sees, count what it drops"),
	.synopsis = "[--attach M] [--transport T] [--duration SEC] [--self-test[=N]] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	.flags = CMD_NEEDS_BPF | CMD_LIVE_ONLY,
	.args_hint = N_("give the self-test's count as --self-test=N"),
};
