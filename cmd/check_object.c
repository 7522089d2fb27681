// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-object: guide section 1.1 as checks. Will this BPF object load here, and if not,
 * exactly why: each program loaded alone with the verifier log on, the failing stage, and
 * the cause from the catalogue (bpfcause.h). Never leaves anything loaded, pinned or
 * attached. --log FILE explains a log a customer sent, loading nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/bpfcause.h"
#include "../src/bpfexplain.h"
#include "../src/bpfobject.h"
#include "../src/caps.h"
#include "../src/corerelo.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/manifest.h"
#include "../src/output.h"
#include "../src/sha256.h"
#include "../src/sysroot.h"
#include "../src/target.h"
#include "../src/text.h"
#include "../src/util.h"
#include "cmd.h"

#define LOG_TAIL 4096 /* the end of the verifier log kept in JSON */

/* Every CO-RE relocation of the object, checked against the target BTF (corerelo.h). */
static struct corerelo_list core;
static char core_err[256];
/* per program: the subprograms it calls, whose relocations are its own too */
static struct {
	char (*names)[64];
	size_t n;
} * core_callees;

static struct {
	const char *program;
	const char *btf;
	const char *log;
	bool attach;
} opts;

enum { OPT_PROGRAM = 0x200, OPT_BTF, OPT_LOG, OPT_ATTACH };

static const struct cliopt options[] = {
	{ "program", 0, OPT_PROGRAM, CLIOPT_REQUIRED, "NAME",
	  N_("load only this program of the object (the others are still listed)"),
	  CLIOPT_COMPLETE_NONE, NULL },
	{ "btf", 0, OPT_BTF, CLIOPT_REQUIRED, "FILE",
	  N_("relocate against this kernel BTF (another kernel's /sys/kernel/btf/vmlinux) instead "
	     "of the running kernel's"),
	  CLIOPT_COMPLETE_FILE, NULL },
	{ "log", 0, OPT_LOG, CLIOPT_REQUIRED, "FILE",
	  N_("explain this verifier or libbpf log (at most 64 MiB); nothing is loaded"),
	  CLIOPT_COMPLETE_FILE, NULL },
	{ "attach", 0, OPT_ATTACH, CLIOPT_NONE, NULL,
	  N_("attach each tracing program that loads for a moment, then detach it"),
	  CLIOPT_COMPLETE_NONE, NULL },
	{ 0 },
};

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_PROGRAM:
		opts.program = arg;
		return 0;
	case OPT_BTF:
		opts.btf = arg;
		return 0;
	case OPT_LOG:
		opts.log = arg;
		return 0;
	case OPT_ATTACH:
		opts.attach = true;
		return 0;
	}
	return EXIT_USAGE;
}

static int check_opts(void)
{
	if (opts.log && opts.attach) {
		p_err("--log loads nothing: it cannot be used with --attach");
		return EXIT_USAGE;
	}
	return 0;
}

static json_t *stats_json(const struct bpfcause_match *m, long verified)
{
	json_t *j = json_object();

#define STAT(k, v) json_object_set_new(j, k, (v) >= 0 ? json_integer(v) : json_null())
	STAT("insns_processed", m->insns_processed >= 0 ? m->insns_processed : verified);
	STAT("insn_limit", m->insn_limit);
	STAT("max_states_per_insn", m->max_states_per_insn);
	STAT("total_states", m->total_states);
	STAT("peak_states", m->peak_states);
	STAT("verification_us", m->verification_us);
#undef STAT
	return j;
}

