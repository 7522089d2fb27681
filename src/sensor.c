// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpfcause.h"
#include "bpfexplain.h"
#include "i18n.h"
#include "probe.h"
#include "sensor.h"
#include "sig.h"
#include "tracefs.h"
#include "sensor_bpf.skel.h"
#include "util.h"

#define DEFAULT_RINGBUF	  (1u << 20)   /* 3,200 events: ~100 ms of a 30k exec/s storm */
#define DEFAULT_PERFBUF	  (256u << 10) /* per CPU */
#define VERIFIER_LOG_SIZE (1u << 20)
/* also named, spelt out, in the reason an attach failed: the two change together */
#define KPROBE_FUNC "security_bprm_committed_creds"

static const char *const method_names[SENSOR_NR_METHODS] = {
	[SENSOR_ATTACH_TRACEPOINT] = "tracepoint",
	[SENSOR_ATTACH_RAW_TRACEPOINT] = "raw-tracepoint",
	[SENSOR_ATTACH_KPROBE] = "kprobe",
};

const char *sensor_method_name(int method)
{
	return method >= 0 && method < SENSOR_NR_METHODS ? method_names[method] : "auto";
}

int sensor_method_parse(const char *s)
{
	int i;

	if (!strcmp(s, "auto"))
		return SENSOR_ATTACH_AUTO;
	for (i = 0; i < SENSOR_NR_METHODS; i++)
		if (!strcmp(s, method_names[i]))
			return i;
	return -2;
}

const char *sensor_transport_name(enum sensor_transport t)
{
	switch (t) {
	case SENSOR_TRANSPORT_RINGBUF:
		return "ringbuf";
	case SENSOR_TRANSPORT_PERFBUF:
		return "perfbuf";
	case SENSOR_TRANSPORT_AUTO:
		break;
	}
	return "auto";
}

static bool path_exists(const char *p)
{
	return access(p, F_OK) == 0;
}

/* Where libbpf looks for a tracepoint's id: tracefs in a standard place (tracefs.h). */
static bool tracefs_usable(void)
{
	struct tracefs_location loc;

	tracefs_locate(NULL, &loc);
	return loc.standard;
}

/* Kprobes: the kprobe PMU, or legacy kprobe_events in the tracefs tracefs_locate finds. */
static bool kprobes_available(void)
{
	struct tracefs_location loc;
	char path[sizeof(loc.dir) + 16];

	if (path_exists("/sys/bus/event_source/devices/kprobe"))
		return true;
	tracefs_locate(NULL, &loc);
	snprintf(path, sizeof(path), "%s/kprobe_events", loc.dir);
	return loc.dir[0] && path_exists(path);
}

/* Why an attach method failed, in words a support engineer can act on. */
static void explain(struct sensor_attempt *a)
{
	int e = -a->err;
	const char *why;

	if (e == EPERM || e == EACCES)
		why = _("permission denied: needs CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN; a seccomp "
			"or LSM policy, or lockdown, may also refuse it");
	else if (!strcmp(a->stage, "load"))
		why = _("the verifier or the kernel refused the program (see the verifier log; "
			"guide 1.1)");
	else if (!strcmp(a->stage, "buffer"))
		why = _("cannot map the event buffer (out of memory, or RLIMIT_MEMLOCK on kernels "
			"before 5.11)");
	else if (a->method == SENSOR_ATTACH_TRACEPOINT && !tracefs_usable())
		why = _("the tracepoint's id is read from tracefs, which is not mounted (mount -t "
			"tracefs nodev /sys/kernel/tracing)");
	else if (a->method == SENSOR_ATTACH_TRACEPOINT && e == ENOENT)
		why = _("no tracepoint sched/sched_process_exec on this kernel");
	else if (a->method == SENSOR_ATTACH_RAW_TRACEPOINT && e == ENOENT)
		why = _("no tracepoint sched_process_exec to attach a raw tracepoint to");
	else if (a->method == SENSOR_ATTACH_RAW_TRACEPOINT && e == EINVAL)
		why = _("raw tracepoints need kernel 4.17 or later");
	else if (a->method == SENSOR_ATTACH_KPROBE && !kprobes_available())
		why = _("kprobes are not available on this kernel (CONFIG_KPROBES is off: no "
			"kprobe "
			"PMU, no kprobe_events)");
	else if (a->method == SENSOR_ATTACH_KPROBE && e == ENOENT)
		why = _("no kernel function security_bprm_committed_creds to probe");
	else
		why = _("unexpected error");
	snprintf(a->reason, sizeof(a->reason), _("%s failed: %s (%s): %s"), a->stage,
		 util_errname(e), strerror(e), why);
}

