// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * check-kernel: can the target run the sensor? Guide sections 1.1, 4.1 and 4.2 as checks.
 * The target is this host, a bundle (--root) or a kernel config alone (--kernel-config):
 * every verdict is about it, from the strongest evidence it offers, and what it cannot tell
 * is skipped with the reason.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../src/btfread.h"
#include "../src/caps.h"
#include "../src/distro.h"
#include "../src/bpffeature.h"
#include "../src/finding.h"
#include "../src/i18n.h"
#include "../src/kconfig.h"
#include "../src/manifest.h"
#include "../src/output.h"
#include "../src/probe.h"
#include "../src/sysroot.h"
#include "../src/target.h"
#include "../src/text.h"
#include "../src/tracefs.h"
#include "../src/util.h"
#include "cmd.h"

static struct {
	const char *kernel_config;
} opts;

enum { OPT_KERNEL_CONFIG = 'k' };

static const struct cliopt options[] = {
	{ "kernel-config", 'k', OPT_KERNEL_CONFIG, CLIOPT_REQUIRED, "FILE",
	  N_("judge this kernel config (plain or gzip): alone, the config is the target; with "
	     "--root, it replaces the tree's own config"),
	  CLIOPT_COMPLETE_FILE },
	{ 0 },
};

/* The host files check-kernel reads besides the config, os-release and tracefs. */
#define UNPRIV_SYSCTL "/proc/sys/kernel/unprivileged_bpf_disabled"
#define JIT_SYSCTL    "/proc/sys/net/core/bpf_jit_enable"
#define LOCKDOWN_PATH "/sys/kernel/security/lockdown"
#define BTF_PATH      "/sys/kernel/btf/vmlinux"
/* The kernel's BTF is ~5 MB; past this it is not one (and parsing it costs its size). */
/* What btf.vmlinux reads of it, and a bundle keeps: the header. */
#define BTF_HEADER_BYTES 24

#define MIN_MEMCG_KVER util_kver(5, 11, 0) /* BPF memory charged to memcg, not memlock */

/* Said of everything only a running kernel can tell, when the target is a config. */
#define NOT_FROM_CONFIG                                                                  \
	N_("only the running kernel can tell: run edrdiag check-kernel on the host, or " \
	   "replay its bundle (--root)")

struct kopt {
	const char *name;
	bool required;
	const char *why;
	const char *old_name; /* the option's name in older kernels, or NULL */
	bool fallback;	      /* backs up the tracepoint path: needed only if that fails */
};

static const struct kopt kopts[] = {
	{ "CONFIG_BPF", true, N_("the BPF core") },
	{ "CONFIG_BPF_SYSCALL", true,
	  N_("the bpf() system call: without it there is no eBPF at all") },
	{ "CONFIG_BPF_EVENTS", true, N_("BPF programs on tracepoints and kprobes") },
	{ "CONFIG_TRACEPOINTS", true, N_("static tracepoints such as sched/sched_process_exec") },
	{ "CONFIG_PERF_EVENTS", true,
	  N_("perf events: tracepoint attachment and the perf buffer") },
	{ "CONFIG_BPF_JIT", false,
	  N_("the JIT: without it programs run in the slower interpreter") },
	{ "CONFIG_HAVE_EBPF_JIT", false, N_("an eBPF JIT exists for this architecture") },
	{ "CONFIG_DEBUG_INFO_BTF", false,
	  N_("kernel BTF for CO-RE: without it the sensor needs BTF shipped for this kernel") },
	{ "CONFIG_KPROBES", false, N_("kprobes: the sensor's last-resort attach fallback"), NULL,
	  true },
	{ "CONFIG_KPROBE_EVENTS", false,
	  N_("kprobe events, which the kprobe fallback attaches through"),
	  "CONFIG_KPROBE_EVENT" /* before 4.11 */, true },
	{ "CONFIG_FTRACE", false, N_("the tracing framework behind tracefs") },
	{ "CONFIG_DEBUG_FS", false,
	  N_("debugfs, where the guide's /sys/kernel/debug/tracing lives") },
};

/* What the checks share: the target's kernel, its config, mounts, probes and features. */
struct ctx {
	struct report r;
	const struct target *t;
	bool live, kconfig_only;
	struct kconfig kc;
	bool have_config;
	bool config_from_host; /* found on the host, not given with --kernel-config */
	char config_source[PATH_MAX];
	json_t *tried;
	struct mount_table mounts;
	int mounts_err; /* 0 when mounts holds the table */
	struct distro distro;
	bool have_distro;
	char distro_path[64];
	int distro_err;
	bool can_trace; /* effective caps allow loading tracing programs */
	char missing_caps[128];
	bool probed;
	int probe_err[FEATURE_NR];
	char probe_log[1024];
	struct feature_verdict feat[FEATURE_NR];
	/* the tracepoint path works here: a missing kprobe fallback is then no concern */
	bool tp_proven;
	char tp_proof[256];
};

static int parse_opt(int key, const char *arg)
{
	switch (key) {
	case OPT_KERNEL_CONFIG:
		opts.kernel_config = arg;
		return 0;
	}
	return EXIT_USAGE;
}

/* ---- gathering ---- */

/*
 * Find the config: the user's file, or the target's own in bpftool's order. A user file
 * that cannot be used is bad input (exit 2); a target without one is only "unknown".
 */