/* Fill a finding and its JSON from a classified failure. */
static void explain(struct finding *f, json_t *jp, struct bpfcause_match *m, const char *hint,
		    const char *stage, int err)
{
	json_t *closest = json_array();
	struct bpfexplain x;
	size_t i;

	bpfexplain_resolve(m, hint, stage, &x);
	finding_set_title(f, "refused at the %s stage: %s", stage, x.title ? x.title : x.id);
	finding_append(f, "cause %s", x.id);
	if (stage)
		finding_append(f, "stage %s", stage);
	if (err)
		finding_append(f, "errno %s (%s)", util_errname(err), strerror(err));
	if (m->insn >= 0)
		finding_append(f, "failing insn %ld", m->insn);
	if (m->source)
		finding_append(f, "source %s", m->source);
	if (m->evidence)
		finding_append(f, "log: %s", m->evidence);
	if (x.cause && x.cause->explanation)
		finding_append(f, "%s", x.cause->explanation);
	for (i = 0; !m->cause && !hint && i < m->nr_closest; i++)
		finding_append(f, "closest: %s", m->closest[i]);
	finding_set_remedy(f, x.remedy);
	json_object_set_new(jp, "cause", json_string(x.id));
	json_object_set_new(jp, "stage", stage ? json_string(stage) : json_null());
	json_object_set_new(jp, "errno", err ? json_integer(err) : json_null());
	json_object_set_new(jp, "errno_name", err ? json_string(util_errname(err)) : json_null());
	json_object_set_new(jp, "remedy", x.remedy ? json_string(x.remedy) : json_null());
	json_object_set_new(jp, "guide",
			    json_string(x.cause && x.cause->guide ? x.cause->guide : "1.1"));
	json_object_set_new(jp, "insn", m->insn >= 0 ? json_integer(m->insn) : json_null());
	json_object_set_new(jp, "source", text_json(m->source));
	json_object_set_new(jp, "evidence", text_json(m->evidence));
	for (i = 0; i < m->nr_closest; i++)
		json_array_append_new(closest, text_json(m->closest[i]));
	json_object_set_new(jp, "closest", closest);
}

/* The tail of a log, for JSON: a whole line first; made valid by text_json. */
static json_t *log_tail(const char *log, size_t len)
{
	char *s;
	json_t *j;
	size_t from = len > LOG_TAIL ? len - LOG_TAIL : 0, n;

	if (!log || !len)
		return json_null();
	while (from && from < len && log[from - 1] != '\n')
		from++;
	n = len - from;
	s = util_xmalloc(n + 1);
	memcpy(s, log + from, n);
	s[n] = '\0';
	/* NUL bytes inside end the kept text: text_json takes a C string */
	j = text_json(s);
	free(s);
	return j;
}

static void static_facts(struct finding *f, const struct bpfobject_prog *p, json_t *jp)
{
	json_t *jc = json_array();
	size_t i, bad = 0;

	json_object_set_new(jp, "name", text_json(p->name));
	json_object_set_new(jp, "section", text_json(p->section));
	json_object_set_new(jp, "type", json_string(p->type));
	json_object_set_new(jp, "attach_type",
			    p->attach_type[0] ? json_string(p->attach_type) : json_null());
	json_object_set_new(jp, "mechanism",
			    p->mechanism ? json_string(p->mechanism) : json_null());
	json_object_set_new(jp, "target", text_json(p->target));
	json_object_set_new(jp, "insns", json_integer((json_int_t)p->nr_insns));
	finding_append(f, "section %s, type %s%s%s", p->section, p->type,
		       p->attach_type[0] ? ", attach type " : "", p->attach_type);
	if (p->target)
		finding_append(f, "target %s (%s)", p->target, p->mechanism);
	for (i = 0; i < p->nr_calls; i++) {
		const struct bpfobject_call *c = &p->calls[i];

		json_array_append_new(jc, json_pack("{s:s, s:i, s:b, s:o}", "name", c->name, "id",
						    c->id, "kfunc", c->kfunc, "supported",
						    c->supported < 0 ? json_null()
								     : json_boolean(c->supported)));
		if (c->supported == 0 && c->kfunc && c->weak) {
			finding_append(f, "kfunc %s (__weak) absent from the target BTF", c->name);
		} else if (c->supported == 0 && c->kfunc) {
			finding_append(f, "kfunc %s absent from the target BTF", c->name);
			bad++;
		} else if (c->supported == 0 && !sysroot_is_live()) {
			finding_append(f, "helper %s absent from the target's enum bpf_func_id",
				       c->name);
			bad++;
		} else if (c->supported == 0) {
			finding_append(f, "helper %s not offered for %s programs here", c->name,
				       p->type);
			bad++;
		}
	}
	json_object_set_new(jp, "calls", jc);
	if (p->nr_calls)
		finding_append(f, "%zu helper/kfunc call(s)%s", p->nr_calls,
			       bad ? "" : ", none known missing here");
}

