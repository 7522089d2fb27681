// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btfread.h"
#include "distro.h"
#include "bpffeature.h"
#include "i18n.h"
#include "kconfig.h"
#include "text.h"
#include "util.h"

static const struct feature_desc descs[FEATURE_NR] = {
	[FEATURE_TRACEPOINT_PROG] = { "tracepoint_prog", N_("BPF programs on tracepoints"), 4, 7,
				      "bpf_prog_type", "BPF_PROG_TYPE_TRACEPOINT",
				      "probe.tracepoint", NULL },
	[FEATURE_RINGBUF] = { "ringbuf", N_("the BPF ring buffer"), 5, 8, "bpf_map_type",
			      "BPF_MAP_TYPE_RINGBUF", "probe.ringbuf", "warn" },
};

/*
 * Kconfig options BPF gained after a feature: a config that knows one (set or not) comes
 * from a source tree whose BPF is at least that new. Only options that distributions do
 * not backport alone: BPF_UNPRIV_DEFAULT_OFF (5.13) is in SLES 12's 4.12, so it is not one.
 */
static const struct {
	const char *option;
	int major, minor;
} markers[] = {
	{ "CONFIG_DEBUG_INFO_BTF_MODULES", 5, 11 },
	{ "CONFIG_BPF_PRELOAD", 5, 10 },
	{ "CONFIG_BPF_LSM", 5, 7 },
	{ "CONFIG_DEBUG_INFO_BTF", 5, 2 },
};

const struct feature_desc *feature_desc(enum feature_id f)
{
	return &descs[f];
}

const char *feature_evidence_str(enum feature_evidence e)
{
	static const char *const names[] = { "none", "release",	  "config",
					     "btf",  "collected", "probe" };

	return e < ARRAY_SIZE(names) ? names[e] : "none";
}