static int load_config(struct ctx *c)
{
	char paths[3][KCONFIG_PATH_MAX], err[256];
	size_t i, n;
	int ret;

	c->tried = json_array();
	if (opts.kernel_config) {
		ret = kconfig_load(opts.kernel_config, &c->kc, err, sizeof(err));
		if (ret) {
			p_err_code(OUTPUT_ERR_BAD_INPUT, "--kernel-config '%s': %s",
				   opts.kernel_config, ret == -EINVAL ? err : strerror(-ret));
			return EXIT_USAGE;
		}
		c->have_config = true;
		snprintf(c->config_source, sizeof(c->config_source), "%s", opts.kernel_config);
		json_array_append_new(c->tried,
				      json_pack("{s:o, s:s}", "path", text_json(opts.kernel_config),
						"result", "used"));
		return 0;
	}
	n = kconfig_host_paths(c->t->release, paths, ARRAY_SIZE(paths));
	for (i = 0; i < n && !c->have_config; i++) {
		ret = kconfig_read_host(paths[i], &c->kc, err, sizeof(err));
		json_array_append_new(c->tried,
				      json_pack("{s:o, s:o}", "path", text_json(paths[i]), "result",
						text_json(!ret		   ? "used"
							  : ret == -ENOENT ? "absent"
									   : err)));
		if (!ret) {
			c->have_config = true;
			c->config_from_host = true;
			snprintf(c->config_source, sizeof(c->config_source), "%s", paths[i]);
		}
	}
	return 0;
}

/* The release of a config target: its header's version, with CONFIG_LOCALVERSION. */
static void config_release(struct ctx *c)
{
	const struct kconfig_entry *lv = kconfig_get(&c->kc, "CONFIG_LOCALVERSION");
	char rel[TARGET_RELEASE_MAX], local[64] = "";
	size_t n;

	if (!c->kc.version) {
		target_set_release("", "");
		return;
	}
	/* CONFIG_LOCALVERSION="-122.250-default": SLES's header says only 4.12.14 */
	if (lv && lv->value && lv->value[0] == '"') {
		snprintf(local, sizeof(local), "%s", lv->value + 1);
		n = strlen(local);
		if (n && local[n - 1] == '"')
			local[n - 1] = '\0';
	}
	n = strlen(local);
	if (n && strlen(c->kc.version) >= n &&
	    !strcmp(c->kc.version + strlen(c->kc.version) - n, local))
		local[0] = '\0';
	snprintf(rel, sizeof(rel), "%s%s", c->kc.version, local);
	target_set_release(rel, *local ? N_("the config's header and CONFIG_LOCALVERSION")
				       : N_("the config's header"));
}

static void gather_caps(struct ctx *c)
{
	uint64_t caps;
	int ma = 0, mi = 0, pa = 0;

	if (!c->live || caps_effective(&caps))
		return;
	util_parse_release(c->t->release, &ma, &mi, &pa);
	c->can_trace = caps_can_trace(caps, ma ? util_kver(ma, mi, pa) : util_kver(5, 8, 0),
				      c->missing_caps, sizeof(c->missing_caps));
}

/* The live probes: load a program, create a map, free both at once. */
static void gather_probes(struct ctx *c)
{
	int ma = 0, mi = 0, pa = 0;

	if (!c->live || !c->can_trace)
		return;
	/* Before 5.11 BPF memory is charged to RLIMIT_MEMLOCK; libbpf raises it, so do we. */
	if (!util_parse_release(c->t->release, &ma, &mi, &pa) &&
	    util_kver(ma, mi, pa) < MIN_MEMCG_KVER) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		setrlimit(RLIMIT_MEMLOCK, &rl);
	}
	c->probe_err[FEATURE_TRACEPOINT_PROG] =
		probe_tracepoint_prog(c->probe_log, sizeof(c->probe_log));
	c->probe_err[FEATURE_RINGBUF] = probe_ringbuf();
	c->probed = true;
}

/* The target's BTF, when it holds the whole file (a bundle keeps only its header). */
static struct btfread *load_btf(char **data)
{
	char err[128];
	struct btfread *b = NULL;
	size_t len;

	*data = NULL;
	if (sysroot_read(BTF_PATH, BTFREAD_FILE_MAX, data, &len))
		return NULL;
	if (btfread_open(*data, len, &b, err, sizeof(err))) {
		free(*data);
		*data = NULL;
		return NULL;
	}
	return b;
}

/* Each feature from the strongest evidence there is: probe, collected, BTF, config, release. */
static void gather_features(struct ctx *c)
{
	json_t *doc = target_collected_doc("check-kernel");
	struct btfread *btf = NULL;
	bool btf_tried = false;
	char *btf_data = NULL;
	int f;

	for (f = 0; f < FEATURE_NR; f++) {
		struct feature_verdict *v = &c->feat[f];

		if (c->probed && feature_by_probe(f, c->probe_err[f], v))
			continue;
		if (c->t->kind == TARGET_BUNDLE &&
		    feature_by_collected(f, doc, c->t->collected_at, v))
			continue;
		if (c->t->kind != TARGET_KCONFIG && !btf_tried) {
			btf = load_btf(&btf_data);
			btf_tried = true;
		}
		if (feature_by_btf(f, btf, v))
			continue;
		if (c->have_config && feature_by_config(f, &c->kc, v))
			continue;
		feature_by_release(f, c->t->release, v);
	}
	btfread_free(btf);
	free(btf_data);
}

/*
 * Is the sensor's primary path proven here: tracepoint programs load (a probe, live or
 * collected) and the exec tracepoint exists in tracefs (live, or its files in the bundle)?
 */