/* Is the relocation in program idx, or in a subprogram it calls? */
static bool core_mine(const struct corerelo_rec *c, const struct bpfobject_prog *p, size_t idx)
{
	size_t k;

	if (!c->func[0])
		return false;
	if (!strcmp(c->func, p->name))
		return true;
	for (k = 0; core_callees && k < core_callees[idx].n; k++)
		if (!strcmp(c->func, core_callees[idx].names[k]))
			return true;
	return false;
}

/* The program's CO-RE relocations: JSON "core", a line per failing one, a count of the rest. */
static void core_finding(struct finding *f, const struct bpfobject *o,
			 const struct bpfobject_prog *p, json_t *jp)
{
	json_t *a = json_array();
	size_t i, ok = 0, unchecked = 0, idx = (size_t)(p - o->progs);

	for (i = 0; i < core.nr; i++) {
		const struct corerelo_rec *c = &core.recs[i];

		if (!core_mine(c, p, idx))
			continue;
		json_array_append_new(
			a,
			json_pack("{s:s, s:i, s:s, s:s, s:s, s:o, s:b, s:o, s:o}", "function",
				  c->func, "insn", (int)c->insn, "kind", c->kind_name, "type",
				  c->type, "access", c->access, "resolved",
				  c->resolved < 0 ? json_null() : json_boolean(c->resolved),
				  "poisons", c->poisons, "missing",
				  c->missing[0] ? json_string(c->missing) : json_null(), "closest",
				  c->closest[0] ? json_string(c->closest) : json_null()));
		ok += c->resolved == 1;
		unchecked += c->resolved < 0;
		if (c->resolved == 0)
			finding_append(f, "CO-RE %s of %s (%s, insn %u): the target lacks %s%s%s%s",
				       c->kind_name, c->access, c->func, c->insn, c->missing,
				       c->closest[0] ? "; closest: " : "", c->closest,
				       c->poisons ? "" : _(" (an existence check: not an error)"));
		else if (global.verbose)
			finding_append(f, "CO-RE %s of %s (%s, insn %u): %s%s%s", c->kind_name,
				       c->access, c->func, c->insn,
				       c->resolved > 0 ? "resolved" : "not checked",
				       c->missing[0] ? ", " : "", c->missing);
	}
	if (core_err[0])
		finding_append(f, "%s", core_err);
	if (json_array_size(a))
		finding_append(f, "%zu CO-RE relocation(s): %zu resolved in the target BTF%s",
			       json_array_size(a), ok, unchecked ? _(", some not checked") : "");
	json_object_set_new(jp, "core", a);
}

static const char *verdict_str(enum bpfobject_verdict v)
{
	return v == BPFOBJECT_PASS ? "pass" : v == BPFOBJECT_FAIL ? "fail" : "skip";
}

