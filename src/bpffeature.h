/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef EDRDIAG_BPFFEATURE_H
#define EDRDIAG_BPFFEATURE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct btfread;
struct kconfig;

/*
 * Does the target kernel have the BPF features the sensor needs? Decided by the strongest
 * evidence the target offers (DESIGN.md 3), never by the release number alone when there is
 * better: a distribution kernel's release says little (RHEL 8's 4.18 has the ring buffer).
 */
enum feature_id {
	FEATURE_TRACEPOINT_PROG, /* BPF programs on tracepoints: the sensor's primary path */
	FEATURE_RINGBUF,	 /* the BPF ring buffer: else the perf buffer fallback */
	FEATURE_NR,
};

/* Weakest first: a verdict from stronger evidence replaces a weaker one. */
enum feature_evidence {
	EVIDENCE_NONE,
	EVIDENCE_RELEASE,   /* the release number: a guess, said to be one */
	EVIDENCE_CONFIG,    /* the kernel's config knows an option newer than the feature */
	EVIDENCE_BTF,	    /* the kernel's own BTF has the feature's enumerator (also collected) */
	EVIDENCE_COLLECTED, /* a live probe's result collected on the host, in a bundle */
	EVIDENCE_PROBE,	    /* bpf() asked on the running kernel */
};

struct feature_desc {
	const char *name;	  /* "tracepoint_prog": the JSON key */
	const char *what;	  /* "BPF programs on tracepoints" */
	int major, minor;	  /* the upstream release that brought it */
	const char *btf_enum;	  /* "bpf_prog_type" */
	const char *btf_value;	  /* "BPF_PROG_TYPE_TRACEPOINT" */
	const char *probe_id;	  /* the check-kernel finding of its live probe */
	const char *absent_probe; /* that finding's status when the probe says "absent" */
};

struct feature_verdict {
	int present; /* 1 yes, 0 no, -1 unknown */
	enum feature_evidence evidence;
	char why[320];
};

const struct feature_desc *feature_desc(enum feature_id f);
const char *feature_evidence_str(enum feature_evidence e);

/*
 * Each source of evidence fills v and returns true when it decides; otherwise it leaves v
 * alone. The caller asks them strongest first and keeps the first that decides.
 */
/* A live probe's result: 0 (it works), -EINVAL (the kernel does not know the type). */
bool feature_by_probe(enum feature_id f, int probe_err, struct feature_verdict *v);
/*
 * A check-kernel document collected on the host (the bundle's commands/ JSON): its
 * kernel.features member where that rests on a probe or BTF, else its probe finding.
 */
bool feature_by_collected(enum feature_id f, json_t *doc, const char *when,
			  struct feature_verdict *v);
bool feature_by_btf(enum feature_id f, const struct btfread *btf, struct feature_verdict *v);
bool feature_by_config(enum feature_id f, const struct kconfig *kc, struct feature_verdict *v);
/* Always decides, perhaps "unknown": a distribution that backports BPF makes it so. */
void feature_by_release(enum feature_id f, const char *release, struct feature_verdict *v);

/* {"present": true|false|null, "evidence": "probe", "detail": "..."}: a new reference. */
json_t *feature_json(const struct feature_verdict *v);

#endif