static void gather_tp_proof(struct ctx *c)
{
	const struct feature_verdict *v = &c->feat[FEATURE_TRACEPOINT_PROG];
	struct tracefs_location loc;
	char dir[PATH_MAX];

	if (v->present != 1 || v->evidence < EVIDENCE_COLLECTED)
		return;
	tracefs_locate(c->mounts_err ? NULL : &c->mounts, &loc);
	if (!loc.dir[0])
		return;
	snprintf(dir, sizeof(dir), "%s/events/%s", loc.dir, tracefs_sensor_tracepoints[0]);
	if (!sysroot_isdir(dir))
		return;
	c->tp_proven = true;
	snprintf(c->tp_proof, sizeof(c->tp_proof),
		 _("tracepoint programs load (%s) and %s exists%s"),
		 v->evidence == EVIDENCE_PROBE ? _("live probe") : _("collected on the host"), dir,
		 c->live ? "" : _(" in the bundle"));
}

/* ---- findings ---- */

/* Where the release came from, in the run's language (the target's JSON keeps English). */
static const char *release_from(const struct ctx *c)
{
	return *c->t->release_from ? _(c->t->release_from) : "";
}

/* A feature verdict's presence in the run's language. */
static const char *present_word(int present)
{
	return present > 0 ? _("yes") : present == 0 ? _("no") : _("unknown");
}

static void check_release(struct ctx *c)
{
	const struct feature_verdict *tp = &c->feat[FEATURE_TRACEPOINT_PROG];
	const struct feature_verdict *rb = &c->feat[FEATURE_RINGBUF];
	const char *rel = c->t->release, *title, *remedy = NULL;
	int ma, mi, pa;
	bool parses = *rel && !util_parse_release(rel, &ma, &mi, &pa);
	struct finding *f;
	enum status st;

	/* with no release to judge, only stronger evidence decides */
	if (!parses && tp->evidence <= EVIDENCE_RELEASE && rb->evidence <= EVIDENCE_RELEASE) {
		if (!*rel)
			report_add(&c->r, "kernel.release", ST_SKIP, "4.1",
				   "kernel release unknown", NULL, "%s",
				   c->kconfig_only
					   ? _("the config has no '# Linux/<arch> <release> "
					       "Kernel Configuration' header")
					   : _("cannot read /proc/sys/kernel/osrelease"));
		else
			report_add(&c->r, "kernel.release", ST_ERROR, "4.1",
				   "kernel release does not parse", NULL,
				   "release is '%.64s' (from %s)", rel, release_from(c));
		return;
	}
	if (tp->present == 0) {
		st = ST_FAIL;
		title = N_("kernel too old: no BPF programs on tracepoints");
		remedy =
			N_("the sensor cannot run on this kernel: move the host to a kernel >= 5.8 "
			   "(the distribution's current release)");
	} else if (tp->present < 0) {
		st = ST_WARN;
		title = N_("BPF programs on tracepoints: not known for this kernel");
		remedy = N_("check on the host itself (edrdiag check-kernel there: its live probe "
			    "decides), or replay the host's bundle");
	} else if (rb->present == 0) {
		st = ST_WARN;
		title = N_("no BPF ring buffer: the sensor uses its perf buffer fallback");
		remedy = N_("nothing blocks the sensor; for the ring buffer, a kernel >= 5.8 (the "
			    "distribution's current release)");
	} else if (rb->present < 0) {
		st = ST_WARN;
		title = N_("BPF ring buffer: not known for this kernel");
		remedy = N_("check on the host itself (edrdiag check-kernel there), or replay its "
			    "bundle; without the ring buffer the sensor uses its perf buffer");
	} else {
		st = ST_PASS;
		title = N_("kernel supports the sensor");
	}
	if (parses)
		f = report_add(&c->r, "kernel.release", st, "4.1", title, remedy, "%s (from %s)",
			       rel, release_from(c));
	else
		f = report_add(&c->r, "kernel.release", st, "4.1", title, remedy,
			       "release %s; judged by stronger evidence",
			       *rel ? _("does not parse") : _("unknown"));
	finding_append(f, "tracepoint programs: %s: %s", present_word(tp->present), tp->why);
	finding_append(f, "ring buffer: %s: %s", present_word(rb->present), rb->why);
}

static void check_distro(struct ctx *c)
{
	struct distro *d = &c->distro;

	if (c->kconfig_only) {
		c->have_distro = distro_from_kernel(c->t->release, &c->kc, d);
		if (c->have_distro)
			report_add(&c->r, "host.distro", ST_PASS, "4.2", d->name, NULL,
				   "a hint, not a fact: guessed from %s (a kernel config does not "
				   "name its distribution)",
				   d->from);
		else
			report_add(&c->r, "host.distro", ST_SKIP, "4.2", "distribution unknown",
				   NULL,
				   "a kernel config does not name its distribution, and "
				   "nothing in this one hints at it");
		return;
	}
	c->distro_err = distro_read(d, c->distro_path, sizeof(c->distro_path));
	if (c->distro_err) {
		report_add(&c->r, "host.distro", ST_SKIP, "4.2", "distribution unknown", NULL,
			   "no readable /etc/os-release or /usr/lib/os-release: %s: %s",
			   c->distro_path, sysroot_error(c->distro_path, c->distro_err));
		return;
	}
	c->have_distro = true;
	report_add(&c->r, "host.distro", ST_PASS, "4.2",
		   *d->name ? d->name : _("distribution unnamed"), NULL,
		   "from %s: ID=%s VERSION_ID=%s", d->from, *d->id ? d->id : "?",
		   *d->version ? d->version : "?");
}

static char *tried_list(const struct ctx *c)
{
	char *s = util_xstrdup(""), *n;
	json_t *t;
	size_t i;

	json_array_foreach (c->tried, i, t) {
		n = util_fmt("%s%s%s: %s", s, i ? ", " : "",
			     json_string_value(json_object_get(t, "path")),
			     json_string_value(json_object_get(t, "result")));
		free(s);
		s = n;
	}
	if (!json_array_size(c->tried)) {
		free(s);
		s = util_xstrdup("nothing: the release is unknown or not a plain name, and there "
				 "is no /proc/config.gz");
	}
	return s;
}