/*
 * libbpf's own words during one attempt (its warnings: a map it could not create, a probe
 * it could not attach), kept for the classifier and still passed on to the printer that
 * was set (edrdiag's, under -v). At most LIBBPF_MSGS bytes: the first lines matter most.
 */
#define LIBBPF_MSGS 16384
static char libbpf_msgs[LIBBPF_MSGS];
static size_t libbpf_msgs_len;
static libbpf_print_fn_t libbpf_prev;

__attribute__((format(printf, 2, 0))) static int keep_print(enum libbpf_print_level level,
							    const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (level != LIBBPF_DEBUG && libbpf_msgs_len < LIBBPF_MSGS - 1) {
		va_copy(copy, ap);
		n = vsnprintf(libbpf_msgs + libbpf_msgs_len, LIBBPF_MSGS - libbpf_msgs_len, fmt,
			      copy);
		va_end(copy);
		if (n > 0)
			libbpf_msgs_len += (size_t)n < LIBBPF_MSGS - libbpf_msgs_len
						   ? (size_t)n
						   : LIBBPF_MSGS - 1 - libbpf_msgs_len;
	}
	return libbpf_prev ? libbpf_prev(level, fmt, ap) : 0;
}

/*
 * The attempt's cause from the catalogue check-object uses: the verifier's log of a load
 * that failed, its errno and stage, and what the sensor's own probes found at attach.
 */
static void classify(struct sensor_attempt *a, const char *vlog)
{
	int e = -a->err;
	const char *hint = NULL, *stage = a->stage;
	struct bpfcause_match m;
	struct bpfexplain x;
	/* libbpf's words, then the kernel's, as check-object reads them */
	char *log = util_fmt("%.*s\n%s", (int)libbpf_msgs_len, libbpf_msgs, vlog ? vlog : "");

	if (!strcmp(a->stage, "attach")) {
		if (e == EPERM || e == EACCES)
			hint = "perm.no-capability";
		else if (a->method == SENSOR_ATTACH_KPROBE && !kprobes_available())
			hint = "attach.kprobes-unavailable";
		else if (a->method != SENSOR_ATTACH_KPROBE && e == ENOENT)
			hint = "attach.tracepoint-missing";
	} else if (strcmp(a->stage, "load")) {
		stage = NULL; /* the event buffer: not a stage the catalogue knows */
	}
	bpfcause_classify(log, strlen(log), e, stage, &m);
	free(log);
	bpfexplain_resolve(&m, hint, stage, &x);
	a->cause = x.id;
	a->remedy = x.remedy;
	snprintf(a->evidence, sizeof(a->evidence), "%s", m.evidence ? m.evidence : "");
	bpfcause_match_free(&m);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	struct sensor *s = ctx;

	if (size >= sizeof(struct sensor_event))
		s->opts->on_event(s->opts->ctx, data);
	return 0;
}

/* perf_buffer__new_raw delivers whole perf records: samples and lost-sample notes */
struct perf_sample_raw {
	struct perf_event_header header;
	__u32 size;
	char data[];
};

struct perf_lost_rec {
	struct perf_event_header header;
	__u64 id;
	__u64 lost;
};

static enum bpf_perf_event_ret on_perf_record(void *ctx, int cpu, struct perf_event_header *h)
{
	struct sensor *s = ctx;