static void program_finding(struct report *r, const struct bpfobject *o,
			    const struct bpfobject_prog *p, json_t *jps)
{
	char id[160], *pname = text_printable(p->name);
	json_t *jp = json_object();
	struct finding *f;

	snprintf(id, sizeof(id), "program.%s", pname);
	free(pname);
	f = report_add(r, id,
		       p->verdict == BPFOBJECT_PASS   ? ST_PASS
		       : p->verdict == BPFOBJECT_FAIL ? ST_FAIL
						      : ST_SKIP,
		       "1.1", "", NULL, NULL);
	static_facts(f, p, jp);
	core_finding(f, o, p, jp);
	json_object_set_new(jp, "verdict", json_string(verdict_str(p->verdict)));
	json_object_set_new(jp, "judged", json_string("live"));
	if (p->verdict == BPFOBJECT_SKIP) {
		finding_set_title(f, "not loaded: --program names another");
	} else {
		struct bpfcause_match m;
		size_t len = p->libbpf_log_len + 1 + p->log_len;
		char *all = util_xmalloc(len + 1);

		/* libbpf's words, then the kernel's: the classifier reads both */
		memcpy(all, p->libbpf_log ? p->libbpf_log : "", p->libbpf_log_len);
		all[p->libbpf_log_len] = '\n';
		memcpy(all + p->libbpf_log_len + 1, p->log ? p->log : "", p->log_len);
		all[len] = '\0';
		bpfcause_classify(all, len, p->verdict == BPFOBJECT_FAIL ? p->err : 0,
				  p->verdict == BPFOBJECT_FAIL ? p->stage : NULL, &m);
		free(all);
		json_object_set_new(jp, "stats", stats_json(&m, p->verified_insns));
		if (p->verdict == BPFOBJECT_PASS) {
			finding_set_title(f, "loads here%s",
					  p->attached ? _(", attached and detached") : "");
			if (m.insns_processed >= 0 || p->verified_insns >= 0)
				finding_append(f, "%ld insns processed",
					       m.insns_processed >= 0 ? m.insns_processed
								      : p->verified_insns);
			json_object_set_new(jp, "cause", json_null());
			json_object_set_new(jp, "stage", json_null());
			json_object_set_new(jp, "errno", json_null());
			json_object_set_new(jp, "remedy", json_null());
		} else {
			/* what edrdiag found itself outranks a guess from the log (bpfexplain) */
			explain(f, jp, &m, p->cause_hint, p->stage, p->err);
			if (m.insns_processed >= 0)
				finding_append(f, "%ld insns processed (limit %ld), %ld states",
					       m.insns_processed, m.insn_limit, m.total_states);
		}
		bpfcause_match_free(&m);
		if (p->core_missing[0])
			finding_append(f, "CO-RE relocation not resolved: %s", p->core_missing);
		if (p->core_closest[0])
			finding_append(f, "%s", p->core_closest);
		json_object_set_new(jp, "core_closest",
				    p->core_closest[0] ? text_json(p->core_closest) : json_null());
		json_object_set_new(jp, "core_unresolved",
				    p->core_missing[0] ? json_string(p->core_missing)
						       : json_null());
		if (p->attach_note[0])
			finding_append(f, "%s", p->attach_note);
		json_object_set_new(jp, "attach_check",
				    p->attach_note[0] ? json_string(p->attach_note) : json_null());
		json_object_set_new(jp, "attached", json_boolean(p->attached));
		json_object_set_new(jp, "log_bytes", json_integer((json_int_t)p->log_len));
		json_object_set_new(jp, "log_buffer", json_integer((json_int_t)p->log_size));
		json_object_set_new(jp, "log_tail", log_tail(p->log, p->log_len));
		json_object_set_new(jp, "libbpf_log", log_tail(p->libbpf_log, p->libbpf_log_len));
	}
	json_array_append_new(jps, jp);
}

static void maps_finding(struct report *r, const struct bpfobject *o)
{
	json_t *jm = json_array();
	struct finding *f;
	size_t i, bad = 0;

	f = report_add(r, "object.maps", ST_PASS, "1.1", "", NULL, NULL);
	for (i = 0; i < o->nr_maps; i++) {
		const struct bpfobject_map *m = &o->maps[i];

		json_array_append_new(
			jm, json_pack("{s:o, s:s, s:o, s:b}", "name", text_json(m->name), "type",
				      m->type, "supported",
				      m->supported < 0 ? json_null() : json_boolean(m->supported),
				      "pin_asked", m->pin_asked));
		finding_append(f, "%s (%s%s%s)", m->name, m->type,
			       m->supported == 0 ? _(", not on this kernel") : "",
			       m->pin_asked ? _(", asks to be pinned: not pinned here") : "");
		bad += m->supported == 0;
	}
	if (bad) {
		finding_set_status(f, ST_FAIL);
		if (sysroot_is_live())
			finding_set_title(f, "%zu map type(s) this kernel lacks", bad);
		else
			finding_set_title(f, "%zu map type(s) the target's kernel lacks", bad);
		finding_set_remedy(f, _("use map types this kernel has (a perf event array for a "
					"ring buffer before 5.8)"));
	} else {
		if (sysroot_is_live())
			finding_set_title(f, "%zu map(s), every type exists here", o->nr_maps);
		else
			finding_set_title(f, "%zu map(s), none of a type the target's BTF lacks",
					  o->nr_maps);
	}
	json_object_set_new(r->extra, "maps", jm);
}