/* A missing option: what it means, and what a reader of this distribution can do. */
static void missing_option(struct ctx *c, const char *id, const struct kopt *o,
			   const struct kconfig_entry *e, const char *as)
{
	enum kconfig_state st = e ? e->state : KCONFIG_ABSENT;
	const char *remedy = distro_kernel_remedy(c->have_distro ? &c->distro : NULL);
	char title[160];
	struct finding *f;

	if (st == KCONFIG_MODULE)
		snprintf(title, sizeof(title), _("%s=m: built as a module, not built in"), o->name);
	else if (st == KCONFIG_VALUE)
		snprintf(title, sizeof(title), _("%s=%s: not 'y'"), o->name, e->value);
	else
		snprintf(title, sizeof(title), _("%s missing (%s)"), o->name,
			 st == KCONFIG_NOT_SET ? _("is not set") : _("absent from the config"));
	if (o->fallback && c->tp_proven) {
		/* a fallback the sensor will not need: its primary path works here */
		snprintf(title, sizeof(title), _("%s %s: not needed here"), o->name,
			 st == KCONFIG_NOT_SET	? _("not set")
			 : st == KCONFIG_ABSENT ? _("absent")
						: _("not built in"));
		f = report_add(&c->r, id, ST_PASS, "4.2", title, NULL,
			       "%s; not needed: the path it backs up works on this kernel (%s)",
			       _(o->why), c->tp_proof);
		finding_append(f, "in %s%s", c->config_source, as);
		return;
	}
	f = report_add(&c->r, id, o->required ? ST_FAIL : ST_WARN, "4.2", title, NULL,
		       "%s; %s in %s%s", _(o->why), o->required ? _("required") : _("recommended"),
		       c->config_source, as);
	if (o->fallback) {
		char *fix =
			util_fmt(_("only the tracepoint path's fallback: nothing to do where "
				   "edrdiag check-tracepoints and run-sensor --self-test pass on "
				   "the host; otherwise %s"),
				 remedy);

		finding_set_remedy(f, fix);
		free(fix);
	} else if (!strcmp(o->name, "CONFIG_DEBUG_INFO_BTF")) {
		finding_set_remedy(f,
				   "ship BTF for this kernel with the agent (BTFHub), or use a "
				   "kernel built with it: most distributions' kernels since 2020 "
				   "are");
	} else {
		finding_set_remedy(f, remedy);
	}
}

static void check_kconfig(struct ctx *c, json_t *jc)
{
	json_t *jopts = json_object();
	char id[96], title[160];
	char *tried = NULL;
	size_t i;

	json_object_set_new(jc, "options", jopts);
	if (!c->have_config)
		tried = tried_list(c);
	for (i = 0; i < ARRAY_SIZE(kopts); i++) {
		const struct kopt *o = &kopts[i];
		const struct kconfig_entry *e =
			c->have_config ? kconfig_get(&c->kc, o->name) : NULL;
		char as[96] = "";

		snprintf(id, sizeof(id), "kconfig.%s", o->name);
		if (!c->have_config) {
			snprintf(title, sizeof(title), _("%s unknown: no kernel config readable"),
				 o->name);
			report_add(&c->r, id, ST_SKIP, "4.2", title,
				   "pass one with --kernel-config FILE, or load the configs module "
				   "(modprobe configs) for /proc/config.gz",
				   "tried %s", tried);
			json_object_set_new(jopts, o->name,
					    json_pack("{s:s, s:n}", "state", "unknown", "value"));
			continue;
		}
		if (!e && o->old_name) {
			e = kconfig_get(&c->kc, o->old_name);
			if (e)
				snprintf(as, sizeof(as), ", as %s (its name before 4.11)",
					 o->old_name);
		}
		json_object_set_new(jopts, o->name,
				    json_pack("{s:s, s:o}", "state",
					      e && e->state >= KCONFIG_YES ? "set" : "missing",
					      "value",
					      e && e->value ? text_json(e->value) : json_null()));
		if (e && e->state == KCONFIG_YES) {
			snprintf(title, sizeof(title), _("%s=y"), o->name);
			report_add(&c->r, id, ST_PASS, "4.2", title, NULL, "%s (in %s%s)",
				   _(o->why), c->config_source, as);
			continue;
		}
		missing_option(c, id, o, e, as);
	}
	free(tried);
}

static void skip_not_from_config(struct ctx *c, const char *id, const char *guide, const char *what)
{
	char title[128];

	snprintf(title, sizeof(title), _("%s: not known from a kernel config"), _(what));
	report_add(&c->r, id, ST_SKIP, guide, title, NULL, "%s", _(NOT_FROM_CONFIG));
}