	(void)cpu;
	if (h->type == PERF_RECORD_SAMPLE) {
		struct perf_sample_raw *r = (struct perf_sample_raw *)h;
		struct sensor_event e;

		/*
		 * The sample follows a u32 size: it is 4-byte aligned, and the event holds
		 * u64s. Copy it out rather than read it in place (UBSan's misaligned access).
		 */
		if (r->size >= sizeof(e)) {
			memcpy(&e, r->data, sizeof(e));
			s->opts->on_event(s->opts->ctx, &e);
		}
	} else if (h->type == PERF_RECORD_LOST) {
		s->perf_lost += ((struct perf_lost_rec *)h)->lost;
	}
	return LIBBPF_PERF_EVENT_CONT;
}

static struct bpf_program *prog_of(struct sensor_bpf *skel, int method)
{
	switch (method) {
	case SENSOR_ATTACH_TRACEPOINT:
		return skel->progs.edr_exec_tp;
	case SENSOR_ATTACH_RAW_TRACEPOINT:
		return skel->progs.edr_exec_raw;
	default:
		return skel->progs.edr_exec_kp;
	}
}

static void set_knobs(struct sensor *s, const struct sensor_opts *o)
{
	struct sensor_bpf *k = s->skel;

	k->rodata->use_ringbuf = s->transport == SENSOR_TRANSPORT_RINGBUF;
	k->rodata->pid_max = o->pid_max ? o->pid_max : 4194304;
	/* wake the reader once a quarter of the ring is pending; it drains on a timer too */
	k->rodata->wakeup_bytes = s->buffer_bytes / 4;
	k->rodata->filter_tgid = o->filter_tgid;
	k->rodata->filter_uid = o->filter_uid;
	if (o->filter_comm) {
		k->rodata->filter_comm_on = true;
		strncpy((char *)k->rodata->filter_comm, o->filter_comm,
			sizeof(k->rodata->filter_comm) - 1);
	}
}

/*
 * The ring's first two pages hold the consumer and the producer position; libbpf keeps its
 * own mappings private, so sensor_caught_up reads them through a read-only one of its own.
 * Without it (mmap refused), events are held for the whole reorder window: correct, slower.
 */
static void map_positions(struct sensor *s, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	s->rb_page = (size_t)(page > 0 ? page : 4096);
	p = mmap(NULL, 2 * s->rb_page, PROT_READ, MAP_SHARED, fd, 0);
	s->rb_pos = p == MAP_FAILED ? NULL : p;
}

bool sensor_caught_up(const struct sensor *s)
{
	unsigned long cons, prod;

	if (!s->rb || !s->rb_pos)
		return false;
	cons = __atomic_load_n(s->rb_pos, __ATOMIC_ACQUIRE);
	/* the kernel moves the producer position when it reserves, before the event is filled */
	prod = __atomic_load_n(s->rb_pos + s->rb_page / sizeof(*s->rb_pos), __ATOMIC_ACQUIRE);
	return cons == prod;
}

static int open_buffer(struct sensor *s)
{
	int fd = bpf_map__fd(s->skel->maps.events);

	if (s->transport == SENSOR_TRANSPORT_RINGBUF) {
		s->rb = ring_buffer__new(fd, on_ringbuf, s, NULL);
		if (!s->rb)
			return -errno;
		map_positions(s, fd);
		return 0;
	}
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		/* wake the reader every 32 events; the poll timer drains the rest */
		.wakeup_events = 32,
	};
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = s->buffer_bytes / (size_t)(page > 0 ? page : 4096);

	s->pb = perf_buffer__new_raw(fd, pages, &attr, on_perf_record, s, NULL);
	return s->pb ? 0 : -errno;
}

/* What an attempt built: the buffer and its mapping, the link, the object. */
static void teardown(struct sensor *s)
{
	if (s->rb_pos)
		munmap((void *)s->rb_pos, 2 * s->rb_page);
	ring_buffer__free(s->rb);
	perf_buffer__free(s->pb);
	bpf_link__destroy(s->link);
	sensor_bpf__destroy(s->skel);
	s->rb_pos = NULL;
	s->rb = NULL;
	s->pb = NULL;
	s->link = NULL;
	s->skel = NULL;
}