/* --log FILE: explain it, load nothing. */
static int explain_log(struct report *r)
{
	struct bpfcause_match m;
	struct finding *f;
	json_t *jp;
	char *data;
	size_t len;
	int err = util_read_file(opts.log, BPFOBJECT_LOG_MAX, &data, &len);

	if (err) {
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--log '%s': %s", opts.log,
			   err == -EFBIG ? _("larger than 64 MiB") : strerror(-err));
		return EXIT_USAGE;
	}
	/* an empty file, or a FIFO with no writer (util_read_file reads it as empty) */
	if (!len) {
		free(data);
		p_err_code(OUTPUT_ERR_BAD_INPUT, "--log '%s': %s", opts.log,
			   _("empty: no log to explain"));
		return EXIT_USAGE;
	}
	bpfcause_classify(data, len, 0, NULL, &m);
	free(data);
	jp = json_pack("{s:o, s:I}", "file", text_json(opts.log), "bytes", (json_int_t)len);
	f = report_add(r, "log.explained", ST_FAIL, "1.1", "", NULL, NULL);
	explain(f, jp, &m, NULL, NULL, 0);
	if (!m.cause)
		finding_set_title(f, "unrecognised: no known cause matched this log");
	else
		finding_set_title(f, "%s", m.cause->title);
	json_object_set_new(jp, "stats", stats_json(&m, -1));
	bpfcause_match_free(&m);
	json_object_set_new(r->extra, "log", jp);
	return 0;
}

/*
 * Against a bundle's BTF subset, a root type it lacks was most likely left out, not absent
 * from the host: not checked, never "missing". A member missing from a type it holds is
 * missing (the subset keeps the types it holds whole).
 */
static void subset_unknowns(void)
{
	size_t i;

	for (i = 0; i < core.nr; i++) {
		struct corerelo_rec *c = &core.recs[i];

		if (c->resolved || !c->root_absent)
			continue;
		c->resolved = -1;
		c->poisons = false;
		c->closest[0] = '\0';
		snprintf(c->missing, sizeof(c->missing),
			 "not checked: the bundle's BTF subset does not hold %.150s "
			 "(collect-report --object keeps it)",
			 c->type);
	}
}

/* Read the object's CO-RE relocations and check them against the target BTF, by names. */
static void read_core(const char *path, const struct bpfobject *o)
{
	char *obj = NULL, why[200];
	size_t olen;
	const struct btfread *t;
	int e;

	core_err[0] = '\0';
	e = util_read_file(path, CORERELO_FILE_MAX, &obj, &olen);
	if (e) {
		snprintf(core_err, sizeof(core_err), "the object: %s", strerror(-e));
		return;
	}
	/* first without a target: an object with no CO-RE relocation needs no target BTF */
	if (corerelo_read(obj, olen, NULL, &core, why, sizeof(why))) {
		snprintf(core_err, sizeof(core_err), "CO-RE relocations not read: %s", why);
		goto callees;
	}
	if (!core.nr && !core.dropped)
		goto callees;
	corerelo_free(&core);
	/* the BTF bpfobject's attach and kfunc checks use: not read a second time */
	t = bpfobject_target(why, sizeof(why));
	if (!t)
		snprintf(core_err, sizeof(core_err), "target BTF: %.150s; not checked", why);
	if (corerelo_read(obj, olen, t, &core, why, sizeof(why)))
		snprintf(core_err, sizeof(core_err), "CO-RE relocations not read: %s", why);
	else if (t && bpfobject_target_is_subset())
		subset_unknowns();
	if (!core_err[0] && core.dropped)
		snprintf(core_err, sizeof(core_err),
			 "%zu CO-RE relocations past the first %d not listed", core.dropped,
			 CORERELO_MAX);
callees:
	core_callees = util_xmalloc((o->nr_progs + 1) * sizeof(*core_callees));
	for (size_t i = 0; i < o->nr_progs; i++) {
		core_callees[i].names = util_xmalloc(CORERELO_MAX_CALLEES * sizeof(char[64]));
		core_callees[i].n = corerelo_callees(obj, olen, o->progs[i].name,
						     core_callees[i].names, CORERELO_MAX_CALLEES);
	}
	free(obj);
}

