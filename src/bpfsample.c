// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfsample.h"
#include "util.h"

void bpfsample_snap_free(struct bpfsample_snap *s)
{
	size_t i;

	for (i = 0; i < s->nr_progs; i++)
		bpfstats_prog_free(&s->progs[i]);
	free(s->progs);
	free(s->agent_progs);
	free(s->agent_maps);
	free(s->trace);
	free(s->links);
	free(s->maps);
	bpfobj_holders_free(&s->holders);
	memset(s, 0, sizeof(*s));
}

void bpfsample_agent_objects(struct bpfsample_snap *s, const struct bpfobj_holders *hs)
{
	size_t i, j, cap_p = 0, cap_m = 0;

	for (i = 0; i < hs->nr; i++) {
		const struct bpfobj_holder *h = &hs->h[i];

		if (h->kind == BPFOBJ_PROG)
			util_u32_push(&s->agent_progs, &s->nr_agent_progs, &cap_p, h->id);
		else if (h->kind == BPFOBJ_MAP)
			util_u32_push(&s->agent_maps, &s->nr_agent_maps, &cap_m, h->id);
		else
			for (j = 0; j < s->nr_links; j++)
				if (s->links[j].id == h->id)
					util_u32_push(&s->agent_progs, &s->nr_agent_progs, &cap_p,
						      s->links[j].prog_id);
	}
	s->nr_agent_progs = util_u32_uniq(s->agent_progs, s->nr_agent_progs);
	s->nr_agent_maps = util_u32_uniq(s->agent_maps, s->nr_agent_maps);
}

bool bpfsample_selected(const struct bpfsample_cfg *c, const struct bpfstats_prog *p)
{
	size_t i;
	bool ok;

	if (c->nr_names) {
		for (ok = false, i = 0; i < c->nr_names && !ok; i++)
			ok = !strcmp(p->name, c->names[i]);
		if (!ok)
			return false;
	}
	if (c->nr_types) {
		for (ok = false, i = 0; i < c->nr_types && !ok; i++)
			ok = (int)p->type == c->types[i];
		if (!ok)
			return false;
	}
	return true;
}

/* The maps of a window's end: all of them unfiltered, else those of what was selected. */
static void take_maps(const struct bpfsample_cfg *c, struct bpfsample_snap *s)
{
	__u32 *ids = NULL;
	size_t n = 0, cap = 0, i, j;

	if (!c->nr_ids && !c->nr_names && !c->nr_types && !c->agent_pid) {
		if (bpfobj_ids(BPFOBJ_MAP, &ids, &n))
			return;
	} else {
		for (i = 0; i < s->nr_progs; i++)
			for (j = 0; j < s->progs[i].nr_map_ids; j++)
				util_u32_push(&ids, &n, &cap, s->progs[i].map_ids[j]);
		for (i = 0; i < s->nr_agent_maps; i++)
			util_u32_push(&ids, &n, &cap, s->agent_maps[i]);
		n = util_u32_uniq(ids, n);
	}
	s->maps = util_xmalloc((n ? n : 1) * sizeof(*s->maps));
	for (i = 0; i < n; i++)
		if (!bpfstats_map_read(ids[i], &s->maps[s->nr_maps]))
			s->nr_maps++;
	free(ids);
}

int bpfsample_take(const struct bpfsample_cfg *c, struct bpfsample_snap *s, bool full)
{
	unsigned int flags = full ? BPFSTATS_MEMLOCK | BPFSTATS_MAPS : 0;
	__u32 *ids = NULL;
	size_t n, i;
	int err;

	if (full && c->full_names)
		flags |= BPFSTATS_FULL_NAME;
	memset(s, 0, sizeof(*s));
	/* links first: the agent's programs include those of the links it holds */
	if (full || c->agent_pid) {
		err = bpfstats_links(&s->links, &s->nr_links);
		if (err)
			return err;
	}
	if (c->agent_pid) {
		struct bpfobj_holders hs;

		bpfobj_holders_scan(&hs, c->agent_pid);
		bpfsample_agent_objects(s, &hs);
		bpfobj_holders_free(&hs);
	}
	/* the ids asked for, or the agent's, or all: no need to walk every id for a few */
	if (c->nr_ids || c->agent_pid) {
		n = c->nr_ids ? c->nr_ids : s->nr_agent_progs;
		ids = util_xmalloc((n ? n : 1) * sizeof(*ids));
		if (n) /* an agent with no program has no list to copy from (NULL) */
			memcpy(ids, c->nr_ids ? c->ids : s->agent_progs, n * sizeof(*ids));
		n = util_u32_uniq(ids, n);
	} else {
		err = bpfobj_ids(BPFOBJ_PROG, &ids, &n);
		if (err)
			return err;
	}
	s->progs = util_xmalloc((n ? n : 1) * sizeof(*s->progs));
	s->t_ns = util_now_ns();
	for (i = 0; i < n; i++) {
		struct bpfstats_prog *p = &s->progs[s->nr_progs];

		if (c->agent_pid && !util_u32_has(s->agent_progs, s->nr_agent_progs, ids[i]))
			continue;
		/* a program unloaded meanwhile is simply no longer there */
		if (bpfstats_prog_read(ids[i], flags, p))
			continue;
		if (!bpfsample_selected(c, p)) {
			bpfstats_prog_free(p);
			continue;
		}
		s->nr_progs++;
	}
	free(ids);
	if (c->agent_pid)
		s->agent_err = procstat_read(c->agent_pid, &s->agent);
	if (c->tracing)
		s->trace_err = trace_cpu_stats_read(c->tracing, &s->trace, &s->nr_trace);
	if (full) {
		take_maps(c, s);
		bpfobj_holders_scan(&s->holders, 0);
	}
	return 0;
}