/* One attempt: open, set knobs, keep only this method's program, load, attach. */
static int try_method(struct sensor *s, const struct sensor_opts *o, int method)
{
	struct sensor_attempt *a = &s->attempts[s->nr_attempts++];
	LIBBPF_OPTS(bpf_object_open_opts, oo, .kernel_log_buf = s->verifier_log,
		    .kernel_log_size = VERIFIER_LOG_SIZE);
	struct bpf_program *prog;
	struct bpf_map *events;
	int i, err;

	memset(a, 0, sizeof(*a));
	libbpf_msgs_len = 0;
	libbpf_msgs[0] = '\0';
	libbpf_prev = libbpf_set_print(keep_print);
	a->method = method;
	a->stage = "load";
	s->verifier_log[0] = '\0';
	s->skel = sensor_bpf__open_opts(&oo);
	if (!s->skel) {
		a->err = -errno;
		goto fail;
	}
	for (i = 0; i < SENSOR_NR_METHODS; i++)
		bpf_program__set_autoload(prog_of(s->skel, i), i == method);
	prog = prog_of(s->skel, method);

	set_knobs(s, o);
	events = s->skel->maps.events;
	if (s->transport == SENSOR_TRANSPORT_RINGBUF) {
		bpf_map__set_max_entries(events, (__u32)s->buffer_bytes);
	} else {
		/* the same map, as the per-CPU perf event array the fallback writes to */
		bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
		bpf_map__set_key_size(events, sizeof(__u32));
		bpf_map__set_value_size(events, sizeof(__u32));
		bpf_map__set_max_entries(events, s->ncpu);
	}

	err = sensor_bpf__load(s->skel);
	if (err) {
		a->err = err < 0 ? err : -EINVAL;
		goto fail;
	}
	/* the reader exists before the first event: a perf buffer output with no reader fails */
	a->stage = "buffer";
	err = open_buffer(s);
	if (err) {
		a->err = err;
		goto fail;
	}
	a->stage = "attach";
	if (method == SENSOR_ATTACH_TRACEPOINT)
		s->link = bpf_program__attach_tracepoint(prog, "sched", "sched_process_exec");
	else if (method == SENSOR_ATTACH_RAW_TRACEPOINT)
		s->link = bpf_program__attach_raw_tracepoint(prog, "sched_process_exec");
	else
		s->link = bpf_program__attach_kprobe(prog, false, KPROBE_FUNC);
	if (!s->link) {
		a->err = -errno;
		goto fail;
	}
	libbpf_set_print(libbpf_prev);
	s->method = method;
	snprintf(a->reason, sizeof(a->reason), "%s", _("attached"));
	return 0;
fail:
	libbpf_set_print(libbpf_prev);
	if (!a->err)
		a->err = -EINVAL;
	explain(a);
	classify(a, !strcmp(a->stage, "load") ? s->verifier_log : NULL);
	/* keep the verifier's words of the first load that failed: later attempts reuse the buffer
	 */
	if (!strcmp(a->stage, "load") && !s->load_log && *s->verifier_log)
		s->load_log = util_xstrdup(s->verifier_log);
	teardown(s);
	return a->err;
}

int sensor_start(struct sensor *s, const struct sensor_opts *o)
{
	int first = o->attach == SENSOR_ATTACH_AUTO ? 0 : o->attach;
	int last = o->attach == SENSOR_ATTACH_AUTO ? SENSOR_NR_METHODS - 1 : o->attach;
	int m, err = -EINVAL;

	memset(s, 0, sizeof(*s));
	s->opts = o;
	s->method = -1;
	err = libbpf_num_possible_cpus();
	if (err < 0)
		return err;
	s->ncpu = (unsigned int)err;
	s->transport = o->transport;
	if (s->transport == SENSOR_TRANSPORT_AUTO)
		s->transport =
			probe_ringbuf() == 0 ? SENSOR_TRANSPORT_RINGBUF : SENSOR_TRANSPORT_PERFBUF;
	s->buffer_bytes = o->buffer_bytes;
	if (!s->buffer_bytes)
		s->buffer_bytes = s->transport == SENSOR_TRANSPORT_RINGBUF ? DEFAULT_RINGBUF
									   : DEFAULT_PERFBUF;
	s->verifier_log = util_xmalloc(VERIFIER_LOG_SIZE);
	s->verifier_log[0] = '\0';

	for (m = first; m <= last; m++) {
		err = try_method(s, o, m);
		if (!err)
			break;
	}
	return err;
}