/*
 * The object file's sha256 and size, so that a later --root replay or a bundle's reader can
 * tell it is the same object. Read in pieces: any size. -errno on failure.
 */
static int file_digest(const char *path, char hex[65], json_int_t *size)
{
	unsigned char buf[65536], out[32];
	struct sha256 h;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), i;

	if (fd < 0)
		return -errno;
	sha256_init(&h);
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return (int)n;
		}
		sha256_update(&h, buf, (size_t)n);
		*size += n;
	}
	close(fd);
	sha256_final(&h, out);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	return 0;
}

/*
 * --root: the target is the bundle's host. Its BTF (a subset, for a bundle: btfsubset.h)
 * stands for the kernel's unless --btf names another; nothing is loaded or probed here, and
 * the bundle's integrity is judged as every replay judges it.
 */
static int offline_setup(struct report *r)
{
	static const char path[] = "/sys/kernel/btf/vmlinux";
	char why[200], *data;
	size_t n;
	int e;

	if (opts.attach) {
		p_err_code(OUTPUT_ERR_BAD_INPUT,
			   "--attach attaches on this host: not under --root");
		return EXIT_USAGE;
	}
	bpfobject_set_offline(true);
	manifest_check_root(r);
	if (opts.btf)
		return 0;
	/* unreadable or not BTF: the CO-RE listing says "not checked", with the reason */
	e = sysroot_read(path, BTFREAD_FILE_MAX, &data, &n);
	if (!e)
		bpfobject_set_target_bytes("the bundle's /sys/kernel/btf/vmlinux", data, n, why,
					   sizeof(why));
	else
		bpfobject_set_target_unavailable("the bundle's /sys/kernel/btf/vmlinux",
						 sysroot_error(path, e));
	return 0;
}

/* The stored run's entry for program name: an object with a valid verdict, or NULL. */
static json_t *stored_program(json_t *doc, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach (json_object_get(doc, "programs"), i, p) {
		const char *n = json_string_value(json_object_get(p, "name"));
		const char *v = json_string_value(json_object_get(p, "verdict"));

		if (json_is_object(p) && n && !strcmp(n, name) && v &&
		    (!strcmp(v, "pass") || !strcmp(v, "fail") || !strcmp(v, "skip")))
			return p;
	}
	return NULL;
}

/* One of the stages check-object names, or NULL: a bundle's word is not trusted as is. */
static const char *known_stage(const char *s)
{
	static const char *const stages[] = { "open", "relocation", "load", "permission",
					      "attach" };
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(stages); i++)
		if (!strcmp(s, stages[i]))
			return stages[i];
	return NULL;
}

/*
 * A program under --root. The verifier's verdict belongs to the target's kernel: the one
 * collect-report --object recorded there is shown when the bundle holds it for this very
 * object (same sha256); otherwise only what the bundle's BTF can say is judged (a CO-RE
 * relocation it lacks, a kfunc its kernel does not have), and the rest is not judged.
 */
