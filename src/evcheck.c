// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evcheck.h"
#include "util.h"

int evcheck_init(struct evcheck *v, unsigned int ncpu, __u32 pid_max)
{
	memset(v, 0, sizeof(*v));
	if (!ncpu)
		return -EINVAL;
	v->ncpu = ncpu;
	v->pid_max = pid_max;
	v->cpu = util_xmalloc(ncpu * sizeof(*v->cpu));
	memset(v->cpu, 0, ncpu * sizeof(*v->cpu));
	return 0;
}

void evcheck_free(struct evcheck *v)
{
	free(v->cpu);
	v->cpu = NULL;
}

bool evcheck_event(struct evcheck *v, const struct sensor_event *e)
{
	bool ok = true;

	v->received++;
	if (e->ts_ns < v->max_ts)
		v->out_of_order++;
	else
		v->max_ts = e->ts_ns;

	if (e->cpu >= v->ncpu) {
		v->bad_cpu++;
		ok = false;
	} else {
		struct evcheck_cpu *c = &v->cpu[e->cpu];

		c->received++;
		if (c->any && e->ts_ns < c->last_ts)
			v->ts_backwards++;
		if (!c->any || e->seq >= c->next_seq) {
			c->gaps += e->seq - c->next_seq;
			v->gaps += e->seq - c->next_seq;
			c->next_seq = e->seq + 1;
		} else {
			v->seq_backwards++;
			ok = false;
		}
		c->any = true;
		c->last_ts = e->ts_ns;
	}
	/* pid_max is exclusive: the kernel allocates pids in [1, pid_max) */
	if (e->pid <= 0 || (__u32)e->pid >= v->pid_max) {
		v->bad_pid++;
		ok = false;
	}
	if (e->ppid < 0) {
		v->bad_ppid++;
		ok = false;
	}
	if (!e->filename_len || !e->filename[0]) {
		v->empty_filename++;
		ok = false;
	}
	if (e->flags & SENSOR_F_FILENAME_TRUNC)
		v->truncated++;
	return ok;
}

__u64 evcheck_problems(const struct evcheck *v)
{
	return v->bad_cpu + v->seq_backwards + v->ts_backwards + v->bad_pid + v->bad_ppid +
	       v->empty_filename;
}

void evcheck_reconcile(const struct evcheck *v, const struct sensor_counters *percpu,
		       unsigned int ncpu, struct evcheck_recon *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpu; i++) {
		const struct sensor_counters *k = &percpu[i];
		__u64 delivered = i < v->ncpu ? v->cpu[i].received : 0;
		/* never-arrived numbers: the gaps, then the tail past the last arrival */
		__u64 next = i < v->ncpu ? v->cpu[i].next_seq : 0;
		__u64 missing =
			(i < v->ncpu ? v->cpu[i].gaps : 0) + (k->seen > next ? k->seen - next : 0);

		out->seen += k->seen;
		out->dropped += k->dropped;
		out->delivered += delivered;
		out->missing += missing;
		if (delivered + k->dropped != k->seen || missing != k->dropped || next > k->seen)
			out->bad_cpus++;
	}
	/* events stamped with a CPU beyond those counted are unexplained as well */
	for (; i < v->ncpu; i++)
		if (v->cpu[i].received)
			out->bad_cpus++;
	out->holds = out->bad_cpus == 0 && out->seen == out->delivered + out->dropped;
}

static bool before(const struct reorder_key *a, const struct reorder_key *b)
{
	if (a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns;
	if (a->cpu != b->cpu)
		return a->cpu < b->cpu;
	return a->seq < b->seq;
}

static void swap_key(struct reorder_key *a, struct reorder_key *b)
{
	struct reorder_key t = *a;

	*a = *b;
	*b = t;
}

void reorder_init(struct reorder *r, __u64 window_ns)
{
	memset(r, 0, sizeof(*r));
	r->window_ns = window_ns;
}

void reorder_free(struct reorder *r)
{
	free(r->heap);
	free(r->slots);
	free(r->free_slots);
	memset(r, 0, sizeof(*r));
}

void reorder_push(struct reorder *r, const struct sensor_event *e)
{
	size_t i;
	__u32 slot;

	if (r->nr == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256, k;

		r->heap = util_xrealloc(r->heap, cap * sizeof(*r->heap));
		r->slots = util_xrealloc(r->slots, cap * sizeof(*r->slots));
		r->free_slots = util_xrealloc(r->free_slots, cap * sizeof(*r->free_slots));
		/* every slot in use is in the heap; the new ones are free */
		for (k = r->cap; k < cap; k++)
			r->free_slots[r->nfree++] = (__u32)k;
		r->cap = cap;
	}
	slot = r->free_slots[--r->nfree];
	r->slots[slot] = *e;
	/* sift up in a binary min-heap ordered by (ts, cpu, seq) */
	i = r->nr++;
	r->heap[i] = (struct reorder_key){ e->ts_ns, e->seq, e->cpu, slot };
	while (i && before(&r->heap[i], &r->heap[(i - 1) / 2])) {
		swap_key(&r->heap[i], &r->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

bool reorder_next(const struct reorder *r, __u64 *due_ns)
{
	if (!r->nr)
		return false;
	*due_ns = r->heap[0].ts_ns + r->window_ns;
	return true;
}

bool reorder_pop(struct reorder *r, __u64 now_ns, bool flush, struct sensor_event *out)
{
	size_t i = 0;
	__u32 slot;

	if (!r->nr)
		return false;
	if (!flush && r->window_ns && r->heap[0].ts_ns + r->window_ns > now_ns)
		return false;
	slot = r->heap[0].slot;
	*out = r->slots[slot];
	r->free_slots[r->nfree++] = slot;
	r->heap[0] = r->heap[--r->nr];
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < r->nr && before(&r->heap[l], &r->heap[m]))
			m = l;
		if (l + 1 < r->nr && before(&r->heap[l + 1], &r->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		swap_key(&r->heap[i], &r->heap[m]);
		i = m;
	}
	if (out->ts_ns < r->last_out_ts)
		r->late++;
	else
		r->last_out_ts = out->ts_ns;
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

__u64 percentile_u64(__u64 *v, size_t n, double p)
{
	size_t idx;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	/* nearest rank */
	idx = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (idx)
		idx--;
	if (idx >= n)
		idx = n - 1;
	return v[idx];
}