static void check_unpriv_sysctl(struct ctx *c)
{
	const char *id = "sysctl.unprivileged_bpf_disabled";
	char v[32];
	int err;

	if (c->kconfig_only)
		return skip_not_from_config(c, id, "1.1", "unprivileged_bpf_disabled");
	err = sysroot_read_line(UNPRIV_SYSCTL, v, sizeof(v));
	if (err) {
		report_add(&c->r, id, ST_SKIP, "1.1", "unprivileged_bpf_disabled not readable",
			   NULL, "%s: %s (absent before 4.4 or without CONFIG_BPF_SYSCALL)",
			   UNPRIV_SYSCTL, sysroot_error(UNPRIV_SYSCTL, err));
		return;
	}
	/* The agent loads BPF with privilege: the value matters for security, not for it. */
	if (!strcmp(v, "0"))
		report_add(&c->r, id, ST_WARN, "1.1", "unprivileged BPF is enabled (0)",
			   "sysctl -w kernel.unprivileged_bpf_disabled=2 (persist it in "
			   "/etc/sysctl.d/)",
			   "any user may load BPF programs; the agent runs privileged and does not "
			   "need this, and it widens the attack surface");
	else if (!strcmp(v, "1") || !strcmp(v, "2"))
		report_add(
			&c->r, id, ST_PASS, "1.1",
			v[0] == '1' ? _("unprivileged BPF disabled (1: until reboot)")
				    : _("unprivileged BPF disabled (2: an admin may re-enable it)"),
			NULL,
			"value %s; the agent runs as root or with CAP_BPF+CAP_PERFMON, so this "
			"does not stop it; do not set it to 0 to make the agent load (the guide's "
			"'echo 0 > unprivileged_bpf_disabled' fixes nothing and opens BPF to "
			"every user)",
			v);
	else
		report_add(&c->r, id, ST_WARN, "1.1",
			   "unprivileged_bpf_disabled has an unknown value", NULL,
			   "value '%s' (expected 0, 1 or 2)", v);
}

static void check_jit_sysctl(struct ctx *c)
{
	const char *id = "sysctl.bpf_jit_enable";
	bool always_on = kconfig_state(&c->kc, "CONFIG_BPF_JIT_ALWAYS_ON") == KCONFIG_YES;
	const char *fix = "sysctl -w net.core.bpf_jit_enable=1";
	char v[32];
	int err;

	if (c->kconfig_only)
		return skip_not_from_config(c, id, "4.2", "bpf_jit_enable");
	err = sysroot_read_line(JIT_SYSCTL, v, sizeof(v));
	if (err == -ENOENT)
		report_add(&c->r, id, ST_WARN, "4.2", "no BPF JIT: programs run interpreted",
			   distro_kernel_remedy(c->have_distro ? &c->distro : NULL),
			   "%s is absent (CONFIG_BPF_JIT off)", JIT_SYSCTL);
	else if (err)
		report_add(&c->r, id, ST_SKIP, "4.2", "bpf_jit_enable not readable", NULL, "%s: %s",
			   JIT_SYSCTL, sysroot_error(JIT_SYSCTL, err));
	else if (!strcmp(v, "1"))
		report_add(&c->r, id, ST_PASS, "4.2", "BPF JIT enabled", NULL, "value 1%s",
			   always_on ? _(" (CONFIG_BPF_JIT_ALWAYS_ON: cannot be turned off)") : "");
	else if (!strcmp(v, "2"))
		report_add(&c->r, id, ST_WARN, "4.2", "BPF JIT in debug mode (2)", fix,
			   "every JIT image is written to the kernel log");
	else if (!strcmp(v, "0"))
		report_add(&c->r, id, ST_WARN, "4.2",
			   "BPF JIT disabled (0): programs run interpreted", fix,
			   "the interpreter is several times slower: more CPU per event");
	else
		report_add(&c->r, id, ST_WARN, "4.2", "bpf_jit_enable has an unknown value", NULL,
			   "value '%s'", v);
}

/*
 * A live-only finding of a bundle: the verdict the host's own edrdiag gave, collected in
 * the bundle, said to be that. Returns false when the bundle holds none.
 */
static bool replay_collected(struct ctx *c, const char *id, const char *guide)
{
	json_t *jf = target_collected("check-kernel", id);
	const char *st, *title, *detail, *remedy;
	enum status s = ST_PASS;
	struct finding *f;
	char *t;

	if (!jf)
		return false;
	st = json_string_value(json_object_get(jf, "status"));
	/* one of status_str()'s names (the document was validated), else an error */
	while (s < ST_ERROR && strcmp(st, status_str(s)))
		s++;
	title = json_string_value(json_object_get(jf, "title"));
	detail = json_string_value(json_object_get(jf, "detail"));
	remedy = json_string_value(json_object_get(jf, "remedy"));
	t = util_fmt(_("%s (collected on the host)"), title ? title : id);
	f = report_add(&c->r, id, s, guide, t, remedy, "as the host's own edrdiag found it%s%s",
		       c->t->collected_at ? _(" at ") : "",
		       c->t->collected_at ? c->t->collected_at : "");
	if (c->t->collected_uid)
		finding_append(f, "run by uid %s", c->t->collected_uid);
	if (detail && *detail)
		finding_append(f, "%s", detail);
	free(t);
	return true;
}

static void check_caps(struct ctx *c)
{
	const char *id = "priv.capabilities";
	uint64_t caps;
	int err;

	if (c->kconfig_only)
		return skip_not_from_config(c, id, "1.1", N_("privilege"));
	if (!c->live) {
		if (!replay_collected(c, id, "1.1"))
			report_add(
				&c->r, id, ST_SKIP, "1.1", "capabilities not checked under --root",
				NULL,
				"they are those of the process running edrdiag, not of the "
				"host, and the tree holds no check-kernel run of the host's that "
				"a manifest vouches for");
		return;
	}
	err = caps_effective(&caps);
	if (err) {
		report_add(&c->r, id, ST_ERROR, "1.1", "cannot read capabilities", NULL,
			   "capget: %s", strerror(-err));
		return;
	}
	if (c->can_trace)
		report_add(&c->r, id, ST_PASS, "1.1", "privileged for BPF tracing", NULL,
			   "effective %s (uid %u)",
			   caps_has(caps, CAP_SYS_ADMIN) ? "CAP_SYS_ADMIN"
							 : "CAP_BPF + CAP_PERFMON",
			   (unsigned int)geteuid());
	else
		report_add(&c->r, id, ST_WARN, "1.1",
			   "edrdiag lacks BPF privilege: live probes skipped",
			   "run edrdiag as root (sudo); the agent itself needs the same",
			   "uid %u, effective capabilities %#llx: missing %s",
			   (unsigned int)geteuid(), (unsigned long long)caps, c->missing_caps);
}