static void offline_finding(struct report *r, const struct bpfobject *o, struct bpfobject_prog *p,
			    json_t *stored, json_t *jps)
{
	char id[160], *pname = text_printable(p->name);
	json_t *jp = json_object(), *sp = stored ? stored_program(stored, p->name) : NULL;
	struct bpfcause_match m;
	const char *hint = NULL, *stage = NULL;
	struct finding *f;
	size_t i;
	int err = 0;

	snprintf(id, sizeof(id), "program.%s", pname);
	free(pname);
	f = report_add(r, id, ST_SKIP, "1.1", "", NULL, NULL);
	static_facts(f, p, jp);
	core_finding(f, o, p, jp);
	memset(&m, 0, sizeof(m));
	m.insn = -1;
	if (opts.program && strcmp(opts.program, p->name)) {
		json_object_set_new(jp, "judged", json_string(sp ? "stored" : "static"));
		json_object_set_new(jp, "verdict", json_string("skip"));
		finding_set_title(f, "not judged: --program names another");
		json_array_append_new(jps, jp);
		return;
	}
	if (sp) {
		const char *v = json_string_value(json_object_get(sp, "verdict"));
		json_t *je = json_object_get(sp, "errno");

		json_object_set_new(jp, "judged", json_string("stored"));
		p->verdict = !strcmp(v, "pass")	  ? BPFOBJECT_PASS
			     : !strcmp(v, "fail") ? BPFOBJECT_FAIL
						  : BPFOBJECT_SKIP;
		if (p->verdict == BPFOBJECT_FAIL) {
			const char *c = json_string_value(json_object_get(sp, "cause"));

			/* only a cause of this build's catalogue; its words are ours */
			hint = c && bpfcause_find(c) ? c : "unrecognised";
			stage = known_stage(json_string_value(json_object_get(sp, "stage")));
			if (!stage)
				stage = "load";
			if (json_is_integer(je) && json_integer_value(je) > 0 &&
			    json_integer_value(je) < 4096)
				err = (int)json_integer_value(je);
		}
	} else {
		json_object_set_new(jp, "judged", json_string("static"));
		p->verdict = BPFOBJECT_SKIP;
		for (i = 0; i < core.nr; i++)
			if (core_mine(&core.recs[i], p, (size_t)(p - o->progs)) &&
			    core.recs[i].resolved == 0 && core.recs[i].poisons) {
				p->verdict = BPFOBJECT_FAIL;
				hint = "libbpf.core-relo";
				stage = "relocation";
				break;
			}
		for (i = 0; p->verdict != BPFOBJECT_FAIL && i < p->nr_calls; i++)
			if (p->calls[i].kfunc && p->calls[i].supported == 0 && !p->calls[i].weak) {
				p->verdict = BPFOBJECT_FAIL;
				hint = "libbpf.kfunc-missing";
				stage = "relocation";
			}
	}
	json_object_set_new(jp, "verdict", json_string(verdict_str(p->verdict)));
	if (p->verdict == BPFOBJECT_FAIL) {
		p->stage = stage;
		finding_set_status(f, ST_FAIL);
		explain(f, jp, &m, hint, stage, err);
		finding_set_title(f, "%s: refused at the %s stage: %s",
				  sp ? _("on the target, as collected") : _("for the target's BTF"),
				  stage, bpfcause_find(hint) ? bpfcause_find(hint)->title : hint);
	} else if (p->verdict == BPFOBJECT_PASS) {
		finding_set_status(f, ST_PASS);
		finding_set_title(f, "%s", _("loaded on the target, as collected"));
	} else {
		finding_set_title(f, "%s",
				  sp ? _("not loaded on the target (as collected)")
				     : _("not loaded: the verifier's verdict needs the target's "
					 "kernel (collect-report --object records it there)"));
	}
	json_array_append_new(jps, jp);
}