/* the shorter of two waits in ms, -1 being forever */
static int shorter(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

/* tell the BPF side whether the reader batches on a timer (ring buffer only) */
static void set_batching(struct sensor *s, bool on)
{
	s->batching = on;
	__atomic_store_n(&s->skel->bss->reader_batching, on ? 1u : 0u, __ATOMIC_RELEASE);
}

int sensor_poll(struct sensor *s, int max_ms)
{
	__u64 now;
	int wait = max_ms, fd, n, got;

	if (s->rb) {
		/*
		 * Batching (a storm): wake on the batch timer, or the backlog's forced
		 * wake-up. Just out of it: one more interval, for an event whose no-wake-up
		 * decision was made before the BPF side saw the flag cleared. Otherwise sleep
		 * until the kernel wakes us for the next event: no timer on a quiet host.
		 */
		if (s->batching || s->settling)
			wait = shorter(wait, SENSOR_BATCH_MS);
		fd = ring_buffer__epoll_fd(s->rb);
	} else if (s->pb) {
		wait = shorter(wait, SENSOR_PERF_POLL_MS);
		fd = perf_buffer__epoll_fd(s->pb);
	} else {
		return -EINVAL;
	}
	n = sig_wait_fd(fd, wait);
	if (n < 0 && n != -EINTR)
		return n;
	/* woken or not, everything pending is read: a timeout is when the batch is due */
	got = s->rb ? ring_buffer__consume(s->rb) : perf_buffer__consume(s->pb);
	if (got < 0)
		return got;
	now = util_now_ns();
	if (s->rb) {
		s->settling = false;
		if (got && !s->batching && s->last_data_ns &&
		    now - s->last_data_ns < SENSOR_BUSY_GAP_MS * 1000000ull)
			set_batching(s, true); /* events closer than the gap: a storm */
		else if (!got && s->batching) {
			set_batching(s, false);
			s->settling = true;
		}
	}
	if (got)
		s->last_data_ns = now;
	return n == -EINTR && !got ? -EINTR : got;
}

void sensor_stop(struct sensor *s)
{
	bpf_link__destroy(s->link);
	s->link = NULL;
	if (s->rb)
		ring_buffer__consume(s->rb);
	if (s->pb)
		perf_buffer__consume(s->pb);
}

int sensor_counters(struct sensor *s, struct sensor_counters *percpu, struct sensor_counters *sum)
{
	__u32 zero = 0;
	unsigned int i;

	if (!s->skel)
		return -EINVAL;
	if (bpf_map__lookup_elem(s->skel->maps.counters, &zero, sizeof(zero), percpu,
				 sizeof(*percpu) * s->ncpu, 0))
		return -errno;
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < s->ncpu; i++) {
		sum->seen += percpu[i].seen;
		sum->dropped += percpu[i].dropped;
		sum->read_errors += percpu[i].read_errors;
		sum->invalid += percpu[i].invalid;
		sum->filtered += percpu[i].filtered;
	}
	return 0;
}

__u32 sensor_prog_id(struct sensor *s)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	if (!s->skel || s->method < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(bpf_program__fd(prog_of(s->skel, s->method)), &info, &len))
		return 0;
	return info.id;
}

void sensor_destroy(struct sensor *s)
{
	teardown(s);
	free(s->verifier_log);
	free(s->load_log);
	s->load_log = NULL;
	s->verifier_log = NULL;
}