static void check_btf(struct ctx *c)
{
	const char *id = "btf.vmlinux";
	enum kconfig_state st = kconfig_state(&c->kc, "CONFIG_DEBUG_INFO_BTF");
	struct btfread_header h;
	unsigned char head[64];
	char err[128];
	struct finding *f;
	ssize_t n;
	struct stat sb;
	int fd;

	if (c->kconfig_only)
		return skip_not_from_config(c, id, "4.1", N_("the BTF file"));
	fd = sysroot_open(BTF_PATH, &sb);
	if (fd == -ENOENT) {
		f = report_add(&c->r, id, ST_WARN, "4.1",
			       "no kernel BTF at /sys/kernel/btf/vmlinux",
			       "use a kernel with CONFIG_DEBUG_INFO_BTF=y, or ship BTF for this "
			       "kernel with the agent (BTFHub)",
			       "%s: %s; CO-RE programs need BTF to relocate against", BTF_PATH,
			       sysroot_error(BTF_PATH, fd));
		if (c->config_from_host && st == KCONFIG_YES)
			finding_append(f,
				       "contradiction: CONFIG_DEBUG_INFO_BTF=y in %s, yet the file "
				       "is missing (sysfs not mounted? kernel before 5.4?)",
				       c->config_source);
		return;
	}
	if (fd < 0) {
		report_add(&c->r, id, sysroot_is_refusal(fd) ? ST_FAIL : ST_WARN, "4.1",
			   "kernel BTF present but not readable",
			   fd == -EACCES ? _("run edrdiag as root") : NULL, "%s: %s", BTF_PATH,
			   sysroot_error(BTF_PATH, fd));
		return;
	}
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0 || btfread_header(head, (size_t)n, &h, err, sizeof(err))) {
		report_add(&c->r, id, ST_FAIL, "4.1", "kernel BTF is not BTF", NULL, "%s: %s",
			   BTF_PATH, n < 0 ? strerror(errno) : err);
		return;
	}
	f = report_add(&c->r, id, ST_PASS, "4.1", "kernel BTF available (CO-RE works)", NULL,
		       "%s, %lld bytes", BTF_PATH, (long long)sb.st_size);
	if (c->config_from_host && st != KCONFIG_YES)
		finding_append(f,
			       "note: %s says CONFIG_DEBUG_INFO_BTF is %s: the config may not "
			       "belong to the running kernel",
			       c->config_source, kconfig_state_str(st));
}

static void check_bpffs(struct ctx *c)
{
	const struct mount_entry *m;
	const char *id = "fs.bpffs";

	if (c->kconfig_only)
		return skip_not_from_config(c, id, "4.1", "bpffs");
	if (c->mounts_err) {
		report_add(&c->r, id, ST_SKIP, "4.1", "bpffs state unknown", NULL, "%s: %s",
			   MOUNTS_PATH, sysroot_error(MOUNTS_PATH, c->mounts_err));
		return;
	}
	m = mounts_find(&c->mounts, "bpf", "/sys/fs/bpf");
	if (!m)
		m = mounts_find(&c->mounts, "bpf", NULL);
	if (m && !strcmp(m->target, "/sys/fs/bpf"))
		report_add(&c->r, id, ST_PASS, "4.1", "bpffs mounted at /sys/fs/bpf", NULL, "%s %s",
			   m->fstype, m->options);
	else if (m)
		report_add(&c->r, id, ST_WARN, "4.1", "bpffs mounted, but not at /sys/fs/bpf",
			   "mount -t bpf bpf /sys/fs/bpf",
			   "mounted at %s; tools and agents pin under /sys/fs/bpf", m->target);
	else
		report_add(
			&c->r, id, ST_WARN, "4.1", "bpffs not mounted at /sys/fs/bpf",
			"mount -t bpf bpf /sys/fs/bpf",
			"no 'bpf' filesystem in /proc/mounts: maps and programs cannot be pinned");
}

/* What a config alone says of lockdown: forced, impossible, or up to the boot. */
static void lockdown_from_config(struct ctx *c)
{
	const char *id = "kernel.lockdown";

	if (kconfig_state(&c->kc, "CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY") == KCONFIG_YES)
		report_add(
			&c->r, id, ST_FAIL, "1.1",
			"kernel lockdown=confidentiality forced by the config",
			"use a kernel built without CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY",
			"CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY=y in %s: every boot is in "
			"confidentiality mode, which forbids the kernel reads the sensor makes",
			c->config_source);
	else if (kconfig_state(&c->kc, "CONFIG_SECURITY_LOCKDOWN_LSM") != KCONFIG_YES &&
		 !kconfig_get(&c->kc, "CONFIG_LOCK_DOWN_KERNEL"))
		report_add(&c->r, id, ST_PASS, "1.1", "no lockdown in this kernel", NULL,
			   "%s has neither CONFIG_SECURITY_LOCKDOWN_LSM nor a distribution's "
			   "CONFIG_LOCK_DOWN_KERNEL: it cannot be locked down",
			   c->config_source);
	else
		report_add(&c->r, id, ST_SKIP, "1.1", "lockdown: not known from a kernel config",
			   NULL,
			   "the config allows lockdown; whether it is on, and in which mode, is "
			   "decided at boot (lockdown=, Secure Boot): %s",
			   NOT_FROM_CONFIG);
}