static int run(int argc, char **argv)
{
	struct bpfobject o;
	struct report r;
	json_t *jps, *stored;
	char why[512], hex[65];
	json_int_t size = 0;
	size_t i;
	bool perm = false, digest_ok;
	int ret = 0, e;

	if (argc < 2 && !opts.log) {
		p_err("check-object needs the object: edrdiag check-object OBJ.o (or --log FILE)");
		return EXIT_USAGE;
	}
	if (opts.btf) {
		struct stat st;

		/* libbpf opens it blocking: a FIFO with no writer would hang its load */
		if (!stat(opts.btf, &st) && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "--btf '%s': %s", opts.btf,
				   _("not a regular file"));
			return EXIT_USAGE;
		}
		/* read and checked by edrdiag's own reader before libbpf parses it */
		e = bpfobject_set_target(opts.btf, why, sizeof(why));
		if (e) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "--btf '%s': %s", opts.btf,
				   e == -ENOENT || e == -EACCES || e == -EISDIR
					   ? strerror(-e)
					   : _("not a BTF file (raw BTF or an ELF with .BTF)"));
			return EXIT_USAGE;
		}
	}
	report_init(&r, "check-object");
	r.strict = global.strict;
	memset(&o, 0, sizeof(o));
	if (!sysroot_is_live()) {
		ret = offline_setup(&r);
		if (ret)
			goto out;
	}
	if (opts.log) {
		ret = explain_log(&r);
		if (ret)
			goto out;
	}
	if (argc >= 2) {
		e = bpfobject_open(&o, argv[1], opts.btf, why, sizeof(why));
		if (e) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "'%s': %s", argv[1], why);
			ret = EXIT_USAGE;
			goto out;
		}
		if (opts.program) {
			for (i = 0; i < o.nr_progs && strcmp(o.progs[i].name, opts.program); i++)
				;
			if (i == o.nr_progs) {
				p_err_code(OUTPUT_ERR_BAD_INPUT,
					   "--program '%s': no such program in %s", opts.program,
					   argv[1]);
				ret = EXIT_USAGE;
				goto out;
			}
		}
		read_core(argv[1], &o);
		digest_ok = !file_digest(argv[1], hex, &size);
		/* with --log, the object's facts only: nothing is loaded; nor under --root */
		if (!opts.log && sysroot_is_live())
			bpfobject_check(&o, opts.program, opts.attach);
		else
			for (i = 0; i < o.nr_progs; i++)
				o.progs[i].verdict = BPFOBJECT_SKIP;
		stored = sysroot_is_live() || opts.log
				 ? NULL
				 : target_collected_object(digest_ok ? hex : NULL);
		jps = json_array();
		for (i = 0; i < o.nr_progs; i++) {
			if (opts.log)
				continue;
			if (!sysroot_is_live())
				offline_finding(&r, &o, &o.progs[i], stored, jps);
			else
				program_finding(&r, &o, &o.progs[i], jps);
			/* judged here: the environment of this host was at fault */
			perm |= sysroot_is_live() && o.progs[i].verdict == BPFOBJECT_FAIL &&
				!strcmp(o.progs[i].stage, "permission");
		}
		maps_finding(&r, &o);
		/* what the bundle's readers refused (too big, a FIFO, a link out of the tree) */
		target_report_refusals(&r);
		json_object_set_new(r.extra, "programs", jps);
		json_object_set_new(r.extra, "sha256", digest_ok ? json_string(hex) : json_null());
		json_object_set_new(r.extra, "size", digest_ok ? json_integer(size) : json_null());
		json_object_set_new(
			r.extra, "object",
			json_pack("{s:o, s:o, s:o, s:o}", "path", text_json(o.path), "license",
				  text_json(o.license), "btf", text_json(opts.btf), "kernel",
				  sysroot_is_live()	   ? text_json(o.kversion)
				  : *target_get()->release ? text_json(target_get()->release)
							   : json_null()));
		json_object_set_new(r.extra, "core_error",
				    core_err[0] ? text_json(core_err) : json_null());
	}
	output_report(&r);
	ret = report_exit_code(&r);
	/* refused for want of privilege: nothing was judged, the environment is at fault */
	if (perm)
		ret = EXIT_ENV;
out:
	for (i = 0; core_callees && i < o.nr_progs; i++)
		free(core_callees[i].names);
	free(core_callees);
	core_callees = NULL;
	corerelo_free(&core);
	bpfobject_free(&o);
	report_free(&r);
	return ret;
}

const struct cmd cmd_check_object = {
	.name = "check-object",
	.summary = N_("will this BPF object load here, and if not, exactly why"),
	.synopsis = "OBJ.o [--program NAME] [--btf FILE] [--log FILE] [--attach] ",
	.opts = options,
	.parse_opt = parse_opt,
	.check_opts = check_opts,
	.run = run,
	/* under --root nothing is loaded: the bundle's BTF and stored verdict judge it */
	.flags = CMD_ONE_ARG,
	.args_hint = "give one object file",
};