size_t bpfsample_holders_of(const struct bpfsample_cfg *c, const struct bpfsample_snap *s,
			    enum bpfobj_kind kind, __u32 id, const struct bpfobj_holder **out,
			    size_t max)
{
	size_t i, j, n = 0;
	pid_t last = 0;

	for (i = 0; i < s->holders.nr; i++) {
		const struct bpfobj_holder *h = &s->holders.h[i];
		bool mine = h->kind == kind && h->id == id;

		if (!mine && kind == BPFOBJ_PROG && h->kind == BPFOBJ_LINK)
			for (j = 0; j < s->nr_links && !mine; j++)
				mine = s->links[j].id == h->id && s->links[j].prog_id == id;
		/* a process's entries are together: once each, program and link alike */
		if (!mine || h->pid == c->self || h->pid == last)
			continue;
		last = h->pid;
		if (n < max)
			out[n] = h;
		n++;
	}
	return n;
}

static const struct bpfstats_prog *find_prog(const struct bpfsample_snap *s, __u32 id)
{
	size_t lo = 0, hi = s->nr_progs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->progs[mid].id == id)
			return &s->progs[mid];
		if (s->progs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ns of CPU in a window of window_s seconds, in percent of one CPU */
static double cpu_pct(__u64 ns, double window_s)
{
	return window_s > 0 ? (double)ns / 1e9 / window_s * 100.0 : 0.0;
}

static void compute_prog(const struct bpfsample_cfg *c, const struct bpfsample_snap *b,
			 const struct bpfstats_prog *ps, const struct bpfstats_prog *pe,
			 double window_s, struct bpfsample_prog *r)
{
	size_t j, o = 0;

	memset(r, 0, sizeof(*r));
	r->p = pe;
	r->runs = bpfsample_delta(pe->run_cnt, ps->run_cnt);
	r->ns = bpfsample_delta(pe->run_time_ns, ps->run_time_ns);
	r->misses = bpfsample_delta(pe->recursion_misses, ps->recursion_misses);
	r->runs_per_s = window_s > 0 ? (double)r->runs / window_s : 0.0;
	r->ns_per_run = r->runs ? (double)r->ns / (double)r->runs : 0.0;
	r->cpu_core = cpu_pct(r->ns, window_s);
	r->cpu_host = r->cpu_core / (double)c->ncpus;
	r->nr_holders =
		bpfsample_holders_of(c, b, BPFOBJ_PROG, pe->id, r->holders, BPFSAMPLE_HOLDERS_MAX);
	for (j = 0; j < b->nr_links; j++) {
		if (b->links[j].prog_id != pe->id)
			continue;
		o += (size_t)snprintf(r->attach + o,
				      o < sizeof(r->attach) ? sizeof(r->attach) - o : 0, "%s%s",
				      r->attach_known ? "," : "", b->links[j].point);
		r->attach_known = true;
	}
	if (!r->attach_known)
		snprintf(r->attach, sizeof(r->attach), "unknown");
}

static void compute_agent(const struct bpfsample_cfg *c, const struct bpfsample_snap *a,
			  const struct bpfsample_snap *b, double window_s,
			  struct bpfsample_agent *ag)
{
	const struct procstat_sample *s = &a->agent, *e = &b->agent;

	memset(ag, 0, sizeof(*ag));
	ag->pid = c->agent_pid;
	/* a zombie is gone but for its exit status; a new start time is another process */
	if (a->agent_err || b->agent_err || s->stat.starttime != e->stat.starttime ||
	    e->stat.state == 'Z' || e->stat.state == 'X') {
		ag->err = b->agent_err ? b->agent_err : a->agent_err;
		if (!ag->err)
			ag->err = -ESRCH;
		return;
	}
	ag->running = true;
	ag->comm = e->stat.comm;
	ag->ticks = (e->stat.utime + e->stat.stime) - (s->stat.utime + s->stat.stime);
	ag->cpu_core = procstat_cpu_pct(ag->ticks, window_s, c->clk_tck);
	ag->cpu_host = ag->cpu_core / (double)c->ncpus;
	ag->status = &e->status;
	ag->rss_mb = e->status.vm_rss_kb >= 0 ? (double)e->status.vm_rss_kb / 1024.0 : 0.0;
}

static const struct trace_cpu_stats *trace_cpu(const struct bpfsample_snap *s, int cpu)
{
	size_t i;

	for (i = 0; i < s->nr_trace; i++)
		if (s->trace[i].cpu == cpu)
			return &s->trace[i];
	return NULL;
}

static void compute_trace(const struct bpfsample_snap *a, const struct bpfsample_snap *b,
			  struct bpfsample *sm)
{
	size_t i;

	if (b->trace_err || !b->nr_trace)
		return;
	sm->trace = util_xmalloc(b->nr_trace * sizeof(*sm->trace));
	sm->nr_trace = b->nr_trace;
	for (i = 0; i < b->nr_trace; i++) {
		const struct trace_cpu_stats *e = &b->trace[i], *s = trace_cpu(a, e->cpu);

		sm->trace[i].end = e;
		sm->trace[i].overrun = s ? bpfsample_delta(e->overrun, s->overrun) : 0;
		sm->trace[i].dropped =
			s ? bpfsample_delta(e->dropped_events, s->dropped_events) : 0;
		sm->trace_overrun += e->overrun;
		sm->trace_dropped += e->dropped_events;
	}
}

static void compute_map(const struct bpfsample_cfg *c, const struct bpfsample_snap *b,
			const struct bpfstats_map *m, struct bpfsample_map *r)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	if (m->entries >= 0 && m->max_entries) {
		r->fill_known = true;
		r->fill = bpfstats_fill_pct((unsigned long long)m->entries, m->max_entries);
	} else if (m->ringbuf && !m->rb_err && m->rb_size) {
		r->fill_known = true;
		r->fill = bpfstats_fill_pct(m->rb_pending, m->rb_size);
	}
	r->nr_holders =
		bpfsample_holders_of(c, b, BPFOBJ_MAP, m->id, r->holders, BPFSAMPLE_HOLDERS_MAX);
}