static void check_lockdown(struct ctx *c)
{
	const char *id = "kernel.lockdown";
	char v[128], *open_b, *close_b;
	int err;

	if (c->kconfig_only) {
		lockdown_from_config(c);
		return;
	}
	err = sysroot_read_line(LOCKDOWN_PATH, v, sizeof(v));
	if (err) {
		bool securityfs = !c->mounts_err &&
				  mounts_find(&c->mounts, "securityfs", "/sys/kernel/security");

		if (sysroot_is_refusal(err))
			report_add(&c->r, id, ST_SKIP, "1.1", "lockdown state unknown", NULL,
				   "%s: %s", LOCKDOWN_PATH, sysroot_error(LOCKDOWN_PATH, err));
		else if (kconfig_state(&c->kc, "CONFIG_SECURITY_LOCKDOWN_LSM") == KCONFIG_NOT_SET)
			report_add(&c->r, id, ST_PASS, "1.1", "no lockdown LSM in this kernel",
				   NULL, "CONFIG_SECURITY_LOCKDOWN_LSM is not set in %s",
				   c->config_source);
		else if (!c->mounts_err && !securityfs)
			report_add(&c->r, id, ST_SKIP, "1.1",
				   "lockdown state unknown: securityfs not mounted",
				   "mount -t securityfs securityfs /sys/kernel/security", "%s: %s",
				   LOCKDOWN_PATH, sysroot_error(LOCKDOWN_PATH, err));
		else if (err == -ENOENT && securityfs)
			report_add(&c->r, id, ST_PASS, "1.1", "no lockdown LSM active", NULL,
				   "securityfs is mounted and has no lockdown file");
		else
			report_add(&c->r, id, ST_SKIP, "1.1", "lockdown state unknown", NULL,
				   "%s: %s", LOCKDOWN_PATH, sysroot_error(LOCKDOWN_PATH, err));
		return;
	}
	/* "none [integrity] confidentiality": the bracketed word is the mode */
	open_b = strchr(v, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!open_b || !close_b) {
		report_add(&c->r, id, ST_ERROR, "1.1", "lockdown file does not parse", NULL,
			   "read '%.64s'", v);
		return;
	}
	*close_b = '\0';
	if (!strcmp(open_b + 1, "confidentiality"))
		report_add(
			&c->r, id, ST_FAIL, "1.1",
			"kernel lockdown=confidentiality blocks the sensor",
			"lockdown cannot be lowered at run time: boot with lockdown=integrity "
			"(kernel command line) or without Secure Boot's automatic lockdown",
			"confidentiality mode forbids bpf_probe_read_kernel() and other reads of "
			"kernel memory from BPF, so the sensor cannot read exec filenames or the "
			"parent task");
	else if (!strcmp(open_b + 1, "integrity"))
		report_add(
			&c->r, id, ST_PASS, "1.1", "lockdown=integrity: the sensor is not affected",
			NULL,
			"integrity mode blocks bpf_probe_write_user() and kernel writes, which the "
			"sensor does not use");
	else if (!strcmp(open_b + 1, "none"))
		report_add(&c->r, id, ST_PASS, "1.1", "lockdown off", NULL, "mode 'none'");
	else
		report_add(&c->r, id, ST_WARN, "1.1", "lockdown mode unknown", NULL,
			   "mode '%.32s' (expected none, integrity or confidentiality)",
			   open_b + 1);
}

static void probe_finding(struct ctx *c, enum feature_id fid)
{
	bool tp = fid == FEATURE_TRACEPOINT_PROG;
	const char *id = feature_desc(fid)->probe_id, *guide = tp ? "1.1" : "2.2";
	bool syscall_y = kconfig_state(&c->kc, "CONFIG_BPF_SYSCALL") == KCONFIG_YES;
	int err = c->probe_err[fid];
	struct finding *f;

	if (c->kconfig_only)
		return skip_not_from_config(c, id, guide, N_("live probe"));
	if (!c->live) {
		if (!replay_collected(c, id, guide))
			report_add(
				&c->r, id, ST_SKIP, guide, "live probe not run under --root", NULL,
				"bpf() can only be asked on the running kernel, and the tree holds "
				"no check-kernel run of the host's that a manifest vouches for");
		return;
	}
	if (!c->probed) {
		report_add(&c->r, id, ST_SKIP, guide, "live probe skipped: no BPF privilege",
			   "run edrdiag as root", "missing %s", c->missing_caps);
		return;
	}
	if (tp && !err) {
		f = report_add(&c->r, id, ST_PASS, guide,
			       "a tracepoint program loads on this kernel", NULL,
			       "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_TRACEPOINT) succeeded; program "
			       "unloaded at once");
		if (c->config_from_host && !syscall_y)
			finding_append(
				f,
				"contradiction: %s says CONFIG_BPF_SYSCALL is %s: the "
				"config does not belong to the running kernel",
				c->config_source,
				kconfig_state_str(kconfig_state(&c->kc, "CONFIG_BPF_SYSCALL")));
	} else if (tp) {
		f = report_add(&c->r, id, ST_FAIL, guide, "a tracepoint program does not load",
			       NULL, "bpf(BPF_PROG_LOAD): %s (%s): %s", util_errname(err),
			       strerror(-err), probe_explain(err, "prog"));
		if (*c->probe_log)
			finding_append(f, "verifier: %s", util_rstrip(c->probe_log));
		if (c->config_from_host && syscall_y && err == -EPERM)
			finding_append(f,
				       "contradiction: CONFIG_BPF_SYSCALL=y yet bpf() says EPERM "
				       "for a privileged caller: look for a seccomp profile, an "
				       "LSM policy or lockdown");
		finding_set_remedy(f, err == -EPERM
					      ? _("run the agent as root; in a container "
						  "grant CAP_BPF+CAP_PERFMON and allow bpf() "
						  "in its seccomp profile")
					      : _("use a kernel >= 5.8 with CONFIG_BPF_SYSCALL=y "
						  "and CONFIG_BPF_EVENTS=y"));
	} else if (!err) {
		report_add(
			&c->r, id, ST_PASS, guide, "BPF ring buffer available", NULL,
			"bpf(BPF_MAP_CREATE, BPF_MAP_TYPE_RINGBUF) succeeded; map freed at once");
	} else {
		report_add(&c->r, id, err == -EINVAL ? ST_WARN : ST_FAIL, guide,
			   err == -EINVAL ? _("no BPF ring buffer: perf buffer fallback")
					  : _("a ring buffer map cannot be created"),
			   err == -EINVAL ? _("use a kernel >= 5.8 for the ring buffer") : NULL,
			   "bpf(BPF_MAP_CREATE): %s (%s): %s", util_errname(err), strerror(-err),
			   probe_explain(err, "ringbuf"));
	}
}