static bool decide(struct feature_verdict *v, int present, enum feature_evidence e, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

static bool decide(struct feature_verdict *v, int present, enum feature_evidence e, const char *fmt,
		   ...)
{
	va_list ap;

	v->present = present;
	v->evidence = e;
	va_start(ap, fmt);
	/* the reason is a finding's detail: in the run's language (i18n.h) */
	vsnprintf(v->why, sizeof(v->why), gettext(fmt), ap);
	va_end(ap);
	return true;
}

bool feature_by_probe(enum feature_id f, int probe_err, struct feature_verdict *v)
{
	const struct feature_desc *d = &descs[f];

	if (!probe_err)
		return decide(v, 1, EVIDENCE_PROBE, "%s: the kernel accepted it (live probe)",
			      d->btf_value);
	/* EINVAL: the kernel does not know the type; EPERM and the rest say nothing of it */
	if (probe_err == -EINVAL)
		return decide(v, 0, EVIDENCE_PROBE,
			      "%s: the kernel refused it as unknown (live probe, EINVAL)",
			      d->btf_value);
	return false;
}

bool feature_by_collected(enum feature_id f, json_t *doc, const char *when,
			  struct feature_verdict *v)
{
	const struct feature_desc *d = &descs[f];
	json_t *jf, *r;
	const char *ev, *st;
	size_t i;

	if (!doc)
		return false;
	when = when ? when : _("at a time the manifest does not give");
	jf = json_object_get(json_object_get(json_object_get(doc, "kernel"), "features"), d->name);
	ev = json_string_value(json_object_get(jf, "evidence"));
	/*
	 * The host's probe is a probe, collected; its BTF is BTF, however far it came: it says
	 * the kernel knows the type, not that the host could load a program.
	 */
	if (ev && (!strcmp(ev, "probe") || !strcmp(ev, "btf")) &&
	    json_is_boolean(json_object_get(jf, "present")))
		return decide(v, json_is_true(json_object_get(jf, "present")),
			      !strcmp(ev, "probe") ? EVIDENCE_COLLECTED : EVIDENCE_BTF,
			      "the host's own check-kernel, collected %s, decided it by its %s",
			      when, !strcmp(ev, "probe") ? _("live probe") : _("kernel BTF"));
	/* a bundle from before kernel.features: the probe finding itself */
	json_array_foreach (json_object_get(doc, "results"), i, r) {
		if (strcmp(json_string_value(json_object_get(r, "id")), d->probe_id))
			continue;
		st = json_string_value(json_object_get(r, "status"));
		if (!strcmp(st, "pass"))
			return decide(v, 1, EVIDENCE_COLLECTED,
				      "%s passed on the host (collected %s)", d->probe_id, when);
		if (d->absent_probe && !strcmp(st, d->absent_probe))
			return decide(v, 0, EVIDENCE_COLLECTED,
				      "%s on the host said the kernel does not know it "
				      "(collected %s)",
				      d->probe_id, when);
	}
	return false;
}

bool feature_by_btf(enum feature_id f, const struct btfread *btf, struct feature_verdict *v)
{
	const struct feature_desc *d = &descs[f];
	long long val;
	int err;

	if (!btf)
		return false;
	err = btfread_enumerator(btf, d->btf_enum, d->btf_value, &val);
	if (!err)
		return decide(v, 1, EVIDENCE_BTF, "the kernel's BTF has %s in enum %s",
			      d->btf_value, d->btf_enum);
	if (err == -ESRCH)
		return decide(v, 0, EVIDENCE_BTF, "the kernel's BTF has enum %s without %s",
			      d->btf_enum, d->btf_value);
	return false;
}

bool feature_by_config(enum feature_id f, const struct kconfig *kc, struct feature_verdict *v)
{
	const struct feature_desc *d = &descs[f];
	size_t i;

	if (!kc || !kc->nr)
		return false;
	for (i = 0; i < ARRAY_SIZE(markers); i++) {
		if (util_kver(markers[i].major, markers[i].minor, 0) <
			    util_kver(d->major, d->minor, 0) ||
		    !kconfig_get(kc, markers[i].option))
			continue;
		return decide(v, 1, EVIDENCE_CONFIG,
			      "the config knows %s, which BPF gained in %d.%d, after %s (%d.%d): "
			      "its BPF is that new whatever the release says",
			      markers[i].option, markers[i].major, markers[i].minor, _(d->what),
			      d->major, d->minor);
	}
	return false;
}

void feature_by_release(enum feature_id f, const char *release, struct feature_verdict *v)
{
	const struct feature_desc *d = &descs[f];
	int ma, mi, pa;
	char why[200];
	long upto;

	if (!release || !*release || util_parse_release(release, &ma, &mi, &pa))
		decide(v, -1, EVIDENCE_NONE, "the release is unknown");
	else if (util_kver(ma, mi, pa) >= util_kver(d->major, d->minor, 0))
		decide(v, 1, EVIDENCE_RELEASE,
		       "%d.%d >= %d.%d, where %s arrived upstream (a release-number guess)", ma, mi,
		       d->major, d->minor, _(d->what));
	else if (distro_backports_bpf(release, &upto, why, sizeof(why)) &&
		 util_kver(d->major, d->minor, 0) <= upto)
		decide(v, -1, EVIDENCE_RELEASE,
		       "%d.%d is older than %d.%d, where %s arrived upstream, but %s: the release "
		       "number says nothing here",
		       ma, mi, d->major, d->minor, _(d->what), why);
	else
		decide(v, 0, EVIDENCE_RELEASE,
		       "%d.%d < %d.%d, where %s arrived upstream (a release-number guess)", ma, mi,
		       d->major, d->minor, _(d->what));
}

json_t *feature_json(const struct feature_verdict *v)
{
	/* the detail may quote a bundle's manifest: text_json keeps any bytes */
	return json_pack("{s:o, s:s, s:o}", "present",
			 v->present < 0 ? json_null() : json_boolean(v->present), "evidence",
			 feature_evidence_str(v->evidence), "detail", text_json(v->why));
}