void bpfsample_compute(const struct bpfsample_cfg *c, const struct bpfsample_snap *a,
		       const struct bpfsample_snap *b, struct bpfsample *sm)
{
	size_t i;

	memset(sm, 0, sizeof(*sm));
	/* a window of no length (a clock that did not move) has no rates: they are 0 */
	sm->window_s = b->t_ns > a->t_ns ? (double)(b->t_ns - a->t_ns) / 1e9 : 0.0;
	sm->progs = util_xmalloc((b->nr_progs ? b->nr_progs : 1) * sizeof(*sm->progs));
	for (i = 0; i < b->nr_progs; i++) {
		const struct bpfstats_prog *pe = &b->progs[i], *ps = find_prog(a, pe->id);
		struct bpfsample_prog *r = &sm->progs[sm->nr_progs];

		/* a program loaded during the window has no start: the next sample shows it */
		if (!ps)
			continue;
		compute_prog(c, b, ps, pe, sm->window_s, r);
		sm->runs += r->runs;
		sm->ns += r->ns;
		sm->memlock += pe->memlock;
		sm->nr_progs++;
	}
	sm->maps = util_xmalloc((b->nr_maps ? b->nr_maps : 1) * sizeof(*sm->maps));
	for (i = 0; i < b->nr_maps; i++) {
		compute_map(c, b, &b->maps[i], &sm->maps[i]);
		sm->memlock += b->maps[i].memlock;
	}
	sm->nr_maps = b->nr_maps;
	sm->cpu_core = cpu_pct(sm->ns, sm->window_s);
	sm->cpu_host = sm->cpu_core / (double)c->ncpus;
	if (c->agent_pid) {
		sm->has_agent = true;
		compute_agent(c, a, b, sm->window_s, &sm->agent);
	}
	compute_trace(a, b, sm);
}

void bpfsample_free(struct bpfsample *sm)
{
	free(sm->progs);
	free(sm->maps);
	free(sm->trace);
	memset(sm, 0, sizeof(*sm));
}