static json_t *features_json(const struct ctx *c)
{
	json_t *j = json_object();
	int f;

	for (f = 0; f < FEATURE_NR; f++)
		json_object_set_new(j, feature_desc(f)->name, feature_json(&c->feat[f]));
	return j;
}

static json_t *kernel_json(const struct ctx *c)
{
	json_t *k = json_object();

	json_object_set_new(k, "release", text_json(c->t->release));
	json_object_set_new(k, "distro", c->have_distro ? text_json(c->distro.name) : json_null());
	json_object_set_new(k, "distro_id", c->have_distro ? text_json(c->distro.id) : json_null());
	json_object_set_new(k, "distro_version",
			    c->have_distro ? text_json(c->distro.version) : json_null());
	json_object_set_new(k, "distro_guessed", json_boolean(c->have_distro && c->distro.guess));
	json_object_set_new(k, "features", features_json(c));
	return k;
}

int check_kernel_gather(struct report *r)
{
	json_t *jc = json_object();
	struct ctx c;
	int ret;

	memset(&c, 0, sizeof(c));
	report_init(&c.r, "check-kernel");
	c.r.strict = global.strict;
	/* --kernel-config alone: the config is the target, not this host */
	if (opts.kernel_config && sysroot_is_live())
		target_use_kconfig(opts.kernel_config);
	c.t = target_get();
	c.kconfig_only = c.t->kind == TARGET_KCONFIG;
	c.live = c.t->kind == TARGET_LIVE;
	/* under --root: is the tree a support bundle, unchanged since it was collected? */
	manifest_check_root(&c.r);

	ret = load_config(&c);
	if (ret)
		goto out;
	if (c.kconfig_only)
		config_release(&c);
	c.mounts_err = c.kconfig_only ? -ENOENT : mounts_read(&c.mounts);
	gather_caps(&c);
	gather_probes(&c);
	gather_features(&c);
	gather_tp_proof(&c);

	check_release(&c);
	check_distro(&c);
	check_kconfig(&c, jc);
	check_unpriv_sysctl(&c);
	check_jit_sysctl(&c);
	check_caps(&c);
	check_btf(&c);
	check_bpffs(&c);
	check_lockdown(&c);
	probe_finding(&c, FEATURE_TRACEPOINT_PROG);
	probe_finding(&c, FEATURE_RINGBUF);
	target_report_refusals(&c.r);

	json_object_set_new(jc, "tried", json_incref(c.tried));
	json_object_set_new(jc, "source", c.have_config ? text_json(c.config_source) : json_null());
	json_object_set_new(jc, "user_given", json_boolean(opts.kernel_config != NULL));
	json_object_set_new(jc, "version", c.kc.version ? text_json(c.kc.version) : json_null());
	json_object_set_new(c.r.extra, "root", text_json(sysroot_dir()));
	json_object_set_new(c.r.extra, "live", json_boolean(c.live));
	json_object_set_new(c.r.extra, "kernel", kernel_json(&c));
	json_object_set(c.r.extra, "kernel_config", jc);
	*r = c.r; /* the caller's now */
	memset(&c.r, 0, sizeof(c.r));
out:
	json_decref(jc);
	json_decref(c.tried);
	kconfig_free(&c.kc);
	mounts_free(&c.mounts);
	report_free(&c.r);
	return ret;
}

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_report(check_kernel_gather);
}

static void host_files(host_want_fn want, void *arg)
{
	char paths[3][KCONFIG_PATH_MAX];
	size_t i, n;

	/* what run() reads on a live host, through the same lists */
	want(TARGET_OSRELEASE_PATH, HOST_FILE, 0, arg);
	for (i = 0; i < DISTRO_NR_PATHS; i++)
		want(distro_osrelease_paths[i], HOST_FILE, 0, arg);
	n = kconfig_host_paths(target_get()->release, paths, ARRAY_SIZE(paths));
	for (i = 0; i < n; i++)
		want(paths[i], HOST_FILE, 0, arg);
	want(MOUNTS_PATH, HOST_FILE, 0, arg);
	want(UNPRIV_SYSCTL, HOST_FILE, 0, arg);
	want(JIT_SYSCTL, HOST_FILE, 0, arg);
	want(LOCKDOWN_PATH, HOST_FILE, 0, arg);
	/* ~5 MB: its header is what btf.vmlinux reads, the probes are collected instead */
	want(BTF_PATH, HOST_FILE, BTF_HEADER_BYTES, arg);
}

const struct cmd cmd_check_kernel = {
	.name = "check-kernel",
	.summary = N_("can this host run the sensor? kernel, config, sysctls, privilege, BTF"),
	.synopsis = "[--kernel-config FILE] ",
	.opts = options,
	.parse_opt = parse_opt,
	.run = run,
	.host_files = host_files,
};
